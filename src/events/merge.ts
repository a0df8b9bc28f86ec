import type { OperationRef, RunEvent, Totals } from './types.js';

export interface MergedRun {
  /** The one stream the unsharded run would have emitted, up to (not including) `gate` and `run-done`. */
  readonly events: readonly RunEvent[];
  readonly totals: Totals;
  readonly durationMs: number;
  /** 2 when a shard could not run (its reports hold why); otherwise the gate decides. */
  readonly broken: boolean;
}

const sum = (a: Totals, b: Totals): Totals => ({
  operations: a.operations,
  cases: a.cases + b.cases,
  checks: a.checks + b.checks,
  violations: a.violations + b.violations,
  skipped: a.skipped + b.skipped,
  notes: a.notes + b.notes,
});

/**
 * Pure: the event streams of the shards of one run (`--shard i/n`, same seed and selection) as one stream. Every
 * case, violation and property comes from exactly one shard, so they are concatenated; the per-operation events
 * are joined; the gate is left to the caller, which judges the merged stream as the unsharded run would.
 */
export function mergeStreams(streams: readonly (readonly RunEvent[])[]): MergedRun | string {
  const starts = streams.map((s) => s.find((e): e is Extract<RunEvent, { type: 'run-started' }> => e.type === 'run-started'));
  const first = starts[0];
  if (!first || starts.some((s) => !s)) return 'every shard must have started (no run-started event in one of them)';
  for (const s of starts) {
    if (s && (s.seed !== first.seed || s.runs !== first.runs || s.profile !== first.profile || JSON.stringify(s.operations) !== JSON.stringify(first.operations))) {
      return `the shards are not of one run: seed ${s.seed} vs ${first.seed}, runs ${s.runs} vs ${first.runs}, profile ${s.profile} vs ${first.profile}, operations ${s.operations.map((o) => `${o.id}@${o.apiVersion}`).join(',')} vs ${first.operations.map((o) => `${o.id}@${o.apiVersion}`).join(',')}`;
    }
  }
  const key = (o: OperationRef): string => `${o.id}@${o.apiVersion}`;
  const properties = new Map<string, string[]>();
  const done = new Map<string, Extract<RunEvent, { type: 'operation-done' }>>();
  const body: RunEvent[] = [];
  let totals: Totals = { operations: first.operations.length, cases: 0, checks: 0, violations: 0, skipped: 0, notes: 0 };
  let durationMs = 0;
  let broken = false;
  for (const stream of streams) {
    let ended = false;
    for (const e of stream) {
      switch (e.type) {
        case 'run-started':
        case 'gate':
          break;
        case 'operation-started':
          properties.set(key(e.operation), [...(properties.get(key(e.operation)) ?? []), ...e.properties]);
          break;
        case 'operation-done': {
          const d = done.get(key(e.operation));
          done.set(key(e.operation), d ? { ...d, cases: d.cases + e.cases, violations: d.violations + e.violations, skipped: d.skipped + e.skipped, durationMs: Math.max(d.durationMs, e.durationMs) } : e);
          break;
        }
        case 'run-done':
          ended = true;
          totals = sum(totals, e.totals);
          durationMs = Math.max(durationMs, e.durationMs);
          if (e.exitCode !== 0 && e.exitCode !== 1) broken = true;
          break;
        default:
          body.push(e);
      }
    }
    if (!ended) broken = true;
  }
  const events: RunEvent[] = [
    first,
    ...first.operations.map((operation): RunEvent => ({ type: 'operation-started', operation, properties: properties.get(key(operation)) ?? [] })),
    ...body,
    ...first.operations.flatMap((o): RunEvent[] => {
      const d = done.get(key(o));
      return d ? [d] : [];
    }),
  ];
  return { events, totals, durationMs, broken };
}
