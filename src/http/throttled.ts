/**
 * Azure throttles: a 429 (or a 503 while busy) that says when to come back (Retry-After) is the service asking
 * for a pause, not its answer to the request. The run waits as asked and sends the same request again, a few
 * times; what comes back last is judged. An answer without Retry-After is judged as it is, and so is every
 * answer once the run has waited a minute in all: a target that answers everything with 503 and Retry-After
 * must not hold a run for hours. A stopped run (Ctrl-C) waits no more and sends nothing again.
 */
import type { HttpRequest } from '../cases/case.js';
import type { SendResult } from './client.js';

export const THROTTLED = { statuses: [429, 503], attempts: 3, defaultWaitMs: 1_000, maxWaitMs: 10_000, budgetMs: 60_000 } as const;

/** Retry-After in ms (seconds or an HTTP date), bounded; the default when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number {
  const seconds = header !== undefined && /^\d+$/.test(header.trim()) ? Number(header) * 1000 : header ? Date.parse(header) - now : NaN;
  return Math.min(THROTTLED.maxWaitMs, Math.max(0, Number.isFinite(seconds) ? seconds : THROTTLED.defaultWaitMs));
}

type Send = (req: HttpRequest) => Promise<SendResult>;

export interface ThrottleOptions {
  /** Waits `ms`, or less once `signal` aborts. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Aborted when the run stops: no more waiting, no more sending. */
  readonly signal?: AbortSignal;
  /** Waiting allowed over all requests of this sender, ms. */
  readonly budgetMs?: number;
}

const asksToWait = (r: SendResult): boolean =>
  r.response !== undefined && (THROTTLED.statuses as readonly number[]).includes(r.response.status) && r.response.headers['retry-after'] !== undefined;

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export function throttled(send: Send, o: ThrottleOptions = {}): Send {
  const sleep = o.sleep ?? abortableSleep;
  let budget = o.budgetMs ?? THROTTLED.budgetMs;
  return async (req) => {
    let r = await send(req);
    for (let attempt = 1; attempt < THROTTLED.attempts && asksToWait(r) && !o.signal?.aborted; attempt++) {
      const wait = retryAfterMs(r.response?.headers['retry-after']);
      if (wait > budget) break;
      budget -= wait;
      await sleep(wait, o.signal);
      if (o.signal?.aborted) break;
      r = await send(req);
    }
    return r;
  };
}
