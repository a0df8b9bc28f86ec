import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
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

/** Pids of the live processes whose parent is `ppid` and whose command line matches. */
async function childrenOf(ppid: number, match: RegExp): Promise<number[]> {
  const out: number[] = [];
  for (const d of await readdir('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = await readFile(`/proc/${d}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === ppid && match.test((await readFile(`/proc/${d}/cmdline`, 'utf8')).replace(/\0/g, ' '))) out.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('Ctrl-C while the embedded Prism is still starting', () => {
  it('exits 130 with its reports written, and leaves no Prism behind', async () => {
    const reports = await mkdtemp(path.join(os.tmpdir(), 'azconform-interrupt-start-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', '--reports', reports], { env: { ...process.env, VITEST: '', NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    // The moment a Prism process exists the CLI is inside the target's start-up (Prism takes ~1.5 s to listen).
    let prism: number[] = [];
    for (let i = 0; i < 400 && prism.length === 0; i++) {
      prism = await childrenOf(child.pid as number, /prism/);
      if (prism.length === 0) await new Promise((r) => setTimeout(r, 25));
    }
    expect(prism.length, out).toBeGreaterThan(0);
    expect(out).not.toMatch(/cases,/); // not started yet
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, out).toBe(130);
    const s = await summary(reports);
    expect(s.exitCode).toBe(130);
    expect(s.totals.cases).toBe(0);
    expect(s.errors.join(' ')).toMatch(/interrupted by SIGINT/);
    for (let i = 0; i < 40 && prism.some(alive); i++) await new Promise((r) => setTimeout(r, 50));
    expect(prism.filter(alive)).toEqual([]);
  }, 120_000);
});
