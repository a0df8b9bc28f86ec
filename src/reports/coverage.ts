import type { ConstraintRef, OperationRef, RunEvent } from '../events/types.js';

/** One row of the coverage table: a body constraint and how many cases of the run sent it broken. */
export interface ConstraintCoverage {
  readonly pointer: string;
  readonly keyword: string;
  readonly sent: boolean;
  readonly count: number;
  /** Why it was never sent, when no realistic body carries it. */
  readonly reason?: string;
}

interface Row {
  readonly ref: ConstraintRef;
  readonly segments: readonly string[];
  count: number;
}

const segmentsOf = (pointer: string): string[] => (pointer === '' ? [] : pointer.slice(1).split('/'));

/** `*` in a constraint's pointer stands for any one array index or map key. */
const matches = (pattern: readonly string[], path: readonly string[]): boolean =>
  pattern.length === path.length && pattern.every((s, i) => s === '*' || s === path[i]);

/**
 * Folds the event stream into the constraint coverage table: the constraints come with `operation-started` (the
 * engine lists them), and every case that expects a refusal for a schema keyword counts for the constraint it
 * breaks (negatives, boundaries past a bound, knobs).
 */
export class ConstraintCoverageTally {
  private readonly ops = new Map<string, { readonly operation: OperationRef; readonly rows: Row[] }>();

  handle(e: RunEvent): void {
    if (e.type === 'operation-started' && e.constraints) {
      const rows = e.constraints.map((ref) => ({ ref, segments: segmentsOf(ref.pointer), count: 0 }));
      this.ops.set(`${e.operation.id}@${e.operation.apiVersion}`, { operation: e.operation, rows });
    } else if (e.type === 'case-done') {
      const b = e.case.breaks;
      if (!b || b.kind !== 'schema' || e.case.expect !== 'reject') return;
      const op = this.ops.get(`${e.case.operation.id}@${e.case.operation.apiVersion}`);
      if (!op) return;
      const path = segmentsOf(b.path);
      // The exact pointer first: a declared member wins over a `*` map entry of the same name. One pass, no list:
      // seven tallies (the gate and every report) fold each refused case.
      let row: Row | undefined;
      for (const r of op.rows) {
        if (r.ref.keyword !== b.id || !matches(r.segments, path)) continue;
        if (r.ref.pointer === b.path) {
          row = r;
          break;
        }
        row ??= r;
      }
      if (row) row.count++;
    }
  }

  table(): { operation: string; apiVersion: string; total: number; sent: number; constraints: ConstraintCoverage[] }[] {
    return [...this.ops.values()].map(({ operation, rows }) => ({
      operation: operation.id,
      apiVersion: operation.apiVersion,
      total: rows.length,
      sent: rows.filter((r) => r.count > 0).length,
      constraints: rows.map((r) => ({
        pointer: r.ref.pointer,
        keyword: r.ref.keyword,
        sent: r.count > 0,
        count: r.count,
        ...(r.ref.realistic ? {} : { reason: 'no realistic body carries this member' }),
      })),
    }));
  }
}
