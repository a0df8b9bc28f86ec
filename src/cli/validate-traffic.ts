/**
 * `azconform validate-traffic FILE…`: judge recorded traffic (HAR 1.2, Azure SDK test-proxy recordings) against
 * the specs. Exit 0 clean, 1 violations, 2 bad input (UsageError: one line on stderr, via app.ts).
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { formatJson, formatTable } from '../traffic/format.js';
import { TrafficInputError } from '../traffic/recorded.js';
import { validateTraffic, type TrafficInput } from '../traffic/validate.js';
import { EXIT, UsageError } from './exit-codes.js';

const HELP = `Usage: azconform validate-traffic FILE… [--json]

Validate recorded traffic against azconform's specs. Each FILE is a HAR 1.2 file or an Azure SDK test-proxy
recording ({"Entries": [...]}). Every exchange is matched to an operation by method, path and api-version (all
api-versions we have specs for); its request and response are checked. Exchanges of other operations are
reported as "not covered" and do not fail the run. Properties the spec does not list are allowed (Azure models
are open); a value outside an open (modelAsString) enum is a note, not a violation. A request without
Authorization and without a body that is answered 401 is judged as the client's auth challenge probe.

Options:
  --json      print a JSON document (stable keys, no timings) on stdout instead of the table
  -h, --help  show this help

Exit codes: 0 no violations, 1 violations found, 2 bad input (missing file, not JSON, not HAR or recording).`;

export async function run(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    throw new UsageError(`${oneLine((err as Error).message)} (see --help)`);
  }
  if (parsed.values.help) {
    console.log(HELP);
    return EXIT.ok;
  }
  const files = parsed.positionals;
  if (files.length === 0) throw new UsageError('no files given (usage: azconform validate-traffic FILE… [--json])');

  const inputs: TrafficInput[] = [];
  for (const file of files) inputs.push({ file, content: await readJson(file) });

  let result: ReturnType<typeof validateTraffic>;
  try {
    result = validateTraffic(inputs);
  } catch (err) {
    if (err instanceof TrafficInputError) throw new UsageError(oneLine(err.message));
    throw err;
  }
  process.stdout.write(parsed.values.json ? formatJson(result) : formatTable(result));
  return result.totals.violations > 0 ? EXIT.violations : EXIT.ok;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    allowPositionals: true,
    strict: true,
  });
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${file}: no such file`);
    if (code === 'EISDIR') throw new UsageError(`${file}: is a directory, not a file`);
    throw new UsageError(`${file}: cannot read (${code ?? oneLine((err as Error).message)})`);
  }
  try {
    // Tools on Windows save HARs with a byte-order mark.
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (err) {
    throw new UsageError(`${file}: not JSON (${oneLine((err as Error).message)})`);
  }
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
