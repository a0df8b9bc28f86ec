import type { ComparedItem, Comparison } from './compare.js';
import { compareApiVersions } from '../model/api-version.js';

const TITLE = { regressed: 'REGRESSED (passed before, fails now)', new: 'NEW (check not exercised before)', fixed: 'FIXED (failed before, passes now)', 'not-observed': 'NOT OBSERVED (failed before, check not exercised now)' } as const;

/** Items of one change, grouped by operation, check and rule: one defect usually fails at many places. */
function grouped(items: readonly ComparedItem[]): string[] {
  const groups = new Map<string, ComparedItem[]>();
  for (const i of items) {
    const k = `${i.operation} ${i.check}${i.rule ? ` (${i.rule})` : ''}`;
    groups.set(k, [...(groups.get(k) ?? []), i]);
  }
  return [...groups].map(([k, list]) => {
    const versions = [...new Set(list.flatMap((i) => i.apiVersions))].sort(compareApiVersions);
    const count = list.reduce((n, i) => n + i.count, 0);
    const shapes = list.length === 1 ? '1 place' : `${list.length} places`;
    return `  ${k} @${versions.join(',')}: ${shapes}, ${count} violation${count === 1 ? '' : 's'}\n    e.g. ${(list[0]?.message ?? '').split('\n')[0]}`;
  });
}

export function formatComparison(c: Comparison): string {
  const lines: string[] = [];
  for (const change of ['regressed', 'new', 'fixed', 'not-observed'] as const) {
    const items = c.items.filter((i) => i.change === change);
    if (items.length > 0) lines.push(`${TITLE[change]}: ${items.length}`, ...grouped(items));
  }
  const n = c.counts;
  lines.push(`${n.regressed} regressed, ${n.new} new, ${n.fixed} fixed, ${n['not-observed']} not observed, ${c.unchanged} unchanged (by signature)`);
  return `${lines.join('\n')}\n`;
}
