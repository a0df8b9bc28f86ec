/**
 * `azconform diff --operation ID --from A --to B` (or two spec files): every difference of one operation between two
 * versions, classified as breaking or compatible for clients and for services and emulators.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DiffInputError, diffOperation, loadFile, loadVersion, versionsOf, type DiffResult } from '../diff/index.js';
import { formatJunit, formatMarkdown, formatText } from '../diff/render.js';
import { EXIT, UsageError } from './exit-codes.js';

const HELP = `Usage: azconform diff --operation ID --from A --to B [options]
       azconform diff --operation ID OLD.yaml NEW.yaml [options]

Every difference of one operation between two api-versions of azconform's specs (or two OpenAPI 3.1 files):
members added or removed, required changed, enum values added or removed (open or closed), bounds, patterns and
formats tightened or loosened, statuses and headers added or removed, readOnly changes, rules added or removed.
Each is classified twice: for clients (code written for A, talking to a service of B) and for services and
emulators (a service written for A, held to B's contract).

Options:
  --operation ID       SetCertificateContacts, UpdateCertificate, Vaults_UpdateAccessPolicy, Certificate_CreateOrUpdate
  --from A, --to B     api-versions of specs/ (azconform diff --operation ID --versions lists them)
  --versions           list the operation's api-versions and exit
  --format F           text (default), md, json or junit
  --out FILE           write there instead of stdout
  --fail-on WHAT       breaking-for-clients or breaking-for-services: exit 1 when there is such a change
  -h, --help           this text

Exit codes: 0 (no change of the --fail-on kind), 1 such a change, 2 bad input.`;

const FORMATS = { text: formatText, md: formatMarkdown, json: (r: DiffResult) => `${JSON.stringify(r, null, 2)}\n` } as const;

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        operation: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        versions: { type: 'boolean' },
        format: { type: 'string' },
        out: { type: 'string' },
        'fail-on': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message} (see --help)`);
  }
  const v = parsed.values;
  if (v.help) {
    console.log(HELP);
    return EXIT.ok;
  }
  if (!v.operation) throw new UsageError('--operation ID is required (see --help)');
  const format = v.format ?? 'text';
  if (format !== 'text' && format !== 'md' && format !== 'json' && format !== 'junit') throw new UsageError(`--format must be text, md, json or junit, got ${JSON.stringify(format)}`);
  const failOnRaw = v['fail-on'];
  if (failOnRaw !== undefined && failOnRaw !== 'breaking-for-clients' && failOnRaw !== 'breaking-for-services') throw new UsageError(`--fail-on must be breaking-for-clients or breaking-for-services, got ${JSON.stringify(failOnRaw)}`);
  const failOn = failOnRaw === 'breaking-for-clients' ? 'clients' : failOnRaw === 'breaking-for-services' ? 'services' : undefined;
  try {
    if (v.versions) {
      const known = versionsOf(v.operation);
      if (known.length === 0) throw new DiffInputError(`unknown operation ${v.operation}`);
      console.log(known.map((k) => `${k.apiVersion}  ${k.file}`).join('\n'));
      return EXIT.ok;
    }
    const files = parsed.positionals;
    let result: DiffResult;
    if (files.length === 2 && !v.from && !v.to) {
      const [a, b] = files as [string, string];
      result = diffOperation(v.operation, { label: a, doc: loadFile(a) }, { label: b, doc: loadFile(b) });
    } else if (files.length === 0 && v.from && v.to) {
      result = diffOperation(v.operation, { label: v.from, doc: loadVersion(v.operation, v.from).doc }, { label: v.to, doc: loadVersion(v.operation, v.to).doc });
    } else {
      throw new UsageError('give --from A --to B, or two spec files (see --help)');
    }
    const text = format === 'junit' ? formatJunit(result, failOn) : FORMATS[format](result);
    if (v.out) await writeFile(v.out, text);
    else process.stdout.write(text);
    return failOn && result.breaking[failOn] > 0 ? EXIT.violations : EXIT.ok;
  } catch (err) {
    if (err instanceof DiffInputError) throw new UsageError(err.message);
    throw err;
  }
}
