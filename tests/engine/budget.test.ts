import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timeBudget } from '../../src/engine/budget.js';

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('timeBudget: a property stops starting runs once its time is up', () => {
  it('a passing property cut short is interrupted, not failed, and generates no more values', async () => {
    let generated = 0;
    const prop = fc.asyncProperty(
      fc.integer().map((n) => (generated++, n)),
      async () => {
        await pause(10);
        return true;
      },
    );
    const d = await fc.check(prop, { numRuns: 50, maxSkipsPerRun: 100, plugins: [timeBudget(100)] });
    expect(d.failed).toBe(false);
    expect(d.interrupted).toBe(true);
    expect(d.numRuns).toBeLessThan(50);
    // Not thousands of skipped values generated in a loop once the budget is gone.
    expect(generated).toBeLessThan(60);
  });

  it('a failure found before the budget runs out is still reported with its counterexample', async () => {
    const prop = fc.asyncProperty(fc.integer({ min: 0, max: 1000 }), async (n) => {
      await pause(1);
      return n < 500;
    });
    const d = await fc.check(prop, { numRuns: 200, seed: 42, plugins: [timeBudget(5_000)] });
    expect(d.failed).toBe(true);
    expect(d.counterexample?.[0]).toBe(500);
  });

  it('without a budget problem the property runs all its runs', async () => {
    const d = await fc.check(
      fc.asyncProperty(fc.nat(), async () => true),
      { numRuns: 30, plugins: [timeBudget(60_000)] },
    );
    expect(d.failed).toBe(false);
    expect(d.interrupted).toBe(false);
    expect(d.numRuns).toBe(30);
  });
});
