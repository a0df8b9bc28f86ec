import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ReportHandler, Violation } from '../events/types.js';
import { TallyReport } from './collect.js';
import { gateView } from './gate-view.js';
import { shrinkText } from './shrink.js';

const ENTITIES: { readonly [ch: string]: string } = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
/** XML-escaped, control characters XML 1.0 cannot hold dropped; one pass (failure texts carry whole curls). */
const esc = (s: string): string => s.replace(/[&<>"\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (ch) => ENTITIES[ch] ?? '');

/** reports/junit.xml: one testsuite per operation, one testcase per operation × check. */
export class JunitReport extends TallyReport implements ReportHandler {

  async close(): Promise<void> {
    // Violations by operation and check, grouped once (a failing run can have thousands).
    const g = gateView(this.tally);
    const byCheck = new Map<string, Violation[]>();
    // Known violations (accepted by the baseline) do not fail a testcase: the gate passes on them.
    const known = new Map<string, number>();
    for (const v of this.tally.violations) {
      if (g.isKnown(v)) {
        const k = `${v.operation}@${v.apiVersion}\n${v.check}`;
        known.set(k, (known.get(k) ?? 0) + 1);
        continue;
      }
      const key = `${v.operation}@${v.apiVersion}\n${v.check}`;
      const list = byCheck.get(key);
      if (list) list.push(v);
      else byCheck.set(key, [v]);
    }
    const suites: string[] = [];
    let tests = 0;
    let failures = 0;
    let skipped = 0;
    for (const op of this.tally.operations.values()) {
      const name = `${op.id}@${op.apiVersion}`;
      const cases: string[] = [];
      let f = 0;
      let s = 0;
      for (const [check, c] of [...op.checks].sort(([a], [b]) => a.localeCompare(b))) {
        const vs = byCheck.get(`${name}\n${check}`) ?? [];
        let inner = '';
        if (vs.length > 0) {
          f++;
          const text = vs
            .map((v) => `${v.message}${v.rule ? ` [rule ${v.rule}]` : ''}\ncase: ${v.caseId} (seed ${v.seed}${v.path ? `, path ${v.path}` : ''}${v.shrunk ? `; ${shrinkText(v)}` : ''})\n${v.curl}`)
            .join('\n\n');
          inner = `<failure message="${esc(vs[0]?.message ?? '')}" type="${esc(check)}">${esc(text)}</failure>`;
        } else if (known.has(`${name}\n${check}`)) {
          s++;
          inner = `<skipped message="${known.get(`${name}\n${check}`) ?? 0} known violation(s) accepted by the baseline"/>`;
        } else if (c.passed === 0 && c.skipped > 0) {
          s++;
          inner = `<skipped message="${esc([...c.skipReasons].join('; '))}"/>`;
        }
        cases.push(`    <testcase classname="${esc(name)}" name="${esc(check)}" time="0">${inner}</testcase>`);
      }
      tests += cases.length;
      failures += f;
      skipped += s;
      suites.push(
        `  <testsuite name="${esc(name)}" tests="${cases.length}" failures="${f}" skipped="${s}" errors="0" time="${(op.durationMs / 1000).toFixed(3)}">\n${cases.join('\n')}\n  </testsuite>`,
      );
    }
    const errors = this.tally.errors.map(
      (m) => `  <testsuite name="azconform" tests="1" failures="0" errors="1"><testcase classname="azconform" name="run"><error message="${esc(m)}"/></testcase></testsuite>`,
    );
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="azconform" tests="${tests + errors.length}" failures="${failures}" errors="${errors.length}" skipped="${skipped}" time="${(this.tally.durationMs / 1000).toFixed(3)}">\n${[...suites, ...errors].join('\n')}\n</testsuites>\n`;
    await mkdir(this.dir, { recursive: true });
    await writeFile(path.join(this.dir, 'junit.xml'), xml);
  }
}
