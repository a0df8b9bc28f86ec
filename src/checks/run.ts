import type { CaseKind } from '../cases/case.js';
import type { Exchange } from '../http/exchange.js';
import { CHECKS } from './registry.js';
import type { Check, CheckContext, Finding } from './types.js';

export interface CheckOutcome {
  readonly check: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly findings: readonly Finding[];
  readonly skipReason?: string;
}

/** The checks that apply to each kind of case, per check list: the registry is fixed, so this is worked out once. */
const BY_KIND = new WeakMap<readonly Check[], Map<CaseKind, readonly Check[]>>();
function forKind(checks: readonly Check[], kind: CaseKind): readonly Check[] {
  let byKind = BY_KIND.get(checks);
  if (!byKind) BY_KIND.set(checks, (byKind = new Map()));
  let list = byKind.get(kind);
  if (!list) byKind.set(kind, (list = checks.filter((c) => c.kinds === 'all' || c.kinds.includes(kind))));
  return list;
}

/** Checks that judge a transport failure itself (a refused connection says the operation is not served). */
const JUDGE_TRANSPORT = new Set(['transport', 'operation.served']);

/** Judge one exchange with every applicable check. A transport failure leaves nothing else to judge. */
export function runChecks(ex: Exchange, ctx: CheckContext, checks: readonly Check[] = CHECKS): CheckOutcome[] {
  const out: CheckOutcome[] = [];
  for (const c of forKind(checks, ex.case.kind)) {
    if (ex.transportError && !JUDGE_TRANSPORT.has(c.id)) continue;
    const reason = c.skip?.(ctx, ex);
    if (reason) {
      out.push({ check: c.id, status: 'skipped', findings: [], skipReason: reason });
      continue;
    }
    const findings = c.run(ex, ctx);
    out.push({ check: c.id, status: findings.some((f) => f.severity === 'violation') ? 'failed' : 'passed', findings });
  }
  return out;
}
