/**
 * Targets that serve a subset of the four operations (lowkey-vault serves the data plane only): an operation the
 * target has no route for is reported once, as operation.served with the evidence, and its properties are
 * skipped with that reason — never hundreds of violations. A correct target never gets it, also when its fixture
 * is missing (an Azure 404 carries an error envelope: the route exists).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { runSession, type SessionOptions } from '../../src/engine/session.js';
import type { RunEvent, Violation } from '../../src/events/types.js';
import { loadOperations, selectOperations, type Operation } from '../../src/model/registry.js';
import { RunTally } from '../../src/reports/collect.js';
import { examples, fuzz, negative, positive, probes } from '../../src/properties/index.js';
import { defineSuite } from '../../src/suites/define.js';
import { DEFAULT_FIXTURES } from '../../src/targets/fixtures.js';
import { operationServed } from '../../src/checks/operation-served.js';
import { runChecks } from '../../src/checks/run.js';
import { HttpClient } from '../../src/http/client.js';
import type { Exchange } from '../../src/http/exchange.js';
import { freePort } from '../../src/targets/free-port.js';

const IDS = ['SetCertificateContacts', 'UpdateCertificate', 'Vaults_UpdateAccessPolicy', 'Certificate_CreateOrUpdate'];
const suites = IDS.map((id) => defineSuite(id, [examples, positive, fuzz, negative, probes]));

/** The emulator behind a router that has no ARM routes: access policies 405 (text), API Management 404 (HTML). */
async function dataPlaneOnly(upstream: string): Promise<{ url: string; seen: () => number; close: () => Promise<void> }> {
  let armRequests = 0;
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    // Writes only: the snapshot's reads (GET vault, GET certificates) reach this router too.
    if (path.startsWith('/subscriptions/') && req.method !== 'GET') armRequests++;
    if (path.includes('/accessPolicies/')) {
      res.writeHead(405, { 'content-type': 'text/plain', allow: 'GET' });
      return void res.end('Method Not Allowed');
    }
    if (path.startsWith('/subscriptions/')) {
      res.writeHead(404, { 'content-type': 'text/html' });
      return void res.end(`<pre>Cannot ${req.method ?? ''} ${path}</pre>`);
    }
    const out = http.request(`${upstream}${path}`, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen: () => armRequests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function run(over: Partial<SessionOptions>): Promise<{ code: number; events: RunEvent[]; tally: RunTally; violations: Violation[] }> {
  const events: RunEvent[] = [];
  const tally = new RunTally();
  const r = await runSession({
    operations: selectOperations(loadOperations(), { operations: IDS }).selected,
    suites,
    timeoutMs: 5000,
    root: process.cwd(),
    seed: 11,
    runs: 5,
    concurrency: 4,
    token: 't',
    fixtures: DEFAULT_FIXTURES,
    handlers: [{ handle: (e) => void events.push(e) }, tally],
    ...over,
  });
  return { code: r.exitCode, events, tally, violations: tally.violations };
}

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());

describe('operation.served', () => {
  it('an operation answered 404/405 without an Azure envelope is reported once, its properties skipped with the reason', { timeout: 120_000 }, async () => {
    const proxy = await dataPlaneOnly(emu.url);
    try {
      const r = await run({ target: proxy.url });
      expect(r.code).toBe(1);
      const served = r.violations.filter((v) => v.check === 'operation.served');
      expect(served.map((v) => v.operation).sort()).toEqual(['Certificate_CreateOrUpdate', 'Vaults_UpdateAccessPolicy']);
      // Nothing else is reported: the served operations pass, the others are not judged further.
      expect(r.violations).toHaveLength(2);
      expect(served.find((v) => v.operation === 'Vaults_UpdateAccessPolicy')?.message).toMatch(/^the target does not serve Vaults_UpdateAccessPolicy@[\d-]+: PUT http:\/\/127\.0\.0\.1:\d+\/subscriptions\/.+\/accessPolicies\/\w+\?api-version=[\d-]+ answered 405 without an Azure error envelope \(body: Method Not Allowed\)$/);
      expect(served.find((v) => v.operation === 'Certificate_CreateOrUpdate')?.message).toMatch(/answered 404 without an Azure error envelope \(body: <pre>Cannot PUT/);
      // One write each: the probe.
      expect(proxy.seen()).toBe(2);
      for (const id of ['Vaults_UpdateAccessPolicy', 'Certificate_CreateOrUpdate']) {
        const skips = [...r.tally.skips.values()].filter((s) => s.operation === id);
        expect(skips.map((s) => s.check)).toEqual(['property examples', 'property positive', 'property fuzz', 'property negative', 'property probes']);
        for (const s of skips) expect(s.reason).toMatch(new RegExp(`^not run: the target does not serve ${id}@`));
        const done = r.events.filter((e) => e.type === 'property-done' && e.operation.id === id);
        expect(done.every((e) => e.type === 'property-done' && e.cases === 0 && e.skipped !== undefined)).toBe(true);
      }
      for (const id of ['SetCertificateContacts', 'UpdateCertificate']) expect(r.tally.operations.get(`${id}@${selectOperations(loadOperations(), { operations: [id] }).selected[0]?.apiVersion}`)?.cases).toBeGreaterThan(10);
    } finally {
      await proxy.close();
    }
  });

  it('a plane that refuses connections: its operations are not served, the other plane runs', { timeout: 120_000 }, async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const r = await run({ vaultUrl: emu.url, armUrl: closed });
    expect(r.code).toBe(1);
    expect(r.violations.map((v) => `${v.operation} ${v.check}`).sort()).toEqual(['Certificate_CreateOrUpdate operation.served', 'Vaults_UpdateAccessPolicy operation.served']);
    for (const v of r.violations) expect(v.message).toMatch(/was refused \(connection refused .*\), the ARM plane is not listening$/);
  });

  it('every plane refused is still an unreachable target: exit 2', { timeout: 60_000 }, async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const r = await run({ target: closed });
    expect(r.code).toBe(2);
    expect(r.events.find((e) => e.type === 'run-error')).toMatchObject({ message: expect.stringMatching(/^target unreachable/) });
  });

  it('a correct target never gets it: the clean emulator, and an Azure 404 (CertificateNotFound) is served', { timeout: 120_000 }, async () => {
    const clean = await run({ target: emu.url });
    expect(clean.code).toBe(0);
    const probes = clean.events.flatMap((e) => (e.type === 'case-done' && e.case.property === 'served' ? [e] : []));
    expect(probes).toHaveLength(4);
    for (const p of probes) expect(p.outcomes).toEqual([{ check: 'operation.served', status: 'passed', findings: [] }]);

    // An Azure 404 with its envelope (a certificate that does not exist) is a served route. (A run stops at a
    // missing fixture before any case, so the probe's verdict is asked of a real answer directly.)
    const op = selectOperations(loadOperations(), { operations: ['UpdateCertificate'] }).selected[0] as Operation;
    const request = { method: 'PATCH', url: `${emu.url}/certificates/no-such-certificate/?api-version=${op.apiVersion}`, headers: { authorization: 'Bearer t' }, body: {} };
    const client = new HttpClient({ timeoutMs: 5000, connections: 1 });
    try {
      const sent = await client.send(request);
      expect(sent.response?.status).toBe(404);
      expect((sent.response?.body as { error: { code: string } }).error.code).toBe('CertificateNotFound');
      const ex: Exchange = { case: { id: 'served', operation: op, kind: 'served', expect: 'accept', request, pathParams: {} }, ...sent };
      expect(runChecks(ex, { profile: 'service' }, [operationServed])).toEqual([{ check: 'operation.served', status: 'passed', findings: [] }]);
    } finally {
      await client.close();
    }
  });
});
