import { describe, expect, it } from 'vitest';
import type { HttpRequest } from '../../src/cases/case.js';
import type { SendResult } from '../../src/http/client.js';
import { retryAfterMs, retrying, THROTTLED } from '../../src/http/retry.js';

const req: HttpRequest = { method: 'PUT', url: 'http://127.0.0.1:1/x', headers: {} };
const answer = (status: number, headers: Record<string, string> = {}): SendResult => ({ response: { status, headers, bodyText: '' }, ms: 1 });

/** A send that answers from a script, and a sleep that only writes down how long it was asked to wait. */
function scripted(answers: SendResult[], o: { budgetMs?: number; signal?: AbortSignal } = {}) {
  const slept: number[] = [];
  let calls = 0;
  const send = retrying(() => Promise.resolve(answers[Math.min(calls++, answers.length - 1)] as SendResult), {
    ...THROTTLED,
    ...o,
    sleep: (ms) => {
      slept.push(ms);
      return Promise.resolve();
    },
  });
  return { send, slept, calls: () => calls };
}

describe('retrying, as the run waits out throttling', () => {
  it('waits as a 429 asks and judges the answer that follows', async () => {
    const s = scripted([answer(429, { 'retry-after': '2' }), answer(200)]);
    expect((await s.send(req)).response?.status).toBe(200);
    expect(s.slept).toEqual([2000]);
    expect(s.calls()).toBe(2);
  });

  it('gives up after three attempts and hands back the last answer', async () => {
    const s = scripted([answer(503, { 'retry-after': '0' })]);
    expect((await s.send(req)).response?.status).toBe(503);
    expect(s.calls()).toBe(3);
  });

  it('judges a 429 or 503 without Retry-After at once, and any other answer', async () => {
    for (const a of [answer(503), answer(429), answer(500, { 'retry-after': '1' }), answer(201)]) {
      const s = scripted([a, answer(200)]);
      expect((await s.send(req)).response?.status).toBe(a.response?.status);
      expect(s.calls()).toBe(1);
    }
  });

  it('waits a minute in all, then judges every answer as it comes', async () => {
    const s = scripted([answer(503, { 'retry-after': '10' })], { budgetMs: 25_000 });
    for (let i = 0; i < 3; i++) await s.send(req);
    // 10 + 10 s for the first request, 0 + 0 for the others: 5 s left is less than one wait.
    expect(s.slept).toEqual([10_000, 10_000]);
    expect(s.calls()).toBe(3 + 1 + 1);
  });

  it('a stopped run waits no more and sends nothing again', async () => {
    const halt = new AbortController();
    const s = scripted([answer(429, { 'retry-after': '1' }), answer(200)], { signal: halt.signal });
    halt.abort();
    expect((await s.send(req)).response?.status).toBe(429);
    expect(s.calls()).toBe(1);
    expect(s.slept).toEqual([]);
  });

  it('cuts a wait short when the run stops', async () => {
    const halt = new AbortController();
    let calls = 0;
    const send = retrying(() => Promise.resolve(calls++ === 0 ? answer(429, { 'retry-after': '10' }) : answer(200)), { ...THROTTLED, signal: halt.signal });
    const started = performance.now();
    const pending = send(req);
    setTimeout(() => halt.abort(), 20);
    expect((await pending).response?.status).toBe(429);
    expect(calls).toBe(1);
    // Not the 10 s Retry-After asked for (a generous bound: only that the wait was cut).
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('reads Retry-After as seconds or an HTTP date, bounded to 10 s', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs('3600')).toBe(10_000);
    expect(retryAfterMs(new Date(Date.UTC(2030, 0, 1, 0, 0, 5)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(5000);
    expect(retryAfterMs('soon')).toBe(1000);
  });
});
