/**
 * From run results to the selftest report: a fault is detected when its run has at least one violation (and ran);
 * the clean run must have none. Pure, so tests can feed it made-up results.
 */
import type { Fault } from '../emulator/types.js';
import type { FaultRow, RunResult, SelftestReport } from './types.js';

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

const round = (x: number, digits = 1): number => Number(x.toFixed(digits));

export const isDetected = (r: RunResult): boolean => r.error === undefined && r.violations > 0;

export function faultRow(f: Fault, r: RunResult): FaultRow {
  const detected = isDetected(r);
  return {
    name: f.name,
    tier: f.tier,
    operation: f.operation,
    detected,
    checks: r.checks,
    rules: r.rules,
    firstCheck: detected ? (r.firstCheck ?? r.checks[0] ?? null) : null,
    ...(detected && r.firstRule ? { rule: r.firstRule } : {}),
    casesToDetection: detected ? (r.casesToDetection ?? null) : null,
    cases: r.cases,
    seconds: round(r.seconds),
    ...(r.error !== undefined ? { error: r.error } : {}),
  };
}

export interface ScoreInput {
  readonly seed: number;
  readonly runs: number;
  readonly jobs: number;
  readonly clean: RunResult;
  /** Each selected fault with its run, in catalog order. */
  readonly faults: readonly { readonly fault: Fault; readonly result: RunResult }[];
  readonly seconds: number;
}

export function buildReport(i: ScoreInput): SelftestReport {
  const rows = i.faults.map(({ fault, result }) => faultRow(fault, result));
  const detected = rows.filter((r) => r.detected);
  const total = rows.length;
  return {
    seed: i.seed,
    runs: i.runs,
    clean: {
      violations: i.clean.violations,
      cases: i.clean.cases,
      seconds: round(i.clean.seconds),
      checks: i.clean.checks,
      rules: i.clean.rules,
      ...(i.clean.error !== undefined ? { error: i.clean.error } : {}),
    },
    faults: rows,
    score: { detected: detected.length, total, percent: total === 0 ? 100 : round((100 * detected.length) / total) },
    medianCasesToDetection: median(detected.flatMap((r) => (r.casesToDetection === null ? [] : [r.casesToDetection]))),
    seconds: round(i.seconds),
    jobs: i.jobs,
  };
}

/** The exit-code question: a clean emulator that passes and no surviving fault. */
export const passed = (r: SelftestReport): boolean => r.clean.error === undefined && r.clean.violations === 0 && r.score.detected === r.score.total;
