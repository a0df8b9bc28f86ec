import fc from 'fast-check';

/**
 * A fast-check plugin: once `ms` have passed, start no new run or shrink step. They end as an interruption, so
 * a property cut short is never reported as failed (`skipAllAfterTimeLimit` would, after skipping runs × max
 * skips values in a tight loop) and a failure already found keeps its counterexample. No timer and no race per
 * run (`interruptAfterTimeLimit` races each one): a run already going is bounded by the client's deadline.
 */
export function timeBudget<Ts>(ms: number): fc.Plugin<Ts> {
  return () => {
    const end = performance.now() + ms;
    return {
      decorateRun: (run) => (value) => (performance.now() >= end ? Promise.resolve(new fc.PreconditionFailure(true)) : run(value)),
    };
  };
}
