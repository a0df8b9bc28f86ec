import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { cli, summary } from './cli.js';
import { listen, type TestServer } from './servers.js';

interface CoverageRow {
  pointer: string;
  keyword: string;
  sent: boolean;
  count: number;
  reason?: string;
}
interface CoverageOp {
  operation: string;
  apiVersion: string;
  total: number;
  sent: number;
  constraints: CoverageRow[];
}

/** The bounds, closed enums and required members the issue asks every default run to break. */
const ASKED = new Set(['required', 'enum', 'const', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'pattern', 'format', 'multipleOf', 'uniqueItems', 'minProperties', 'maxProperties']);

describe('coverage.constraints in summary.json, on a default run against the reference emulator', () => {
  let emu: Emulator;
  let coverage: CoverageOp[] = [];
  let md = '';
  let exit: number | null = null;
  let output = '';
  beforeAll(async () => {
    emu = await startEmulator();
    const r = await cli(['run', '--target', emu.url, '--seed', '20261204']);
    exit = r.code;
    output = r.stdout + r.stderr;
    const s = (await summary(r.reports)) as unknown as { coverage: { constraints: CoverageOp[] } };
    coverage = s.coverage.constraints;
    md = await readFile(path.join(r.reports, 'summary.md'), 'utf8');
  }, 180_000);
  afterAll(async () => emu.close());

  it('passes, and lists the body constraints of all four operations', () => {
    expect(exit, output).toBe(0);
    expect(coverage.map((o) => o.operation).sort()).toEqual(['Certificate_CreateOrUpdate', 'SetCertificateContacts', 'UpdateCertificate', 'Vaults_UpdateAccessPolicy']);
    for (const o of coverage) {
      expect(o.total).toBe(o.constraints.length);
      expect(o.sent).toBe(o.constraints.filter((c) => c.sent).length);
    }
  });

  it('sends every required member, closed enum and bound a realistic body carries broken, at least once', () => {
    for (const o of coverage) {
      for (const c of o.constraints) {
        // Only a member no realistic body carries may stay unsent, and it says so.
        if (c.reason === undefined) expect(c.sent, `${o.operation}@${o.apiVersion} ${c.pointer} ${c.keyword}`).toBe(true);
      }
    }
    const row = (op: string, pointer: string, keyword: string) =>
      coverage.find((o) => o.operation === op)?.constraints.find((c) => c.pointer === pointer && c.keyword === keyword);
    // Of the keywords the issue names, these operations have constraints a realistic body carries.
    const keywords = new Set(coverage.flatMap((o) => o.constraints.filter((c) => c.reason === undefined && ASKED.has(c.keyword)).map((c) => c.keyword)));
    expect([...keywords].sort()).toEqual(expect.arrayContaining(['enum', 'format', 'maximum', 'minimum', 'required']));
    // The constraints of issue 12, by name.
    expect(row('Vaults_UpdateAccessPolicy', '/properties/accessPolicies/*/permissions', 'required')?.sent).toBe(true);
    expect(row('Vaults_UpdateAccessPolicy', '/properties/accessPolicies/*/tenantId', 'format')?.sent).toBe(true);
    expect(row('UpdateCertificate', '/policy/lifetime_actions/*/trigger/lifetime_percentage', 'maximum')?.sent).toBe(true);
    expect(row('UpdateCertificate', '/policy/lifetime_actions/*/trigger/lifetime_percentage', 'minimum')?.sent).toBe(true);
    expect(row('UpdateCertificate', '/policy/lifetime_actions/*/action/action_type', 'enum')?.sent).toBe(true);
    expect(row('UpdateCertificate', '/policy/x509_props/validity_months', 'minimum')?.sent).toBe(true);
  });

  it('summary.md shows the table briefly', () => {
    expect(md).toMatch(/## Request-body constraints sent broken/);
    expect(md).toMatch(/\| Vaults_UpdateAccessPolicy@2019-09-01 \| (\d+)\/\1 \|/);
  });
});

describe('a target that takes access policies without permissions, but refuses foreign tenants (issue 12)', () => {
  let emu: Emulator;
  let proxy: TestServer;
  beforeAll(async () => {
    emu = await startEmulator();
    // In front of the correct emulator: an entry without permissions gets empty ones, so it is taken.
    proxy = await listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let text = Buffer.concat(chunks).toString('utf8');
        if (req.method === 'PUT' && /\/accessPolicies\/[^/?]+/.test(req.url ?? '')) {
          try {
            const body = JSON.parse(text) as { properties?: { accessPolicies?: unknown } };
            const list = body.properties?.accessPolicies;
            if (Array.isArray(list)) for (const e of list) if (typeof e === 'object' && e !== null && !('permissions' in e)) Object.assign(e, { permissions: {} });
            text = JSON.stringify(body);
          } catch {
            // not JSON: forwarded as it came
          }
        }
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'content-length' && k !== 'host')) as Record<string, string>;
        fetch(`${emu.url}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, ...(text.length > 0 ? { body: text } : {}) })
          .then(async (r) => {
            const out = Buffer.from(await r.arrayBuffer());
            res.writeHead(r.status, Object.fromEntries([...r.headers].filter(([k]) => k !== 'content-length' && k !== 'transfer-encoding' && k !== 'content-encoding')));
            res.end(out);
          })
          .catch(() => {
            res.writeHead(502);
            res.end();
          });
      });
    });
  });
  afterAll(async () => {
    await proxy.close();
    await emu.close();
  });

  it('is caught: a negative that leaves only permissions out, in an otherwise realistic body, is taken', async () => {
    const r = await cli(['run', '--target', proxy.url, '--operations', 'Vaults_UpdateAccessPolicy', '--seed', '7']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const s = await summary(r.reports);
    const caught = s.violations.filter((v) => v.check === 'negative.rejected' && /\/properties\/accessPolicies\/\d+\/permissions required/.test(`${(v as { label?: string }).label ?? ''}`));
    expect(caught.length, JSON.stringify(s.violations.map((v) => [v.check, (v as { label?: string }).label]))).toBeGreaterThan(0);
    // The body it sent keeps every other rule: the vault's tenant and GUID objectIds in every entry.
    for (const v of caught) {
      const entries = (v.request.body as { properties: { accessPolicies: { tenantId: string; objectId: string }[] } }).properties.accessPolicies;
      for (const e of entries) {
        expect(e.tenantId).toBe('00000000-0000-0000-0000-000000000000');
        expect(e.objectId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
      }
    }
  });
});
