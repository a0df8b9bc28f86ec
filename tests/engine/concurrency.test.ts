// The traffic a target sees: --concurrency bounds the requests at once (the client's pool keeps a spare
// connection), and a throttled request (429 with Retry-After) is sent again after the wait it asks for.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runSession, type SessionOptions } from '../../src/engine/session.js';
import { poolConnections } from '../../src/http/client.js';
import { loadOperations, SEED_VERSIONS } from '../../src/model/registry.js';
import { boundaries, examples, fuzz, knobs, negative, positive, probes } from '../../src/properties/index.js';
import { defineSuite } from '../../src/suites/define.js';
import { DEFAULT_FIXTURES } from '../../src/targets/fixtures.js';

const operations = loadOperations().filter((o) => o.id === 'SetCertificateContacts' && SEED_VERSIONS[o.id] === o.apiVersion);
// The suite's properties, not suites/*.suite.ts: those register themselves with vitest when imported.
const suites = [defineSuite('SetCertificateContacts', [examples, positive, fuzz, negative, boundaries, knobs, probes])];

/** One SetCertificateContacts session against a local server, service profile, nothing restored. */
function session(server: http.Server, o: Pick<SessionOptions, 'seed' | 'runs' | 'concurrency'> & Partial<Pick<SessionOptions, 'handlers'>>): ReturnType<typeof runSession> {
  return runSession({
    operations,
    suites,
    target: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    profile: 'service',
    restore: false,
    timeoutMs: 5_000,
    root: process.cwd(),
    token: 'test-token',
    fixtures: DEFAULT_FIXTURES,
    handlers: [],
    ...o,
  });
}

describe('requests in flight', () => {
  it.each([1, 3])('never more than --concurrency %i at the target at once, over at most one connection more', async (concurrency) => {
    let active = 0;
    let most = 0;
    const sockets = new Set<Socket>();
    // Counts a request from its arrival to its answer, which comes 2 ms late so that requests would overlap.
    const server = http.createServer((req, res) => {
      sockets.add(req.socket);
      most = Math.max(most, ++active);
      req.resume();
      req.on('end', () =>
        setTimeout(() => {
          active--;
          // Every request fails alike: the run is about its traffic, not its verdicts.
          res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"code":"X","message":"x"}}');
        }, 2),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const r = await session(server, { seed: 3, runs: 5, concurrency });
      expect(r.totals.cases).toBeGreaterThan(10);
      expect(most).toBe(concurrency);
      expect(sockets.size).toBeLessThanOrEqual(poolConnections(concurrency));
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('throttling', () => {
  it('sends a throttled request again and judges the answer that follows, never the 429', async () => {
    const seen = new Map<string, number>();
    let requests = 0;
    // Every request is throttled once (Retry-After: 0), then answered 500: each case reaches the server twice.
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        requests++;
        const key = `${req.method} ${req.url} ${Buffer.concat(chunks).toString()}`;
        const n = (seen.get(key) ?? 0) + 1;
        seen.set(key, n);
        const throttle = n % 2 === 1;
        res.writeHead(throttle ? 429 : 500, { 'content-type': 'application/json', ...(throttle ? { 'retry-after': '0' } : {}) });
        res.end(JSON.stringify({ error: { code: throttle ? 'Throttled' : 'X', message: 'x' } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const statuses: number[] = [];
    try {
      const r = await session(server, { seed: 5, runs: 3, concurrency: 2, handlers: [{ handle: (e) => void (e.type === 'case-done' && e.case.response && statuses.push(e.case.response.status)) }] });
      expect(r.totals.cases).toBeGreaterThan(10);
      expect(statuses.length).toBe(r.totals.cases);
      expect(new Set(statuses)).toEqual(new Set([500]));
      // Shrink steps are exchanges too, so at least two requests a case.
      expect(requests).toBeGreaterThanOrEqual(2 * r.totals.cases);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
