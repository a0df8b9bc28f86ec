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
  const applicable = checks.filter((c) => c.kinds === 'all' || c.kinds.includes(ex.case.kind));
  return applicable
    .filter((c) => !ex.transportError || c.id === 'transport')
    .map((c) => {
      const reason = c.skip?.(ctx, ex);
      if (reason) return { check: c.id, status: 'skipped' as const, findings: [], skipReason: reason };
      const findings = c.run(ex, ctx);
      return { check: c.id, status: findings.some((f) => f.severity === 'violation') ? ('failed' as const) : ('passed' as const), findings };
    });
}
