import { AuthError } from '../auth/tokens.js';
import { PLACEHOLDER_TOKEN } from '../auth/placeholder.js';
import { startTokens, type AuthOptions, type RunTokens } from '../auth/setup.js';
import type { Profile } from '../checks/types.js';
import { EventBus } from '../events/bus.js';
import type { GateVerdict, ReportHandler, RunEvent, TargetDescription, Totals } from '../events/types.js';
import { HttpClient, poolConnections } from '../http/client.js';
import type { TlsTrust } from '../http/tls.js';
import type { Operation } from '../model/registry.js';
import type { Pkcs12Certificate } from '../pki/pkcs12.js';
import { sessionCertificates } from '../pki/session-certificates.js';
import { warm } from '../properties/prepare.js';
import { Restorer } from '../restore/index.js';
import type { PropertyContext, PropertyDef } from '../properties/types.js';
import type { SuiteDef } from '../suites/define.js';
import type { Fixtures } from '../targets/fixtures.js';
import { whyLive } from '../targets/live.js';
import { resolveTarget, TargetError, type ResolvedTarget, type TargetOptions } from '../targets/resolve.js';
import { plannedWrites } from '../targets/writes.js';
import { barrier } from './limiter.js';
import { assignShards, type Shard } from './shard.js';
import { Engine, sumTotals, type OperationResult } from './run.js';

export interface SessionOptions extends TargetOptions {
  readonly operations: readonly Operation[];
  readonly suites: readonly SuiteDef[];
  readonly profile?: Profile;
  readonly seed: number;
  readonly runs: number;
  readonly concurrency: number;
  /** Keep-alive connections per origin; default poolConnections(concurrency), one spare. */
  readonly connections?: number;
  /** One bearer token for both planes (shorthand for `auth: { kind: 'tokens', … }`). */
  readonly token?: string;
  /** Where each plane's token comes from: the user's own, or `--auth azure` (src/auth/setup.ts); wins over `token`. */
  readonly auth?: AuthOptions;
  readonly fixtures: Fixtures;
  readonly handlers: readonly ReportHandler[];
  /** The CI gate (src/gate/): after the last case it decides 0 or 1 (baseline, required statuses). */
  readonly gate?: ReportHandler & { verdict(): GateVerdict };
  /** Snapshot what the run writes and put it back afterwards (src/restore/); default: on under profile service. */
  readonly restore?: boolean;
  /** A target that is neither loopback nor private runs only with this (--allow-live, "live": true). */
  readonly allowLive?: boolean;
  /** Why a URL is live, or undefined (default whyLive; tests stub it: no lookup leaves the machine). */
  readonly isLive?: (url: string) => Promise<string | undefined>;
  /** At most this many requests a second (--rps); default: none, or DEFAULT_LIVE_RPS against a live target. */
  readonly rps?: number;
  /** --shard i/n: run only this shard's share of operation × api-version × property (src/engine/shard.ts). */
  readonly shard?: Shard;
  /** Import a fixture certificate the target does not hold, and remove it after the run. */
  readonly provision?: boolean;
  /** Where the restore journal goes (a run killed outright is cleaned up from it); none: no journal. */
  readonly journal?: string;
  /** The target, already starting (the CLI starts the embedded Prism before the engine loads); default: resolved here. */
  readonly started?: Promise<ResolvedTarget>;
}

/**
 * The request rate against a live target unless --rps says otherwise: far under Key Vault's 4,000 transactions
 * per 10 s per vault and ARM's write bucket (200, refilled at 10 a second per subscription and principal), and
 * under the historical 1,200 ARM writes an hour only for a run of fewer than ~1,000 requests (README: the limits).
 */
export const DEFAULT_LIVE_RPS = 5;

/** The first live URL of a run and why it is live, or undefined when every URL is loopback or private. */
async function liveTarget(opts: SessionOptions): Promise<{ url: string; why: string } | undefined> {
  for (const url of [opts.target, opts.vaultUrl, opts.armUrl]) {
    if (!url) continue;
    const why = await (opts.isLive ?? whyLive)(url);
    if (why) return { url, why };
  }
  return undefined;
}
export { PLACEHOLDER_TOKEN };

export interface SessionResult {
  /** 130: interrupted (Ctrl-C or SIGTERM); the reports hold what finished before. */
  readonly exitCode: 0 | 1 | 2 | 130;
  readonly totals: Totals;
}

/**
 * One conformance run: resolve the target, run every selected operation's suite, emit the events, always end
 * with `run-done` and always close the reports — also when the target cannot be reached.
 */
export async function runSession(opts: SessionOptions): Promise<SessionResult> {
  // Started first: the keys are made on the thread pool while the target (Prism) starts up.
  const certificates: Promise<readonly Pkcs12Certificate[]> = opts.operations.some((o) => o.id === 'Certificate_CreateOrUpdate') ? sessionCertificates() : Promise.resolve([]);
  certificates.catch(() => undefined); // awaited after the target is up; a run that fails before must not leave it unhandled
  const restorer = new Restorer(opts);
  // What finished so far, for the totals of an interrupted run.
  const counted = { cases: 0, checks: 0, violations: 0 };
  const counter: ReportHandler = {
    handle: (e) => {
      if (e.type === 'case-done') {
        counted.cases++;
        counted.checks += e.outcomes.length;
      } else if (e.type === 'violation') counted.violations++;
    },
  };
  const bus = new EventBus([counter, ...(opts.gate ? [opts.gate] : []), ...opts.handlers]);
  const startedAt = new Date();
  const t0 = performance.now();
  const empty: Totals = { operations: opts.operations.length, cases: 0, checks: 0, violations: 0, skipped: 0, notes: 0 };
  // Once only: a signal during the normal end waits for it rather than cutting the restore short.
  let finishing: Promise<SessionResult> | undefined;
  const finish = (exitCode: SessionResult['exitCode'], totals: Totals): Promise<SessionResult> =>
    (finishing ??= (async () => {
      await restorer.restore(); // a no-op without a snapshot; never changes the exit code
      bus.emit({ type: 'run-done', durationMs: performance.now() - t0, totals, exitCode });
      await bus.close();
      return { exitCode, totals };
    })());

  const operations = opts.operations.map((o) => ({ id: o.id, apiVersion: o.apiVersion }));
  // Before the target is up, reports name what was asked for; after, what was resolved.
  let description: TargetDescription = { kind: opts.target ? 'url' : 'prism', label: opts.target ?? 'embedded Prism mock', vaultUrl: opts.vaultUrl ?? '-', armUrl: opts.armUrl ?? '-' };
  let profile: Profile = opts.profile ?? (opts.target ? 'service' : 'mock');
  let started = false;
  const start = (): void => {
    if (started) return;
    started = true;
    bus.emit({ type: 'run-started', target: description, profile, seed: opts.seed, runs: opts.runs, operations, startedAt: startedAt.toISOString() });
  };

  let target: ResolvedTarget | undefined;
  let client: HttpClient | undefined;
  let engine: Engine | undefined;
  let tokens: RunTokens | undefined;
  // Ctrl-C / SIGTERM, from the first moment (also while Prism starts): freeze the engine, write the reports of
  // what finished, restore live data, then exit 130. `interrupted` keeps the main flow from going on meanwhile.
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupted = true;
    start();
    bus.emit({ type: 'run-error', message: `interrupted by ${signal}: the reports hold the ${counted.cases} case(s) finished before` });
    void (engine?.stop() ?? Promise.resolve())
      .then(() => finish(130, { ...empty, cases: counted.cases, checks: counted.checks, violations: counted.violations }))
      .finally(() => target?.close())
      .finally(() => process.exit(130));
  };
  // The production guard, before anything connects (the target's start below opens connections): a live target
  // writes real state, so it must be asked for.
  const live = await liveTarget(opts);
  if (live && !opts.allowLive) {
    start();
    bus.emit({ type: 'run-error', message: `${live.url} is a live target (${live.why}): the run writes real state there; give --allow-live (or "live": true in the config) to run against it` });
    return await finish(2, empty);
  }
  const stopped = new Promise<never>(() => undefined);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const starting = opts.started ?? resolveTarget(opts.operations, opts);
  starting.catch(() => undefined); // awaited below; a rejection meanwhile must not count as unhandled
  // While the target starts, build the properties' tables and arbitraries for the profile the run will use, so
  // the run starts with them ready (the engine's prepare() finds them); work the run would do anyway, moved into
  // the wait. A guess that turns out wrong (a profile set nowhere) only costs the CPU.
  const expected: Profile = opts.profile ?? (opts.target ?? opts.vaultUrl ?? opts.armUrl ? 'service' : 'mock');
  const warming = certificates.then(
    (certs) => {
      for (const op of opts.operations) {
        const suite = opts.suites.find((s) => s.operation === op.id);
        try {
          if (!interrupted && suite) warm(suite.properties, { operation: op, fixtures: opts.fixtures, profile: expected, certificates: certs });
        } catch {
          // the engine's own prepare() meets the same error in the run, and reports it there
        }
      }
    },
    () => undefined,
  );
  try {
    try {
      target = await starting;
    } catch (err) {
      if (interrupted) return stopped;
      start();
      bus.emit({ type: 'run-error', message: err instanceof TargetError ? err.message : `cannot set up the target: ${(err as Error).message}` });
      return await finish(2, empty);
    }
    description = target.description;
    profile = opts.profile ?? target.defaultProfile;
    let certs: readonly Pkcs12Certificate[];
    try {
      certs = await certificates;
    } catch (err) {
      if (interrupted) return stopped;
      start();
      bus.emit({ type: 'run-error', message: `cannot make the certificates for API Management uploads: ${(err as Error).message}` });
      return await finish(2, empty);
    }
    await warming;
    if (interrupted) return stopped;
    start();
    const rps = opts.rps ?? (live ? DEFAULT_LIVE_RPS : undefined);
    client = new HttpClient({ timeoutMs: opts.timeoutMs, connections: opts.connections ?? poolConnections(opts.concurrency), ...(opts.tls ? { tls: opts.tls } : {}), ...(rps ? { rps } : {}) });
    for (const message of notices(opts.tls, live, rps)) bus.emit({ type: 'notice', message });
    const resolved = target;
    const dataOp = opts.operations.find((o) => o.plane === 'data');
    try {
      tokens = await startTokens(opts.auth ?? { kind: 'tokens', data: opts.token ?? PLACEHOLDER_TOKEN, arm: opts.token ?? PLACEHOLDER_TOKEN }, {
        ...(dataOp ? { vault: { url: resolved.baseUrl(dataOp), apiVersion: dataOp.apiVersion } } : {}),
        arm: opts.operations.some((o) => o.plane === 'arm'),
        send: (req) => (client as HttpClient).sendUnobserved(req),
        onProblem: (message) => bus.emit({ type: 'run-error', message }),
      });
    } catch (err) {
      if (interrupted) return stopped;
      if (!(err instanceof AuthError)) throw err;
      bus.emit({ type: 'run-error', message: err.message });
      return await finish(2, empty);
    }
    if (interrupted) return stopped;
    bus.emit({ type: 'auth', description: tokens.description });
    const token = tokens.token;
    const all = opts.operations.flatMap((op) => {
      const suite = opts.suites.find((s) => s.operation === op.id);
      return suite ? [{ op, properties: suite.properties }] : [];
    });
    if (live) {
      // Before the first write: the import of a missing fixture (--provision) is one too.
      const writes = plannedWrites(opts.operations.map((op) => ({ id: op.id, baseUrl: resolved.baseUrl(op) })), opts.fixtures, opts.provision === true);
      const restoring = restorer.enabled(profile) ? 'each is snapshotted now and restored after the run' : 'restore is OFF (--no-restore): they stay changed';
      bus.emit({ type: 'notice', message: `live target ${live.url}: the run will write ${writes.join('; ')} — ${restoring}` });
    }
    const housekeeping = { profile, client, baseUrl: resolved.baseUrl, token, emit: (e: RunEvent) => bus.emit(e) };
    // A fixture the target says does not exist is one line and exit 2, not a violation per case (--provision
    // imports a missing certificate instead).
    const ready = await restorer.prepare(housekeeping);
    if (interrupted) return stopped;
    if (!ready.ok) {
      for (const message of ready.messages) bus.emit({ type: 'run-error', message });
      return await finish(2, empty);
    }
    const suited = opts.shard ? shardOf(all, opts.shard, { fixtures: ready.fixtures, profile, certificates: certs, runs: opts.runs }) : all;
    // The engine exists before the snapshot so that a Ctrl-C during it stops the engine before its first write.
    engine = new Engine({ baseUrl: resolved.baseUrl, profile, seed: opts.seed, runs: opts.runs, concurrency: opts.concurrency, token, fixtures: ready.fixtures, certificates: certs, client, bus });
    await restorer.snapshot(housekeeping);
    const running = engine;
    // Operations run side by side; the versions of one operation in rounds, one after another, since they share
    // its fixtures. Each round has its own barrier before its sequences (which run alone).
    const rounds: (typeof suited)[] = [];
    const seen = new Map<string, number>();
    for (const s of suited) {
      const k = seen.get(s.op.id) ?? 0;
      seen.set(s.op.id, k + 1);
      (rounds[k] ??= []).push(s);
    }
    const results: OperationResult[] = [];
    for (const round of rounds) {
      const quiet = barrier(round.length);
      results.push(...(await Promise.all(round.map(({ op, properties }) => running.runOperation(op, properties, quiet)))));
    }
    const totals = sumTotals(opts.operations.length, results);
    // The gate sees every violation before it judges; without one, any violation fails the run.
    const verdict = opts.gate?.verdict();
    if (verdict) bus.emit({ type: 'gate', verdict });
    return await finish((verdict ? verdict.failures.length > 0 : totals.violations > 0) ? 1 : 0, totals);
  } catch (err) {
    bus.emit({ type: 'run-error', message: `internal error: ${(err as Error).message}` });
    await engine?.stop(); // the other operations must stop writing before the restore
    return finish(2, empty);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    tokens?.close();
    await client?.close();
    await target?.close().catch(() => undefined);
  }
}

/** What the user must know of a run's transport: TLS verification off, the rate cap. */
function notices(tls: TlsTrust | undefined, live: { url: string } | undefined, rps: number | undefined): string[] {
  return [
    ...(tls?.insecure ? ['TLS verification is OFF (--insecure): any certificate is accepted, so whoever is on the path could have answered'] : []),
    ...(rps ? [`requests are capped at ${rps} a second${live ? ' (live target; --rps N to change)' : ' (--rps)'}`] : []),
  ];
}

/** Expected cases of a property: a table's rows, a property's or a sequence's runs. */
function weight(p: PropertyDef, ctx: PropertyContext, runs: number): number {
  if (!('table' in p)) return runs;
  try {
    return p.table(ctx).length;
  } catch {
    return runs; // a table that cannot be built here fails in the engine, with its message; any weight will do
  }
}

/** This shard's properties of each operation (an operation left with none still reports, with 0 cases). */
function shardOf(
  all: readonly { op: Operation; properties: readonly PropertyDef[] }[],
  shard: Shard,
  ctx: Omit<PropertyContext, 'operation'> & { readonly runs: number },
): { op: Operation; properties: readonly PropertyDef[] }[] {
  const key = (op: Operation, p: PropertyDef): string => `${op.id}@${op.apiVersion}/${p.name}`;
  const units = all.flatMap(({ op, properties }) => properties.map((p) => ({ key: key(op, p), weight: weight(p, { ...ctx, operation: op }, ctx.runs) })));
  const owner = assignShards(units, shard.count);
  return all.map(({ op, properties }) => ({ op, properties: properties.filter((p) => owner.get(key(op, p)) === shard.index) }));
}
