import type { Violation } from '../events/types.js';
import { describeEntry } from '../gate/baseline.js';
import { documentedFor } from '../gate/documented.js';
import { violationKey } from '../gate/signature.js';
import { statusCoverage, type StatusRow } from '../gate/statuses.js';
import type { RunTally } from './collect.js';

/** What every report says of the gate: one verdict, known and stale baseline entries, statuses covered. */
export interface GateView {
  readonly level: 'ok' | 'bad' | 'warn';
  readonly verdict: string;
  readonly isKnown: (v: Violation) => boolean;
  readonly known: number;
  /** Lines for expired and stale entries, missing statuses. */
  readonly failures: readonly string[];
  readonly stale: readonly string[];
  readonly statuses: readonly StatusRow[];
}

export function gateView(t: RunTally): GateView {
  const keys = new Set(t.gate?.known ?? []);
  const isKnown = (v: Violation): boolean => keys.has(violationKey(v));
  const known = keys.size > 0 ? t.violations.filter(isKnown).length : 0;
  const total = t.totals?.violations ?? t.violations.length;
  const failing = t.gate ? t.gate.failing : total;
  const gateFails = t.gate ? t.gate.failures.length > 0 : total > 0;
  const [level, verdict]: [GateView['level'], string] =
    t.errors.length > 0
      ? ['warn', 'run error']
      : failing > 0
        ? ['bad', `${failing} violation(s)${known > 0 ? `, ${known} known` : ''}`]
        : gateFails
          ? ['bad', `gate failed${known > 0 ? ` (${known} known violation(s))` : ''}`]
          : ['ok', known > 0 ? `no new violations (${known} known)` : 'no violations'];
  return {
    level,
    verdict,
    isKnown,
    known,
    failures: (t.gate?.failures ?? []).filter((f) => !/^\d+ violation\(s\)/.test(f)),
    stale: (t.gate?.stale ?? []).map((e) => `${describeEntry(e)} — ${e.reason}`),
    statuses: [...t.operations.values()].map((o) => statusCoverage(documentedFor(o), o.statuses, o)),
  };
}

/** `200 ×12 · 201 never` — the documented statuses and how often each was observed. */
export const statusCell = (r: StatusRow): string =>
  Object.entries(r.documented)
    .map(([s, n]) => (n > 0 ? `${s} ×${n}` : `${s} never`))
    .join(' · ') || '-';

export const otherCell = (r: StatusRow): string =>
  Object.entries(r.other)
    .map(([s, n]) => `${s} ×${n}`)
    .join(' · ') || '-';
