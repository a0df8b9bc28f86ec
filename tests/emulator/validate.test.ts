/** The emulator shares its facts with the kit: the same validators and the same rules table, with the same verdicts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { canonicalPathParams, ruleIssues } from '../../src/emulator/validate.js';
import { loadOperations } from '../../src/model/registry.js';
import { makePkcs12 } from '../../src/pki/pkcs12.js';
import { brokenRequestRules } from '../../src/rules/request-rules.js';
import { DEFAULT_FIXTURES } from '../../src/targets/fixtures.js';
import { send, v } from './client.js';

const ops = loadOperations();
const op = (id: string, version: string) => {
  const found = ops.find((o) => o.id === id && o.apiVersion === version);
  if (!found) throw new Error(`${id}@${version}`);
  return found;
};

describe('rules', () => {
  it('refuses what brokenRequestRules calls reject (its cached PKCS#12 rule included), never an either rule', () => {
    const pfx = makePkcs12({ subject: 'CN=rules.test', validityDays: 5, password: 'pw' });
    const apim = op('Certificate_CreateOrUpdate', '2024-05-01');
    const bodies = [
      { properties: { data: pfx.data, password: 'pw' } },
      { properties: { data: pfx.data, password: 'nope' } },
      { properties: { data: pfx.data } },
      { properties: { data: 'not base64!' } },
      { properties: { data: '' } },
      { properties: { data: 42 } },
      { properties: { keyVault: { secretIdentifier: 'https://v.vault.azure.net/secrets/a/b' } } },
      { properties: { keyVault: { secretIdentifier: 'ftp://v/secrets/a' } } },
      { properties: {} },
      {},
      { properties: { data: pfx.data, password: 'pw', keyVault: { secretIdentifier: 'https://v.vault.azure.net/secrets/a' } } },
    ];
    const refusals = (body: unknown, ctx: Parameters<typeof brokenRequestRules>[2]) => brokenRequestRules(body, {}, ctx).filter((r) => r.verdict === 'reject').map((r) => r.id);
    for (const body of bodies) {
      const ctx = { operation: apim, fixtures: DEFAULT_FIXTURES };
      expect(ruleIssues(body, {}, ctx).map((i) => i.id), JSON.stringify(body).slice(0, 60)).toEqual(refusals(body, ctx));
    }
    // Rules no source states as a refusal (an example key size, a key pair no spec rules on, data with keyVault).
    const either = [
      [apim, bodies[bodies.length - 1]],
      [op('UpdateCertificate', '7.4'), { policy: { key_props: { kty: 'RSA', key_size: 1024 } } }],
      [op('UpdateCertificate', '2025-07-01'), { policy: { key_props: { kty: 'oct', key_size: 8192 } } }],
    ] as const;
    for (const [o, body] of either) {
      const ctx = { operation: o, fixtures: DEFAULT_FIXTURES };
      expect(brokenRequestRules(body, {}, ctx).map((r) => r.verdict)).toContain('either');
      expect(ruleIssues(body, {}, ctx), JSON.stringify(body)).toEqual([]);
    }
    const upd = op('UpdateCertificate', '7.4');
    const trig = (t: object, validity?: number): object => ({ policy: { ...(validity ? { x509_props: { validity_months: validity } } : {}), lifetime_actions: [{ trigger: t }] } });
    for (const [body, current] of [[trig({ days_before_expiry: 400 }), 12], [trig({ days_before_expiry: 400 }), 24], [trig({ days_before_expiry: 400 }, 12), 24], [trig({}), 12]] as const) {
      const ctx = { operation: upd, fixtures: DEFAULT_FIXTURES, currentValidityMonths: current };
      expect(ruleIssues(body, {}, ctx).map((i) => i.id)).toEqual(refusals(body, ctx));
    }
  });

  it('reads enum path segments of ARM case-insensitively (operationKind ADD is add) and leaves the data plane alone', () => {
    expect(canonicalPathParams(op('Vaults_UpdateAccessPolicy', '2019-09-01'), { operationKind: 'ADD', vaultName: 'V' })).toEqual({ operationKind: 'add', vaultName: 'V' });
    expect(canonicalPathParams(op('Vaults_UpdateAccessPolicy', '2019-09-01'), { operationKind: 'merge' })).toEqual({ operationKind: 'merge' });
    expect(canonicalPathParams(op('UpdateCertificate', '7.4'), { 'certificate-name': 'X' })).toEqual({ 'certificate-name': 'X' });
  });
});

describe('HTTP details', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());

  it("echoes the client's x-ms-client-request-id and sends its own x-ms-request-id", async () => {
    const r = await send(emu.url, 'PUT', `/certificates/contacts${v('7.4')}`, { body: { contacts: [] }, headers: { 'x-ms-client-request-id': 'abc-123' } });
    expect(r.headers['x-ms-client-request-id']).toBe('abc-123');
    expect(r.headers['x-ms-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a body over 4 MiB with 413 and keeps serving', async () => {
    const r = await send(emu.url, 'PUT', `/certificates/contacts${v('7.4')}`, { raw: `{"contacts":[],"pad":"${'x'.repeat(4 * 1024 * 1024)}"}` });
    expect(r.status).toBe(413);
    expect((await send(emu.url, 'PUT', `/certificates/contacts${v('7.4')}`, { body: { contacts: [] } })).status).toBe(200);
  });

  it('keeps every emulator independent (fresh state per startEmulator)', async () => {
    const other = await startEmulator();
    try {
      await send(other.url, 'PUT', `/certificates/contacts${v('7.4')}`, { body: { contacts: [{ email: 'only@other' }] } });
      expect(other.state.contacts).toEqual([{ email: 'only@other' }]);
      expect(emu.state.contacts).not.toEqual([{ email: 'only@other' }]);
    } finally {
      await other.close();
    }
  });
});
