import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly reports: string;
}

/** Run the real CLI (through tsx, as `npm run conform` does) with a fresh reports dir. */
export async function cli(args: string[], opts: { timeoutMs?: number } = {}): Promise<CliResult> {
  const reports = await mkdtemp(path.join(os.tmpdir(), 'azconform-reports-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args, '--reports', reports], {
    cwd: process.cwd(),
    env: { ...process.env, VITEST: '', NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('close', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  return { code, stdout, stderr, reports };
}

export async function summary(reports: string): Promise<SummaryDoc> {
  return JSON.parse(await readFile(path.join(reports, 'summary.json'), 'utf8')) as SummaryDoc;
}

export interface SummaryDoc {
  target: string;
  profile: string;
  seed: number;
  startedAt: string;
  durationMs: number;
  exitCode: number;
  errors: string[];
  totals: { operations: number; cases: number; checks: number; violations: number; skipped: number };
  operations: { id: string; apiVersion: string; cases: number; violations: number }[];
  violations: { operation: string; check: string; rule?: string; message: string; request: { method: string; url: string; headers: { [k: string]: string }; body?: unknown }; response?: { status: number }; seed: number; path?: string; curl: string }[];
  skipped: { check: string; reason: string }[];
}
