/**
 * One selftest run: a fresh emulator (clean, or with exactly one fault, so a detection can only be that fault's),
 * the default suite against it through runSession — the same path `azconform run --target` takes — and the
 * collector's tally. Reports other than the collector are left out: the selftest writes its own.
 */
import { runSession } from '../engine/session.js';
import { startEmulator } from '../emulator/index.js';
import { loadOperations, selectOperations } from '../model/registry.js';
import { SUITES } from '../suites/all.js';
import { DEFAULT_FIXTURES } from '../targets/fixtures.js';
import { SelftestCollector } from './collect.js';
import type { RunResult, RunSettings } from './types.js';

/** The emulator accepts any bearer token. */
const TOKEN = 'azconform-selftest-token';

/** The four operations at their seed api-versions: what `npm run conform` runs by default. */
function defaultOperations(): ReturnType<typeof selectOperations>['selected'] {
  const { selected, errors } = selectOperations(loadOperations(), {});
  if (errors.length > 0) throw new Error(errors.join('; '));
  return selected;
}

export async function runOne(fault: string | undefined, s: RunSettings): Promise<RunResult> {
  const t0 = performance.now();
  const seconds = (): number => (performance.now() - t0) / 1000;
  const collector = new SelftestCollector();
  try {
    const emu = await startEmulator({ port: 0, ...(fault !== undefined ? { fault } : {}) });
    try {
      await runSession({
        operations: defaultOperations(),
        suites: SUITES,
        profile: 'service',
        target: emu.url,
        timeoutMs: s.timeoutMs,
        root: process.cwd(),
        seed: s.seed,
        runs: s.runs,
        concurrency: s.concurrency,
        token: TOKEN,
        fixtures: DEFAULT_FIXTURES,
        handlers: [collector],
        // The emulator is thrown away after the run: restoring it would only cost time (and meet the fault again).
        restore: false,
      });
    } finally {
      await emu.close();
    }
  } catch (err) {
    // runSession reports its own failures as run-error events; this is the emulator failing to start or stop.
    collector.handle({ type: 'run-error', message: (err as Error).message });
  }
  return collector.result(fault, seconds());
}
