/**
 * A target without the housekeeping requests (every GET and DELETE is 404, as a minimal emulator might answer):
 * the run completes, says loudly what it could not snapshot and therefore not restore, and its exit code is the
 * same as with restore off.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSession, type SessionResult } from '../../src/engine/session.js';
import type { RestoreItem, RunEvent } from '../../src/events/types.js';
import { loadOperations, selectOperations } from '../../src/model/registry.js';
import type { SuiteDef } from '../../src/suites/define.js';
import { DEFAULT_FIXTURES } from '../../src/targets/fixtures.js';

/** Accepts every write of the four operations (2xx, echoing the body), knows nothing else. */
function tinyTarget(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown, headers: { [k: string]: string } = {}): void => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      let body: unknown = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown;
      } catch {
        // answered as the empty object
      }
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (!req.headers.authorization) return send(401, { error: { code: 'Unauthorized', message: 'no token' } }, { 'www-authenticate': 'Bearer' });
      if (req.method === 'PUT' && /\/certificates\/contacts$/.test(path)) return send(200, { id: 'contacts', ...(body as object) });
      if (req.method === 'PATCH' && /\/certificates\/[^/]+\/[^/]*$/.test(path)) return send(200, { id: path, ...(body as object) });
      if (req.method === 'PUT' && /\/accessPolicies\/[^/]+$/.test(path)) return send(200, body);
      if (req.method === 'PUT' && /\/service\/[^/]+\/certificates\/[^/]+$/.test(path)) return send(201, { name: path.split('/').pop(), properties: {} }, { etag: '"e"' });
      send(404, { error: { code: 'NotFound', message: `nothing at ${req.method ?? ''} ${path}` } });
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    ),
  );
}

let target: { url: string; close: () => Promise<void> };
let SUITES: readonly SuiteDef[] = [];
beforeAll(async () => {
  target = await tinyTarget();
  const vitest = process.env.VITEST;
  delete process.env.VITEST; // the suite files would register themselves with vitest
  try {
    ({ SUITES } = await import('../../src/suites/all.js'));
  } finally {
    process.env.VITEST = vitest;
  }
});
afterAll(() => target.close());

async function run(restore: boolean | undefined): Promise<{ result: SessionResult; events: RunEvent[] }> {
  const events: RunEvent[] = [];
  const result = await runSession({
    operations: selectOperations(loadOperations(), {}).selected,
    suites: SUITES,
    target: target.url,
    timeoutMs: 5000,
    root: process.cwd(),
    seed: 99,
    runs: 3,
    concurrency: 4,
    token: 't',
    fixtures: DEFAULT_FIXTURES,
    handlers: [{ handle: (e) => void events.push(e) }],
    ...(restore !== undefined ? { restore } : {}),
  });
  return { result, events };
}

const items = (events: readonly RunEvent[], phase: 'snapshot' | 'restore'): RestoreItem[] =>
  events.flatMap((e) => (e.type === 'restore' && e.phase === phase ? [...e.items] : []));

describe('a target that 404s the housekeeping requests', () => {
  it('completes the run, warns what could not be snapshotted and restored, and keeps the exit code', { timeout: 120_000 }, async () => {
    const on = await run(undefined); // profile service (a URL): restore on by default
    const off = await run(false);

    expect(on.events.filter((e) => e.type === 'run-error')).toEqual([]);
    expect(on.events.at(-1)?.type).toBe('run-done');
    expect(on.result.exitCode).toBe(off.result.exitCode);
    expect(on.result.totals.violations).toBeGreaterThan(0);

    const snapshot = items(on.events, 'snapshot');
    expect(snapshot.map((i) => i.resource).sort()).toEqual(['access-policies', 'apim-certificate', 'certificate', 'contacts']);
    for (const i of snapshot) {
      expect(i.outcome).toBe('failed');
      expect(i.detail).toMatch(/^could not snapshot .+: GET \S+ answered 404 \(NotFound: nothing at GET .+\); .+ will not be restored$/);
    }

    const restore = items(on.events, 'restore');
    // the writes were accepted, so each kind is reported as not restored (never silently dropped)
    for (const r of ['contacts', 'certificate', 'access-policies'] as const) {
      expect(restore.find((i) => i.resource === r), r).toMatchObject({ action: 'keep', outcome: 'failed', detail: expect.stringMatching(/not snapshotted .*not restored/) });
    }
    // every certificate was answered 201, so the kit created it and tries to delete it: this target has no DELETE
    const deletes = restore.filter((i) => i.resource === 'apim-certificate');
    expect(deletes.length).toBeGreaterThan(0);
    for (const d of deletes) expect(d).toMatchObject({ action: 'delete', outcome: 'failed', detail: expect.stringMatching(/^DELETE \S+ answered 404/) });
    expect(restore.some((i) => i.action === 'verify')).toBe(false);
  });
});
