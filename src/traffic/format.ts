/**
 * The validate-traffic report: a table for people and a JSON document for machines. Both carry the same facts;
 * neither carries timings or absolute paths, so the same input always gives the same output.
 */
import type { Finding } from '../checks/types.js';
import type { ExchangeOutcome, TrafficResult } from './validate.js';

export const JSON_REPORT_VERSION = 1;

export interface JsonFinding {
  readonly exchange: number;
  readonly file: string;
  readonly entry: number;
  readonly operation: string;
  readonly apiVersion: string;
  readonly check: string;
  readonly severity: 'violation' | 'note';
  readonly direction: 'request' | 'response' | null;
  readonly instancePath: string | null;
  readonly message: string;
  readonly rule: string | null;
}

export interface JsonReport {
  readonly command: 'validate-traffic';
  readonly version: typeof JSON_REPORT_VERSION;
  readonly ok: boolean;
  readonly files: TrafficResult['files'];
  readonly totals: TrafficResult['totals'];
  readonly exchanges: readonly {
    readonly n: number;
    readonly file: string;
    readonly entry: number;
    readonly method: string;
    readonly url: string;
    readonly path: string;
    readonly status: number;
    readonly operation: string | null;
    readonly apiVersion: string | null;
    readonly kind: 'recorded' | 'auth' | null;
    readonly result: ExchangeOutcome['result'];
    readonly notCovered: { readonly reason: string; readonly detail: string } | null;
    readonly checks: ExchangeOutcome['checks'];
    readonly findings: readonly JsonFinding[];
  }[];
  readonly violations: readonly JsonFinding[];
  readonly notes: readonly JsonFinding[];
}

export function toJsonReport(result: TrafficResult): JsonReport {
  const exchanges = result.exchanges.map((e) => ({
    n: e.n,
    file: e.file,
    entry: e.entry,
    method: e.method,
    url: e.url,
    path: e.path,
    status: e.status,
    operation: e.operation?.id ?? null,
    apiVersion: e.operation?.apiVersion ?? null,
    kind: e.kind ?? null,
    result: e.result,
    notCovered: e.notCovered ? { reason: e.notCovered.reason, detail: e.notCovered.detail } : null,
    checks: e.checks,
    findings: e.findings.map((f) => jsonFinding(e, f)),
  }));
  const all = exchanges.flatMap((e) => e.findings);
  return {
    command: 'validate-traffic',
    version: JSON_REPORT_VERSION,
    ok: result.totals.violations === 0,
    files: result.files,
    totals: result.totals,
    exchanges,
    violations: all.filter((f) => f.severity === 'violation'),
    notes: all.filter((f) => f.severity === 'note'),
  };
}

function jsonFinding(e: ExchangeOutcome, f: Finding): JsonFinding {
  return {
    exchange: e.n,
    file: e.file,
    entry: e.entry,
    operation: e.operation?.id ?? '',
    apiVersion: e.operation?.apiVersion ?? '',
    check: f.check,
    severity: f.severity,
    direction: f.direction ?? null,
    instancePath: f.instancePath ?? null,
    message: f.message,
    rule: f.rule ?? null,
  };
}

export function formatJson(result: TrafficResult): string {
  return `${JSON.stringify(toJsonReport(result), null, 2)}\n`;
}

export function formatTable(result: TrafficResult): string {
  const header = ['#', 'file', 'method', 'path', 'operation@api-version', 'status', 'result'];
  const rows = result.exchanges.map((e) => [
    String(e.n),
    ellipsize(e.file, 32),
    e.method,
    ellipsize(e.path, 64),
    e.operation ? `${e.operation.id}@${e.operation.apiVersion}` : '-',
    e.status === 0 ? '-' : String(e.status),
    resultCell(e),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out: string[] = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];

  const t = result.totals;
  out.push(
    '',
    `exchanges ${t.exchanges}, covered ${t.covered}, not covered ${t.notCovered}, passed ${t.passed}, failed ${t.failed}, ` +
      `violations ${t.violations}, notes ${t.notes}`,
  );

  const report = toJsonReport(result);
  if (report.violations.length > 0) {
    out.push('', 'Violations:');
    for (const f of report.violations) out.push(findingLine(f));
  }
  if (report.notes.length > 0) {
    out.push('', 'Notes:');
    for (const f of report.notes) out.push(findingLine(f));
  }
  const missed = result.exchanges.filter((e) => e.notCovered);
  if (missed.length > 0) {
    out.push('', 'Not covered (not judged, not a failure):');
    for (const e of missed) out.push(`  #${e.n} ${e.method} ${e.url}: ${e.notCovered?.reason}: ${e.notCovered?.detail}`);
  }
  out.push('', t.violations === 0 ? 'OK: no violations.' : `FAILED: ${t.violations} violation${t.violations === 1 ? '' : 's'} in ${t.failed} exchange${t.failed === 1 ? '' : 's'}.`);
  return `${out.join('\n')}\n`;
}

function resultCell(e: ExchangeOutcome): string {
  if (e.result === 'not-covered') return `not covered (${e.notCovered?.reason ?? '?'})`;
  const v = e.findings.filter((f) => f.severity === 'violation').length;
  const n = e.findings.length - v;
  const parts = [e.result === 'failed' ? `FAILED (${v} violation${v === 1 ? '' : 's'})` : 'passed'];
  if (n > 0) parts.push(`${n} note${n === 1 ? '' : 's'}`);
  return parts.join(', ') + (e.kind === 'auth' ? ' [auth probe]' : '');
}

function findingLine(f: JsonFinding): string {
  const path = f.instancePath === null ? '-' : f.instancePath === '' ? '/' : f.instancePath;
  return `  #${f.exchange} ${f.operation}@${f.apiVersion} ${f.direction ?? '-'} ${path}: ${f.message} [${f.check}${f.rule ? `, ${f.rule}` : ''}]`;
}

/** Keep both ends of a long value (ARM paths differ at the end, files at the start). */
function ellipsize(s: string, max: number): string {
  if (s.length <= max) return s;
  const head = Math.ceil((max - 1) / 2);
  return `${s.slice(0, head)}…${s.slice(s.length - (max - 1 - head))}`;
}
