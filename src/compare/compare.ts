/**
 * `compare`: two summary.json files, matched by the gate's signature (src/gate/signature.ts) without the
 * api-version, so two runs at two versions match too. A signature failing now that
 * failed nowhere before is a regression when the old run exercised that check on that operation (it passed
 * there), new when it did not; one gone is fixed when the new run exercised the check, else no longer observed.
 */
import { signatureOf, type Signable } from '../gate/signature.js';
import { compareApiVersions } from '../model/api-version.js';

/** What compare reads of a violation: what the gate's signature needs, and the message to show. */
export type SignedViolation = Signable & { readonly message: string };

/** The gate's signature (operation, check, rule, where it points), the api-version left out. */
export function signature(v: SignedViolation): string {
  const s = signatureOf(v);
  return [s.operation, s.check, s.rule ?? '', s.where].join(' | ');
}

export interface SummaryLike {
  readonly seed?: number | null;
  readonly target?: string | null;
  readonly operations: readonly { readonly id: string; readonly apiVersion: string; readonly checks: { readonly [check: string]: { readonly passed: number; readonly failed: number; readonly skipped: number } } }[];
  readonly violations: readonly SignedViolation[];
}

export type Change = 'regressed' | 'new' | 'fixed' | 'not-observed';

export interface ComparedItem {
  readonly change: Change;
  readonly signature: string;
  readonly operation: string;
  readonly check: string;
  readonly rule?: string;
  /** api-versions it failed at, in the run where it fails. */
  readonly apiVersions: readonly string[];
  readonly count: number;
  readonly message: string;
}

export interface Comparison {
  readonly items: readonly ComparedItem[];
  readonly counts: { readonly [c in Change]: number };
  readonly unchanged: number;
}

/** Checks that ran (passed or failed at least once) per operation id, over every api-version of the run. */
function exercised(s: SummaryLike): Set<string> {
  const out = new Set<string>();
  for (const op of s.operations) for (const [check, c] of Object.entries(op.checks)) if (c.passed + c.failed > 0) out.add(`${op.id} | ${check}`);
  return out;
}

function group(s: SummaryLike): Map<string, SignedViolation[]> {
  const out = new Map<string, SignedViolation[]>();
  for (const v of s.violations) {
    const k = signature(v);
    const list = out.get(k);
    if (list) list.push(v);
    else out.set(k, [v]);
  }
  return out;
}

function item(change: Change, sig: string, vs: readonly SignedViolation[]): ComparedItem {
  const [first] = vs as [SignedViolation, ...SignedViolation[]];
  return {
    change,
    signature: sig,
    operation: first.operation,
    check: first.check,
    ...(first.rule ? { rule: first.rule } : {}),
    apiVersions: [...new Set(vs.map((v) => v.apiVersion))].sort(compareApiVersions),
    count: vs.length,
    message: first.message,
  };
}

export function compareSummaries(before: SummaryLike, after: SummaryLike): Comparison {
  const old = group(before);
  const now = group(after);
  const ranBefore = exercised(before);
  const ranNow = exercised(after);
  const items: ComparedItem[] = [];
  let unchanged = 0;
  for (const [sig, vs] of now) {
    if (old.has(sig)) unchanged++;
    else items.push(item(ranBefore.has(`${vs[0]?.operation} | ${vs[0]?.check}`) ? 'regressed' : 'new', sig, vs));
  }
  for (const [sig, vs] of old) {
    if (!now.has(sig)) items.push(item(ranNow.has(`${vs[0]?.operation} | ${vs[0]?.check}`) ? 'fixed' : 'not-observed', sig, vs));
  }
  const order: readonly Change[] = ['regressed', 'new', 'fixed', 'not-observed'];
  items.sort((a, b) => order.indexOf(a.change) - order.indexOf(b.change) || a.signature.localeCompare(b.signature));
  const counts = { regressed: 0, new: 0, fixed: 0, 'not-observed': 0 };
  for (const i of items) counts[i.change]++;
  return { items, counts, unchanged };
}
