/**
 * The selftest's command line. Bad usage is a UsageError (one line, exit 2), never a stack trace.
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../cli/exit-codes.js';
import type { Fault } from '../emulator/types.js';

/** Fixed so two selftests of the same code score the same; --seed explores others. */
export const DEFAULT_SEED = 20_260_505;
export const DEFAULT_RUNS = 50;
/** What `npm run conform` uses: the selftest scores the kit as people run it. */
export const CONCURRENCY = 4;
export const DEFAULT_TIMEOUT_MS = 5_000;
/**
 * Worker processes. Measured on the 2-core box (clean + 65 faults): in-process one after another ≈ 117 s,
 * 2 workers ≈ 64 s, 3 workers ≈ 55 s (runs that wait on deadlines leave a core idle), 4 workers ≈ 60 s.
 */
export const DEFAULT_JOBS = 2;

export const HELP = `npm run selftest — the kit's own mutation score

Usage: npm run selftest -- [options]        (node --import tsx scripts/selftest.ts [options])

Runs the default suite (the four operations at their seed api-versions, profile service, concurrency ${CONCURRENCY})
against the reference emulator: once clean (must give 0 violations), then once per fault of the catalog, one
fault per emulator (each must be detected: at least one violation).

  --faults LIST     comma-separated fault names to run (default: every fault; azconform emulate --list-faults)
  --seed N          fast-check seed of every run (default ${DEFAULT_SEED})
  --runs N          fast-check runs per property (default ${DEFAULT_RUNS})
  --jobs N          worker processes running faults in parallel (default ${DEFAULT_JOBS}; 1 = in-process, one after another)
  --timeout MS      per-request deadline (default ${DEFAULT_TIMEOUT_MS}; the hang and drip faults wait for it)
  --reports DIR     where selftest.json and selftest.md go (default reports/)
  -h, --help        this text

Exit codes: 0 clean emulator passes and every selected fault is detected, 1 otherwise (survivors and clean-run
violations are listed), 2 usage error.`;

export interface SelftestArgs {
  readonly help: boolean;
  readonly faults: readonly Fault[];
  readonly seed: number;
  readonly runs: number;
  readonly jobs: number;
  readonly timeoutMs: number;
  readonly reports: string;
}

function int(name: string, raw: string | undefined, def: number, min: number): number {
  if (raw === undefined) return def;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got ${JSON.stringify(raw)}`);
  return n;
}

/** The named faults in catalog order (so reports read the same whatever order they were asked in). */
export function selectFaults(catalog: readonly Fault[], list: string | undefined): Fault[] {
  if (list === undefined) return [...catalog];
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new UsageError('--faults needs at least one fault name');
  const known = new Set(catalog.map((f) => f.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) throw new UsageError(`unknown fault${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')} (azconform emulate --list-faults shows the ${catalog.length} known faults)`);
  return catalog.filter((f) => names.includes(f.name));
}

export function parseSelftestArgs(argv: readonly string[], catalog: readonly Fault[]): SelftestArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        faults: { type: 'string' },
        seed: { type: 'string' },
        runs: { type: 'string' },
        jobs: { type: 'string' },
        timeout: { type: 'string' },
        reports: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message} (npm run selftest -- --help)`);
  }
  return {
    help: values.help === true,
    faults: selectFaults(catalog, values.faults),
    seed: int('seed', values.seed, DEFAULT_SEED, 0),
    runs: int('runs', values.runs, DEFAULT_RUNS, 1),
    jobs: int('jobs', values.jobs, DEFAULT_JOBS, 1),
    timeoutMs: int('timeout', values.timeout, DEFAULT_TIMEOUT_MS, 1),
    reports: values.reports ?? 'reports',
  };
}
