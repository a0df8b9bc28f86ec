import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { mergeStreams } from '../events/merge.js';
import { EventBus } from '../events/bus.js';
import type { RunEvent } from '../events/types.js';
import { Gate } from '../gate/gate.js';
import { HtmlReport } from '../reports/html.js';
import { JsonSummaryReport } from '../reports/json.js';
import { JunitReport } from '../reports/junit.js';
import { MarkdownReport } from '../reports/markdown.js';
import { SarifReport } from '../reports/sarif.js';
import { TerminalReport } from '../reports/terminal.js';
import { EXIT, UsageError } from './exit-codes.js';
import { loadBaseline, minCoverage, statusList } from './gate-options.js';

const HELP = `azconform merge — join the reports of the shards of one run (azconform run --shard i/n)

Usage: azconform merge DIR… [--reports OUT] [--baseline FILE] [--require-statuses LIST] [--min-coverage N] [--quiet]

Reads DIR/events.jsonl of every shard and writes summary.json, junit.xml, summary.md, report.html,
and azconform.sarif to OUT (default reports/), judged as the unsharded run would be: give the
gate options (--baseline, --require-statuses, --min-coverage) here as well.

Exit codes: 0 no violations, 1 violations (or the gate failed), 2 a shard could not run or a DIR is unreadable.`;

async function readStream(dir: string): Promise<RunEvent[]> {
  const file = path.join(dir, 'events.jsonl');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${file}: is ${dir} the --reports directory of a shard?`);
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      try {
        return JSON.parse(l) as RunEvent;
      } catch {
        throw new UsageError(`${file}:${i + 1} is not JSON`);
      }
    });
}

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, strict: true, allowPositionals: true, options: { reports: { type: 'string' }, baseline: { type: 'string' }, 'require-statuses': { type: 'string' }, 'min-coverage': { type: 'string' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${HELP}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(HELP);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError(`name the shards' report directories\n\n${HELP}`);
  const merged = mergeStreams(await Promise.all(positionals.map(readStream)));
  if (typeof merged === 'string') throw new UsageError(merged);
  const reports = path.resolve(values.reports ?? 'reports');
  if (positionals.some((d) => path.resolve(d) === reports)) throw new UsageError(`--reports ${values.reports ?? 'reports'} is one of the shards: name another directory`);
  const min = minCoverage(values['min-coverage']);
  const gate = new Gate({ ...(values.baseline ? { baseline: await loadBaseline(values.baseline) } : {}), requireStatuses: statusList(values['require-statuses']), ...(min !== undefined ? { minCoverage: min } : {}) });
  const bus = new EventBus([
    gate,
    new TerminalReport(process.stdout, values.quiet === true),
    new JsonSummaryReport(reports),
    new JunitReport(reports),
    new MarkdownReport(reports),
    new HtmlReport(reports),
    new SarifReport(reports),
  ]);
  for (const e of merged.events) bus.emit(e);
  const verdict = gate.verdict();
  if (!merged.broken) bus.emit({ type: 'gate', verdict });
  const exitCode = merged.broken ? EXIT.usage : verdict.failures.length > 0 ? EXIT.violations : EXIT.ok;
  bus.emit({ type: 'run-done', durationMs: merged.durationMs, totals: merged.totals, exitCode });
  await bus.close();
  console.log(`merged ${positionals.length} shard(s) into ${path.relative(process.cwd(), reports) || '.'}/{summary.json,junit.xml,summary.md,report.html,azconform.sarif}`);
  return exitCode;
}
