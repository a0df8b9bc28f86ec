/**
 * The ledger (pure): what it records from case-done events, and what it does not (refusals, other events).
 */
import { describe, expect, it } from 'vitest';
import type { CaseRecord, RunEvent } from '../../src/events/types.js';
import { Ledger } from '../../src/restore/ledger.js';

const VAULT = 'https://arm.test/subscriptions/S/resourceGroups/RG/providers/Microsoft.KeyVault/vaults/kv1';
const APIM = 'https://arm.test/subscriptions/S/resourceGroups/RG/providers/Microsoft.ApiManagement/service/svc';

function record(operation: string, method: string, url: string, status: number | undefined, body?: unknown): CaseRecord {
  return {
    id: `${operation}/x/0`,
    operation: { id: operation, apiVersion: 'v' },
    kind: 'positive',
    property: 'positive',
    expect: 'accept',
    request: { method, url, headers: { authorization: 'Bearer <redacted>' }, ...(body !== undefined ? { body } : {}) },
    ...(status !== undefined ? { response: { status, headers: {} } } : { transportError: { kind: 'timeout', message: 'no complete response' } }),
    ms: 1,
  };
}

const done = (c: CaseRecord): RunEvent => ({ type: 'case-done', case: c, outcomes: [] });
const policies = (...ids: { tenantId: string; objectId: string; applicationId?: string }[]) => ({ properties: { accessPolicies: ids.map((i) => ({ ...i, permissions: { keys: ['get'] } })) } });

describe('Ledger', () => {
  it('counts contacts writes that may have been applied: 2xx, 5xx and no answer — never a 4xx refusal', () => {
    const l = new Ledger();
    for (const status of [200, 400, 401, 404, 500, undefined]) l.handle(done(record('SetCertificateContacts', 'PUT', 'https://kv.test/certificates/contacts?api-version=7.4', status, { contacts: [] })));
    expect(l.touched.contacts).toBe(3);
    expect(l.seen).toBe(6);
  });

  it('keys certificates by decoded, case-insensitive name/version; an empty version segment is the latest', () => {
    const l = new Ledger();
    l.observe(record('UpdateCertificate', 'PATCH', 'https://kv.test/certificates/Cert%201/ABC?api-version=7.4', 200, {}));
    l.observe(record('UpdateCertificate', 'PATCH', 'https://kv.test/certificates/cert%201/abc?api-version=7.4', 200, {}));
    l.observe(record('UpdateCertificate', 'PATCH', 'https://kv.test/certificates/cert%201/?api-version=7.4', 200, {}));
    l.observe(record('UpdateCertificate', 'PATCH', 'https://kv.test/certificates/other/v?api-version=7.4', 404, {}));
    expect([...l.touched.certificates]).toEqual([
      ['cert 1/abc', { name: 'Cert 1', version: 'ABC', writes: 2 }],
      ['cert 1/', { name: 'cert 1', version: '', writes: 1 }],
    ]);
  });

  it('records every access-policy identity per vault with the kinds written, one entry per (tenant, object, application)', () => {
    const l = new Ledger();
    const a = { tenantId: 'T', objectId: 'O1' };
    const b = { tenantId: 'T', objectId: 'O1', applicationId: 'A' };
    l.observe(record('Vaults_UpdateAccessPolicy', 'PUT', `${VAULT}/accessPolicies/add?api-version=2019-09-01`, 201, policies(a, b)));
    l.observe(record('Vaults_UpdateAccessPolicy', 'PUT', `${VAULT.replace('kv1', 'KV1')}/accessPolicies/remove?api-version=2019-09-01`, 200, policies({ tenantId: 't', objectId: 'o1' })));
    l.observe(record('Vaults_UpdateAccessPolicy', 'PUT', `${VAULT}/accessPolicies/replace?api-version=2019-09-01`, 400, policies({ tenantId: 'T', objectId: 'refused' })));
    // malformed entries (no objectId) name no identity
    l.observe(record('Vaults_UpdateAccessPolicy', 'PUT', `${VAULT}/accessPolicies/add?api-version=2019-09-01`, 200, { properties: { accessPolicies: [{ tenantId: 'T' }, 'x'] } }));
    const vault = l.touched.vaults.get('s/rg/kv1');
    expect(vault?.name).toBe('kv1');
    expect([...(vault?.identities.keys() ?? [])]).toEqual(['t|o1|', 't|o1|a']);
    expect([...(vault?.identities.get('t|o1|')?.kinds ?? [])]).toEqual(['add', 'remove']);
    expect([...(vault?.identities.get('t|o1|a')?.kinds ?? [])]).toEqual(['add']);
  });

  it('records API Management certificates with their 2xx statuses and uncertain writes, by decoded path', () => {
    const l = new Ledger();
    l.observe(record('Certificate_CreateOrUpdate', 'PUT', `${APIM}/certificates/azconform-1?api-version=2024-05-01`, 201, {}));
    l.observe(record('Certificate_CreateOrUpdate', 'PUT', `${APIM}/certificates/AZCONFORM-1?api-version=2024-05-01`, 200, {}));
    l.observe(record('Certificate_CreateOrUpdate', 'PUT', `${APIM}/certificates/tempcert?api-version=2024-05-01`, 200, {}));
    l.observe(record('Certificate_CreateOrUpdate', 'PUT', `${APIM}/certificates/%C3%BCn%C3%AF?api-version=2024-05-01`, 503, {}));
    l.observe(record('Certificate_CreateOrUpdate', 'PUT', `${APIM}/certificates/refused?api-version=2024-05-01`, 400, {}));
    const byId = Object.fromEntries([...l.touched.apim.values()].map((c) => [c.certificateId, c]));
    expect(Object.keys(byId)).toEqual(['azconform-1', 'tempcert', 'ünï']);
    expect(byId['azconform-1']).toMatchObject({ statuses: [201, 200], uncertain: 0, url: `${APIM}/certificates/azconform-1`, service: '/subscriptions/s/resourcegroups/rg/providers/microsoft.apimanagement/service/svc' });
    expect(byId.tempcert?.statuses).toEqual([200]);
    expect(byId['ünï']).toMatchObject({ statuses: [], uncertain: 1 });
  });

  it('takes exchanges seen at the HTTP client too: the operation comes from method and path, reads are ignored', () => {
    const l = new Ledger();
    const ok = (status: number) => ({ response: { status, headers: {}, bodyText: '' }, ms: 1 });
    l.exchange({ method: 'PUT', url: 'https://kv.test/certificates/contacts?api-version=7.4', headers: {}, body: { contacts: [] } }, ok(200));
    l.exchange({ method: 'GET', url: 'https://kv.test/certificates/contacts?api-version=7.4', headers: {} }, ok(200));
    l.exchange({ method: 'PATCH', url: 'https://kv.test/certificates/c/v?api-version=7.4', headers: {}, body: {} }, { transportError: { kind: 'timeout', message: 't' }, ms: 1 });
    l.exchange({ method: 'PUT', url: `${VAULT}/accessPolicies/replace?api-version=2019-09-01`, headers: {}, body: policies({ tenantId: 'T', objectId: 'O' }) }, ok(200));
    l.exchange({ method: 'PUT', url: `${APIM}/certificates/azconform-seq-1?api-version=2024-05-01`, headers: {}, body: {} }, ok(201));
    l.exchange({ method: 'DELETE', url: `${APIM}/certificates/azconform-seq-1?api-version=2024-05-01`, headers: {} }, ok(200));
    expect(l.touched.contacts).toBe(1);
    expect([...l.touched.certificates.keys()]).toEqual(['c/v']);
    expect([...(l.touched.vaults.get('s/rg/kv1')?.identities.keys() ?? [])]).toEqual(['t|o|']);
    expect([...l.touched.apim.values()].map((c) => [c.certificateId, c.statuses])).toEqual([['azconform-seq-1', [201]]]);
    expect(l.seen).toBe(4);
  });

  it('reports writes whose URL names no known resource, and ignores other events and operations', () => {
    const l = new Ledger();
    l.observe(record('Vaults_UpdateAccessPolicy', 'PUT', 'https://arm.test/somewhere/else?api-version=1', 200, policies({ tenantId: 'T', objectId: 'O' })));
    l.observe(record('SomethingElse', 'PUT', 'https://arm.test/x', 200));
    l.handle({ type: 'run-error', message: 'x' });
    expect(l.touched.unrecognised).toEqual([{ operation: 'Vaults_UpdateAccessPolicy', url: 'https://arm.test/somewhere/else?api-version=1' }]);
    expect(l.touched.vaults.size).toBe(0);
  });
});
