/**
 * `npm run selftest`: the clean emulator and each selected fault, each in its own emulator, scored and written to
 * reports/selftest.{json,md}. Returns the exit code: 0 clean passes and every fault is detected, 1 otherwise,
 * 2 on bad usage.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EXIT, UsageError } from '../cli/exit-codes.js';
import { FAULTS } from '../emulator/faults.js';
import type { Fault, FaultTier } from '../emulator/types.js';
import { CONCURRENCY, HELP, parseSelftestArgs, type SelftestArgs } from './args.js';
import { runInProcess, runInWorkers, type Job } from './pool.js';
import { cleanProgressLine, failureLines, faultProgressLine, markdown, summaryLines } from './render.js';
import { buildReport, faultRow, passed } from './score.js';
import type { RunResult, RunSettings, SelftestReport } from './types.js';

/**
 * Tiers whose runs wait on deadlines (hangs, drips, resets: the client's timeout, not the CPU) go first, so on
 * N workers a long wait overlaps the others' work instead of running alone at the end.
 */
const SLOW_TIERS: readonly FaultTier[] = ['robustness'];

export function scheduleOrder(faults: readonly Fault[]): Fault[] {
  return [...faults.filter((f) => SLOW_TIERS.includes(f.tier)), ...faults.filter((f) => !SLOW_TIERS.includes(f.tier))];
}

export interface SelftestOutput {
  readonly report: SelftestReport;
  readonly clean: RunResult;
  readonly files: readonly string[];
}

/** Run the selftest the arguments describe; progress goes to `log` as each run ends. */
export async function runSelftest(a: SelftestArgs, log: (line: string) => void = () => undefined): Promise<SelftestOutput> {
  const t0 = performance.now();
  const settings: RunSettings = { seed: a.seed, runs: a.runs, concurrency: CONCURRENCY, timeoutMs: a.timeoutMs };
  // The clean emulator, then the faults in the order that keeps the workers' tail short; reports keep catalog order.
  const order = [undefined, ...scheduleOrder(a.faults)];
  let done = 0;
  const progress = (r: RunResult, i: number): void => {
    done += 1;
    const fault = order[i];
    log(fault ? faultProgressLine(faultRow(fault, r), done, order.length) : cleanProgressLine(r, done, order.length));
  };
  const jobs: Job[] = order.map((f) => f?.name);
  const results = a.jobs === 1 ? await runInProcess(jobs, settings, progress) : await runInWorkers(jobs, settings, a.jobs, progress);
  const byName = new Map(results.map((r) => [r.fault, r]));
  const clean = byName.get(undefined) as RunResult;
  const report = buildReport({
    seed: a.seed,
    runs: a.runs,
    jobs: a.jobs,
    clean,
    faults: a.faults.map((fault) => ({ fault, result: byName.get(fault.name) as RunResult })),
    seconds: (performance.now() - t0) / 1000,
  });
  const dir = path.resolve(a.reports);
  await mkdir(dir, { recursive: true });
  const files = [path.join(dir, 'selftest.json'), path.join(dir, 'selftest.md')];
  await writeFile(files[0] as string, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(files[1] as string, markdown(report));
  return { report, clean, files };
}

/** The command: parse, run, print the summary (stdout) and what failed (stderr), answer the exit code. */
export async function selftest(argv: readonly string[]): Promise<number> {
  let args: SelftestArgs;
  try {
    args = parseSelftestArgs(argv, FAULTS);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`selftest: ${err.message}\n`);
    return EXIT.usage;
  }
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return EXIT.ok;
  }
  process.stderr.write(`selftest: clean emulator + ${args.faults.length} fault(s), seed ${args.seed}, ${args.runs} runs, ${args.jobs === 1 ? 'in-process' : `${args.jobs} workers`}\n`);
  const out = await runSelftest(args, (line) => process.stderr.write(`${line}\n`));
  const ok = passed(out.report);
  if (!ok) process.stderr.write(`\n${failureLines(out.report, out.clean).join('\n')}\n`);
  // Relative when under the working directory (the usual reports/), absolute otherwise.
  const rel = out.files.map((f) => (path.relative(process.cwd(), f).startsWith('..') ? f : path.relative(process.cwd(), f)));
  process.stdout.write(`\n${summaryLines(out.report).join('\n')}\nreports: ${rel.join(', ')}\n`);
  return ok ? EXIT.ok : EXIT.violations;
}
