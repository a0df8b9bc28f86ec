/**
 * One Prism serving the merged document of the four seed spec files answers every request exactly as the Prism
 * of each operation's own spec file does: real processes on 127.0.0.1, the same requests to both, status,
 * headers and body compared.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '../../src/model/registry.js';
import { loadOperations, selectOperations } from '../../src/model/registry.js';
import { startEmbeddedPrism, type EmbeddedPrism } from '../../src/targets/embedded.js';

const seeds = selectOperations(loadOperations(), {}).selected;

interface Req {
  readonly name: string;
  readonly method: string;
  /** Path and query. */
  readonly url: string;
  readonly headers: { [k: string]: string };
  readonly body?: unknown;
}

interface Answer {
  readonly status: number;
  readonly headers: { [k: string]: string };
  readonly body: string;
}

/** The path and query of an example scenario (the parameters' examples of that name). */
function target(op: Operation, scenario: string, opts: { apiVersion?: string | null } = {}): string {
  let p = op.model.path;
  const query = new URLSearchParams();
  for (const param of op.model.parameters) {
    const v = param.examples[scenario] ?? Object.values(param.examples)[0];
    if (param.in === 'path') p = p.replace(`{${param.name}}`, encodeURIComponent(String(v)));
    if (param.in === 'query' && param.name !== 'api-version' && v !== undefined) query.set(param.name, String(v));
  }
  const version = opts.apiVersion === undefined ? op.apiVersion : opts.apiVersion;
  if (version !== null) query.set('api-version', version);
  const q = query.toString();
  return q ? `${p}?${q}` : p;
}

/** Headers of an example scenario (header parameters, e.g. If-Match), with a token unless told otherwise. */
function headersOf(op: Operation, scenario: string, token = true): { [k: string]: string } {
  const h: { [k: string]: string } = { 'content-type': 'application/json', accept: 'application/json' };
  if (token) h['authorization'] = 'Bearer azconform-test-token';
  for (const param of op.model.parameters) {
    const v = param.examples[scenario];
    if (param.in === 'header' && v !== undefined) h[param.name.toLowerCase()] = String(v);
  }
  return h;
}

/** The requests both targets get for one operation: every example scenario, then the probes. */
function requestsFor(op: Operation): Req[] {
  const scenarios = [...new Set([...Object.keys(op.model.requestBody?.examples ?? {}), ...op.model.responses.flatMap((r) => Object.keys(r.examples))])];
  const valid = scenarios.find((s) => op.model.responses.some((r) => /^2/.test(r.status) && s in r.examples)) ?? (scenarios[0] as string);
  const body = op.model.requestBody?.examples[valid];
  const m = op.model.method;
  const reqs: Req[] = scenarios.map((s) => ({ name: `example ${s}`, method: m, url: target(op, s), headers: headersOf(op, s), body: op.model.requestBody?.examples[s] ?? body }));
  reqs.push(
    { name: 'no token', method: m, url: target(op, valid), headers: headersOf(op, valid, false), body },
    { name: 'no api-version', method: m, url: target(op, valid, { apiVersion: null }), headers: headersOf(op, valid), body },
    { name: 'unknown api-version', method: m, url: target(op, valid, { apiVersion: '1999-01-01' }), headers: headersOf(op, valid), body },
    { name: 'body not an object', method: m, url: target(op, valid), headers: headersOf(op, valid), body: 42 },
    { name: 'body of the wrong shape', method: m, url: target(op, valid), headers: headersOf(op, valid), body: { properties: 'x', contacts: 'x', attributes: 'x', tags: 5 } },
    { name: 'no body', method: m, url: target(op, valid), headers: headersOf(op, valid) },
    // A validation message quoting a non-Latin-1 property name once took Prism down (src/targets/prism-preload.mjs).
    { name: 'non-Latin-1 key', method: m, url: target(op, valid), headers: headersOf(op, valid), body: { tags: { P级: 1 }, properties: { P级: 1 } } },
    { name: 'wrong method', method: 'GET', url: target(op, valid), headers: headersOf(op, valid) },
    { name: 'no token, no api-version', method: m, url: target(op, valid, { apiVersion: null }), headers: headersOf(op, valid, false), body },
  );
  return reqs;
}

const VOLATILE = new Set(['date', 'connection', 'keep-alive']);

async function send(base: string, r: Req): Promise<Answer> {
  const res = await fetch(`${base}${r.url}`, { method: r.method, headers: r.headers, ...(r.body !== undefined ? { body: JSON.stringify(r.body) } : {}) });
  const headers: { [k: string]: string } = {};
  res.headers.forEach((v, k) => {
    if (!VOLATILE.has(k)) headers[k] = v;
  });
  return { status: res.status, headers, body: await res.text() };
}

describe('one Prism for the merged seed specs answers as one Prism per spec file', () => {
  let merged: EmbeddedPrism;
  let perFile: EmbeddedPrism;
  beforeAll(async () => {
    [merged, perFile] = await Promise.all([startEmbeddedPrism(seeds, { root: process.cwd() }), startEmbeddedPrism(seeds, { root: process.cwd(), merge: false })]);
  });
  afterAll(async () => {
    await Promise.all([merged?.close(), perFile?.close()]);
  });

  it('serves the four seed operations from one process, the per-file way from four', () => {
    expect(seeds.map((o) => `${o.id}@${o.apiVersion}`).sort()).toEqual(['Certificate_CreateOrUpdate@2024-05-01', 'SetCertificateContacts@2025-07-01', 'UpdateCertificate@7.4', 'Vaults_UpdateAccessPolicy@2019-09-01']);
    expect(merged.processes).toBe(1);
    expect(merged.fallback).toBeUndefined();
    expect(merged.documents).toHaveLength(1);
    expect(perFile.processes).toBe(4);
    expect(new Set(seeds.map((o) => merged.urlOf(o))).size).toBe(1);
  });

  for (const op of seeds) {
    it(`${op.id}@${op.apiVersion}: same status, headers and body for every request`, async () => {
      const reqs = requestsFor(op);
      const statuses: string[] = [];
      for (const r of reqs) {
        const [a, b] = await Promise.all([send(merged.urlOf(op), r), send(perFile.urlOf(op), r)]);
        expect({ request: r.name, ...a }).toEqual({ request: r.name, ...b });
        statuses.push(`${r.name}: ${a.status}`);
      }
      // The answers the kit relies on, from both.
      const status = (name: string): number => Number(/: (\d+)$/.exec(statuses.find((s) => s.startsWith(`${name}:`)) ?? '')?.[1]);
      expect(statuses.some((s) => /^example .*: 20[01]$/.test(s)), statuses.join('\n')).toBe(true);
      expect(status('no token')).toBe(401);
      expect([400, 422]).toContain(status('no api-version'));
      expect([400, 422]).toContain(status('body not an object'));
      expect(status('wrong method')).toBe(405);
    });
  }

  it('the data plane answers a missing token with the documented challenge', async () => {
    const op = seeds.find((o) => o.id === 'SetCertificateContacts') as Operation;
    const a = await send(merged.urlOf(op), requestsFor(op).find((r) => r.name === 'no token') as Req);
    expect(a.status).toBe(401);
    expect(a.headers['www-authenticate']).toMatch(/^Bearer authorization="https:\/\/login\.windows\.net\/[^"]+", resource="https:\/\/vault\.azure\.net"$/);
  });

  it('a violation naming a non-Latin-1 property is answered (422), its sl-violations header valid JSON', async () => {
    const op = seeds.find((o) => o.id === 'UpdateCertificate') as Operation;
    const a = await send(merged.urlOf(op), requestsFor(op).find((r) => r.name === 'non-Latin-1 key') as Req);
    expect(a.status).toBe(422);
    expect(JSON.stringify(JSON.parse(a.headers['sl-violations'] ?? 'null'))).toContain('P级');
  });

  it('both are still up after every request above (no request took a Prism down)', async () => {
    for (const op of seeds) {
      const r = requestsFor(op)[0] as Req;
      expect((await send(merged.urlOf(op), r)).status).toBeLessThan(500);
      expect((await send(perFile.urlOf(op), r)).status).toBeLessThan(500);
    }
  });
});
