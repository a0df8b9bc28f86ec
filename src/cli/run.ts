import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Profile } from '../checks/types.js';
import { loadOperations, selectOperations } from '../model/registry.js';
import { parseShard } from '../engine/shard.js';
import { EXCHANGE_MODES, isExchangeMode } from '../reports/exchanges.js';
import { DEFAULT_FIXTURES, mergeFixtures } from '../targets/fixtures.js';
import { startEmbeddedTarget, type ResolvedTarget } from '../targets/resolve.js';
import type { TlsTrust } from '../http/tls.js';
import { AUTH_FLAGS, AUTH_HELP, authOptions, type AuthConfig } from './auth-options.js';
import { EXIT, UsageError } from './exit-codes.js';
import { loadBaseline, minCoverage, statusList } from './gate-options.js';

/**
 * The modules of the run itself (engine, suites, gate, reports), loaded once the embedded Prism is starting:
 * ~0.25 s of CPU that otherwise lay before its spawn, now overlapping its start-up on the other core.
 */
async function runModules() {
  const [session, suites, gate, restore, baselineFile, events, exchanges, json, junit, html, markdown, sarif, terminal] = await Promise.all([
    import('../engine/session.js'),
    import('../suites/all.js'),
    import('../gate/gate.js'),
    import('../restore/index.js'),
    import('../reports/baseline-file.js'),
    import('../reports/events.js'),
    import('../reports/exchanges.js'),
    import('../reports/json.js'),
    import('../reports/junit.js'),
    import('../reports/html.js'),
    import('../reports/markdown.js'),
    import('../reports/sarif.js'),
    import('../reports/terminal.js'),
  ]);
  return { ...session, ...suites, ...gate, ...restore, ...baselineFile, ...events, ...exchanges, ...json, ...junit, ...html, ...markdown, ...sarif, ...terminal };
}

const HELP = `azconform run — conformance suites for the four operations

Usage: azconform run [options]        (npm run conform -- [options])

Target (default: an embedded Prism mock per spec, started on loopback and stopped at the end)
  --target URL          one base URL for every operation (data plane at its root, ARM under /subscriptions/…)
  --vault-url URL       base URL for the Key Vault data-plane operations
  --arm-url URL         base URL for the ARM operations (Key Vault management, API Management)
  --profile mock|service  what the target is held to (default: mock for Prism, service for a URL)
  --no-restore          do not snapshot and restore what the run changes on the target (contacts, the fixture
                        certificate, access policies, API Management certificates); default: restore under
                        profile service (--restore forces it on under mock); every write is journaled to
                        reports/restore-journal.jsonl first: azconform restore FILE cleans up a killed run
  --provision           a fixture certificate the target does not hold is imported (a PKCS#12 the kit makes)
                        before the run and deleted (and purged) after it; without it, a missing fixture ends
                        the run before the first case (exit 2)

Selection and generation
  --operations LIST     comma-separated operation ids (SetCertificateContacts, UpdateCertificate,
                        Vaults_UpdateAccessPolicy, Certificate_CreateOrUpdate); default all four
  --api-version V       use this api-version for every selected operation that has it (default: seed versions)
  --api-versions LIST   several api-versions (comma-separated) or "all": each operation at each version it has, with
                        the same seed per property at every version (the same cases wherever the schemas agree);
                        the versions of one operation run one after another; reports keep one row per version
  --runs N              fast-check runs per property (default 50)
  --seed N              replay a run (default: random, printed)

HTTP
  --timeout MS          per-request deadline (default 5000)
  --concurrency N       requests in flight (default 4)
  --connections N       keep-alive connections per origin (default: concurrency + 1, a spare so the next request
                        need not wait for a connection to be freed; 1 for a target that takes one at a time)
  --ca FILE             trust this PEM certificate (an emulator's self-signed one) besides the system CAs
  --insecure            do not verify the target's TLS certificate (every report says so)
  --rps N               at most N requests a second (default: none; 5 against a live target)

Live targets (neither loopback nor a private address: Azure itself)
  --allow-live          run against a live target (or "live": true in the config); without it: exit 2, nothing sent.
                        The run prints what it will write before the first write, and restores it afterwards

${AUTH_HELP}

Fixtures (existing resources on the target; default: the seed examples' names)
  --certificate-name N, --certificate-version V     the Key Vault certificate UpdateCertificate patches
  --subscription ID                                  the ARM subscription
  --vault-resource-group RG, --vault-name N, --tenant ID   the Key Vault (and its tenant) for access policies
  --apim-resource-group RG, --apim-service N         the API Management service

Files
  --config FILE         JSON config: any option above by its long name in camelCase, plus "fixtures"
                        {certificate:{name,version}, subscriptionId, vault:{resourceGroup,name,tenantId},
                         apiManagement:{resourceGroup,serviceName,keyVaultSecret:{secretIdentifier,identityClientId}}}
                        (default: azconform.config.json if present); keyVaultSecret: a secret the API Management
                        service can read, so certificates referencing it must be accepted
  --reports DIR         where summary.json, junit.xml, summary.md, report.html, azconform.sarif, exchanges.jsonl
                        (and, for a shard, events.jsonl) go (default reports/)
  --exchanges all|failing|none   what exchanges.jsonl keeps: the exchanges of failing cases and their shrink
                        steps (failing, the default), every exchange sent (all), or no file (none)
  --quiet               only violations and the summary on the terminal
  --verbose             also a line for every case (id, kind, answer, time, failed checks)

CI gate
  --baseline FILE       accepted violations ({"entries":[{signature,reason,owner,expires}]}): a matching violation
                        is reported as known and does not fail the run; an expired entry fails it; an entry that
                        matches nothing is reported as stale
  --write-baseline FILE write this run's violations as a starting baseline (one entry per signature, owner and
                        reason to fill in, expires in 90 days)
  --require-statuses L  comma-separated statuses (e.g. 201,404,412) each selected operation that documents them
                        must have answered at least once; the run fails naming what was never observed
  --min-coverage N      the percentage of each operation's request-body constraints (summary.json
                        coverage.constraints) the run must send broken; the run fails naming those never sent
  --shard i/n           run only shard i of n (operation × api-version × property, balanced by expected cases,
                        the same seed on every shard); \`azconform merge DIR…\` joins the shards' reports
  -h, --help            this text

Exit codes: 0 no violations, 1 violations found, 2 usage error, unreachable target or broken spec.`;

interface Config extends AuthConfig {
  target?: string;
  vaultUrl?: string;
  armUrl?: string;
  profile?: string;
  operations?: string | string[];
  apiVersion?: string;
  apiVersions?: string | string[];
  runs?: number;
  seed?: number;
  timeout?: number;
  concurrency?: number;
  connections?: number;
  reports?: string;
  exchanges?: string;
  fixtures?: unknown;
  restore?: boolean;
  live?: boolean;
  ca?: string;
  insecure?: boolean;
  rps?: number;
  baseline?: string;
  requireStatuses?: string;
  minCoverage?: number;
  provision?: boolean;
}

async function loadConfig(file: string | undefined): Promise<Config> {
  const chosen = file ?? 'azconform.config.json';
  let text: string;
  try {
    text = await readFile(chosen, 'utf8');
  } catch {
    if (file) throw new UsageError(`cannot read config file ${file}`);
    return {};
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Config;
  } catch (err) {
    throw new UsageError(`config file ${chosen} is not a JSON object (${(err as Error).message})`);
  }
}

function int(name: string, raw: string | number | undefined, def: number, min: number): number {
  if (raw === undefined) return def;
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got ${JSON.stringify(raw)}`);
  return n;
}

/** fixtures.apiManagement.keyVaultSecret: a secret URL and, optionally, the client id of the identity reading it. */
function isSecretFixture(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as { [k: string]: unknown };
  return typeof o.secretIdentifier === 'string' && /^https:\/\//.test(o.secretIdentifier) && (o.identityClientId === undefined || typeof o.identityClientId === 'string') && Object.keys(o).every((k) => k === 'secretIdentifier' || k === 'identityClientId');
}

/** Only the keys that were given, so an absent flag never blanks a configured fixture. */
function defined(o: { [k: string]: string | undefined }): { [k: string]: string } {
  return Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined));
}

/** --ca (a readable PEM certificate) and --insecure; they contradict each other. */
async function tlsTrust(ca: string | undefined, insecure: boolean | undefined): Promise<TlsTrust | undefined> {
  if (ca !== undefined && insecure) throw new UsageError('--ca and --insecure contradict each other (--ca verifies against the file, --insecure verifies nothing)');
  if (insecure) return { insecure: true };
  if (ca === undefined) return undefined;
  let pem: string;
  try {
    pem = await readFile(ca, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read --ca ${ca} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (!/-----BEGIN CERTIFICATE-----/.test(pem)) throw new UsageError(`--ca ${ca} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  return { ca: pem, caFile: ca };
}

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        target: { type: 'string' },
        'vault-url': { type: 'string' },
        'arm-url': { type: 'string' },
        profile: { type: 'string' },
        operations: { type: 'string' },
        'api-version': { type: 'string' },
        'api-versions': { type: 'string' },
        runs: { type: 'string' },
        seed: { type: 'string' },
        timeout: { type: 'string' },
        concurrency: { type: 'string' },
        connections: { type: 'string' },
        ...AUTH_FLAGS,
        config: { type: 'string' },
        reports: { type: 'string' },
        exchanges: { type: 'string' },
        quiet: { type: 'boolean' },
        baseline: { type: 'string' },
        'write-baseline': { type: 'string' },
        'require-statuses': { type: 'string' },
        'min-coverage': { type: 'string' },
        shard: { type: 'string' },
        verbose: { type: 'boolean' },
        restore: { type: 'boolean' },
        'no-restore': { type: 'boolean' },
        ca: { type: 'string' },
        insecure: { type: 'boolean' },
        rps: { type: 'string' },
        'allow-live': { type: 'boolean' },
        provision: { type: 'boolean' },
        'certificate-name': { type: 'string' },
        'certificate-version': { type: 'string' },
        subscription: { type: 'string' },
        'vault-resource-group': { type: 'string' },
        'vault-name': { type: 'string' },
        tenant: { type: 'string' },
        'apim-resource-group': { type: 'string' },
        'apim-service': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${HELP}`);
  }
  if (values.help) {
    console.log(HELP);
    return EXIT.ok;
  }
  const cfg = await loadConfig(values.config);
  const profileRaw = values.profile ?? cfg.profile;
  if (profileRaw !== undefined && profileRaw !== 'mock' && profileRaw !== 'service') {
    throw new UsageError(`--profile must be mock or service, got ${JSON.stringify(profileRaw)}`);
  }
  const urls = { target: values.target ?? cfg.target, vaultUrl: values['vault-url'] ?? cfg.vaultUrl, armUrl: values['arm-url'] ?? cfg.armUrl };
  for (const [k, u] of Object.entries(urls)) {
    if (u !== undefined && !/^https?:\/\/[^/]+/.test(u)) throw new UsageError(`--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} must be an http(s) URL, got ${JSON.stringify(u)}`);
  }
  const opsRaw = values.operations ?? cfg.operations;
  const opIds = (Array.isArray(opsRaw) ? opsRaw : (opsRaw ?? '').split(',')).map((s) => s.trim()).filter(Boolean);
  const apiVersion = values['api-version'] ?? cfg.apiVersion;
  const versionsRaw = values['api-versions'] ?? cfg.apiVersions;
  const versionList = (Array.isArray(versionsRaw) ? versionsRaw : (versionsRaw ?? '').split(',')).map((s) => s.trim()).filter(Boolean);
  if (apiVersion && versionList.length > 0) throw new UsageError('--api-version and --api-versions contradict each other: give one');
  const apiVersions = versionList.length === 1 && versionList[0] === 'all' ? 'all' : versionList.length > 0 ? versionList : undefined;
  const { selected, errors } = selectOperations(loadOperations(), { operations: opIds, ...(apiVersion ? { apiVersion } : {}), ...(apiVersions ? { apiVersions } : {}) });
  if (errors.length > 0) throw new UsageError(errors.join('; '));

  if (values.quiet && values.verbose) throw new UsageError('--quiet and --verbose contradict each other');
  if (values.restore && values['no-restore']) throw new UsageError('--restore and --no-restore contradict each other');
  const concurrency = int('concurrency', values.concurrency ?? cfg.concurrency, 4, 1);
  const keyVaultSecret = (cfg.fixtures as { apiManagement?: { keyVaultSecret?: unknown } } | undefined)?.apiManagement?.keyVaultSecret;
  if (keyVaultSecret !== undefined && !isSecretFixture(keyVaultSecret)) {
    throw new UsageError(`config fixtures.apiManagement.keyVaultSecret must be {"secretIdentifier": "https://…", "identityClientId"?: "…"}, got ${JSON.stringify(keyVaultSecret)}`);
  }
  if (cfg.restore !== undefined && typeof cfg.restore !== 'boolean') throw new UsageError(`config "restore" must be true or false, got ${JSON.stringify(cfg.restore)}`);
  const restore = values['no-restore'] ? false : values.restore ? true : cfg.restore;
  for (const k of ['live', 'insecure'] as const) {
    if (cfg[k] !== undefined && typeof cfg[k] !== 'boolean') throw new UsageError(`config "${k}" must be true or false, got ${JSON.stringify(cfg[k])}`);
  }
  const tls = await tlsTrust(values.ca ?? cfg.ca, values.insecure ?? cfg.insecure);
  const rpsRaw = values.rps ?? cfg.rps;
  if (cfg.provision !== undefined && typeof cfg.provision !== 'boolean') throw new UsageError(`config "provision" must be true or false, got ${JSON.stringify(cfg.provision)}`);
  const provision = values.provision === true || cfg.provision === true;
  const seed = int('seed', values.seed ?? cfg.seed, Math.floor(Math.random() * 2 ** 31), 0);
  const reports = path.resolve(values.reports ?? cfg.reports ?? 'reports');
  const baselineFile = values.baseline ?? cfg.baseline;
  const min = minCoverage(values['min-coverage'] ?? cfg.minCoverage);
  const shard = values.shard !== undefined ? parseShard(values.shard) : undefined;
  if (typeof shard === 'string') throw new UsageError(shard);
  const exchanges = values.exchanges ?? cfg.exchanges ?? 'failing';
  if (!isExchangeMode(exchanges)) throw new UsageError(`--exchanges must be ${EXCHANGE_MODES.join(', ')}, got ${JSON.stringify(exchanges)}`);

  const runs = int('runs', values.runs ?? cfg.runs, 50, 1);
  const timeoutMs = int('timeout', values.timeout ?? cfg.timeout, 5000, 1);
  const connections = (values.connections ?? cfg.connections) !== undefined ? int('connections', values.connections ?? cfg.connections, 1, 1) : undefined;
  const rps = rpsRaw !== undefined ? int('rps', rpsRaw, 0, 1) : undefined;

  // No URL: the embedded Prism starts now, before the run's own modules load (runModules), so that its start-up
  // (0.6 s of CPU) runs on the other core meanwhile. The session takes it over; an error before the session
  // starts (a broken baseline file) closes it, since a running child would keep this process alive.
  const started: Promise<ResolvedTarget> | undefined = urls.target ?? urls.vaultUrl ?? urls.armUrl ? undefined : startEmbeddedTarget(selected, { root: process.cwd() });
  started?.catch(() => undefined); // awaited by the session, which reports a failure to start
  // A Ctrl-C (or SIGTERM) from here until the session has its own handlers is held and then handed to them: the
  // run ends as one interrupted while Prism starts (reports written, Prism stopped, exit 130).
  let pending: NodeJS.Signals | undefined;
  const hold = (signal: NodeJS.Signals): void => void (pending ??= signal);
  const release = (): void => {
    process.off('SIGINT', hold);
    process.off('SIGTERM', hold);
  };
  if (started) {
    process.on('SIGINT', hold);
    process.on('SIGTERM', hold);
  }
  try {
    const m = await runModules();
    const gate = new m.Gate({ ...(baselineFile ? { baseline: await loadBaseline(baselineFile) } : {}), requireStatuses: statusList(values['require-statuses'] ?? cfg.requireStatuses), ...(min !== undefined ? { minCoverage: min } : {}) });
    const writeBaseline = values['write-baseline'] ? [new m.BaselineWriter(path.resolve(values['write-baseline']))] : [];
    const session = m.runSession({
      operations: selected,
      suites: m.SUITES,
      ...(started ? { started } : {}),
      ...(profileRaw ? { profile: profileRaw as Profile } : {}),
      ...(urls.target ? { target: urls.target } : {}),
      ...(urls.vaultUrl ? { vaultUrl: urls.vaultUrl } : {}),
      ...(urls.armUrl ? { armUrl: urls.armUrl } : {}),
      seed,
      runs,
      timeoutMs,
      concurrency,
      ...(connections !== undefined ? { connections } : {}),
      auth: authOptions(values, cfg),
      // Flags win over the config file, which wins over the seed defaults.
      fixtures: mergeFixtures(mergeFixtures(DEFAULT_FIXTURES, cfg.fixtures), {
        certificate: defined({ name: values['certificate-name'], version: values['certificate-version'] }),
        ...(values.subscription ? { subscriptionId: values.subscription } : {}),
        vault: defined({ resourceGroup: values['vault-resource-group'], name: values['vault-name'], tenantId: values.tenant }),
        apiManagement: defined({ resourceGroup: values['apim-resource-group'], serviceName: values['apim-service'] }),
      }),
      root: process.cwd(),
      ...(restore !== undefined ? { restore } : {}),
      ...(tls ? { tls } : {}),
      ...(rps !== undefined ? { rps } : {}),
      allowLive: values['allow-live'] === true || cfg.live === true,
      gate,
      ...(shard ? { shard } : {}),
      provision,
      journal: path.join(reports, m.JOURNAL_FILE),
      handlers: [
        new m.TerminalReport(process.stdout, values.quiet === true, values.verbose === true),
        new m.JsonSummaryReport(reports),
        new m.JunitReport(reports),
        new m.MarkdownReport(reports),
        new m.HtmlReport(reports),
        new m.SarifReport(reports),
        // The stream for `azconform merge`: only a shard needs it (about 1.5 MB for a default run).
        ...(shard ? [new m.EventLogReport(reports)] : []),
        new m.ExchangeLogReport(reports, exchanges),
        ...writeBaseline,
      ],
    });
    let settled = false;
    session.then(
      () => (settled = true),
      () => (settled = true),
    );
    // The session installs its handlers as it starts (before any I/O when there is no URL): once they are there
    // (or it has ended), the held signal goes to them.
    const handOver = (): void => {
      if (!settled && process.listenerCount('SIGINT') < 2) return void setImmediate(handOver);
      release();
      const signal = pending;
      pending = undefined;
      if (signal && !settled) process.emit(signal, signal);
    };
    if (started) handOver();
    const result = await session;
    console.log(`reports: ${path.relative(process.cwd(), reports) || '.'}/{summary.json,junit.xml,summary.md,report.html,azconform.sarif${shard ? ',events.jsonl' : ''}${exchanges === 'none' ? '' : ',exchanges.jsonl'}}`);
    if (values['write-baseline']) console.log(`baseline: ${values['write-baseline']}`);
    return result.exitCode;
  } catch (err) {
    release();
    await started?.then(
      (t) => t.close(),
      () => undefined,
    );
    if (pending) process.kill(process.pid, pending); // held and never handed over: as if it came now
    throw err;
  }
}
