import type { Violation } from '../events/types.js';

/**
 * How far a violation's input was shrunk, as every report words it: "shrunk in N steps", or "shrinking stopped
 * after N steps (why)" when a budget cut it short and a smaller failing input may exist. Empty for a table case.
 */
export function shrinkText(v: Pick<Violation, 'shrunk' | 'shrinkSteps' | 'shrinkStopped'>): string {
  if (!v.shrunk) return '';
  const steps = v.shrinkSteps === undefined ? '' : ` ${v.shrinkSteps} step${v.shrinkSteps === 1 ? '' : 's'}`;
  return v.shrinkStopped ? `shrinking stopped after${steps || ' some steps'} (${v.shrinkStopped})` : steps ? `shrunk in${steps}` : 'shrunk';
}
