/**
 * A ReportHandler that keeps only what the selftest scores: how many cases ran before the first one failed, and
 * which checks (and rules) the violations name.
 *
 * Detection is counted on `case-done` outcomes, not on `violation` events: a fast-check property reports its
 * violation only after shrinking, so the first violation event can come long after the first failing case.
 */
import type { ReportHandler, RunEvent } from '../events/types.js';
import type { RunResult, SeenViolation } from './types.js';

/** Enough to explain a clean-emulator failure without carrying every violation across processes. */
const SAMPLE = 20;

export class SelftestCollector implements ReportHandler {
  private cases = 0;
  private casesToDetection: number | undefined;
  private firstCheck: { check: string; rule?: string } | undefined;
  private violations = 0;
  private readonly checks = new Set<string>();
  private readonly rules = new Set<string>();
  private readonly sample: SeenViolation[] = [];
  private readonly errors: string[] = [];

  handle(event: RunEvent): void {
    switch (event.type) {
      case 'case-done': {
        this.cases += 1;
        if (this.casesToDetection !== undefined) return;
        const failed = event.outcomes.find((o) => o.status === 'failed');
        if (!failed) return;
        this.casesToDetection = this.cases;
        const finding = failed.findings.find((f) => f.severity === 'violation');
        this.firstCheck = { check: failed.check, ...(finding?.rule ? { rule: finding.rule } : {}) };
        return;
      }
      case 'violation': {
        const v = event.violation;
        this.violations += 1;
        this.checks.add(v.check);
        if (v.rule) this.rules.add(v.rule);
        if (this.sample.length < SAMPLE) this.sample.push({ operation: v.operation, check: v.check, ...(v.rule ? { rule: v.rule } : {}), message: v.message });
        return;
      }
      case 'run-error':
        this.errors.push(event.message);
        return;
      default:
        return;
    }
  }

  result(fault: string | undefined, seconds: number): RunResult {
    return {
      ...(fault !== undefined ? { fault } : {}),
      violations: this.violations,
      checks: [...this.checks],
      rules: [...this.rules],
      ...(this.firstCheck ? { firstCheck: this.firstCheck.check, ...(this.firstCheck.rule ? { firstRule: this.firstCheck.rule } : {}) } : {}),
      ...(this.casesToDetection !== undefined ? { casesToDetection: this.casesToDetection } : {}),
      cases: this.cases,
      seconds,
      sample: this.sample,
      ...(this.errors.length > 0 ? { error: this.errors.join('; ') } : {}),
    };
  }
}
