import { Pool, errors, type Dispatcher } from 'undici';
import type { HttpRequest } from '../cases/case.js';
import { Deadlines } from './deadline.js';
import { jsonText } from './json-text.js';
import { parseBody, type Exchange, type HttpResponse, type TransportErrorKind } from './exchange.js';

export interface ClientOptions {
  /** Whole-exchange limit in ms: headers and the full body must arrive within it (a slow drip times out too). */
  readonly timeoutMs: number;
  /** Keep-alive connections per origin (the engine bounds the requests in flight; see poolConnections for the default). */
  readonly connections: number;
}

export type SendResult = Omit<Exchange, 'case'>;

/** Deadlines fire at most this late: a tenth of the limit, between 5 ms and 250 ms. */
const sweepEvery = (timeoutMs: number): number => Math.min(250, Math.max(5, Math.round(timeoutMs / 10)));

/**
 * The default number of connections for `inFlight` requests at once: one spare. undici writes to a keep-alive
 * connection that has just answered only after it has checked the idle socket for stray bytes, on a later turn of
 * the event loop; with a spare, the next request goes out at once on a connection that was idle (and checked)
 * meanwhile. The engine still has no more than `inFlight` requests out at once (--connections overrides it, for a
 * target that takes one connection at a time).
 */
export const poolConnections = (inFlight: number): number => inFlight + 1;

/** Marks an exchange cut off by its deadline (the abort reason undici hands back). */
class DeadlineError extends Error {
  override readonly name = 'TimeoutError';
}

/**
 * Explicit HTTP over undici: one keep-alive Pool per origin, a whole-exchange deadline, and every failure turned
 * into a transport error value (never a throw), so one bad exchange never stops a run. Requests go through
 * `dispatch` with a handler that collects the body itself: the streams behind `request()` and a per-request
 * AbortSignal cost more CPU than the rest of the kit's work on a case.
 */
export class HttpClient {
  private readonly pools = new Map<string, Pool>();
  private readonly deadlines: Deadlines;
  private readonly wire = new WeakMap<HttpRequest, Wire | undefined>();
  private readonly observers = new Set<(req: HttpRequest, result: SendResult) => void>();
  private readonly presend = new Set<(req: HttpRequest) => void>();

  constructor(private readonly options: ClientOptions) {
    this.deadlines = new Deadlines(sweepEvery(options.timeoutMs));
  }

  /**
   * Work out the bytes of a request ahead of sending it (body text, headers, origin and path). Optional: `send`
   * does it itself when not done. The engine calls it before a request waits for a free connection, so that at
   * low concurrency the serialisation is not on the path from one answer to the next request. The request must
   * not change afterwards: what was serialised is what is sent.
   */
  prepare(req: HttpRequest): void {
    if (!this.wire.has(req)) this.wire.set(req, toWire(req));
  }

  /**
   * Call `fn` with every exchange `send` completes (the restore ledger watches what a run changes this way).
   * Returns the function that stops it.
   */
  observe(fn: (req: HttpRequest, result: SendResult) => void): () => void {
    this.observers.add(fn);
    return () => {
      this.observers.delete(fn);
    };
  }

  /**
   * Call `fn` with every request `send` is about to send, before it goes out (the restore journal records a write
   * before it can change anything). Returns the function that stops it.
   */
  beforeSend(fn: (req: HttpRequest) => void): () => void {
    this.presend.add(fn);
    return () => {
      this.presend.delete(fn);
    };
  }

  /** Send one request; observers see the exchange. */
  send(req: HttpRequest): Promise<SendResult> {
    if (this.presend.size > 0) for (const fn of this.presend) fn(req);
    const sent = this.sendUnobserved(req);
    if (this.observers.size === 0) return sent;
    return sent.then((result) => {
      for (const fn of this.observers) fn(req, result);
      return result;
    });
  }

  /** Send one request that no observer sees: the kit's own bookkeeping (snapshot, restore), not the run's traffic. */
  sendUnobserved(req: HttpRequest): Promise<SendResult> {
    const started = performance.now();
    const w = this.wire.get(req) ?? toWire(req);
    if (!w) return Promise.resolve({ transportError: { kind: 'other', message: `not a URL: ${req.url}` }, ms: 0 });
    if ('error' in w) return Promise.resolve({ transportError: { kind: 'other', message: w.error }, ms: 0 });
    const { url, body, headers } = w;
    return new Promise<SendResult>((resolve) => {
      const exchange = new PendingExchange(started, resolve);
      exchange.forget = this.deadlines.watch(this.options.timeoutMs, () => exchange.expire());
      try {
        this.pool(url.origin).dispatch(
          {
            method: req.method as Dispatcher.HttpMethod,
            path: url.path,
            headers,
            body,
            headersTimeout: this.options.timeoutMs,
            bodyTimeout: this.options.timeoutMs,
          },
          exchange,
        );
      } catch (err) {
        exchange.onResponseError(undefined, err as Error);
      }
    });
  }

  async close(): Promise<void> {
    this.deadlines.close();
    const pools = [...this.pools.values()];
    this.pools.clear();
    // destroy, not close: a hung server must not keep the run from ending.
    await Promise.all(pools.map((p) => p.destroy().catch(() => undefined)));
  }

  private pool(origin: string): Pool {
    let p = this.pools.get(origin);
    if (!p) {
      // connect.timeout: an address that never answers must not outlast the exchange limit.
      p = new Pool(origin, { connections: this.options.connections, keepAliveTimeout: 10_000, pipelining: 1, connect: { timeout: this.options.timeoutMs } });
      this.pools.set(origin, p);
    }
    return p;
  }
}

/**
 * One exchange in flight, as undici's dispatch handler: it gathers status, headers and body chunks and settles
 * exactly once: with the response, with a transport error, or with a timeout when its deadline passes first
 * (then the request is aborted as soon as undici hands over its controller).
 */
class PendingExchange implements Dispatcher.DispatchHandler {
  forget: () => void = NOTHING;
  private controller: Dispatcher.DispatchController | undefined;
  private settled = false;
  private status: number | undefined;
  private headers: Record<string, string> = {};
  private readonly chunks: Buffer[] = [];

  constructor(
    private readonly started: number,
    private readonly resolve: (r: SendResult) => void,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.settled) controller.abort(new DeadlineError('deadline passed'));
  }

  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    // 1xx answers are interim: the final status and headers come after them.
    if (statusCode < 200) return;
    this.status = statusCode;
    this.headers = flatten(headers);
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    const bytes = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
    // A leading UTF-8 byte order mark is not text (undici's body.text() drops it too; JSON.parse would choke).
    const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    const bodyText = bytes.toString('utf8', bom ? 3 : 0);
    const response: HttpResponse = { status: this.status ?? 0, headers: this.headers, bodyText, ...parseBody(bodyText) };
    this.settle({ response, ms: this.ms() });
  }

  onResponseError(_c: Dispatcher.DispatchController | undefined, err: Error): void {
    this.settle({ transportError: classify(err, this.status === undefined ? 'other' : 'unreadable'), ms: this.ms() });
  }

  expire(): void {
    this.settle({ transportError: TIMEOUT, ms: this.ms() });
    this.controller?.abort(new DeadlineError('deadline passed'));
  }

  private settle(r: SendResult): void {
    if (this.settled) return;
    this.settled = true;
    this.forget();
    this.resolve(r);
  }

  private ms(): number {
    return Math.round((performance.now() - this.started) * 10) / 10;
  }
}

/** A shared no-op: a fresh arrow per exchange is an allocation (and, under tsx, a __name call) for nothing. */
const NOTHING = (): void => undefined;

const TIMEOUT = { kind: 'timeout', message: 'no complete response within the timeout' } as const;

/** A request as it goes on the wire; undefined when its URL cannot be parsed. */
type Wire =
  | { readonly url: { readonly origin: string; readonly path: string }; readonly body?: string; readonly headers: Record<string, string> }
  | { readonly error: string }
  | undefined;

function toWire(req: HttpRequest): Wire {
  const url = splitUrl(req.url);
  if (!url) return undefined;
  let body: string | undefined;
  try {
    body = req.body === undefined ? undefined : jsonText(req.body);
  } catch (err) {
    return { error: `the body cannot be written as JSON (${(err as Error).message})` };
  }
  const headers: Record<string, string> = { ...req.headers };
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  return body === undefined ? { url, headers } : { url, body, headers };
}

/** An http(s) URL already in canonical form (as buildRequest and URL#toString write them): plain ASCII, no fragment. */
const CANONICAL = /^(https?:\/\/[a-z0-9.\-:[\]]+)(\/[\x21-\x22\x24-\x7e]*)?$/;

const NOT_CANONICAL = /\/\.|%2e|[\\{}]|\?$/i;

/** Origin and path of a URL: a regex for canonical ones (a URL parse per request is measurable), else the parser. */
export function splitUrl(raw: string): { readonly origin: string; readonly path: string } | undefined {
  const m = CANONICAL.exec(raw);
  // What the parser would rewrite goes to the parser: dot segments, backslashes, braces, an empty query.
  if (m && !(m[2] !== undefined && NOT_CANONICAL.test(m[2]))) return { origin: m[1] as string, path: m[2] ?? '/' };
  try {
    const u = new URL(raw);
    return { origin: u.origin, path: `${u.pathname}${u.search}` };
  } catch {
    return undefined;
  }
}

function flatten(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in headers) {
    const v = headers[k];
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function classify(err: unknown, fallback: TransportErrorKind): { kind: TransportErrorKind; message: string } {
  const e = err as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code ?? '';
  if (err instanceof DeadlineError || err instanceof errors.HeadersTimeoutError || err instanceof errors.BodyTimeoutError || err instanceof errors.ConnectTimeoutError) {
    return TIMEOUT;
  }
  if (code === 'ECONNREFUSED') return { kind: 'refused', message: `connection refused (${e.message ?? code})` };
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return { kind: 'reset', message: `connection reset by the server (${e.message ?? code})` };
  }
  return { kind: fallback, message: e.message ?? String(err) };
}
