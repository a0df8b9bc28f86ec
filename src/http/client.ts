import { Pool, errors } from 'undici';
import type { HttpRequest } from '../cases/case.js';
import { parseBody, type Exchange, type HttpResponse, type TransportErrorKind } from './exchange.js';

export interface ClientOptions {
  /** Whole-exchange limit in ms: headers and the full body must arrive within it (a slow drip times out too). */
  readonly timeoutMs: number;
  /** Connections per origin; the runner bounds requests in flight to the same number. */
  readonly connections: number;
}

export type SendResult = Omit<Exchange, 'case'>;

/**
 * Explicit HTTP over undici: one keep-alive Pool per origin, a per-request deadline, and every failure turned
 * into a transport error value (never a throw), so one bad exchange never stops a run.
 */
export class HttpClient {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly options: ClientOptions) {}

  async send(req: HttpRequest): Promise<SendResult> {
    const started = performance.now();
    const ms = (): number => Math.round((performance.now() - started) * 10) / 10;
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return { transportError: { kind: 'other', message: `not a URL: ${req.url}` }, ms: 0 };
    }
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const headers: Record<string, string> = { ...req.headers };
    if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const res = await this.pool(url.origin).request({
        method: req.method as 'PUT',
        path: `${url.pathname}${url.search}`,
        headers,
        body,
        signal,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
      let bodyText: string;
      try {
        bodyText = await res.body.text();
      } catch (err) {
        return { transportError: classify(err, signal, 'unreadable'), ms: ms() };
      }
      const response: HttpResponse = { status: res.statusCode, headers: flatten(res.headers), bodyText, ...parseBody(bodyText) };
      return { response, ms: ms() };
    } catch (err) {
      return { transportError: classify(err, signal), ms: ms() };
    }
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    // destroy, not close: a hung server must not keep the run from ending.
    await Promise.all(pools.map((p) => p.destroy().catch(() => undefined)));
  }

  private pool(origin: string): Pool {
    let p = this.pools.get(origin);
    if (!p) {
      p = new Pool(origin, { connections: this.options.connections, keepAliveTimeout: 10_000, pipelining: 1 });
      this.pools.set(origin, p);
    }
    return p;
  }
}

function flatten(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function classify(err: unknown, signal: AbortSignal, fallback: TransportErrorKind = 'other'): { kind: TransportErrorKind; message: string } {
  const e = err as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code ?? '';
  if (signal.aborted || err instanceof errors.HeadersTimeoutError || err instanceof errors.BodyTimeoutError || e.name === 'TimeoutError') {
    return { kind: 'timeout', message: 'no complete response within the timeout' };
  }
  if (code === 'ECONNREFUSED') return { kind: 'refused', message: `connection refused (${e.message ?? code})` };
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return { kind: 'reset', message: `connection reset by the server (${e.message ?? code})` };
  }
  return { kind: fallback, message: e.message ?? String(err) };
}
