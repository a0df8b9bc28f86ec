import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const TIME_BIN = '/usr/bin/time';

export interface E2eRun {
  readonly wallMs: number;
  readonly exitCode: number | null;
  /** Peak of the summed VmRSS of the CLI process and all its descendants (the Prism mocks), polled. */
  readonly treePeakRssKb: number;
  /** Peak RSS of the largest single process: `/usr/bin/time -v` when present, else the polled VmHWM. */
  readonly largestPeakRssKb: number;
  /** Peak RSS (VmHWM) of the CLI's own node process, last polled value. */
  readonly mainPeakRssKb: number;
  /** Processes seen in the tree (CLI + Prism mocks). */
  readonly processes: number;
  readonly tail: string;
}

/** `VmRSS` and `VmHWM` of a process in kB, or undefined when it is gone. */
function memOf(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? 0);
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/** The pid and every descendant of it (scanning /proc/<pid>/stat for parent pids). */
export function processTree(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces and parentheses): state, ppid, …
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = parents.get(ppid) ?? [];
      list.push(Number(entry));
      parents.set(ppid, list);
    } catch {
      // the process ended while we looked
    }
  }
  const out: number[] = [];
  const walk = (pid: number): void => {
    out.push(pid);
    for (const c of parents.get(pid) ?? []) walk(c);
  };
  walk(root);
  return out;
}

/**
 * Run the default conformance run end to end — `node --max-semi-space-size=2 bin/azconform.mjs run
 * --reports <tmp>` (package.json's `conform`, the compiled CLI in dist/) in the
 * project root, embedded Prism start-up included — and measure its wall time (spawn to exit) and memory:
 * /proc is polled every `pollMs` for the whole process tree, and `/usr/bin/time -v` wraps the command when
 * present (its "Maximum resident set size" is the largest single process of the tree, not their sum).
 */
/** Node flags of package.json's `conform` script (a test keeps the two equal). */
export const CONFORM_NODE_FLAGS = ['--max-semi-space-size=2'] as const;
/** The script package.json's `conform` runs: the compiled CLI (dist/), or tsx when the build is older. */
export const CLI_ENTRY = 'bin/azconform.mjs';

export async function runConformE2e(root: string, pollMs = 25, extraArgs: readonly string[] = []): Promise<E2eRun> {
  const reports = await mkdtemp(path.join(os.tmpdir(), 'azconform-bench-e2e-'));
  // The command of package.json's `conform` script (node flags included), with a fresh reports dir.
  const cli = [process.execPath, ...CONFORM_NODE_FLAGS, CLI_ENTRY, 'run', '--reports', reports, ...extraArgs];
  const useTime = existsSync(TIME_BIN);
  const [cmd, ...args] = useTime ? [TIME_BIN, '-v', ...cli] : cli;
  const t0 = performance.now();
  const child = spawn(cmd as string, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => void (out = (out + b.toString('utf8')).slice(-4000)));
  child.stderr.on('data', (b: Buffer) => void (err = (err + b.toString('utf8')).slice(-8000)));
  let treePeak = 0;
  let mainHwm = 0;
  const hwm = new Map<number, number>();
  const poll = (): void => {
    if (child.pid === undefined) return;
    const pids = processTree(child.pid);
    let sum = 0;
    for (const pid of pids) {
      // The `time` wrapper itself is not part of the run.
      if (useTime && pid === child.pid) continue;
      const m = memOf(pid);
      if (!m) continue;
      sum += m.rss;
      hwm.set(pid, Math.max(hwm.get(pid) ?? 0, m.hwm));
      if ((useTime && pids[1] === pid) || (!useTime && pid === child.pid)) mainHwm = Math.max(mainHwm, m.hwm);
    }
    treePeak = Math.max(treePeak, sum);
  };
  const timer = setInterval(poll, pollMs);
  const exitCode = await new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const wallMs = performance.now() - t0;
  clearInterval(timer);
  await rm(reports, { recursive: true, force: true });
  const timeMax = useTime ? Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(err)?.[1] ?? NaN) : NaN;
  const polledMax = Math.max(0, ...hwm.values());
  return {
    wallMs,
    exitCode,
    treePeakRssKb: treePeak,
    largestPeakRssKb: Number.isFinite(timeMax) ? timeMax : polledMax,
    mainPeakRssKb: mainHwm,
    processes: hwm.size,
    tail: `${out}\n${err}`.trim().split('\n').slice(-6).join('\n'),
  };
}
