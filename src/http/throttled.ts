/**
 * Azure throttles: a 429 (or a 503 while busy) that says when to come back (Retry-After) is the service asking
 * for a pause, not its answer to the request. The run waits as asked and sends the same request again, a few
 * times; what comes back last is judged. An answer without Retry-After is judged as it is: a target that fails
 * every request with 503 must not slow the run down by seconds a case.
 */
import type { HttpRequest } from '../cases/case.js';
import type { SendResult } from './client.js';

export const THROTTLED = { statuses: [429, 503], attempts: 3, defaultWaitMs: 1_000, maxWaitMs: 10_000 } as const;

/** Retry-After in ms (seconds or an HTTP date), bounded; the default when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number {
  const seconds = header !== undefined && /^\d+$/.test(header.trim()) ? Number(header) * 1000 : header ? Date.parse(header) - now : NaN;
  return Math.min(THROTTLED.maxWaitMs, Math.max(0, Number.isFinite(seconds) ? seconds : THROTTLED.defaultWaitMs));
}

type Send = (req: HttpRequest) => Promise<SendResult>;

const asksToWait = (r: SendResult): boolean =>
  r.response !== undefined && (THROTTLED.statuses as readonly number[]).includes(r.response.status) && r.response.headers['retry-after'] !== undefined;

export function throttled(send: Send, sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): Send {
  return async (req) => {
    let r = await send(req);
    for (let attempt = 1; attempt < THROTTLED.attempts && asksToWait(r); attempt++) {
      await sleep(retryAfterMs(r.response?.headers['retry-after']));
      r = await send(req);
    }
    return r;
  };
}
