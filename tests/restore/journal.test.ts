/**
 * The restore journal's file handling: a last line cut short by a kill is dropped, an earlier run's unfinished
 * journal is kept under another name (never overwritten), the snapshot survives the round trip (the API
 * Management map included), and a write without an answer replays as one that may have been applied.
 */
import { fixedTokens } from '../../src/auth/tokens.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOperations, selectOperations } from '../../src/model/registry.js';
import { decodeSnapshot, encodeSnapshot, Journal, readJournal } from '../../src/restore/journal.js';
import { writeRecord } from '../../src/restore/ledger.js';
import { replay } from '../../src/restore/resume.js';
import type { Snapshot } from '../../src/restore/types.js';
import { DEFAULT_FIXTURES } from '../../src/targets/fixtures.js';

const ops = selectOperations(loadOperations(), {}).selected;
const find = (id: string, v: string) => ops.find((o) => o.id === id && o.apiVersion === v);
const RUN = { t: 'run', operations: ops.map((o) => ({ id: o.id, apiVersion: o.apiVersion, baseUrl: 'http://127.0.0.1:9' })), fixtures: DEFAULT_FIXTURES, startedAt: '2026-01-01T00:00:00Z' } as const;
const ARM = 'http://127.0.0.1:9/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups';

describe('restore journal', () => {
  it('keeps an unfinished journal of an earlier run and drops a line cut short', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'azconform-journal-'));
    const file = path.join(dir, 'restore-journal.jsonl');
    writeFileSync(file, `${JSON.stringify(RUN)}\n{"t":"w","n":1,"method":"PUT","url":"http://127.0.0.1:9/certificates/contacts"}\n{"t":"a","n`);
    expect(readJournal(file).map((l) => l.t)).toEqual(['run', 'w']);
    const j = Journal.open(file);
    j.append(RUN, true);
    j.close();
    expect(j.keptEarlier).toBeDefined();
    expect(existsSync(j.keptEarlier ?? '')).toBe(true);
    expect(readFileSync(j.keptEarlier ?? '', 'utf8')).toMatch(/"t":"w"/);
    expect((await readdir(dir)).length).toBe(2);
    // A finished journal is simply replaced.
    const done = Journal.append(file);
    done.append({ t: 'done', at: 'now' });
    done.close();
    expect(Journal.open(file).keptEarlier).toBeUndefined();
    expect(() => {
      writeFileSync(file, '{"t":"w"}\n');
      readJournal(file);
    }).toThrow(/run line/);
  });

  it('writes an answer line later, in order: with the next line, after this turn of the event loop, or on close', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'azconform-journal-'));
    const file = path.join(dir, 'restore-journal.jsonl');
    const j = Journal.open(file);
    const lines = (): string[] => readJournal(file).map((l) => `${l.t}${'n' in l ? l.n : ''}`);
    j.append(RUN, true);
    j.append({ t: 'w', n: 1, method: 'PUT', url: 'http://127.0.0.1:9/certificates/contacts' });
    j.later({ t: 'a', n: 1, status: 200 });
    expect(lines()).toEqual(['run', 'w1']);
    j.append({ t: 'w', n: 2, method: 'PUT', url: 'http://127.0.0.1:9/certificates/contacts' });
    expect(lines()).toEqual(['run', 'w1', 'a1', 'w2']);
    j.later({ t: 'a', n: 2 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines()).toEqual(['run', 'w1', 'a1', 'w2', 'a2']);
    j.later({ t: 'a', n: 3, status: 500 });
    j.close();
    expect(lines()).toEqual(['run', 'w1', 'a1', 'w2', 'a2', 'a3']);
    // Nothing goes to a closed journal, and nothing is left scheduled.
    j.later({ t: 'a', n: 4 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines()).toHaveLength(6);
  });

  it('replays the snapshot and the writes: unanswered and 5xx writes count, refused ones do not', () => {
    const snapshot: Snapshot = { contacts: { ok: true, value: null }, apim: { ok: true, value: new Map([['a', { name: 'A', properties: { thumbprint: 'T' } }]]) } };
    expect(decodeSnapshot(JSON.parse(JSON.stringify(encodeSnapshot(snapshot))))).toEqual(snapshot);
    const id = { tenantId: '00000000-0000-0000-0000-000000000000', objectId: 'o1' };
    const lines = [
      RUN,
      { t: 'snapshot', fixtures: DEFAULT_FIXTURES, snapshot: encodeSnapshot(snapshot) },
      { t: 'w', n: 1, method: 'PUT', url: 'http://127.0.0.1:9/certificates/contacts?api-version=7.4' },
      { t: 'a', n: 1, status: 400 },
      { t: 'w', n: 2, method: 'PUT', url: `${ARM}/sample-group/providers/Microsoft.KeyVault/vaults/sample-vault/accessPolicies/add?api-version=2019-09-01`, identities: [id] },
      { t: 'w', n: 3, method: 'PUT', url: `${ARM}/rg1/providers/Microsoft.ApiManagement/service/apimService1/certificates/c1?api-version=2024-05-01` },
      { t: 'a', n: 3, status: 503 },
    ] as const;
    const j = replay(lines, fixedTokens('tok'), find);
    expect(j.writes).toBe(3);
    expect(j.snapshot).toEqual(snapshot);
    expect(j.ledger.touched.contacts).toBe(0);
    expect([...(j.ledger.touched.vaults.values().next().value?.identities.keys() ?? [])]).toHaveLength(1);
    expect([...j.ledger.touched.apim.values()].map((c) => [c.certificateId, c.uncertain])).toEqual([['c1', 1]]);
    expect(j.env.token('data')).toBe('tok');
    expect(j.env.token('arm')).toBe('tok');
  });

  it('keeps the permission names an access-policy write sent, so a restore after a kill removes a name the target took (all at 2019-09-01)', () => {
    const url = `${ARM}/sample-group/providers/Microsoft.KeyVault/vaults/sample-vault/accessPolicies/add?api-version=2019-09-01`;
    const entry = { tenantId: '00000000-0000-0000-0000-000000000000', objectId: '66666666-6666-4666-8666-666666666666', permissions: { secrets: ['all', 'get'], keys: 'not a list' } };
    const written = writeRecord({ method: 'PUT', url, headers: { authorization: 'Bearer secret-token' }, body: { properties: { accessPolicies: [entry] } } });
    expect(written?.identities).toEqual([{ tenantId: entry.tenantId, objectId: entry.objectId, permissions: { secrets: ['all', 'get'] } }]);
    // As the journal file holds them: JSON lines, no token.
    const text = JSON.stringify([RUN, { t: 'w', n: 1, ...written }, { t: 'a', n: 1, status: 200 }]);
    expect(text).not.toContain('secret-token');
    const j = replay(JSON.parse(text) as Parameters<typeof replay>[0], fixedTokens('tok'), find);
    const id = j.ledger.touched.vaults.values().next().value?.identities.values().next().value;
    expect([...(id?.granted?.get('secrets') ?? [])]).toEqual(['all', 'get']);
  });
});
