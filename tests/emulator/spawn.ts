/** Spawn the real CLI (npx tsx src/cli/main.ts …) from the project root and collect its output. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The CLI, from the project root, with VITEST cleared (the suite files must not register with vitest). `npx` runs it
 * as the README does (`npx tsx src/cli/main.ts …`); `node` runs the same file through tsx's loader in one process,
 * which is what a signal test needs (npm exec does not pass SIGINT/SIGTERM on to its child).
 */
export function start(args: readonly string[], via: 'npx' | 'node' = 'npx'): ChildProcess {
  const [cmd, pre] = via === 'npx' ? ['npx', ['tsx']] : [process.execPath, ['--import', 'tsx']];
  const child = spawn(cmd, [...pre, 'src/cli/main.ts', ...args], { cwd: process.cwd(), env: { ...process.env, VITEST: '', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  running.add(child);
  child.once('close', () => running.delete(child));
  return child;
}

/** Children still running when the test process ends (a failed or timed-out test) are not left behind. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of running) killTree(c);
});

/** The child and everything it started (npx → tsx → node): it leads its own process group. */
function killTree(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

export function finish(child: ChildProcess, timeoutMs = 150_000): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => killTree(child), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface Summary {
  readonly totals: { readonly cases: number; readonly violations: number };
  readonly operations: readonly { readonly id: string; readonly cases: number; readonly violations: number }[];
  readonly violations: readonly { readonly operation: string; readonly check: string; readonly rule?: string; readonly message: string }[];
}

/** `azconform run --target URL … --reports <fresh tmp dir>`: the exit code and summary.json. */
export async function conform(target: string, extra: readonly string[] = []): Promise<Finished & { summary?: Summary }> {
  const reports = await mkdtemp(path.join(os.tmpdir(), 'azconform-emulator-'));
  const done = await finish(start(['run', '--target', target, '--reports', reports, '--quiet', ...extra]));
  try {
    return { ...done, summary: JSON.parse(await readFile(path.join(reports, 'summary.json'), 'utf8')) as Summary };
  } catch {
    return done;
  }
}

/** The URL of `azconform emulate` once it prints its listening line (rejects if it exits first). */
export function listening(child: ChildProcess): Promise<string> {
  let out = '';
  return new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^azconform emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('close', () => reject(new Error(`exited before listening: ${out}`)));
  });
}
