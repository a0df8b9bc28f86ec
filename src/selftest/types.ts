/**
 * The selftest's vocabulary: what one run against one emulator yields, and the report written from all of them.
 * Plain data (no live objects) because a run's result crosses a process boundary when --jobs > 1.
 */
import type { FaultTier } from '../emulator/types.js';

/** What is fixed for every run of one selftest, so runs differ only in the emulator's fault. */
export interface RunSettings {
  readonly seed: number;
  readonly runs: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
}

/** One violation, as far as the selftest needs it (the message explains a clean-emulator violation). */
export interface SeenViolation {
  readonly operation: string;
  readonly check: string;
  readonly rule?: string;
  readonly message: string;
}

/** One conformance session against one emulator: the clean one (fault undefined) or one with a single fault. */
export interface RunResult {
  readonly fault?: string;
  readonly violations: number;
  /** Distinct check ids and rule ids of the violations, in the order first seen. */
  readonly checks: readonly string[];
  readonly rules: readonly string[];
  /** The first failed check (and its rule) of the first case that failed, in case-done order. */
  readonly firstCheck?: string;
  readonly firstRule?: string;
  /** case-done events up to and including the first failing case (undefined: no case failed). */
  readonly casesToDetection?: number;
  readonly cases: number;
  readonly seconds: number;
  /** A few violations in full (the clean run lists them on failure); capped so a broken run stays small. */
  readonly sample: readonly SeenViolation[];
  /** The session could not run (unreachable emulator, internal error): never counts as a detection. */
  readonly error?: string;
}

export interface FaultRow {
  readonly name: string;
  readonly tier: FaultTier;
  readonly operation: string;
  readonly detected: boolean;
  /** Distinct check ids, and rule ids, of every violation of the run. */
  readonly checks: readonly string[];
  readonly rules: readonly string[];
  /** The check (and its rule) that failed first: what detected the fault. */
  readonly firstCheck: string | null;
  readonly rule?: string;
  readonly casesToDetection: number | null;
  readonly cases: number;
  readonly seconds: number;
  readonly error?: string;
}

/** reports/selftest.json */
export interface SelftestReport {
  readonly seed: number;
  readonly runs: number;
  readonly clean: { readonly violations: number; readonly cases: number; readonly seconds: number; readonly checks: readonly string[]; readonly rules: readonly string[]; readonly error?: string };
  readonly faults: readonly FaultRow[];
  readonly score: { readonly detected: number; readonly total: number; readonly percent: number };
  /** Over the detected faults; null when none was detected. */
  readonly medianCasesToDetection: number | null;
  /** Wall time of the whole selftest. */
  readonly seconds: number;
  /** How the runs were spread: 1 = in-process, one after another; N = N worker processes. */
  readonly jobs: number;
}
