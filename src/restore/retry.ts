/**
 * Housekeeping requests are few and idempotent (GET, PUT, PATCH, DELETE of one resource), and a live ARM endpoint
 * throttles: a 429 or 503 (with its Retry-After, or a second without), or a reset connection, is tried again a
 * few times before it counts. A timeout is not: a target that hangs would hold the run for attempts × timeout.
 */
import { RETRY_AFTER, retryAfterMs, type RetryPolicy } from '../http/retry.js';

/** A reset is not throttling: a short pause is enough to get a fresh connection. */
const RESET_WAIT_MS = 200;

export const HOUSEKEEPING: RetryPolicy = {
  wait: (r) =>
    r.response
      ? (RETRY_AFTER.statuses as readonly number[]).includes(r.response.status)
        ? retryAfterMs(r.response.headers['retry-after'])
        : undefined
      : r.transportError?.kind === 'reset'
        ? RESET_WAIT_MS
        : undefined,
  attempts: 3,
};
