import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { summary } from './cli.js';

/** What a run can change on the emulator, as comparable text. */
const snapshot = (emu: Emulator): string =>
  JSON.stringify({
    contacts: emu.state.contacts ?? null,
    policies: [...emu.state.vaults.values()].map((v) => [...v.accessPolicies.keys()].sort()),
    apim: [...emu.state.apimServices.values()].map((s) => [...s.certificates.keys()].sort()),
  });

describe('Ctrl-C during a run', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());

  it('exits 130, still writes its reports, and restores what it changed', async () => {
    const before = snapshot(emu);
    const reports = await mkdtemp(path.join(os.tmpdir(), 'azconform-interrupt-'));
    // Far more runs than can finish before the signal: the run is surely in the middle of its cases.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', '--target', emu.url, '--runs', '5000', '--reports', reports], { env: { ...process.env, VITEST: '', NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    // Interrupt once cases are flowing (the terminal report prints per-operation progress as they finish).
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (emu.state.apimServices.size > 0 && [...emu.state.apimServices.values()].some((s) => s.certificates.size > 3)) {
          clearInterval(poll);
          resolve();
        }
      }, 50);
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, out).toBe(130);
    expect(out).toMatch(/interrupted by SIGINT/);
    const s = await summary(reports);
    expect(s.exitCode).toBe(130);
    expect(s.totals.cases).toBeGreaterThan(0);
    expect(snapshot(emu)).toBe(before);
  }, 120_000);
});
