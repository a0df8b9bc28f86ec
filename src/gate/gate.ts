import type { GateVerdict, OperationRef, ReportHandler, RunEvent, Violation } from '../events/types.js';
import { applyBaseline, describeEntry, type Baseline } from './baseline.js';
import { documentedFor } from './documented.js';
import { violationKey } from './signature.js';
import { ConstraintCoverageTally } from '../reports/coverage.js';
import { CrossVersionTally } from './cross-version.js';
import { missingStatuses, statusCoverage } from './statuses.js';

export interface GateOptions {
  readonly baseline?: Baseline;
  /** --require-statuses: each must be observed for every selected operation that documents it. */
  readonly requireStatuses?: readonly string[];
  /** --min-coverage: the percentage of each operation's request-body constraints the run must send broken. */
  readonly minCoverage?: number;
  /** YYYY-MM-DD; default: today (UTC). */
  readonly today?: string;
  readonly documented?: (op: OperationRef) => readonly string[];
}

/**
 * The CI gate: folds the event stream (violations, observed statuses) and, after the last case, says whether the
 * run fails — violations a baseline does not accept, expired baseline entries, required statuses never seen.
 */
export class Gate implements ReportHandler {
  private readonly violations: Violation[] = [];
  private readonly operations = new Map<string, { ref: OperationRef; observed: Map<number, number> }>();
  private readonly constraints = new ConstraintCoverageTally();
  private readonly crossVersion = new CrossVersionTally();

  constructor(private readonly opts: GateOptions = {}) {}

  handle(e: RunEvent): void {
    this.constraints.handle(e);
    this.crossVersion.handle(e);
    if (e.type === 'run-started') for (const op of e.operations) this.op(op);
    else if (e.type === 'violation') this.violations.push(e.violation);
    else if (e.type === 'case-done' && e.case.response) {
      const seen = this.op(e.case.operation).observed;
      seen.set(e.case.response.status, (seen.get(e.case.response.status) ?? 0) + 1);
    }
  }

  verdict(): GateVerdict {
    const today = this.opts.today ?? new Date().toISOString().slice(0, 10);
    const b = applyBaseline(this.violations, this.opts.baseline ?? { entries: [] }, today);
    const documented = this.opts.documented ?? documentedFor;
    const rows = [...this.operations.values()].map(({ ref, observed }) => statusCoverage([...documented(ref)], observed, ref));
    const statuses = missingStatuses(this.opts.requireStatuses ?? [], rows);
    const low = this.opts.minCoverage === undefined ? [] : lowCoverage(this.constraints.table(), this.opts.minCoverage);
    const cross = this.crossVersion.differences();
    const failures = [
      ...(b.failing.length > 0 ? [`${b.failing.length} violation(s)${b.known.length > 0 ? ` not in the baseline (${b.known.length} known)` : ''}`] : []),
      ...b.expired.map((e) => `baseline entry expired: ${describeEntry(e)} — ${e.reason}`),
      ...statuses.missing.map((m) => `status ${m.status} was never observed for ${m.operation}@${m.apiVersion}`),
      ...statuses.undocumented.map((s) => `status ${s} is documented by no selected operation`),
      ...low,
      ...cross.slice(0, 10).map((d) => `cross-version: ${d.operation} case ${d.caseKey.split('|').slice(1).join(' #')} ${d.what}`),
      ...(cross.length > 10 ? [`cross-version: and ${cross.length - 10} more difference(s) (summary.json gate.crossVersion)`] : []),
    ];
    return {
      known: [...new Set(b.known.map((k) => violationKey(k.violation)))],
      expired: b.expired,
      stale: b.stale,
      missingStatuses: statuses.missing,
      crossVersion: cross,
      failing: b.failing.length,
      failures,
    };
  }

  private op(ref: OperationRef): { ref: OperationRef; observed: Map<number, number> } {
    const key = `${ref.id}@${ref.apiVersion}`;
    let o = this.operations.get(key);
    if (!o) this.operations.set(key, (o = { ref: { id: ref.id, apiVersion: ref.apiVersion }, observed: new Map() }));
    return o;
  }
}

/**
 * Pure: one line per operation whose request-body constraints were sent broken below the percentage, naming the
 * first of those never sent (summary.json coverage.constraints lists them all).
 */
export function lowCoverage(table: ReturnType<ConstraintCoverageTally['table']>, min: number): string[] {
  return table.flatMap((t) => {
    const percent = t.total === 0 ? 100 : Math.floor((t.sent / t.total) * 100);
    if (percent >= min) return [];
    const never = t.constraints.filter((c) => !c.sent).map((c) => `${c.pointer || '/'} ${c.keyword}`);
    const shown = never.slice(0, 5).join(', ');
    return [`constraint coverage ${percent}% < ${min}% for ${t.operation}@${t.apiVersion} (${t.sent} of ${t.total} sent broken); never sent broken: ${shown}${never.length > 5 ? `, and ${never.length - 5} more` : ''}`];
  });
}
