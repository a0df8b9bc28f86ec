import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ReportHandler } from '../events/types.js';
import { restoreSummary } from '../restore/summary.js';
import { TallyReport } from './collect.js';
import { gateView } from './gate-view.js';

/** reports/summary.json: the machine-readable result of a run (schema in README). */
export class JsonSummaryReport extends TallyReport implements ReportHandler {

  async close(): Promise<void> {
    const t = this.tally;
    const g = gateView(t);
    const doc = {
      tool: 'azconform',
      target: t.target?.label ?? null,
      targets: t.target ? { vaultUrl: t.target.vaultUrl, armUrl: t.target.armUrl, kind: t.target.kind } : null,
      profile: t.profile ?? null,
      seed: t.seed ?? null,
      runs: t.runs ?? null,
      startedAt: t.startedAt ?? null,
      durationMs: Math.round(t.durationMs),
      exitCode: t.exitCode ?? null,
      errors: t.errors,
      notices: t.notices,
      auth: t.auth ?? null,
      totals: t.totals ?? { operations: 0, cases: 0, checks: 0, violations: 0, skipped: 0, notes: 0 },
      operations: [...t.operations.values()].map((o) => ({
        id: o.id,
        apiVersion: o.apiVersion,
        cases: o.cases,
        violations: o.violations,
        notes: o.notes,
        durationMs: Math.round(o.durationMs),
        checks: Object.fromEntries([...o.checks].map(([id, c]) => [id, { passed: c.passed, failed: c.failed, skipped: c.skipped }])),
      })),
      coverage: { constraints: t.constraints.table(), statuses: g.statuses },
      skipped: [...t.skips.values()],
      violations: t.violations.map((v) => (g.isKnown(v) ? { ...v, known: true } : v)),
      // The CI gate (src/gate/): null when the run ended before it judged (run error, interrupt).
      gate: t.gate
        ? { verdict: g.verdict, failing: t.gate.failing, known: g.known, expired: t.gate.expired, stale: t.gate.stale, missingStatuses: t.gate.missingStatuses, crossVersion: t.gate.crossVersion ?? [], failures: t.gate.failures }
        : null,
      restore: t.restore
        ? {
            ...restoreSummary(t.restore),
            snapshot: t.restore.snapshot,
            restore: t.restore.restore ?? null,
          }
        : null,
    };
    await mkdir(this.dir, { recursive: true });
    await writeFile(path.join(this.dir, 'summary.json'), `${JSON.stringify(doc, null, 2)}\n`);
  }
}
