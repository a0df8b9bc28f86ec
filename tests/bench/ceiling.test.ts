// The ceiling's arithmetic: the bounds bench/ceiling.ts puts on the kit's rate from measured CPU costs.
import { describe, expect, it } from 'vitest';
import { ceiling } from '../../bench/ceiling.js';

describe('bench ceiling', () => {
  it('one thread: one exchange per (kit + client) µs; all cores: cores per (kit + client + server) µs', () => {
    const c = ceiling({ concurrency: 4, cores: 2, limitPerSec: 40_000, kitUs: 50, clientUs: 25, serverUs: 25, share: 0.6 });
    expect(c.oneThread.perSec).toBeCloseTo(1e6 / 75, 6);
    expect(c.oneThread.share).toBeCloseTo(1e6 / 75 / 40_000, 9);
    expect(c.allCores.perSec).toBeCloseTo(2e6 / 100, 6);
    expect(c.allCores.share).toBe(0.5);
    // 60% of 40,000/s is 24,000/s: 41.7 µs an exchange on one thread, 25 of them the client's.
    expect(c.oneThread.kitBudgetUs).toBeCloseTo(1e6 / 24_000 - 25, 6);
    expect(c.allCores.kitBudgetUs).toBeCloseTo(2e6 / 24_000 - 50, 6);
  });

  it('serial at concurrency 1: the round trip plus the kit; 60% leaves the kit 2/3 of a round trip', () => {
    // 10,000/s = a 100 µs round trip.
    const c = ceiling({ concurrency: 1, cores: 2, limitPerSec: 10_000, kitUs: 50, clientUs: 40, serverUs: 30, share: 0.6 });
    expect(c.serial.perSec).toBeCloseTo(1e6 / 150, 6);
    expect(c.serial.kitBudgetUs).toBeCloseTo(100 / 0.6 - 100, 6);
    // No bound is above the limit: the kit sends what raw undici sends, and works on top.
    expect(c.oneThread.perSec).toBe(10_000);
    expect(c.allCores.share).toBe(1);
  });

  it('all cores as measured: the same bound at the CPU the kit takes next to sockets, when given', () => {
    const base = { concurrency: 4, cores: 2, limitPerSec: 40_000, kitUs: 50, clientUs: 25, serverUs: 25, share: 0.6 };
    expect(ceiling(base).allCoresAsMeasured).toBeUndefined();
    const c = ceiling({ ...base, kitNearSocketsUs: 90 });
    expect(c.kitNearSocketsUs).toBe(90);
    expect(c.allCoresAsMeasured?.perSec).toBeCloseTo(2e6 / 140, 6);
    expect(c.allCoresAsMeasured?.share).toBeLessThan(c.allCores.share);
  });

  it('serial is never above one thread, and a goal out of reach leaves no budget', () => {
    const c = ceiling({ concurrency: 4, cores: 2, limitPerSec: 40_000, kitUs: 50, clientUs: 45, serverUs: 30, share: 0.6 });
    expect(c.serial.perSec).toBeLessThanOrEqual(c.oneThread.perSec);
    expect(c.serial.kitBudgetUs).toBeLessThanOrEqual(c.oneThread.kitBudgetUs);
    // 41.7 µs an exchange is less than the client's 45 µs alone.
    expect(c.oneThread.kitBudgetUs).toBeLessThan(0);
  });
});
