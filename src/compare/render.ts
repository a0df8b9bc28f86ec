import type { Comparison } from './compare.js';

const TITLE = { regressed: 'REGRESSED (passed before, fails now)', new: 'NEW (check not exercised before)', fixed: 'FIXED (failed before, passes now)', 'not-observed': 'NOT OBSERVED (failed before, check not exercised now)' } as const;

export function formatComparison(c: Comparison): string {
  const lines: string[] = [];
  for (const change of ['regressed', 'new', 'fixed', 'not-observed'] as const) {
    const items = c.items.filter((i) => i.change === change);
    if (items.length === 0) continue;
    lines.push(`${TITLE[change]}: ${items.length}`);
    for (const i of items) lines.push(`  ${i.operation} @${i.apiVersions.join(',')}  ${i.check}${i.rule ? ` (${i.rule})` : ''} ×${i.count}\n    ${i.message.split('\n')[0]}`);
  }
  const n = c.counts;
  lines.push(`${n.regressed} regressed, ${n.new} new, ${n.fixed} fixed, ${n['not-observed']} not observed, ${c.unchanged} unchanged`);
  return `${lines.join('\n')}\n`;
}
