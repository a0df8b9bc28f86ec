import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShrinkGuard } from '../../src/engine/shrink-guard.js';
import type { Exchange } from '../../src/http/exchange.js';

/** What the guard reads of an exchange: whether it timed out. */
const answered = { ms: 2, response: { status: 200, headers: {}, bodyText: '{}', body: {} } } as unknown as Exchange;
const timedOut = { ms: 5000, transportError: { kind: 'timeout', message: 'no complete response within the timeout' } } as unknown as Exchange;

/** A property over integers that fails from 1000 on, each failing attempt sending `failing`, as the engine drives it. */
async function shrinkWith(failing: Exchange, limit: number) {
  const guard = new ShrinkGuard(limit);
  let attempts = 0;
  const prop = fc.asyncProperty(fc.integer({ min: 0, max: 1_000_000 }), async (n) => {
    const fails = n >= 1000;
    const ex = fails ? failing : answered;
    guard.saw(ex);
    if (guard.shrinking()) attempts++;
    if (fails) guard.startShrinking();
    return !fails;
  });
  const details = await fc.check(prop, { seed: 7, numRuns: 100, plugins: [guard.plugin()] });
  return { details, guard, attempts };
}

describe('ShrinkGuard: shrinking loses a bounded time to timeouts', () => {
  it('a failure that times out stops shrinking after the limit of timed-out attempts, keeping the smallest failure reached', async () => {
    const { details, guard, attempts } = await shrinkWith(timedOut, 2);
    expect(details.failed).toBe(true);
    expect(details.interrupted).toBe(true);
    expect(details.numShrinks).toBe(2);
    expect(details.counterexample?.[0]).toBeGreaterThanOrEqual(1000);
    expect(guard.stopped).toBe('2 shrink attempt(s) timed out');
    // Answered attempts cost nothing: the guard stops on the timed-out ones only.
    expect(attempts).toBeGreaterThanOrEqual(2);
  });

  it('a failure that is answered shrinks all the way (to 1000) and is never stopped', async () => {
    const { details, guard } = await shrinkWith(answered, 2);
    expect(details.failed).toBe(true);
    expect(details.interrupted).toBe(false);
    expect(details.counterexample?.[0]).toBe(1000);
    expect(details.numShrinks).toBeGreaterThan(2);
    expect(guard.stopped).toBeUndefined();
  });
});
