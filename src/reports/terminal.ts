import type { CheckOutcome } from '../checks/run.js';
import type { CaseRecord, ReportHandler, RunEvent } from '../events/types.js';
import { problemLines, restoreLine, snapshotLine } from '../restore/summary.js';
import { RunTally } from './collect.js';
import { gateView } from './gate-view.js';
import { LiveBlock, wantsLive, type LiveStream } from './live.js';
import { shrinkText } from './shrink.js';

/** Progress lines while the run goes, and a summary table at the end, on stderr/stdout. */
export class TerminalReport implements ReportHandler {
  private readonly tally = new RunTally();
  private cases = new Map<string, number>();
  /** On a TTY outside CI: a line per operation redrawn in place (src/reports/live.ts). */
  private readonly live: LiveBlock | undefined;

  constructor(
    private readonly out: LiveStream = process.stdout,
    private readonly quiet = false,
    /** A line for every case as it is judged (--verbose). */
    private readonly verbose = false,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.live = !quiet && wantsLive(out, env) ? new LiveBlock(out, !env.NO_COLOR) : undefined;
  }

  handle(e: RunEvent): void {
    this.tally.handle(e);
    const live = this.live;
    const w = (s: string): void => (live ? live.line(s) : void this.out.write(`${s}\n`));
    const key = (o: { readonly id: string; readonly apiVersion: string }): string => `${o.id}@${o.apiVersion}`;
    if (live) {
      if (e.type === 'operation-started') live.operation(key(e.operation));
      else if (e.type === 'case-done') live.caseDone(key(e.case.operation));
      else if (e.type === 'violation') live.violation(key({ id: e.violation.operation, apiVersion: e.violation.apiVersion }));
      else if (e.type === 'operation-done') live.operationDone(key(e.operation));
      else if (e.type === 'run-done') live.end();
    }
    switch (e.type) {
      case 'run-started':
        if (!this.quiet) {
          w(`azconform: ${e.operations.length} operation(s) against ${e.target.label} · profile ${e.profile} · seed ${e.seed} · ${e.runs} runs/property`);
        }
        break;
      case 'case-done':
        if (this.verbose) w(caseLine(e.case, e.outcomes));
        break;
      case 'property-done':
        if (!this.quiet) {
          const key = `${e.operation.id}@${e.operation.apiVersion}`;
          this.cases.set(key, (this.cases.get(key) ?? 0) + e.cases);
          w(`  ${key.padEnd(40)} ${e.property.padEnd(12)} ${String(e.cases).padStart(4)} cases ${e.skipped ? 'skipped (operation not served)' : e.failed ? 'FAIL' : 'ok'}`);
        }
        break;
      case 'violation': {
        const v = e.violation;
        w(`  ✗ ${v.operation}@${v.apiVersion} ${v.check}${v.rule ? ` [${v.rule}]` : ''}: ${v.message}`);
        if (v.shrunk) w(`      ${shrinkText(v)}`);
        w(`      replay: --seed ${v.seed}${v.path ? ` (path ${v.path})` : ''} · ${v.curl}`);
        break;
      }
      case 'run-error':
      case 'notice': // always shown, also with --quiet: TLS off, what a live run writes
        w(`azconform: ${e.message}`);
        break;
      case 'auth':
        if (!this.quiet) w(`azconform: ${e.description}`);
        break;
      case 'restore': {
        // Problems always show (a snapshot that failed means data may not come back); the line itself unless quiet.
        const problems = problemLines(e.items);
        if (!this.quiet || problems.length > 0) w(`azconform: ${e.phase === 'snapshot' ? snapshotLine(e.items) : restoreLine(e.items)}`);
        for (const p of problems) w(`  ${p}`);
        break;
      }
      case 'run-done':
        this.summary(w, e.exitCode);
        break;
      default:
        break;
    }
  }

  private summary(w: (s: string) => void, exitCode: number): void {
    const t = this.tally;
    w('');
    w(`${'operation'.padEnd(40)} ${'cases'.padStart(6)} ${'violations'.padStart(10)} ${'notes'.padStart(6)}`);
    for (const o of t.operations.values()) {
      w(`${`${o.id}@${o.apiVersion}`.padEnd(40)} ${String(o.cases).padStart(6)} ${String(o.violations).padStart(10)} ${String(o.notes).padStart(6)}`);
    }
    const tot = t.totals;
    if (tot) {
      w(`\n${tot.cases} cases, ${tot.checks} check results, ${tot.violations} violations, ${tot.skipped} skipped, ${tot.notes} notes in ${(t.durationMs / 1000).toFixed(1)} s (seed ${t.seed})`);
    }
    if (t.gate) {
      const g = gateView(t);
      if (g.known > 0) w(`${g.known} known violation(s) accepted by the baseline`);
      for (const s of g.stale) w(`stale baseline entry (matched nothing): ${s}`);
      for (const f of g.failures) w(`gate: ${f}`);
    }
    const failing = t.gate ? t.gate.failing : (tot?.violations ?? 0);
    w(exitCode === 0 ? 'result: PASS' : exitCode === 1 ? (failing > 0 ? 'result: FAIL (violations found)' : 'result: FAIL (the gate, see above)') : 'result: ERROR (see above)');
  }
}

/** One case, for --verbose: id, kind, the answer (status or transport error), time, and the checks it failed. */
function caseLine(c: CaseRecord, outcomes: readonly CheckOutcome[]): string {
  const failed = outcomes.filter((o) => o.status === 'failed').map((o) => o.check);
  const answer = c.response ? String(c.response.status) : (c.transportError?.kind ?? '-');
  return `    ${failed.length > 0 ? '✗' : '·'} ${c.id} ${c.kind}${c.label ? ` (${c.label})` : ''} → ${answer} ${Math.round(c.ms)} ms${failed.length > 0 ? ` FAIL ${failed.join(', ')}` : ''}`;
}
