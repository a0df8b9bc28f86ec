/**
 * Where the runs happen. One run is a whole session plus its emulator in one Node thread, CPU-bound; on a box
 * with N cores, N worker processes (each fed one run at a time over IPC, so a slow fault never holds up a queue)
 * use the cores one process cannot. --jobs 1 runs everything in this process, one run after another.
 *
 * A worker is this same entry (scripts/selftest.ts --worker) forked through tsx's loader.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runOne } from './run-one.js';
import type { RunResult, RunSettings } from './types.js';

/** undefined = the clean emulator. */
export type Job = string | undefined;
export type OnResult = (r: RunResult, index: number) => void;

interface JobMessage {
  readonly fault: string | null;
  readonly settings: RunSettings;
}
interface ResultMessage {
  readonly result: RunResult;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = fileURLToPath(new URL('../../scripts/selftest.ts', import.meta.url));

/** A run that never produced a result (its worker died): scored as a failed run, never as a detection. */
const crashed = (fault: Job, message: string, seconds: number): RunResult => ({
  ...(fault !== undefined ? { fault } : {}),
  violations: 0,
  checks: [],
  rules: [],
  cases: 0,
  seconds,
  sample: [],
  error: message,
});

export async function runInProcess(jobs: readonly Job[], s: RunSettings, onResult: OnResult): Promise<RunResult[]> {
  const results: RunResult[] = [];
  for (const [i, fault] of jobs.entries()) {
    const r = await runOne(fault, s);
    results.push(r);
    onResult(r, i);
  }
  return results;
}

/** One forked worker; `run` sends it one job and waits for its result (or its death). */
class Worker {
  private readonly child: ChildProcess;
  private pending: { resolve: (r: RunResult) => void; reject: (e: Error) => void } | undefined;
  private exited = false;

  constructor() {
    // VITEST cleared: the suite files would otherwise register themselves as vitest tests on import.
    this.child = fork(ENTRY, ['--worker'], { cwd: ROOT, execArgv: ['--import', 'tsx'], env: { ...process.env, VITEST: '' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (m: ResultMessage) => {
      const p = this.pending;
      this.pending = undefined;
      p?.resolve(m.result);
    });
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      const p = this.pending;
      this.pending = undefined;
      p?.reject(new Error(`worker process exited (${signal ?? `code ${String(code)}`})`));
    });
  }

  run(fault: Job, settings: RunSettings): Promise<RunResult> {
    if (this.exited) return Promise.reject(new Error('worker process is gone'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      const msg: JobMessage = { fault: fault ?? null, settings };
      this.child.send(msg);
    });
  }

  /** Closing the IPC channel tells the worker there is no more work. */
  stop(): void {
    if (!this.exited && this.child.connected) this.child.disconnect();
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}

export async function runInWorkers(jobs: readonly Job[], s: RunSettings, workers: number, onResult: OnResult): Promise<RunResult[]> {
  const queue = jobs.map((fault, index) => ({ fault, index }));
  const results: RunResult[] = new Array<RunResult>(jobs.length);
  const alive = new Set<Worker>();
  const lane = async (): Promise<void> => {
    let w: Worker | undefined;
    for (let job = queue.shift(); job; job = queue.shift()) {
      const t0 = performance.now();
      if (!w) alive.add((w = new Worker()));
      let r: RunResult;
      try {
        r = await w.run(job.fault, s);
      } catch (err) {
        r = crashed(job.fault, (err as Error).message, (performance.now() - t0) / 1000);
        alive.delete(w);
        w = undefined; // the next job gets a fresh worker
      }
      results[job.index] = r;
      onResult(r, job.index);
    }
    w?.stop();
  };
  // A parent stopped by Ctrl-C (or a test timeout) leaves no workers behind.
  const killAll = (): void => alive.forEach((w) => w.kill());
  process.once('exit', killAll);
  try {
    await Promise.all(Array.from({ length: Math.min(workers, jobs.length) }, lane));
  } finally {
    process.off('exit', killAll);
  }
  return results;
}

/** The worker side: run each job this process is sent, answer with its result; exit when the parent disconnects. */
export function serveWorker(): void {
  if (!process.send) {
    process.stderr.write('selftest: --worker is internal (a child of a running selftest, fed over IPC)\n');
    process.exitCode = 2;
    return;
  }
  const send = process.send.bind(process);
  process.on('message', (m: JobMessage) => {
    void runOne(m.fault ?? undefined, m.settings).then((result) => {
      const msg: ResultMessage = { result };
      send(msg);
    });
  });
  process.on('disconnect', () => process.exit(0));
}
