/**
 * `azconform run` (the real CLI) against the emulator: restore is on by default for a URL target (profile
 * service), shown in one line on the terminal and in summary.json; --no-restore turns it off, and says so.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { cli, summary } from '../engine/cli.js';

interface RestoreDoc {
  readonly restore: { summary: string; problems: string[]; snapshot: { outcome: string }[]; restore: { action: string; outcome: string }[] | null } | null;
}

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());

const ARGS = ['--operations', 'SetCertificateContacts,Vaults_UpdateAccessPolicy', '--runs', '3', '--seed', '5'];

describe('azconform run --target <emulator>: restore', () => {
  it('restores by default and reports it on the terminal and in summary.json', { timeout: 120_000 }, async () => {
    const r = await cli(['run', '--target', emu.url, ...ARGS]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^azconform: snapshot: certificate contacts \(none\), vault sample-vault \(1 access policy\)$/m);
    expect(r.stdout).toMatch(/^azconform: restore: restored certificate contacts, \d+ access-policy identities; verified 2 of 2 equal to the snapshot$/m);
    const doc = (await summary(r.reports)) as unknown as RestoreDoc;
    expect(doc.restore?.summary).toMatch(/^restore: restored certificate contacts/);
    expect(doc.restore?.problems).toEqual([]);
    expect(doc.restore?.snapshot.every((i) => i.outcome === 'ok')).toBe(true);
    expect(doc.restore?.restore?.some((i) => i.action === 'delete' && i.outcome === 'ok')).toBe(true);
    expect(emu.state.contacts).toBeUndefined();
    expect(await readFile(path.join(r.reports, 'summary.md'), 'utf8')).toMatch(/^- restore: restored certificate contacts/m);
  });

  it('--no-restore leaves the changes and warns; --restore with --no-restore is a usage error', { timeout: 120_000 }, async () => {
    const r = await cli(['run', '--target', emu.url, ...ARGS, '--no-restore', '--quiet']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/restore is off \(--no-restore\)/);
    const doc = (await summary(r.reports)) as unknown as RestoreDoc;
    expect(doc.restore?.restore).toBeNull();
    expect(emu.state.contacts).toBeDefined();
    const both = await cli(['run', '--target', emu.url, '--restore', '--no-restore']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/contradict/);
  });

  it('azconform restore of a journal killed before its run line was whole: nothing to do, exit 0; a foreign file is still refused', async () => {
    // The run line is written before any write is journaled or sent, so such a journal stands for no write at all.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'azconform-journal-'));
    for (const [name, text] of [['empty.jsonl', ''], ['cut.jsonl', '{"t":"run","operat']] as const) {
      await writeFile(path.join(dir, name), text);
      const r = await cli(['restore', path.join(dir, name)]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^restore: nothing to do .*before it sent any write/m);
    }
    await writeFile(path.join(dir, 'foreign.jsonl'), '{"t":"w"}\n{"t":"a"}\n');
    const foreign = await cli(['restore', path.join(dir, 'foreign.jsonl')]);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toMatch(/run line/);
  });

  it('documents the flag in --help', async () => {
    const r = await cli(['run', '--help']);
    expect(r.stdout).toMatch(/--no-restore/);
  });
});
