/**
 * `azconform compare`: two real runs against the reference emulator with one seed, clean and with one fault, and
 * the command as a child process. A run compared with itself reports nothing; the fault is exactly a regression.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareSummaries, signature, type SummaryLike } from '../../src/compare/compare.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { finish, start } from '../emulator/spawn.js';

const SEED = '4242';
let clean: Emulator;
let faulty: Emulator;
let dir: string;

async function runAgainst(e: Emulator, name: string): Promise<string> {
  const reports = path.join(dir, name);
  await finish(start(['run', '--target', e.url, '--seed', SEED, '--runs', '20', '--reports', reports, '--quiet'], 'node'));
  return path.join(reports, 'summary.json');
}

const compareCli = (a: string, b: string, ...extra: string[]) => finish(start(['compare', a, b, ...extra], 'node'));
const load = async (f: string): Promise<SummaryLike> => JSON.parse(await readFile(f, 'utf8')) as SummaryLike;

let cleanFile: string;
let faultyFile: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'azconform-compare-'));
  [clean, faulty] = await Promise.all([startEmulator({ port: 0 }), startEmulator({ port: 0, fault: 'contacts-wrong-id' })]);
  [cleanFile, faultyFile] = await Promise.all([runAgainst(clean, 'clean'), runAgainst(faulty, 'faulty')]);
}, 120_000);
afterAll(async () => {
  await Promise.all([clean?.close(), faulty?.close()]);
});

describe('compare', () => {
  it('a run compared with itself reports nothing and exits 0', async () => {
    const r = await compareCli(faultyFile, faultyFile, '--json');
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout) as { items: unknown[]; unchanged: number };
    expect(c.items).toEqual([]);
    expect(c.unchanged).toBeGreaterThan(0);
  });

  it('one fault at one operation is exactly a regression of that operation, and exits 1', async () => {
    const r = await compareCli(cleanFile, faultyFile);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/REGRESSED/);
    const c = compareSummaries(await load(cleanFile), await load(faultyFile));
    expect(c.counts.regressed).toBeGreaterThan(0);
    expect(c.items.filter((i) => i.change === 'regressed').every((i) => i.operation === 'SetCertificateContacts')).toBe(true);
    expect(c.items.some((i) => i.rule === 'keyvault.setCertificateContacts.id')).toBe(true);
    expect(c.counts.fixed).toBe(0);
  });

  it('the other way round the same items are fixed, and exit 0', async () => {
    const r = await compareCli(faultyFile, cleanFile, '--json');
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout) as { counts: { regressed: number; fixed: number } };
    expect(c.counts.regressed).toBe(0);
    expect(c.counts.fixed).toBeGreaterThan(0);
  });

  it('a check not exercised before is new, not a regression; --fail-on-new makes it fail', async () => {
    const before = await load(cleanFile);
    const after = await load(faultyFile);
    // The old run never exercised the contacts echo rule: strip it from the old run's checks.
    const stripped: SummaryLike = { ...before, operations: before.operations.map((o) => (o.id === 'SetCertificateContacts' ? { ...o, checks: {} } : o)) };
    const c = compareSummaries(stripped, after);
    expect(c.counts.regressed).toBe(0);
    expect(c.counts.new).toBeGreaterThan(0);
    const f = path.join(dir, 'stripped.json');
    await writeFile(f, JSON.stringify(stripped));
    expect((await compareCli(f, faultyFile)).code).toBe(0);
    expect((await compareCli(f, faultyFile, '--fail-on-new')).code).toBe(1);
  });

  it('signatures ignore the api-version and array indices, not the defect', () => {
    const v = { operation: 'Op', apiVersion: '1', check: 'negative.rejected', kind: 'negative' as const, property: 'negative', message: 'm' };
    const at = (path: string) => ({ ...v, breaks: { kind: 'schema', id: 'maxLength', path, detail: 'd' } });
    expect(signature(at('/a/3/b'))).toBe(signature({ ...at('/a/0/b'), apiVersion: '2' }));
    expect(signature(at('/a/0/b'))).not.toBe(signature(at('/a/0/c')));
  });

  it('bad input is one line and exit 2', async () => {
    const r = await compareCli(path.join(dir, 'missing.json'), cleanFile);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
