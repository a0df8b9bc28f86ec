/**
 * How the selftest reads: one progress line per run on stderr, reports/selftest.md, the closing summary and the
 * list of what failed. Pure string functions of plain results (no I/O), so tests can render made-up rows.
 */
import type { FaultRow, RunResult, SeenViolation, SelftestReport } from './types.js';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const secs = (x: number): string => `${x.toFixed(1)} s`;
const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/** `check [rule]`, the way a detection is named everywhere in the selftest. */
export const checkLabel = (check: string | null | undefined, rule?: string): string => (check ? `${check}${rule ? ` [${rule}]` : ''}` : '–');

const violationLine = (v: SeenViolation): string => `${v.operation}: ${checkLabel(v.check, v.rule)}: ${v.message}`;

/** `[ 7/67] ` — padded so the lines of one selftest stay aligned. */
const counter = (done: number, total: number): string => `[${String(done).padStart(String(total).length)}/${total}] `;

export function cleanProgressLine(r: RunResult, done: number, total: number): string {
  const verdict = r.error !== undefined ? `FAILED to run: ${r.error}` : r.violations === 0 ? 'ok, 0 violations' : `FAILED: ${plural(r.violations, 'violation')} (${r.checks.join(', ')})`;
  return `${counter(done, total)}clean emulator: ${verdict} in ${plural(r.cases, 'case')}, ${secs(r.seconds)}`;
}

export function faultProgressLine(row: FaultRow, done: number, total: number): string {
  const head = `${counter(done, total)}${row.detected ? 'detected' : 'SURVIVED'}  ${row.name} (${row.tier})`;
  if (row.error !== undefined) return `${head}: run failed: ${row.error}, ${secs(row.seconds)}`;
  if (!row.detected) return `${head}: 0 violations in ${plural(row.cases, 'case')}, ${secs(row.seconds)}`;
  return `${head}: ${checkLabel(row.firstCheck, row.rule)} after ${plural(row.casesToDetection ?? row.cases, 'case')}, ${secs(row.seconds)}`;
}

export function tableRow(row: FaultRow): string {
  const detected = row.detected ? 'yes' : row.error !== undefined ? `**no** (run failed: ${cell(row.error)})` : '**no**';
  const check = row.detected ? `\`${row.firstCheck ?? '?'}\`${row.rule ? ` (\`${row.rule}\`)` : ''}` : '–';
  return `| ${row.name} | ${row.tier} | ${detected} | ${check} | ${row.casesToDetection ?? '–'} | ${row.seconds.toFixed(1)} |`;
}

export function summaryLines(r: SelftestReport): string[] {
  return [
    `score: ${r.score.detected}/${r.score.total} faults detected (${r.score.percent}%)`,
    `clean-emulator violations: ${r.clean.violations}${r.clean.error !== undefined ? ` (run failed: ${r.clean.error})` : ''}`,
    `median cases to detection: ${r.medianCasesToDetection ?? '–'}`,
    `wall time: ${secs(r.seconds)} (seed ${r.seed}, ${r.runs} runs per property, ${r.jobs === 1 ? 'in-process' : `${r.jobs} worker processes`})`,
  ];
}

export function markdown(r: SelftestReport): string {
  const survivors = r.faults.filter((f) => !f.detected);
  return [
    `# azconform selftest — ${survivors.length === 0 && r.clean.violations === 0 && r.clean.error === undefined ? '✅' : '❌'} ${r.score.detected}/${r.score.total} faults detected`,
    '',
    'The default suite (four operations at their seed api-versions, profile service) against the reference emulator: clean, it must',
    'pass; with each fault of the catalog (one per emulator), it must report at least one violation.',
    '',
    ...summaryLines(r).map((l) => `- ${l}`),
    ...(survivors.length > 0 ? [`- survivors: ${survivors.map((s) => `${s.name} (${s.tier})`).join(', ')}`] : []),
    '',
    '| fault | tier | detected | check id | cases to detection | seconds |',
    '|---|---|---|---|---:|---:|',
    ...r.faults.map(tableRow),
    '',
  ].join('\n');
}

/** What exit code 1 explains on stderr: each survivor and each clean-emulator violation, one line each. */
export function failureLines(r: SelftestReport, clean: RunResult): string[] {
  const survivors = r.faults.filter((f) => !f.detected);
  const lines: string[] = [];
  if (clean.error !== undefined) lines.push(`the clean emulator run failed: ${clean.error}`);
  if (clean.violations > 0) {
    lines.push(`the clean emulator has ${plural(clean.violations, 'violation')}:`, ...clean.sample.map((v) => `  ${violationLine(v)}`));
    if (clean.violations > clean.sample.length) lines.push(`  … and ${clean.violations - clean.sample.length} more`);
  }
  if (survivors.length > 0) {
    lines.push(`${plural(survivors.length, 'fault')} survived (no violation):`, ...survivors.map((s) => `  ${s.name} (${s.tier}, ${s.operation})${s.error !== undefined ? `: run failed: ${s.error}` : ''}`));
  }
  return lines;
}
