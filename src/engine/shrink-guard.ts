import fc from 'fast-check';
import type { Exchange } from '../http/exchange.js';

/**
 * Shrink attempts that may end in a timeout before shrinking stops. Each costs a whole deadline (5 s by default),
 * and a target that hangs on a class of inputs hangs on most shrink attempts: 18 of them took a run from 4 s to
 * 94 s. Attempts that are answered cost nothing here, so a fast failure still shrinks all the way.
 */
export const SHRINK_TIMEOUTS = 2;

/**
 * Bounds the time one property's shrinking loses to timeouts: it counts the shrink attempts whose exchange timed
 * out and, past `limit`, ends the shrinking (as an interruption, so fast-check keeps the smallest failure it
 * reached). The engine tells it when shrinking starts and what each exchange gave.
 */
export class ShrinkGuard {
  private isShrinking = false;
  private timeouts = 0;
  /** Why shrinking was stopped, once it was. */
  stopped: string | undefined;

  constructor(private readonly limit = SHRINK_TIMEOUTS) {}

  /** Whether the property's first failure was found, so that what runs now are shrink attempts. */
  shrinking(): boolean {
    return this.isShrinking;
  }

  /** The first failure was found: what runs from now on are shrink attempts. */
  startShrinking(): void {
    this.isShrinking = true;
  }

  /** Every exchange the property sends (a sequence sends several per run). */
  saw(ex: Exchange): void {
    if (this.isShrinking && ex.transportError?.kind === 'timeout') this.timeouts++;
  }

  /** A fast-check plugin: no new shrink attempt once the limit is reached. */
  plugin<Ts>(): fc.Plugin<Ts> {
    return () => ({
      decorateRun: (run) => (value) => {
        if (this.isShrinking && this.timeouts >= this.limit) {
          this.stopped ??= `${this.timeouts} shrink attempt(s) timed out`;
          return Promise.resolve(new fc.PreconditionFailure(true));
        }
        return run(value);
      },
    });
  }
}
