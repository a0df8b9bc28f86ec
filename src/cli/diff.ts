/**
 * `azconform diff --operation ID --from A --to B` (or two spec files): every difference of one operation between two
 * versions, classified as breaking or compatible for clients and for services and emulators.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DiffInputError, diffOperation, loadFile, loadVersion, versionsOf, type DiffResult } from '../diff/index.js';
import { probeOnTarget } from '../diff/probe-run.js';
import { whyLive } from '../targets/live.js';
import { formatJunit, formatMarkdown, formatText } from '../diff/render.js';
import { loadOperations } from '../model/registry.js';
import { DEFAULT_FIXTURES } from '../targets/fixtures.js';
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
  --fail-on WHAT       breaking-for-clients, breaking-for-services, or (with --target) not-observed: exit 1
                       when there is such a change
  -h, --help           this text

Checked against a target (--from/--to only): each change is provoked and reported observed, not observed or
cannot be provoked. A new request member is sent in a realistic body at B (observed: accepted and applied) and at
A (told: applied, ignored or refused); each new enum value of a request member is sent at B (observed: accepted);
a new response member is looked for in B's answer. The probes write to the fixtures (the seed examples' names),
snapshotted before and restored after, as a run does.
  --target URL         the target (one base URL for both planes; loopback or private unless --allow-live)
  --token TOKEN        bearer token (default: $AZURE_ACCESS_TOKEN, else a placeholder for emulators)
  --allow-live         allow a target that is neither loopback nor a private address
  --no-restore         leave what the probes changed
  --timeout MS         per-request deadline (default 5000)
  --seed N             the realistic bodies' seed (default 1)

Exit codes: 0 (no change of the --fail-on kind), 1 such a change, 2 bad input or an unreachable target.`;

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
        target: { type: 'string' },
        token: { type: 'string' },
        'allow-live': { type: 'boolean' },
        'no-restore': { type: 'boolean' },
        timeout: { type: 'string' },
        seed: { type: 'string' },
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
  const FAIL_ON = { 'breaking-for-clients': 'clients', 'breaking-for-services': 'services', 'not-observed': 'not-observed' } as const;
  if (failOnRaw !== undefined && !(failOnRaw in FAIL_ON)) throw new UsageError(`--fail-on must be breaking-for-clients, breaking-for-services or not-observed, got ${JSON.stringify(failOnRaw)}`);
  const failOn = failOnRaw === undefined ? undefined : FAIL_ON[failOnRaw as keyof typeof FAIL_ON];
  if (failOn === 'not-observed' && !v.target) throw new UsageError('--fail-on not-observed needs --target');
  const target = v.target;
  if (target !== undefined) {
    const url = URL.canParse(target) ? new URL(target) : undefined;
    if (!url || !/^https?:$/.test(url.protocol)) throw new UsageError(`--target must be an http(s) URL, got ${JSON.stringify(target)}`);
    // The same guard as a run's (src/targets/live.ts): the probes write to the target.
    const live = await whyLive(target);
    if (live && !v['allow-live']) throw new UsageError(`${live}: the probes write to it; give --allow-live to probe a live service`);
  }
  const num = (name: string, raw: string | undefined, def: number): number => {
    const n = raw === undefined ? def : Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got ${JSON.stringify(raw)}`);
    return n;
  };
  const timeoutMs = num('timeout', v.timeout, 5000);
  const seed = num('seed', v.seed, 1);
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
      if (target !== undefined) {
        const ops = loadOperations();
        const at = (version: string) => ops.find((o) => o.id === v.operation && o.apiVersion === version);
        const from = at(v.from);
        const to = at(v.to);
        if (!from || !to) throw new DiffInputError(`${v.operation} has no generated model at ${from ? v.to : v.from}: run npm run generate`);
        const results = await probeOnTarget(result.changes, {
          from,
          to,
          target,
          token: v.token ?? process.env.AZURE_ACCESS_TOKEN ?? 'azconform-placeholder-token',
          fixtures: DEFAULT_FIXTURES,
          timeoutMs,
          restore: v['no-restore'] !== true,
          seed,
          log: (line) => console.error(line),
        });
        const unreachable = results.length > 0 && results.every((r) => /no answer \((refused|timeout)/.test(r.evidence) || r.observation === 'cannot be provoked') && results.some((r) => /no answer/.test(r.evidence));
        if (unreachable) throw new UsageError(`${target} did not answer the probes (${results.find((r) => /no answer/.test(r.evidence))?.evidence ?? ''})`);
        result = { ...result, probed: { target, results } };
      }
    } else if (target !== undefined) {
      throw new UsageError('--target needs --from and --to (api-versions of the kit), not spec files');
    } else {
      throw new UsageError('give --from A --to B, or two spec files (see --help)');
    }
    const text = format === 'junit' ? formatJunit(result, failOn) : FORMATS[format](result);
    if (v.out) await writeFile(v.out, text);
    else process.stdout.write(text);
    const failing =
      failOn === 'not-observed' ? (result.probed?.results.some((p) => p.observation === 'not observed') ?? false) : failOn ? result.breaking[failOn] > 0 : false;
    return failing ? EXIT.violations : EXIT.ok;
  } catch (err) {
    if (err instanceof DiffInputError) throw new UsageError(err.message);
    throw err;
  }
}
