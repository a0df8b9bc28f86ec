/** --verbose (issue 15.6): the terminal shows a line for every case; without it, none. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { cli, summary } from '../engine/cli.js';

const CASE_LINE = /^ {4}[·✗] SetCertificateContacts@\S+\/\S+ \S+.* → (\d{3}|timeout|reset|refused|unreadable|other) \d+ ms/;

describe('azconform run --verbose', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());

  it('prints one line per case, and none without it', { timeout: 120_000 }, async () => {
    const args = ['run', '--target', emu.url, '--operations', 'SetCertificateContacts', '--runs', '3', '--seed', '7'];
    const verbose = await cli([...args, '--verbose']);
    expect(verbose.code, verbose.stdout.slice(-2000)).toBe(0);
    const lines = verbose.stdout.split('\n').filter((l) => CASE_LINE.test(l));
    expect(lines.length).toBe((await summary(verbose.reports)).totals.cases);
    const plain = await cli(args);
    expect(plain.code).toBe(0);
    expect(plain.stdout.split('\n').filter((l) => CASE_LINE.test(l))).toEqual([]);
  });

  it('--quiet and --verbose together are a usage error', async () => {
    const r = await cli(['run', '--quiet', '--verbose']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--quiet and --verbose contradict each other/);
  });
});
