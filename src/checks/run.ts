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

/**
 * Checks that judge the service's verdict on the request (accepted, refused, which refusal, the state it left).
 * A 429 that outlasted the run's retries (src/http/retry.ts) is no verdict: Too Many Requests says the client sent
 * too many requests, nothing of this one (RFC 6585 §4), and Azure throttles any request under load. Those checks
 * skip it, with the reason; the rest (status, headers, the error envelope) still judge the answer.
 */
const VERDICTS = new Set(['positive.accepted', 'negative.rejected', 'auth.required', 'api-version.required', 'resource.not-found', 'response.state', 'request.schema']);
const THROTTLED = 'throttled (429) after the run waited as asked: the answer is no verdict on the request';

/** Judge one exchange with every applicable check. A transport failure leaves nothing else to judge. */
export function runChecks(ex: Exchange, ctx: CheckContext, checks: readonly Check[] = CHECKS): CheckOutcome[] {
  const out: CheckOutcome[] = [];
  for (const c of forKind(checks, ex.case.kind)) {
    if (ex.transportError && !JUDGE_TRANSPORT.has(c.id)) continue;
    const reason = ex.response?.status === 429 && VERDICTS.has(c.id) ? THROTTLED : c.skip?.(ctx, ex);
    if (reason) {
      out.push({ check: c.id, status: 'skipped', findings: [], skipReason: reason });
      continue;
    }
    const findings = c.run(ex, ctx);
    out.push({ check: c.id, status: findings.some((f) => f.severity === 'violation') ? 'failed' : 'passed', findings });
  }
  return out;
}
