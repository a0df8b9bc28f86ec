import type { GateVerdict, OperationRef, RestoreItem, RunEvent, Skip, TargetDescription, Totals, Violation } from '../events/types.js';
import type { Profile } from '../checks/types.js';
import { ConstraintCoverageTally } from './coverage.js';

export interface OperationTally {
  readonly id: string;
  readonly apiVersion: string;
  cases: number;
  violations: number;
  skipped: number;
  notes: number;
  durationMs: number;
  /** Response status → how many responses had it (coverage.statuses). */
  readonly statuses: Map<number, number>;
  /** check id → outcome counts, for JUnit (one testcase per operation × check). */
  readonly checks: Map<string, { passed: number; failed: number; skipped: number; skipReasons: Set<string> }>;
}

/**
 * Folds the event stream into the numbers every file report needs. Each report owns one of these: reports
 * share no state with the engine or with each other.
 */
export class RunTally {
  target?: TargetDescription;
  profile?: Profile;
  seed?: number;
  runs?: number;
  startedAt?: string;
  durationMs = 0;
  exitCode?: number;
  totals?: Totals;
  readonly errors: string[] = [];
  readonly notices: string[] = [];
  /** How the run signed in (never a token). */
  auth?: string;
  readonly operations = new Map<string, OperationTally>();
  readonly violations: Violation[] = [];
  readonly skips = new Map<string, Skip>();
  /** Snapshot and restore items against a live target (src/restore/); undefined when the run did not restore. */
  restore?: { snapshot: RestoreItem[]; restore?: RestoreItem[] };
  /** The CI gate's verdict (baseline, required statuses); undefined when the run ended before it. */
  gate?: GateVerdict;
  /** Which request-body constraints the run sent broken. */
  readonly constraints = new ConstraintCoverageTally();

  handle(e: RunEvent): void {
    this.constraints.handle(e);
    switch (e.type) {
      case 'run-started':
        this.target = e.target;
        this.profile = e.profile;
        this.seed = e.seed;
        this.runs = e.runs;
        this.startedAt = e.startedAt;
        for (const op of e.operations) this.op(op);
        break;
      case 'case-done': {
        const t = this.op(e.case.operation);
        t.cases++;
        if (e.case.response) t.statuses.set(e.case.response.status, (t.statuses.get(e.case.response.status) ?? 0) + 1);
        for (const o of e.outcomes) {
          const c = t.checks.get(o.check) ?? { passed: 0, failed: 0, skipped: 0, skipReasons: new Set<string>() };
          t.checks.set(o.check, c);
          if (o.status === 'skipped') {
            c.skipped++;
            if (o.skipReason) {
              c.skipReasons.add(o.skipReason);
              const key = `${t.id}@${t.apiVersion}/${o.check}/${o.skipReason}`;
              if (!this.skips.has(key)) this.skips.set(key, { operation: t.id, apiVersion: t.apiVersion, check: o.check, reason: o.skipReason });
            }
          } else if (o.status === 'failed') c.failed++;
          else c.passed++;
          // A loop, not a filter: six tallies (terminal and each file report) fold every case's ten outcomes.
          for (const f of o.findings) if (f.severity === 'note') t.notes++;
        }
        break;
      }
      case 'violation': {
        this.violations.push(e.violation);
        const t = this.op({ id: e.violation.operation, apiVersion: e.violation.apiVersion });
        t.violations++;
        const c = t.checks.get(e.violation.check) ?? { passed: 0, failed: 0, skipped: 0, skipReasons: new Set<string>() };
        t.checks.set(e.violation.check, c);
        c.failed = Math.max(c.failed, 1);
        break;
      }
      case 'property-done':
        if (e.skipped) {
          const t = this.op(e.operation);
          t.skipped++;
          const key = `${t.id}@${t.apiVersion}/property ${e.property}`;
          this.skips.set(key, { operation: t.id, apiVersion: t.apiVersion, check: `property ${e.property}`, reason: `not run: ${e.skipped}` });
        }
        break;
      case 'operation-done': {
        const t = this.op(e.operation);
        t.durationMs = e.durationMs;
        break;
      }
      case 'run-error':
        this.errors.push(e.message);
        break;
      case 'notice':
        this.notices.push(e.message);
        break;
      case 'auth':
        this.auth = e.description;
        break;
      case 'restore':
        this.restore ??= { snapshot: [] };
        if (e.phase === 'snapshot') this.restore.snapshot.push(...e.items);
        else this.restore.restore = [...e.items];
        break;
      case 'gate':
        this.gate = e.verdict;
        break;
      case 'run-done':
        this.durationMs = e.durationMs;
        this.exitCode = e.exitCode;
        this.totals = e.totals;
        break;
      default:
        break;
    }
  }

  /** The same tallies by id, then api-version: found per case without building a key string. */
  private readonly byId = new Map<string, Map<string, OperationTally>>();

  private op(ref: OperationRef): OperationTally {
    let versions = this.byId.get(ref.id);
    if (!versions) this.byId.set(ref.id, (versions = new Map()));
    let t = versions.get(ref.apiVersion);
    if (!t) {
      t = { id: ref.id, apiVersion: ref.apiVersion, cases: 0, violations: 0, skipped: 0, notes: 0, durationMs: 0, statuses: new Map(), checks: new Map() };
      versions.set(ref.apiVersion, t);
      this.operations.set(`${ref.id}@${ref.apiVersion}`, t);
    }
    return t;
  }
}

/** A report written at the end from the folded stream: it only says how to render the tally. */
export abstract class TallyReport {
  protected readonly tally = new RunTally();
  constructor(protected readonly dir: string) {}

  handle(e: RunEvent): void {
    this.tally.handle(e);
  }

  abstract close(): Promise<void>;
}
