/**
 * What the client never does to a target or for it: read a body past 4 MiB, follow a redirect, or send faster than
 * --rps. Real loopback servers; the rate is asserted as a lower bound on the gaps (load only makes them longer).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runSession } from '../../src/engine/session.js';
import type { RunEvent, Violation } from '../../src/events/types.js';
import { HttpClient, MAX_BODY_BYTES } from '../../src/http/client.js';
import { loadOperations, selectOperations } from '../../src/model/registry.js';
import { DEFAULT_FIXTURES } from '../../src/targets/fixtures.js';
import { examples, positive } from '../../src/properties/index.js';
import { defineSuite } from '../../src/suites/define.js';
import { listen, type TestServer } from '../engine/servers.js';

const open: TestServer[] = [];
const clients: HttpClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function serve(handler: Parameters<typeof listen>[0]): Promise<string> {
  const s = await listen(handler);
  open.push(s);
  return s.url;
}

function client(opts: { rps?: number } = {}): HttpClient {
  const c = new HttpClient({ timeoutMs: 10_000, connections: 4, ...opts });
  clients.push(c);
  return c;
}

const get = (url: string) => ({ method: 'GET', url, headers: {} });

describe('response bodies are read up to 4 MiB', () => {
  const body = (bytes: number): string => `{"pad":"${'x'.repeat(bytes - 10)}"}`;

  it('a body just under the bound is read whole', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body(MAX_BODY_BYTES - 1));
    });
    const r = await client().send(get(`${url}/x`));
    expect(r.transportError).toBeUndefined();
    expect(r.response?.bodyText.length).toBe(MAX_BODY_BYTES - 1);
  });

  it('a body beyond it is a transport error, and the client stops reading (also without Content-Length)', async () => {
    let aborted = false;
    const url = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no length announced
      const chunk = 'x'.repeat(64 * 1024);
      let sent = 0;
      const pump = (): void => {
        // An endless body: only the client's bound ends it.
        while (sent < 64 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
        if (sent < 64 * 1024 * 1024) res.once('drain', pump);
      };
      res.write('{"pad":"');
      pump();
      req.socket.once('close', () => (aborted = true));
    });
    const r = await client().send(get(`${url}/x`));
    expect(r.response).toBeUndefined();
    expect(r.transportError).toEqual({ kind: 'unreadable', message: `the response body exceeds ${MAX_BODY_BYTES} bytes (4 MiB); the kit reads no further` });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(aborted).toBe(true);
  });
});

describe('--rps', () => {
  it('spaces the starts of requests 1/rps apart, also when they are all sent at once', async () => {
    const arrivals: number[] = [];
    const url = await serve((_req, res) => {
      arrivals.push(performance.now());
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    const c = client({ rps: 20 });
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 8 }, (_, i) => c.send(get(`${url}/r${i}`))));
    expect(arrivals).toHaveLength(8);
    // By time t at most floor(t / 50 ms) + 1 requests have started, so the k-th to arrive came k × 50 ms after the
    // start at the earliest (latency only delays arrivals; a timer never fires early — 1 ms covers its rounding).
    arrivals.sort((a, b) => a - b).forEach((t, k) => expect(t - t0).toBeGreaterThanOrEqual(k * 50 - 1));
  });
});

describe('redirects', () => {
  it('are never followed: the violation names the Location and the other server sees nothing', { timeout: 120_000 }, async () => {
    let elsewhere = 0;
    const other = await serve((_req, res) => {
      elsewhere++;
      res.end('{}');
    });
    const url = await serve((req, res) => {
      res.writeHead(302, { location: `${other}/stolen${req.url ?? ''}`, 'content-type': 'application/json' });
      res.end();
    });
    const events: RunEvent[] = [];
    const r = await runSession({
      operations: selectOperations(loadOperations(), { operations: ['SetCertificateContacts'] }).selected,
      suites: [defineSuite('SetCertificateContacts', [examples, positive])],
      target: url,
      timeoutMs: 5000,
      root: process.cwd(),
      seed: 3,
      runs: 2,
      concurrency: 2,
      token: 't',
      fixtures: DEFAULT_FIXTURES,
      restore: false,
      handlers: [{ handle: (e) => void events.push(e) }],
    });
    expect(r.exitCode).toBe(1);
    const vs = events.flatMap((e): Violation[] => (e.type === 'violation' ? [e.violation] : []));
    const redirect = vs.find((v) => v.check === 'status.documented');
    expect(redirect?.message).toMatch(new RegExp(`^status 302 is not documented \\(documented: .*\\); a redirect to ${other}/stolen/certificates/contacts\\?api-version=[^ ]+, not followed$`));
    expect(elsewhere).toBe(0);
  });
});
