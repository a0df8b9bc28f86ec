import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ReportHandler, Violation } from '../events/types.js';
import { restoreSummary } from '../restore/summary.js';
import { TallyReport } from './collect.js';
import { gateView, otherCell, statusCell } from './gate-view.js';
import { shrinkText } from './shrink.js';

/** Text into HTML: everything the report shows comes from targets and specs, so everything is escaped. */
const esc = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1f24}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}td.n{text-align:right}
.ok{color:#1a7f37}.bad{color:#cf222e}.warn{color:#9a6700}code,pre{font:12px/1.4 ui-monospace,monospace}
pre{background:#f6f8fa;padding:.6rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
details{border:1px solid #d0d7de;border-radius:6px;padding:.4rem .7rem;margin:.5rem 0}summary{cursor:pointer}
.filters{position:sticky;top:0;background:#fff;padding:.5rem 0;border-bottom:1px solid #d0d7de}.filters label{margin-right:1rem}
.known{color:#57606a}[hidden]{display:none!important}`;

/**
 * The filters: the page's only script, inline (the page loads nothing). Every filtered element carries
 * data-op, data-check and data-verdict; an empty choice matches all.
 */
const FILTER_SCRIPT = `(function(){var f=['op','check','verdict'];function apply(){var want={};f.forEach(function(k){want[k]=document.getElementById('f-'+k).value});
document.querySelectorAll('[data-verdict]').forEach(function(el){el.hidden=!f.every(function(k){return !want[k]||el.getAttribute('data-'+k)===want[k]})});
var shown=document.querySelectorAll('details[data-verdict]:not([hidden])').length;document.getElementById('f-count').textContent=shown+' violation(s) shown'}
f.forEach(function(k){document.getElementById('f-'+k).addEventListener('change',apply)});apply()})();`;

const options = (label: string, id: string, values: readonly string[]): string =>
  `<label>${label} <select id="f-${id}"><option value="">all</option>${values.map((v) => `<option value="${esc(v)}">${esc(v)}</option>`).join('')}</select></label>`;

function violation(v: Violation, i: number, known: boolean): string {
  const response = v.response ? String(v.response.status) : v.transportError ? `${v.transportError.kind} (${v.transportError.message})` : '-';
  const body = v.response?.body !== undefined ? JSON.stringify(v.response.body, null, 2) : (v.response?.bodyText ?? '');
  return `<details${i < 20 ? ' open' : ''} data-op="${esc(`${v.operation}@${v.apiVersion}`)}" data-check="${esc(v.check)}" data-verdict="${known ? 'known' : 'failed'}"${known ? ' class="known"' : ''}><summary><b>${i + 1}. ${esc(v.operation)}@${esc(v.apiVersion)}</b> · <code>${esc(v.check)}</code>${v.rule ? ` · rule <code>${esc(v.rule)}</code>` : ''}${known ? ' · <b>known</b> (baseline)' : ''} — ${esc(v.message)}</summary>
<p>case <code>${esc(v.caseId)}</code> (${esc(v.kind)}${v.label ? `: ${esc(v.label)}` : ''}) · seed ${esc(v.seed)}${v.path ? ` · path <code>${esc(v.path)}</code>` : ''}${v.shrunk ? ` · ${esc(shrinkText(v))}` : ''} · response ${esc(response)}</p>
${v.sequence ? `<p>sequence: ${v.sequence.map((s) => esc(s)).join(' → ')}</p>` : ''}${v.note ? `<p>note: ${esc(v.note)}</p>` : ''}
<pre>${esc(v.curl)}</pre>${body ? `<details><summary>response body</summary><pre>${esc(body.slice(0, 4000))}</pre></details>` : ''}</details>`;
}

/** reports/report.html: one self-contained page (one inline script, no external assets) for a CI artifact or a browser. */
export class HtmlReport extends TallyReport implements ReportHandler {
  async close(): Promise<void> {
    const t = this.tally;
    const totals = t.totals;
    const g = gateView(t);
    const [cls, verdict] = [g.level, g.verdict];
    const r = t.restore ? restoreSummary(t.restore) : undefined;
    const restore = r ? `<p>${esc(r.summary)}</p><ul>${r.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>` : '';
    const rows = [...t.operations.values()]
      .map((o) => `<tr><td>${esc(o.id)}</td><td>${esc(o.apiVersion)}</td><td class="n">${o.cases}</td><td class="n${o.violations > 0 ? ' bad' : ''}">${o.violations}</td><td class="n">${o.skipped}</td><td class="n">${o.notes}</td></tr>`)
      .join('\n');
    const checks = [...t.operations.values()]
      .flatMap((o) => [...o.checks.entries()].map(([id, c]) => `<tr data-op="${esc(`${o.id}@${o.apiVersion}`)}" data-check="${esc(id)}" data-verdict="${c.failed > 0 ? 'failed' : c.passed > 0 ? 'passed' : 'skipped'}"><td>${esc(o.id)}@${esc(o.apiVersion)}</td><td><code>${esc(id)}</code></td><td class="n">${c.passed}</td><td class="n${c.failed > 0 ? ' bad' : ''}">${c.failed}</td><td class="n">${c.skipped}</td></tr>`))
      .join('\n');
    const ops = [...t.operations.values()].map((o) => `${o.id}@${o.apiVersion}`);
    const checkIds = [...new Set([...t.operations.values()].flatMap((o) => [...o.checks.keys()]))].sort();
    const filters = `<div class="filters">${options('operation', 'op', ops)}${options('check', 'check', checkIds)}${options('verdict', 'verdict', ['failed', 'known', 'passed', 'skipped'])}<span id="f-count"></span></div>`;
    const statuses = g.statuses.map((r) => `<tr><td>${esc(r.operation)}@${esc(r.apiVersion)}</td><td>${esc(statusCell(r))}</td><td>${esc(otherCell(r))}</td></tr>`).join('\n');
    const gate = [...g.failures.map((f) => `<li class="bad">${esc(f)}</li>`), ...g.stale.map((s) => `<li class="warn">stale baseline entry (matched nothing): ${esc(s)}</li>`)].join('');
    const skips = [...t.skips.values()].map((s) => `<tr><td>${esc(s.operation)}@${esc(s.apiVersion)}</td><td><code>${esc(s.check)}</code></td><td>${esc(s.reason)}</td></tr>`).join('\n');
    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>azconform — ${esc(verdict)}</title><style>${STYLE}</style></head><body>
<h1>azconform — <span class="${cls}">${esc(verdict)}</span></h1>
<p>target ${esc(t.target?.label ?? '(none)')} (vault ${esc(t.target?.vaultUrl ?? '-')}, ARM ${esc(t.target?.armUrl ?? '-')}) · profile ${esc(t.profile ?? '-')} · seed ${esc(t.seed ?? '-')} · runs ${esc(t.runs ?? '-')} · started ${esc(t.startedAt ?? '-')} · ${(t.durationMs / 1000).toFixed(1)} s</p>
${totals ? `<p>${totals.operations} operations, ${totals.cases} cases, ${totals.checks} check results, ${totals.violations} violations, ${totals.skipped} skipped, ${totals.notes} notes</p>` : ''}
${t.errors.map((e) => `<p class="warn"><b>error:</b> ${esc(e)}</p>`).join('\n')}
${t.notices.map((n) => `<p class="warn"><b>note:</b> ${esc(n)}</p>`).join('\n')}
${restore}
${gate ? `<ul>${gate}</ul>` : ''}
<table><tr><th>operation</th><th>api-version</th><th>cases</th><th>violations</th><th>skipped checks</th><th>notes</th></tr>
${rows}</table>
<h2>Statuses: documented × observed</h2><table><tr><th>operation</th><th>documented statuses</th><th>other statuses observed</th></tr>
${statuses}</table>
${filters}
${t.violations.length > 0 ? `<h2>Violations</h2>\n${t.violations.map((v, i) => violation(v, i, g.isKnown(v))).join('\n')}` : ''}
<h2>Checks</h2><table><tr><th>operation</th><th>check</th><th>passed</th><th>failed</th><th>skipped</th></tr>
${checks}</table>
${skips ? `<h2>Skipped checks</h2><table><tr><th>operation</th><th>check</th><th>reason</th></tr>\n${skips}</table>` : ''}
<script>${FILTER_SCRIPT}</script>
</body></html>
`;
    await mkdir(this.dir, { recursive: true });
    await writeFile(path.join(this.dir, 'report.html'), html);
  }
}
