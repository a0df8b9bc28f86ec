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
  const constraints = new Map<string, Extract<RunEvent, { type: 'operation-started' }>['constraints']>();
  // A case every shard of an operation sends (the operation.served probe) counts once, as in the unsharded run.
  const seenCases = new Set<string>();
  const seenViolations = new Set<string>();
  const dropped = new Map<string, { cases: number; checks: number; violations: number }>();
  const drop = (op: OperationRef, d: { cases?: number; checks?: number; violations?: number }): void => {
    const cur = dropped.get(key(op)) ?? { cases: 0, checks: 0, violations: 0 };
    dropped.set(key(op), { cases: cur.cases + (d.cases ?? 0), checks: cur.checks + (d.checks ?? 0), violations: cur.violations + (d.violations ?? 0) });
  };
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
          if (e.constraints && !constraints.has(key(e.operation))) constraints.set(key(e.operation), e.constraints);
          break;
        case 'case-done':
          if (seenCases.has(e.case.id)) drop(e.case.operation, { cases: 1, checks: e.outcomes.length });
          else {
            seenCases.add(e.case.id);
            body.push(e);
          }
          break;
        case 'violation':
          // A violation follows its case-done: a repeated case's violation is repeated too.
          if (seenViolations.has(`${e.violation.caseId} ${e.violation.check}`)) drop({ id: e.violation.operation, apiVersion: e.violation.apiVersion }, { violations: 1 });
          else {
            seenViolations.add(`${e.violation.caseId} ${e.violation.check}`);
            body.push(e);
          }
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
  const less = [...dropped.values()].reduce((a, d) => ({ cases: a.cases + d.cases, checks: a.checks + d.checks, violations: a.violations + d.violations }), { cases: 0, checks: 0, violations: 0 });
  totals = { ...totals, cases: totals.cases - less.cases, checks: totals.checks - less.checks, violations: totals.violations - less.violations };
  const events: RunEvent[] = [
    first,
    ...first.operations.map((operation): RunEvent => {
      const c = constraints.get(key(operation));
      return { type: 'operation-started', operation, properties: properties.get(key(operation)) ?? [], ...(c ? { constraints: c } : {}) };
    }),
    ...body,
    ...first.operations.flatMap((o): RunEvent[] => {
      const d = done.get(key(o));
      const x = dropped.get(key(o));
      return d ? [x ? { ...d, cases: d.cases - x.cases, violations: d.violations - x.violations } : d] : [];
    }),
  ];
  return { events, totals, durationMs, broken };
}
