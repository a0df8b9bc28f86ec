import type { Exchange } from '../http/exchange.js';
import { CHECKS } from './registry.js';
import type { Check, CheckContext, Finding } from './types.js';

export interface CheckOutcome {
  readonly check: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly findings: readonly Finding[];
  readonly skipReason?: string;
}

/** Judge one exchange with every applicable check. A transport failure leaves nothing else to judge. */
export function runChecks(ex: Exchange, ctx: CheckContext, checks: readonly Check[] = CHECKS): CheckOutcome[] {
  const out: CheckOutcome[] = [];
  for (const c of checks) {
    if (c.kinds !== 'all' && !c.kinds.includes(ex.case.kind)) continue;
    if (ex.transportError && c.id !== 'transport') continue;
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
