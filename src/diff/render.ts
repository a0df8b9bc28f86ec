/** The diff as a text table, Markdown, JSON and JUnit (one testcase per change; breaking ones fail). */
import type { Change } from './changes.js';
import type { Probed } from './probe.js';

export interface DiffResult {
  readonly operation: string;
  readonly from: string;
  readonly to: string;
  readonly changes: readonly Change[];
  readonly breaking: { readonly clients: number; readonly services: number };
  /** With --target: each change as the target was seen to honour it, in the order of `changes`. */
  readonly probed?: { readonly target: string; readonly results: readonly Probed[] };
}

const observed = (r: DiffResult, i: number): string => r.probed?.results[i]?.observation ?? '';

const cell = (v: string): string => (v === 'breaking' ? 'BREAKING' : 'ok');

export function formatText(r: DiffResult): string {
  const rows = r.changes.map((c, i) => [c.side, c.location, c.kind, c.detail, cell(c.clients), cell(c.services), ...(r.probed ? [observed(r, i)] : [])]);
  const head = ['side', 'location', 'change', 'detail', 'clients', 'services', ...(r.probed ? ['target'] : [])];
  const widths = head.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length))));
  const line = (row: readonly string[]): string => row.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const out = [`${r.operation}: ${r.from} → ${r.to}`, '', line(head), ...rows.map(line), ''];
  out.push(`${r.changes.length} changes; breaking for clients: ${r.breaking.clients}, for services and emulators: ${r.breaking.services}`);
  if (r.probed) {
    out.push('', `on ${r.probed.target}:`);
    for (const p of r.probed.results) out.push(`  ${p.observation.padEnd(18)} ${p.change.side} ${p.change.location} ${p.change.kind}: ${p.evidence}`);
    out.push(probedLine(r));
  }
  return `${out.join('\n')}\n`;
}

/** Counts of observed, not observed and cannot be provoked. */
export function probedLine(r: DiffResult): string {
  const n = (o: string): number => r.probed?.results.filter((p) => p.observation === o).length ?? 0;
  return `${n('observed')} observed, ${n('not observed')} not observed, ${n('cannot be provoked')} cannot be provoked`;
}

const md = (s: string): string => s.replace(/\|/g, '\\|');

export function formatMarkdown(r: DiffResult): string {
  const out = [`## ${r.operation}: ${r.from} → ${r.to}`, '', `${r.changes.length} changes; breaking for clients: **${r.breaking.clients}**, for services and emulators: **${r.breaking.services}**`, ''];
  if (r.changes.length > 0) {
    out.push(`| side | location | change | detail | clients | services |${r.probed ? ' target |' : ''}`, `|---|---|---|---|---|---|${r.probed ? '---|' : ''}`);
    r.changes.forEach((c, i) => out.push(`| ${c.side} | \`${md(c.location)}\` | ${c.kind} | ${md(c.detail)} | ${cell(c.clients)} | ${cell(c.services)} |${r.probed ? ` ${observed(r, i)}: ${md(r.probed.results[i]?.evidence ?? '')} |` : ''}`));
    if (r.probed) out.push('', probedLine(r));
  }
  return `${out.join('\n')}\n`;
}

const xml = (s: string): string => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function formatJunit(r: DiffResult, failOn: 'clients' | 'services' | 'not-observed' | undefined): string {
  const seen = new Map(r.probed?.results.map((p) => [p.change, p.observation]) ?? []);
  const failing = (c: Change): boolean =>
    failOn === 'clients' ? c.clients === 'breaking' : failOn === 'services' ? c.services === 'breaking' : failOn === 'not-observed' ? seen.get(c) === 'not observed' : false;
  const cases = r.changes.map((c) => {
    const name = xml(`${c.side} ${c.location} ${c.kind}`);
    const body = failing(c) ? `<failure message="${xml(`${c.detail} (clients: ${c.clients}, services: ${c.services})`)}"/>` : '';
    return `    <testcase classname="${xml(`${r.operation}.${r.from}-${r.to}`)}" name="${name}">${body}</testcase>`;
  });
  const failures = r.changes.filter(failing).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n  <testsuite name="${xml(`azconform diff ${r.operation} ${r.from}..${r.to}`)}" tests="${r.changes.length}" failures="${failures}">\n${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`;
}
