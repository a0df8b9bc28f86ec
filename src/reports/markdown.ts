import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ReportHandler } from '../events/types.js';
import { restoreSummary } from '../restore/summary.js';
import { TallyReport } from './collect.js';
import { gateView, otherCell, statusCell } from './gate-view.js';
import { shrinkText } from './shrink.js';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** reports/summary.md: what a person reads in a CI artifact or a PR comment. */
export class MarkdownReport extends TallyReport implements ReportHandler {

  async close(): Promise<void> {
    const t = this.tally;
    const totals = t.totals;
    const g = gateView(t);
    const verdict = `${{ ok: '✅', bad: '❌', warn: '⚠️' }[g.level]} ${g.verdict}`;
    const lines = [
      `# azconform — ${verdict}`,
      '',
      `- target: ${t.target?.label ?? '(none)'}  (vault ${t.target?.vaultUrl ?? '-'}, ARM ${t.target?.armUrl ?? '-'})`,
      `- profile: ${t.profile ?? '-'} · seed: ${t.seed ?? '-'} · runs per property: ${t.runs ?? '-'}`,
      `- started ${t.startedAt ?? '-'} · ${(t.durationMs / 1000).toFixed(1)} s`,
      totals ? `- ${totals.operations} operations, ${totals.cases} cases, ${totals.checks} check results, ${totals.violations} violations, ${totals.skipped} skipped, ${totals.notes} notes` : '',
      '',
      ...t.errors.map((e) => `> **error:** ${e}`),
      ...t.notices.map((n) => `> **note:** ${n}`),
      ...(t.restore ? ((r) => [`- ${r.summary}`, ...r.problems.map((p) => `  - ${p}`)])(restoreSummary(t.restore)) : []),
      '',
      '| operation | api-version | cases | violations | notes |',
      '|---|---|---:|---:|---:|',
      ...[...t.operations.values()].map((o) => `| ${o.id} | ${o.apiVersion} | ${o.cases} | ${o.violations} | ${o.notes} |`),
      '',
      ...g.failures.map((f) => `- ❌ ${f}`),
      ...g.stale.map((s) => `- stale baseline entry (matched nothing): ${s}`),
      '',
      '## Statuses: documented × observed',
      '',
      '| operation | documented statuses | other statuses observed |',
      '|---|---|---|',
      ...g.statuses.map((r) => `| ${r.operation}@${r.apiVersion} | ${statusCell(r)} | ${otherCell(r)} |`),
      '',
    ];
    const coverage = t.constraints.table().filter((o) => o.total > 0);
    if (coverage.length > 0) {
      // Brief: the counts, and by name only the constraints the run never broke.
      lines.push('## Request-body constraints sent broken', '', '| operation | sent broken | never sent |', '|---|---:|---|');
      for (const o of coverage) {
        const missed = o.constraints.filter((c) => !c.sent).map((c) => `\`${c.pointer || '/'} ${c.keyword}\``);
        lines.push(`| ${o.operation}@${o.apiVersion} | ${o.sent}/${o.total} | ${cell(missed.join(', ')) || '-'} |`);
      }
      lines.push('');
    }
    if (t.violations.length > 0) {
      lines.push('## Violations', '');
      t.violations.forEach((v, i) => {
        lines.push(
          `### ${i + 1}. ${v.operation}@${v.apiVersion} · \`${v.check}\`${v.rule ? ` · rule \`${v.rule}\`` : ''}${g.isKnown(v) ? ' · known (baseline)' : ''}`,
          '',
          v.message,
          '',
          `- case: \`${v.caseId}\` (${v.kind}${v.label ? `: ${v.label}` : ''}) · seed ${v.seed}${v.path ? ` · path \`${v.path}\`` : ''}${v.shrunk ? ` · ${shrinkText(v)}` : ''}`,
          `- response: ${v.response ? v.response.status : v.transportError ? `${v.transportError.kind} (${v.transportError.message})` : '-'}`,
          ...(v.note ? [`- note: ${v.note}`] : []),
          '',
          '```sh',
          v.curl,
          '```',
          '',
        );
      });
    }
    if (t.skips.size > 0) {
      lines.push('## Skipped checks', '', '| operation | check | reason |', '|---|---|---|');
      for (const s of t.skips.values()) lines.push(`| ${s.operation}@${s.apiVersion} | ${s.check} | ${cell(s.reason)} |`);
      lines.push('');
    }
    await mkdir(this.dir, { recursive: true });
    await writeFile(path.join(this.dir, 'summary.md'), lines.join('\n'));
  }
}
