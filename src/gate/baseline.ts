import type { BaselineEntryRef, Violation, ViolationSignature } from '../events/types.js';
import { arr, obj } from '../rules/json.js';
import { signatureKey, signatureOf } from './signature.js';

/**
 * A baseline: known violations a team accepts for now, each with a reason, an owner and an expiry date, so a
 * gate on a target that is not clean yet blocks only new violations. `rule` and `where` may be left out of an
 * entry's signature to accept every rule or place of that check.
 */
export interface Baseline {
  readonly entries: readonly BaselineEntryRef[];
}

export interface BaselineResult {
  /** Violations an unexpired entry accepts, with the entry. */
  readonly known: readonly { readonly violation: Violation; readonly entry: BaselineEntryRef }[];
  /** Violations no unexpired entry accepts: they fail the run. */
  readonly failing: readonly Violation[];
  /** Entries past their date: each fails the run, whatever it matches. */
  readonly expired: readonly BaselineEntryRef[];
  /** Unexpired entries that matched no violation of this run: reported, not failed. */
  readonly stale: readonly BaselineEntryRef[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const matches = (e: BaselineEntryRef['signature'], s: ViolationSignature): boolean =>
  e.operation === s.operation && e.apiVersion === s.apiVersion && e.check === s.check && (e.rule === undefined || e.rule === s.rule) && (e.where === undefined || e.where === s.where);

/** Pure: which of the run's violations are known, and which entries expired or are stale, on `today` (YYYY-MM-DD). */
export function applyBaseline(violations: readonly Violation[], baseline: Baseline, today: string): BaselineResult {
  const expired = baseline.entries.filter((e) => e.expires < today);
  const active = baseline.entries.filter((e) => e.expires >= today);
  const used = new Set<BaselineEntryRef>();
  const known: { violation: Violation; entry: BaselineEntryRef }[] = [];
  const failing: Violation[] = [];
  for (const v of violations) {
    const s = signatureOf(v);
    const entry = active.find((e) => matches(e.signature, s));
    if (entry) {
      used.add(entry);
      known.push({ violation: v, entry });
    } else failing.push(v);
  }
  return { known, failing, expired, stale: active.filter((e) => !used.has(e)) };
}

/** How an entry is named in messages: its signature, its owner and date. */
export function describeEntry(e: BaselineEntryRef): string {
  const s = e.signature;
  return `${s.operation}@${s.apiVersion} ${s.check}${s.rule ? ` [${s.rule}]` : ''}${s.where ? ` at ${s.where}` : ''} (owner ${e.owner}, expires ${e.expires})`;
}

/** Read a baseline file's JSON; every problem is named, with the entry's index. */
export function parseBaseline(doc: unknown): { baseline: Baseline; errors: string[] } {
  const errors: string[] = [];
  const root = obj(doc);
  if (!root || !Array.isArray(root.entries)) return { baseline: { entries: [] }, errors: ['a baseline is {"entries": [...]}'] };
  const entries: BaselineEntryRef[] = [];
  arr(root.entries).forEach((raw, i) => {
    const e = obj(raw);
    const s = obj(e?.signature);
    const str = (o: { [k: string]: unknown } | undefined, k: string): string | undefined => (typeof o?.[k] === 'string' ? (o[k] as string) : undefined);
    const [operation, apiVersion, check] = [str(s, 'operation'), str(s, 'apiVersion'), str(s, 'check')];
    const [reason, owner, expires] = [str(e, 'reason'), str(e, 'owner'), str(e, 'expires')];
    const missing = Object.entries({ 'signature.operation': operation, 'signature.apiVersion': apiVersion, 'signature.check': check, reason, owner, expires })
      .filter(([, v]) => !v)
      .map(([k]) => k);
    if (missing.length > 0 || !operation || !apiVersion || !check || !reason || !owner || !expires) {
      errors.push(`entry ${i}: missing ${missing.join(', ')}`);
      return;
    }
    if (!DATE.test(expires) || Number.isNaN(Date.parse(expires))) {
      errors.push(`entry ${i}: expires must be a date YYYY-MM-DD, got ${JSON.stringify(expires)}`);
      return;
    }
    const rule = str(s, 'rule');
    const where = str(s, 'where');
    entries.push({ signature: { operation, apiVersion, check, ...(rule ? { rule } : {}), ...(where ? { where } : {}) }, reason, owner, expires });
  });
  return { baseline: { entries }, errors };
}

/** today + days, as YYYY-MM-DD (UTC). */
export function addDays(today: string, days: number): string {
  return new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A starting baseline from a run's violations: one entry per distinct signature, expiring in 90 days. */
export function baselineOf(violations: readonly Violation[], today: string): { entries: BaselineEntryRef[] } {
  const seen = new Map<string, BaselineEntryRef>();
  for (const v of violations) {
    const signature = signatureOf(v);
    const key = signatureKey(signature);
    if (!seen.has(key)) seen.set(key, { signature, reason: `TODO: why this is accepted (${v.message.slice(0, 160)})`, owner: 'TODO: owner', expires: addDays(today, 90) });
  }
  return { entries: [...seen.values()] };
}
