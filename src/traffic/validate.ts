/**
 * Recorded traffic against the specs, as a pure function: parsed file contents in, one outcome per exchange and
 * totals out. Every exchange is routed (method, path, api-version; every api-version we have a spec for); the
 * ones that reach one of our operations are judged by the same checks as live runs, under the `service` profile;
 * the others are "not covered", with the reason, and never fail the run.
 */
import { CHECKS } from '../checks/registry.js';
import { runChecks, type CheckOutcome } from '../checks/run.js';
import type { Check, Finding } from '../checks/types.js';
import { loadOperations, type Operation } from '../model/registry.js';
import { isMiss, Router, type RouteMiss } from '../model/route.js';
import { isHar, parseHar } from './har.js';
import { isRecording, parseRecording } from './recording.js';
import { TrafficInputError, where, type RecordedExchange, type TrafficFormat } from './recorded.js';
import { toExchange } from './to-exchange.js';

/** One input file: its name (as the user gave it) and its parsed JSON. */
export interface TrafficInput {
  readonly file: string;
  readonly content: unknown;
}

export type ExchangeResult = 'passed' | 'failed' | 'not-covered';

export interface ExchangeOutcome {
  /** 1-based, across all files, in file and entry order. */
  readonly n: number;
  readonly file: string;
  /** 1-based position of the entry in its file. */
  readonly entry: number;
  readonly method: string;
  readonly url: string;
  /** The URL's path (undecoded), what routing matched. */
  readonly path: string;
  /** 0 when the recording has no response. */
  readonly status: number;
  readonly operation?: { readonly id: string; readonly apiVersion: string; readonly service: string };
  /** How the exchange was judged: an ordinary recorded call, or the client's auth challenge probe. */
  readonly kind?: 'recorded' | 'auth';
  readonly result: ExchangeResult;
  readonly notCovered?: RouteMiss;
  readonly checks: readonly { readonly id: string; readonly status: 'passed' | 'failed' | 'skipped'; readonly skipReason?: string }[];
  /** Violations and notes, in check order. */
  readonly findings: readonly Finding[];
}

export interface TrafficTotals {
  readonly exchanges: number;
  readonly covered: number;
  readonly notCovered: number;
  readonly passed: number;
  readonly failed: number;
  readonly violations: number;
  readonly notes: number;
}

export interface TrafficResult {
  readonly files: readonly { readonly file: string; readonly format: TrafficFormat; readonly exchanges: number }[];
  readonly exchanges: readonly ExchangeOutcome[];
  readonly totals: TrafficTotals;
}

export interface ValidateOptions {
  /** Default: every operation of every api-version under generated/. */
  readonly operations?: readonly Operation[];
  /** Default: CHECKS; only those whose kinds include `recorded` or `auth` ever apply. */
  readonly checks?: readonly Check[];
}

export function detectFormat(content: unknown): TrafficFormat | undefined {
  if (isHar(content)) return 'har';
  if (isRecording(content)) return 'recording';
  return undefined;
}

/** Parse one file's content into exchanges; TrafficInputError when it is neither format or an entry is broken. */
export function readTraffic(input: TrafficInput): { format: TrafficFormat; exchanges: RecordedExchange[] } {
  const format = detectFormat(input.content);
  if (format === 'har') return { format, exchanges: parseHar(input.file, input.content) };
  if (format === 'recording') return { format, exchanges: parseRecording(input.file, input.content) };
  throw new TrafficInputError(
    `${input.file}: neither a HAR 1.2 file (log.entries) nor an Azure SDK test-proxy recording (Entries)`,
  );
}

export function validateTraffic(inputs: readonly TrafficInput[], options: ValidateOptions = {}): TrafficResult {
  const router = new Router(options.operations ?? loadOperations());
  const checks = options.checks ?? CHECKS;
  // Read every file first: a broken file stops the run before anything is judged.
  const read = inputs.map((input) => ({ file: input.file, ...readTraffic(input) }));
  const exchanges: ExchangeOutcome[] = [];
  for (const { exchanges: recs } of read) {
    const judged = recs.map((rec, i) => judge(rec, exchanges.length + 1 + i, router, checks));
    exchanges.push(...judged.map((e, i) => retriedLater(recs, judged, i) ?? e));
  }
  return {
    files: read.map((r) => ({ file: r.file, format: r.format, exchanges: r.exchanges.length })),
    exchanges,
    totals: totals(exchanges),
  };
}

function judge(rec: RecordedExchange, n: number, router: Router, checks: readonly Check[]): ExchangeOutcome {
  let url: URL;
  try {
    url = new URL(rec.request.url);
  } catch {
    throw new TrafficInputError(`${where(rec.source.file, rec.source.index)}: request URL ${JSON.stringify(rec.request.url)} is not an absolute URL`);
  }
  const base = {
    n,
    file: rec.source.file,
    entry: rec.source.index + 1,
    method: rec.request.method,
    url: rec.request.url,
    path: url.pathname,
    status: rec.response.status,
  };
  // URL decodes percent-encoded query keys, so the Key Vault SDK's `api%2Dversion` reads as `api-version`.
  const match = router.match(rec.request.method, url);
  if (isMiss(match)) return { ...base, result: 'not-covered', notCovered: match, checks: [], findings: [] };

  const converted = toExchange(rec, match);
  const outcomes = runChecks(converted.exchange, { profile: 'service' }, checks).map((o) =>
    o.check === 'request.schema' && converted.requestBodyError !== undefined ? withUnreadableBody(o, converted.requestBodyError, rec.response.status) : o,
  );
  const judged = rec.response.bodyNotCaptured ? outcomes.map(withoutBody) : outcomes;
  const findings = judged.flatMap((o) => o.findings);
  const op = match.operation;
  return {
    ...base,
    operation: { id: op.id, apiVersion: op.apiVersion, service: op.service },
    kind: converted.case.kind === 'auth' ? 'auth' : 'recorded',
    result: findings.some((f) => f.severity === 'violation') ? 'failed' : 'passed',
    checks: judged.map((o) => ({ id: o.check, status: o.status, ...(o.skipReason ? { skipReason: o.skipReason } : {}) })),
    findings,
  };
}

/** Checks that judge a response body: with none in the recording they have nothing to go on. */
const BODY_CHECKS: ReadonlySet<string> = new Set(['response.schema', 'error.envelope', 'response.rules', 'response.agrees']);

function withoutBody(o: CheckOutcome): CheckOutcome {
  return BODY_CHECKS.has(o.check) ? { check: o.check, status: 'skipped', findings: [], skipReason: 'the recording did not capture the response body' } : o;
}

/** Answers a client takes for "try again" (the SDKs' retry policies retry them, and recordings keep every attempt). */
const TRANSIENT = (status: number): boolean => status === 429 || status >= 500;

/**
 * A transient answer (429, 5xx) that the client retried, later in the same recording, with the same request, and
 * that got a lasting answer: the recording shows the SDK's retry, not the service's answer to the call. Its
 * findings become notes; what the retry got is judged on its own.
 */
function retriedLater(recs: readonly RecordedExchange[], judged: readonly ExchangeOutcome[], i: number): ExchangeOutcome | undefined {
  const rec = recs[i] as RecordedExchange;
  const outcome = judged[i] as ExchangeOutcome;
  if (!TRANSIENT(rec.response.status) || outcome.result !== 'failed') return undefined;
  const same = (r: RecordedExchange): boolean => r.request.method === rec.request.method && r.request.url === rec.request.url && r.request.bodyText === rec.request.bodyText;
  const retry = recs.slice(i + 1).find((r) => same(r) && r.response.status !== 0 && !TRANSIENT(r.response.status));
  if (!retry) return undefined;
  const because = `the client retried it and got ${retry.response.status} (entry ${retry.source.index + 1})`;
  const findings = outcome.findings.map((f): Finding => (f.severity === 'violation' ? { ...f, severity: 'note', message: `${f.message} — ${because}` } : f));
  return { ...outcome, result: 'passed', checks: outcome.checks.map((c) => (c.status === 'failed' ? { ...c, status: 'passed' } : c)), findings };
}

/**
 * request.schema sees no body when the recorded one is not JSON and would call it missing; say what it is
 * instead (the parameter findings, which carry an instance path, stay). Refused with a 4xx, it is a note, as
 * request.schema makes every finding on a request the service refused.
 */
function withUnreadableBody(o: CheckOutcome, error: string, status: number): CheckOutcome {
  const kept = o.findings.filter((f) => f.instancePath !== undefined);
  const refused = status >= 400 && status < 500;
  const finding: Finding = refused
    ? { check: 'request.schema', severity: 'note', direction: 'request', instancePath: '', message: `${error} — the service refused the request with ${status}` }
    : { check: 'request.schema', severity: 'violation', direction: 'request', instancePath: '', message: error };
  const failed = kept.some((f) => f.severity === 'violation') || !refused;
  return { ...o, status: failed ? 'failed' : 'passed', findings: [...kept, finding] };
}

function totals(exchanges: readonly ExchangeOutcome[]): TrafficTotals {
  const findings = exchanges.flatMap((e) => e.findings);
  return {
    exchanges: exchanges.length,
    covered: exchanges.filter((e) => e.result !== 'not-covered').length,
    notCovered: exchanges.filter((e) => e.result === 'not-covered').length,
    passed: exchanges.filter((e) => e.result === 'passed').length,
    failed: exchanges.filter((e) => e.result === 'failed').length,
    violations: findings.filter((f) => f.severity === 'violation').length,
    notes: findings.filter((f) => f.severity === 'note').length,
  };
}
