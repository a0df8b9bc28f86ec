import { Pool } from 'undici';
import { perSecond } from './stats.js';

/** The body the raw client sends: a small JSON document, like a small request body of the kit. */
const RAW_BODY = JSON.stringify({ contacts: [{ email: 'admin@contoso.com', name: 'admin' }] });

/**
 * Raw undici requests/s: a Pool configured as the kit's HttpClient configures its pools (`connections` =
 * concurrency, keep-alive, no pipelining), `concurrency` loops each sending a PUT with a small JSON body and
 * reading the whole response as text — for `ms` milliseconds. Returns the number of completed requests and the
 * time taken, and the main thread's busy time per request (event-loop utilisation: what the client costs in CPU).
 */
export async function rawUndici(url: string, concurrency: number, ms: number): Promise<{ requests: number; ms: number; rate: number; busyUsPerRequest: number }> {
  const origin = new URL(url).origin;
  const pool = new Pool(origin, { connections: concurrency, keepAliveTimeout: 10_000, pipelining: 1 });
  const headers = { 'content-type': 'application/json', authorization: 'Bearer azconform-bench' };
  const send = async (): Promise<void> => {
    const res = await pool.request({ method: 'PUT', path: '/certificates/contacts?api-version=2025-07-01', headers, body: RAW_BODY });
    await res.body.text();
  };
  try {
    // Open the connections first: the figure is the steady state, not the handshakes.
    await Promise.all(Array.from({ length: concurrency }, send));
    let requests = 0;
    const t0 = performance.now();
    const elu0 = performance.eventLoopUtilization();
    const deadline = t0 + ms;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < deadline) {
          await send();
          requests++;
        }
      }),
    );
    const took = performance.now() - t0;
    const busyMs = performance.eventLoopUtilization(elu0).active;
    return { requests, ms: took, rate: perSecond(requests, took), busyUsPerRequest: requests > 0 ? (busyMs * 1000) / requests : 0 };
  } finally {
    await pool.destroy();
  }
}
