/** Documented statuses of an operation (`default` left out: it names no status). */
export const documentedStatuses = (responses: readonly { readonly status: string }[]): string[] => responses.map((r) => r.status).filter((s) => /^\d{3}$/.test(s));

export interface StatusRow {
  readonly operation: string;
  readonly apiVersion: string;
  /** Documented status → how many responses had it (0: never observed). */
  readonly documented: { readonly [status: string]: number };
  /** Observed statuses the operation does not list (answered under `default`, or undocumented). */
  readonly other: { readonly [status: string]: number };
}

/** Pure: per operation, the documented statuses × how often each was observed. */
export function statusCoverage(documented: readonly string[], observed: ReadonlyMap<number, number>, op: { readonly id: string; readonly apiVersion: string }): StatusRow {
  const doc = Object.fromEntries(documented.map((s) => [s, observed.get(Number(s)) ?? 0]));
  const other = Object.fromEntries([...observed].filter(([s]) => !documented.includes(String(s))).sort(([a], [b]) => a - b).map(([s, n]) => [String(s), n]));
  return { operation: op.id, apiVersion: op.apiVersion, documented: doc, other };
}

/**
 * Pure: the required statuses never observed, per operation that documents them. A required status no
 * selected operation documents is named too: asking for it can never be met.
 */
export function missingStatuses(required: readonly string[], rows: readonly StatusRow[]): { missing: { operation: string; apiVersion: string; status: string }[]; undocumented: string[] } {
  const missing = rows.flatMap((r) => required.filter((s) => r.documented[s] === 0).map((status) => ({ operation: r.operation, apiVersion: r.apiVersion, status })));
  const undocumented = required.filter((s) => !rows.some((r) => s in r.documented));
  return { missing, undocumented };
}
