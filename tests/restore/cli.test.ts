/**
 * `azconform run` (the real CLI) against the emulator: restore is on by default for a URL target (profile
 * service), shown in one line on the terminal and in summary.json; --no-restore turns it off, and says so.
 */
import { readFile } from 'node:fs/promises';
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

  it('documents the flag in --help', async () => {
    const r = await cli(['run', '--help']);
    expect(r.stdout).toMatch(/--no-restore/);
  });
});
