/** The diff as a text table, Markdown, JSON and JUnit (one testcase per change; breaking ones fail). */
import type { Change } from './changes.js';

export interface DiffResult {
  readonly operation: string;
  readonly from: string;
  readonly to: string;
  readonly changes: readonly Change[];
  readonly breaking: { readonly clients: number; readonly services: number };
}

const cell = (v: string): string => (v === 'breaking' ? 'BREAKING' : 'ok');

export function formatText(r: DiffResult): string {
  const rows = r.changes.map((c) => [c.side, c.location, c.kind, c.detail, cell(c.clients), cell(c.services)]);
  const head = ['side', 'location', 'change', 'detail', 'clients', 'services'];
  const widths = head.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length))));
  const line = (row: readonly string[]): string => row.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const out = [`${r.operation}: ${r.from} → ${r.to}`, '', line(head), ...rows.map(line), ''];
  out.push(`${r.changes.length} changes; breaking for clients: ${r.breaking.clients}, for services and emulators: ${r.breaking.services}`);
  return `${out.join('\n')}\n`;
}

const md = (s: string): string => s.replace(/\|/g, '\\|');

export function formatMarkdown(r: DiffResult): string {
  const out = [`## ${r.operation}: ${r.from} → ${r.to}`, '', `${r.changes.length} changes; breaking for clients: **${r.breaking.clients}**, for services and emulators: **${r.breaking.services}**`, ''];
  if (r.changes.length > 0) {
    out.push('| side | location | change | detail | clients | services |', '|---|---|---|---|---|---|');
    for (const c of r.changes) out.push(`| ${c.side} | \`${md(c.location)}\` | ${c.kind} | ${md(c.detail)} | ${cell(c.clients)} | ${cell(c.services)} |`);
  }
  return `${out.join('\n')}\n`;
}

const xml = (s: string): string => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function formatJunit(r: DiffResult, failOn: 'clients' | 'services' | undefined): string {
  const failing = (c: Change): boolean => (failOn === 'clients' ? c.clients === 'breaking' : failOn === 'services' ? c.services === 'breaking' : false);
  const cases = r.changes.map((c) => {
    const name = xml(`${c.side} ${c.location} ${c.kind}`);
    const body = failing(c) ? `<failure message="${xml(`${c.detail} (clients: ${c.clients}, services: ${c.services})`)}"/>` : '';
    return `    <testcase classname="${xml(`${r.operation}.${r.from}-${r.to}`)}" name="${name}">${body}</testcase>`;
  });
  const failures = r.changes.filter(failing).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n  <testsuite name="${xml(`azconform diff ${r.operation} ${r.from}..${r.to}`)}" tests="${r.changes.length}" failures="${failures}">\n${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`;
}
