// The traffic a target sees: --concurrency bounds the requests at once (the client's pool keeps a spare
// connection), and a throttled request (429 with Retry-After) is sent again after the wait it asks for.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runSession, type SessionOptions } from '../../src/engine/session.js';
import type { RunEvent } from '../../src/events/types.js';
import { loadOperations, SEED_VERSIONS } from '../../src/model/registry.js';
import { boundaries, examples, fuzz, knobs, negative, positive, probes } from '../../src/properties/index.js';
import { defineSuite } from '../../src/suites/define.js';
import { DEFAULT_FIXTURES } from '../../src/targets/fixtures.js';

const operations = loadOperations().filter((o) => o.id === 'SetCertificateContacts' && SEED_VERSIONS[o.id] === o.apiVersion);
// The suite's properties, not suites/*.suite.ts: those register themselves with vitest when imported.
const suites = [defineSuite('SetCertificateContacts', [examples, positive, fuzz, negative, boundaries, knobs, probes])];

/** Run `body` against a loopback server with this handler, and close it (and its connections) after. */
async function withServer<T>(handler: http.RequestListener, body: (server: http.Server) => Promise<T>): Promise<T> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await body(server);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** One SetCertificateContacts session against a local server, service profile, nothing restored. */
function session(server: http.Server, o: Pick<SessionOptions, 'seed' | 'runs' | 'concurrency'> & Partial<Pick<SessionOptions, 'handlers' | 'connections'>>): ReturnType<typeof runSession> {
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

const FAIL = '{"error":{"code":"X","message":"x"}}';

describe('requests in flight', () => {
  it.each([1, 3])('never more than --concurrency %i at the target at once, over at most one connection more', async (concurrency) => {
    let active = 0;
    let most = 0;
    const sockets = new Set<Socket>();
    // Counts a request from its arrival to its answer, which comes 2 ms late so that requests would overlap.
    // Every request fails alike: the run is about its traffic, not its verdicts.
    const handler: http.RequestListener = (req, res) => {
      sockets.add(req.socket);
      most = Math.max(most, ++active);
      req.resume();
      req.on('end', () =>
        setTimeout(() => {
          active--;
          res.writeHead(500, { 'content-type': 'application/json' }).end(FAIL);
        }, 2),
      );
    };
    const r = await withServer(handler, (server) => session(server, { seed: 3, runs: 5, concurrency }));
    expect(r.totals.cases).toBeGreaterThan(10);
    expect(most).toBe(concurrency);
    // The default pool: one spare connection.
    expect(sockets.size).toBeLessThanOrEqual(concurrency + 1);
  });
});

describe('connections', () => {
  it('--connections 1 sends every request over one connection, for a target that takes one at a time', async () => {
    const carried = new Set<Socket>();
    const handler: http.RequestListener = (req, res) => {
      carried.add(req.socket);
      req.resume();
      req.on('end', () => res.writeHead(500, { 'content-type': 'application/json' }).end(FAIL));
    };
    const r = await withServer(handler, (server) => session(server, { seed: 4, runs: 5, concurrency: 1, connections: 1 }));
    expect(r.totals.cases).toBeGreaterThan(10);
    expect(carried.size).toBe(1);
  });
});

describe('throttling', () => {
  it('sends a throttled request again and judges the answer that follows, never the 429', async () => {
    const seen = new Set<string>();
    let throttled = 0;
    // A request is throttled (Retry-After: 0) the first time it is seen, answered 500 after: every case ends at 500.
    const handler: http.RequestListener = (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const key = `${req.method} ${req.url} ${JSON.stringify(req.headers.authorization ?? '')} ${Buffer.concat(chunks).toString()}`;
        const throttle = !seen.has(key);
        seen.add(key);
        if (throttle) throttled++;
        res.writeHead(throttle ? 429 : 500, { 'content-type': 'application/json', ...(throttle ? { 'retry-after': '0' } : {}) });
        res.end(throttle ? '{"error":{"code":"Throttled","message":"x"}}' : FAIL);
      });
    };
    const statuses: number[] = [];
    const record = { handle: (e: RunEvent): void => void (e.type === 'case-done' && e.case.response && statuses.push(e.case.response.status)) };
    const r = await withServer(handler, (server) => session(server, { seed: 5, runs: 3, concurrency: 2, handlers: [record] }));
    expect(r.totals.cases).toBeGreaterThan(10);
    expect(statuses.length).toBe(r.totals.cases);
    expect(new Set(statuses)).toEqual(new Set([500]));
    expect(throttled).toBeGreaterThan(10);
  });
});
