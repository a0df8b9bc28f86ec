import { Pool } from 'undici';
import { poolConnections } from '../src/http/client.js';
import { perSecond } from './stats.js';

/** The body the raw client sends: a small JSON document, like a small request body of the kit. */
export const RAW_BODY = JSON.stringify({ contacts: [{ email: 'admin@contoso.com', name: 'admin' }] });
export const RAW_HEADERS: Record<string, string> = { 'content-type': 'application/json', authorization: 'Bearer azconform-bench' };
export const RAW_PATH = '/certificates/contacts?api-version=2025-07-01';

/**
 * Raw undici requests/s: a Pool configured as the kit's HttpClient configures its pools (`connections` =
 * poolConnections(concurrency), keep-alive, no pipelining), `concurrency` loops each sending a PUT with a small JSON body and
 * reading the whole response as text — for `ms` milliseconds. Returns the number of completed requests and the
 * time taken, and the main thread's busy time per request (event-loop utilisation: what the client costs in CPU).
 */
export function rawUndici(url: string, concurrency: number, ms: number): Promise<{ requests: number; ms: number; rate: number; busyUsPerRequest: number }> {
  return rawReplay(url, concurrency, ms, [{ method: 'PUT', path: RAW_PATH, headers: RAW_HEADERS, body: RAW_BODY }]);
}

/**
 * `concurrency` loops sending the given requests in turn (round-robin) for `ms` milliseconds, each reading the
 * whole answer as text. With the kit's own traffic, the limit for exactly the bytes the kit puts on the wire,
 * without the kit's work around them.
 */
export async function rawReplay(
  url: string,
  concurrency: number,
  ms: number,
  requests: readonly { readonly method: string; readonly path: string; readonly headers: Record<string, string>; readonly body?: string }[],
): Promise<{ requests: number; ms: number; rate: number; busyUsPerRequest: number }> {
  const origin = new URL(url).origin;
  const pool = new Pool(origin, { connections: poolConnections(concurrency), keepAliveTimeout: 10_000, pipelining: 1 });
  let next = 0;
  const send = async (): Promise<void> => {
    const r = requests[next++ % requests.length];
    if (!r) return;
    const res = await pool.request({ method: r.method as 'PUT', path: r.path, headers: r.headers, body: r.body });
    await res.body.text();
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, send));
    let done = 0;
    const t0 = performance.now();
    const elu0 = performance.eventLoopUtilization();
    const deadline = t0 + ms;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < deadline) {
          await send();
          done++;
        }
      }),
    );
    const took = performance.now() - t0;
    const busyMs = performance.eventLoopUtilization(elu0).active;
    return { requests: done, ms: took, rate: perSecond(done, took), busyUsPerRequest: done > 0 ? (busyMs * 1000) / done : 0 };
  } finally {
    await pool.destroy();
  }
}
