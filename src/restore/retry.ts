/**
 * Housekeeping requests are few and idempotent (GET, PUT, PATCH, DELETE of one resource), and a live ARM endpoint
 * throttles: a 429 or 503 (with its Retry-After), or a reset connection, is tried again a few times before it
 * counts. A timeout is not: a target that hangs would hold the run for attempts × timeout.
 */
import type { HttpRequest } from '../cases/case.js';
import type { SendResult } from '../http/client.js';
import { retryAfterMs } from '../http/throttled.js';

export const RETRY = { statuses: [429, 503], transport: ['reset'], attempts: 3, transportWaitMs: 200 } as const;

type Send = (req: HttpRequest) => Promise<SendResult>;

export { retryAfterMs };

export function retrying(send: Send, sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): Send {
  return async (req) => {
    let r = await send(req);
    for (let attempt = 1; attempt < RETRY.attempts; attempt++) {
      const again = r.response ? (RETRY.statuses as readonly number[]).includes(r.response.status) : (RETRY.transport as readonly string[]).includes(r.transportError?.kind ?? '');
      if (!again) break;
      // A reset is not throttling: a short pause is enough to get a fresh connection.
      await sleep(r.response ? retryAfterMs(r.response.headers['retry-after']) : RETRY.transportWaitMs);
      r = await send(req);
    }
    return r;
  };
}
