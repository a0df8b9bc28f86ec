import { fixedTokens } from '../src/auth/tokens.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Profile } from '../src/checks/types.js';
import { Engine, sumTotals } from '../src/engine/run.js';
import { EventBus } from '../src/events/bus.js';
import type { ReportHandler } from '../src/events/types.js';
import { HttpClient, poolConnections, type SendResult } from '../src/http/client.js';
import { parseBody } from '../src/http/exchange.js';
import type { HttpRequest } from '../src/cases/case.js';
import { loadOperations, selectOperations, type Operation } from '../src/model/registry.js';
import type { Pkcs12Certificate } from '../src/pki/pkcs12.js';
export { sessionCertificates } from '../src/pki/session-certificates.js';
import { ExchangeLogReport } from '../src/reports/exchanges.js';
import { JsonSummaryReport } from '../src/reports/json.js';
import { JunitReport } from '../src/reports/junit.js';
import { MarkdownReport } from '../src/reports/markdown.js';
import { SUITES } from '../src/suites/all.js';
import { DEFAULT_FIXTURES } from '../src/targets/fixtures.js';
import { perSecond } from './stats.js';

/** `azconform run` defaults: --runs 50, --concurrency 4. */
export const CLI_DEFAULT_RUNS = 50;
export const CLI_DEFAULT_CONCURRENCY = 4;
/** One fixed seed for every kit run: the same cases (and the same shrink steps) in every sample. */
export const BENCH_SEED = 1234;

/** The operations `azconform run` exercises by default: all four, each at its seed api-version. */
export function defaultOperations(): Operation[] {
  const { selected, errors } = selectOperations(loadOperations(), {});
  if (errors.length > 0) throw new Error(errors.join('; '));
  return selected;
}

/** HttpClient as the session builds it, counting every exchange it sends (fast-check shrink steps included). */
class CountingClient extends HttpClient {
  sent = 0;
  constructor(
    options: ConstructorParameters<typeof HttpClient>[0],
    private readonly keep?: HttpRequest[],
  ) {
    super(options);
  }
  override send(req: HttpRequest): Promise<SendResult> {
    this.sent++;
    this.keep?.push(req);
    return super.send(req);
  }
}

/**
 * The kit with no sockets: every request is answered at once, in memory, with the trivial server's answer (its
 * status, headers and body, parsed as the client parses one). What is left is the kit's own work on an exchange:
 * generate, serialise, validate, judge the rules, record. Its CPU per exchange bounds the kit's rate from above.
 */
class MemoryClient extends CountingClient {
  constructor(
    options: ConstructorParameters<typeof HttpClient>[0],
    private readonly bodyText: string,
    keep?: HttpRequest[],
  ) {
    super(options, keep);
  }
  override sendUnobserved(req: HttpRequest): Promise<SendResult> {
    this.prepare(req);
    const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(this.bodyText)) };
    return Promise.resolve({ response: { status: 200, headers, bodyText: this.bodyText, ...parseBody(this.bodyText) }, ms: 0 });
  }
}

export type Handlers = 'no-op' | 'reports';

export interface KitRunOptions {
  readonly baseUrl: (op: Operation) => string;
  readonly profile: Profile;
  readonly concurrency: number;
  readonly runs: number;
  readonly seed: number;
  readonly operations: readonly Operation[];
  readonly certificates: readonly Pkcs12Certificate[];
  /** `no-op`: an EventBus with one handler that does nothing; `reports`: the CLI's file reports in a temp dir. */
  readonly handlers: Handlers;
  /** Every request the run sends is appended here (for replaying the same traffic without the kit). */
  readonly keep?: HttpRequest[];
  /** `memory`: no sockets, every request answered at once with this body (see MemoryClient). Default: HTTP. */
  readonly memory?: { readonly body: string };
}

export interface KitRun {
  readonly ms: number;
  /** Cases recorded (case-done events): what the reports count. */
  readonly cases: number;
  /** Exchanges sent and judged: the cases plus fast-check's shrink steps. */
  readonly exchanges: number;
  readonly violations: number;
  readonly checks: number;
  readonly casesPerSec: number;
  readonly exchangesPerSec: number;
  /** Main-thread busy time (event-loop utilisation × wall) per exchange, µs: the kit's CPU, steadier than a rate. */
  readonly busyUsPerExchange: number;
}

/**
 * One `azconform run` worth of work, without the CLI around it: an Engine over the four operations and their
 * default suites, all operations at once (as runSession does), every property with the real defs. Timed from
 * the first event to the last report closed. The PKCS#12 certificates are made once by the caller (a session
 * makes them once per run too; that cost is in the end-to-end figure).
 */
export async function runKit(o: KitRunOptions): Promise<KitRun> {
  const tmp = o.handlers === 'reports' ? await mkdtemp(path.join(os.tmpdir(), 'azconform-bench-reports-')) : undefined;
  const handlers: ReportHandler[] = tmp
    ? [new JsonSummaryReport(tmp), new JunitReport(tmp), new MarkdownReport(tmp), new ExchangeLogReport(tmp)]
    : [{ handle: () => undefined }];
  const bus = new EventBus(handlers);
  const options = { timeoutMs: 5_000, connections: poolConnections(o.concurrency) };
  const client = o.memory ? new MemoryClient(options, o.memory.body, o.keep) : new CountingClient(options, o.keep);
  const opsRef = o.operations.map((op) => ({ id: op.id, apiVersion: op.apiVersion }));
  try {
    const t0 = performance.now();
    const elu0 = performance.eventLoopUtilization();
    bus.emit({ type: 'run-started', target: { kind: 'url', label: 'bench', vaultUrl: '-', armUrl: '-' }, profile: o.profile, seed: o.seed, runs: o.runs, operations: opsRef, startedAt: new Date().toISOString() });
    const engine = new Engine({ baseUrl: o.baseUrl, profile: o.profile, seed: o.seed, runs: o.runs, concurrency: o.concurrency, token: fixedTokens('azconform-placeholder-token'), fixtures: DEFAULT_FIXTURES, certificates: o.certificates, client, bus });
    const results = await Promise.all(
      o.operations.map((op) => {
        const suite = SUITES.find((s) => s.operation === op.id);
        if (!suite) throw new Error(`no suite for ${op.id}`);
        return engine.runOperation(op, suite.properties);
      }),
    );
    const totals = sumTotals(o.operations.length, results);
    bus.emit({ type: 'run-done', durationMs: performance.now() - t0, totals, exitCode: totals.violations > 0 ? 1 : 0 });
    await bus.close();
    const ms = performance.now() - t0;
    const busyMs = performance.eventLoopUtilization(elu0).active;
    return {
      ms,
      cases: totals.cases,
      exchanges: client.sent,
      violations: totals.violations,
      checks: totals.checks,
      casesPerSec: perSecond(totals.cases, ms),
      exchangesPerSec: perSecond(client.sent, ms),
      busyUsPerExchange: client.sent > 0 ? (busyMs * 1000) / client.sent : 0,
    };
  } finally {
    await client.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }
}
