/**
 * `azconform compare OLD/summary.json NEW/summary.json`: what regressed, what was fixed, what is new, matched by a
 * stable signature. Exit 1 on a regression (and on a new violation with --fail-on-new), 0 otherwise, 2 bad input.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { compareSummaries, type SummaryLike } from '../compare/compare.js';
import { formatComparison } from '../compare/render.js';
import { EXIT, UsageError } from './exit-codes.js';

const HELP = `Usage: azconform compare OLD.json NEW.json [--json] [--fail-on-new]

Compares two runs' summary.json (the same target before and after an upgrade, or one target at two api-versions).
Violations match by the gate's signature: operation, check, rule and where it points (the instance path, else
the constraint the case broke, else the case's kind) — never the seed, the api-version or drawn values.
  regressed     fails now, and the old run exercised that check on that operation without this failure
  new           fails now, the old run did not exercise that check on that operation
  fixed         failed before, the new run exercised the check and it no longer fails
  not observed  failed before, the new run did not exercise the check

Options:
  --json         print the comparison as JSON
  --fail-on-new  exit 1 on a new violation too (default: only on a regression)
  -h, --help     this text

Exit codes: 0 no regression, 1 regression (or new with --fail-on-new), 2 bad input.`;

async function readSummary(file: string): Promise<SummaryLike> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`cannot read ${file} as JSON (${(err as Error).message.split('\n')[0]})`);
  }
  const s = parsed as Partial<SummaryLike> | null;
  if (!s || typeof s !== 'object' || !Array.isArray(s.violations) || !Array.isArray(s.operations)) {
    throw new UsageError(`${file} is not an azconform summary.json (no "operations" and "violations" lists)`);
  }
  return s as SummaryLike;
}

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { json: { type: 'boolean' }, 'fail-on-new': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    throw new UsageError(`${(err as Error).message} (see --help)`);
  }
  if (parsed.values.help) {
    console.log(HELP);
    return EXIT.ok;
  }
  const [oldFile, newFile, ...extra] = parsed.positionals;
  if (!oldFile || !newFile || extra.length > 0) throw new UsageError('give exactly two summary.json files (usage: azconform compare OLD.json NEW.json)');
  const c = compareSummaries(await readSummary(oldFile), await readSummary(newFile));
  process.stdout.write(parsed.values.json ? `${JSON.stringify(c, null, 2)}\n` : formatComparison(c));
  return c.counts.regressed > 0 || (parsed.values['fail-on-new'] === true && c.counts.new > 0) ? EXIT.violations : EXIT.ok;
}
