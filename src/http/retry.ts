/**
 * Sending a request again: one loop, two policies. The run's traffic waits out throttling only, a minute in all,
 * and not at all once the run is stopped (Ctrl-C); the restore's housekeeping, which must finish even then, also
 * tries a reset connection again (see `src/restore/retry.ts`). Either way a few attempts, and the last answer counts.
 */
import type { HttpRequest } from '../cases/case.js';
import type { SendResult } from './client.js';

export const RETRY_AFTER = { statuses: [429, 503], defaultWaitMs: 1_000, maxWaitMs: 10_000 } as const;

/** Retry-After in ms (seconds or an HTTP date), bounded; the default when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number {
  const seconds = header !== undefined && /^\d+$/.test(header.trim()) ? Number(header) * 1000 : header ? Date.parse(header) - now : NaN;
  return Math.min(RETRY_AFTER.maxWaitMs, Math.max(0, Number.isFinite(seconds) ? seconds : RETRY_AFTER.defaultWaitMs));
}

type Send = (req: HttpRequest) => Promise<SendResult>;

export interface RetryPolicy {
  /** How long to wait before sending again after this answer; undefined: it counts as it is. */
  readonly wait: (r: SendResult) => number | undefined;
  readonly attempts: number;
  /** Waiting allowed over all requests of this sender, ms (default: no bound). */
  readonly budgetMs?: number;
  /** Aborted when the run stops: no more waiting, no more sending. */
  readonly signal?: AbortSignal;
  /** Waits `ms`, or less once `signal` aborts. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Azure throttles: a 429 (or a 503 while busy) that says when to come back (Retry-After) is the service asking
 * for a pause, not its answer to the request. An answer without Retry-After is judged as it is, and so is every
 * answer once the run has waited a minute in all: a target that answers everything with 503 and Retry-After must
 * not hold a run for hours.
 */
export const THROTTLED = {
  wait: (r: SendResult): number | undefined => {
    const ask = r.response?.headers['retry-after'];
    return r.response && (RETRY_AFTER.statuses as readonly number[]).includes(r.response.status) && ask !== undefined ? retryAfterMs(ask) : undefined;
  },
  attempts: 3,
  budgetMs: 60_000,
} as const satisfies RetryPolicy;

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

export function retrying(send: Send, policy: RetryPolicy): Send {
  const sleep = policy.sleep ?? abortableSleep;
  let budget = policy.budgetMs ?? Number.POSITIVE_INFINITY;
  return async (req) => {
    let r = await send(req);
    for (let attempt = 1; attempt < policy.attempts && !policy.signal?.aborted; attempt++) {
      const wait = policy.wait(r);
      if (wait === undefined || wait > budget) break;
      budget -= wait;
      await sleep(wait, policy.signal);
      if (policy.signal?.aborted) break;
      r = await send(req);
    }
    return r;
  };
}
