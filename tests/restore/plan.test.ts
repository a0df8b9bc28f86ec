/**
 * The restore plan (pure): snapshot + what the ledger saw → the requests that put the target back, and the items
 * reported instead when something cannot be restored. Also the summary wording, the diff and the writable view.
 */
import { fixedTokens } from '../../src/auth/tokens.js';
import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../src/events/types.js';
import type { SendResult } from '../../src/http/client.js';
import { loadOperations, selectOperations } from '../../src/model/registry.js';
import { describeDiff, diff } from '../../src/restore/diff.js';
import { Ledger } from '../../src/restore/ledger.js';
import { planRestore, type Plan } from '../../src/restore/plan.js';
import { problemLines, restoreLine } from '../../src/restore/summary.js';
import type { AccessPolicyEntry, ApimCertificate, Env, Snapshot, Step } from '../../src/restore/types.js';
import { writable } from '../../src/restore/writable.js';
import { DEFAULT_FIXTURES } from '../../src/targets/fixtures.js';

const KV = 'https://kv.test';
const ARM = 'https://arm.test';
const ops = selectOperations(loadOperations(), {}).selected;
const env: Env = { token: fixedTokens('tok'), fixtures: DEFAULT_FIXTURES, ops: new Map(ops.map((o) => [o.id, { operation: o, baseUrl: o.plane === 'data' ? KV : ARM }])) };
const VAULT = `${ARM}/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/sample-group/providers/Microsoft.KeyVault/vaults/sample-vault`;
const APIM = `${ARM}/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1`;
const TENANT = DEFAULT_FIXTURES.vault.tenantId;

function rec(operation: string, url: string, status: number | undefined, body?: unknown): CaseRecord {
  return {
    id: 'x',
    operation: { id: operation, apiVersion: 'v' },
    kind: 'positive',
    property: 'p',
    expect: 'accept',
    request: { method: 'PUT', url, headers: {}, ...(body !== undefined ? { body } : {}) },
    ...(status !== undefined ? { response: { status, headers: {} } } : {}),
    ms: 1,
  };
}

const ledgerOf = (...rs: CaseRecord[]): Ledger => {
  const l = new Ledger();
  for (const r of rs) l.observe(r);
  return l;
};
const steps = (plans: Plan[]): Step[] => plans.flatMap((p) => p.steps);
const entry = (objectId: string, permissions: AccessPolicyEntry['permissions'] = { keys: ['get'] }): AccessPolicyEntry => ({ tenantId: TENANT, objectId, permissions });
const apimList = (...cs: ApimCertificate[]): Snapshot['apim'] => ({ ok: true, value: new Map(cs.map((c) => [c.name.toLowerCase(), c])) });

describe('planRestore: contacts and the certificate', () => {
  it('PUTs the snapshot contacts back, or DELETEs them when there were none; nothing when no write was applied', () => {
    const touched = ledgerOf(rec('SetCertificateContacts', `${KV}/certificates/contacts?api-version=2025-07-01`, 200, { contacts: [] })).touched;
    const contacts = [{ email: 'a@b.c', name: 'A' }];
    const [put] = steps(planRestore(env, { contacts: { ok: true, value: contacts } }, touched));
    expect(put?.request).toMatchObject({ method: 'PUT', url: `${KV}/certificates/contacts?api-version=2025-07-01`, body: { contacts }, headers: { authorization: 'Bearer tok' } });
    const [del] = steps(planRestore(env, { contacts: { ok: true, value: null } }, touched));
    expect(del?.request).toMatchObject({ method: 'DELETE', url: `${KV}/certificates/contacts?api-version=2025-07-01` });
    expect(del?.accept?.({ status: 404, headers: {}, bodyText: '', body: { error: { code: 'ContactsNotFound' } } })).toBe(true);
    expect(del?.accept?.({ status: 404, headers: {}, bodyText: '', body: { error: { code: 'NotFound' } } })).toBe(false);
    const refused = ledgerOf(rec('SetCertificateContacts', `${KV}/certificates/contacts?api-version=2025-07-01`, 400)).touched;
    expect(planRestore(env, { contacts: { ok: true, value: contacts } }, refused)).toEqual([]);
  });

  it('reports changed contacts that could not be snapshotted as not restored, with the reason', () => {
    const touched = ledgerOf(rec('SetCertificateContacts', `${KV}/certificates/contacts?api-version=2025-07-01`, undefined)).touched;
    const [s] = steps(planRestore(env, { contacts: { ok: false, error: 'GET /certificates/contacts answered 405' } }, touched));
    expect(s?.request).toBeUndefined();
    expect(s).toMatchObject({ outcome: 'failed', item: { resource: 'contacts', action: 'keep' } });
    expect(s?.detail).toMatch(/not snapshotted \(GET \/certificates\/contacts answered 405\); not restored/);
  });

  it('PATCHes the fixture certificate back with writable attributes, tags ({} when none) and policy; the latest version counts when it is the fixture', () => {
    const { name, version } = DEFAULT_FIXTURES.certificate;
    const touched = ledgerOf(rec('UpdateCertificate', `${KV}/certificates/${name}/${version}?api-version=7.4`, 200), rec('UpdateCertificate', `${KV}/certificates/${name}/?api-version=7.4`, 200)).touched;
    const value = {
      attributes: { enabled: false, nbf: 1, exp: 2, created: 3, updated: 4, recoveryLevel: 'Purgeable', recoverableDays: 0 },
      tags: {},
      policy: { id: `${KV}/certificates/${name}/policy`, x509_props: { validity_months: 12, basic_constraints: { ca: false } }, attributes: { enabled: true, created: 1, updated: 2 } },
      latestVersion: version,
    };
    const all = steps(planRestore(env, { certificate: { ok: true, value } }, touched));
    expect(all).toHaveLength(1);
    expect(all[0]?.request).toEqual({
      method: 'PATCH',
      url: `${KV}/certificates/${name}/${version}?api-version=7.4`,
      headers: { accept: 'application/json', authorization: 'Bearer tok' },
      body: { attributes: { enabled: false, nbf: 1, exp: 2 }, tags: {}, policy: { x509_props: { validity_months: 12 }, attributes: { enabled: true } } },
    });
    const other = ledgerOf(rec('UpdateCertificate', `${KV}/certificates/someone-else/v1?api-version=7.4`, 200)).touched;
    expect(steps(planRestore(env, { certificate: { ok: true, value } }, other))[0]).toMatchObject({ outcome: 'failed', detail: expect.stringMatching(/only the fixture certificate is snapshotted/) });
  });
});

describe('planRestore: access policies', () => {
  it('replaces identities of the snapshot with their entry and removes added ones with every permission, 16 a request', () => {
    const added = Array.from({ length: 20 }, (_, i) => ({ tenantId: TENANT, objectId: `0000000${i}-0000-4000-8000-000000000000`.slice(-36) }));
    const snapEntry = entry('11111111-1111-1111-1111-111111111111', { keys: ['get', 'list'], certificates: ['get'] });
    const touched = ledgerOf(
      rec('Vaults_UpdateAccessPolicy', `${VAULT}/accessPolicies/add?api-version=2019-09-01`, 200, { properties: { accessPolicies: [...added, snapEntry].map((e) => ({ ...e, permissions: { keys: ['encrypt'] } })) } }),
      // removed only, and not in the snapshot: nothing to undo
      rec('Vaults_UpdateAccessPolicy', `${VAULT}/accessPolicies/remove?api-version=2019-09-01`, 200, { properties: { accessPolicies: [{ tenantId: TENANT, objectId: 'gone', permissions: {} }] } }),
    ).touched;
    const all = steps(planRestore(env, { vault: { ok: true, value: [snapEntry] } }, touched));
    expect(all.map((s) => [s.item.action, s.item.count])).toEqual([
      ['replace', 1],
      ['remove', 16],
      ['remove', 4],
    ]);
    expect(all[0]?.request).toMatchObject({ method: 'PUT', url: `${VAULT}/accessPolicies/replace?api-version=2019-09-01`, body: { properties: { accessPolicies: [snapEntry] } } });
    const removed = (all[1]?.request?.body as { properties: { accessPolicies: AccessPolicyEntry[] } }).properties.accessPolicies;
    expect(removed[0]?.objectId).toBe(added[0]?.objectId);
    expect(removed[0]?.permissions.keys).toContain('purge');
    expect(removed[0]?.permissions.certificates).toContain('managecontacts');
    expect(removed[0]?.permissions.storage).toContain('deletesas');
    expect(all.every((s) => s.accept?.({ status: 201, headers: {}, bodyText: '' }))).toBe(true);
  });

  it('removes with the names the target took beyond its api-version\'s lists (`all` at 2019-09-01), never a name it did not take', () => {
    const took = { tenantId: TENANT, objectId: '66666666-6666-4666-8666-666666666666' };
    const maybe = { tenantId: TENANT, objectId: '77777777-7777-4777-8777-777777777777' };
    const touched = ledgerOf(
      rec('Vaults_UpdateAccessPolicy', `${VAULT}/accessPolicies/add?api-version=2019-09-01`, 200, { properties: { accessPolicies: [{ ...took, permissions: { secrets: ['all', 'Get'] } }] } }),
      // No answer: it may have landed, but no name in it is known to be taken.
      rec('Vaults_UpdateAccessPolicy', `${VAULT}/accessPolicies/add?api-version=2019-09-01`, undefined, { properties: { accessPolicies: [{ ...maybe, permissions: { secrets: ['frobnicate'] } }] } }),
    ).touched;
    const [step] = steps(planRestore(env, { vault: { ok: true, value: [] } }, touched));
    const removed = (step?.request?.body as { properties: { accessPolicies: AccessPolicyEntry[] } }).properties.accessPolicies;
    const secrets = (objectId: string): readonly string[] | undefined => removed.find((e) => e.objectId === objectId)?.permissions.secrets;
    // Every documented secret permission once (Get is get), and the later `all` the target took.
    expect(secrets(took.objectId)?.filter((n) => n.toLowerCase() === 'get')).toEqual(['get']);
    expect(secrets(took.objectId)).toContain('all');
    expect(secrets(maybe.objectId)).not.toContain('frobnicate');
    expect(secrets(maybe.objectId)).not.toContain('all');
  });

  it('never names in a remove an identity the service cannot have added (a killed run sent it, no answer came)', () => {
    const good = { tenantId: TENANT, objectId: '22222222-2222-4222-8222-222222222222' };
    const cannot = [
      { tenantId: 'b7064669-0017-1000-818a-9bf31e8abde6', objectId: '33333333-3333-4333-8333-333333333333' },
      { tenantId: TENANT, objectId: 'sBY' },
      { tenantId: 'not-a-uuid', objectId: '44444444-4444-4444-8444-444444444444' },
      { tenantId: TENANT, objectId: '55555555-5555-4555-8555-555555555555', applicationId: 'app' },
    ];
    // No answer: the write may have been applied, as far as the ledger knows.
    const touched = ledgerOf(rec('Vaults_UpdateAccessPolicy', `${VAULT}/accessPolicies/add?api-version=2019-09-01`, undefined, { properties: { accessPolicies: [good, ...cannot].map((e) => ({ ...e, permissions: { keys: ['get'] } })) } })).touched;
    const all = steps(planRestore(env, { vault: { ok: true, value: [] } }, touched));
    expect(all.map((s) => [s.item.action, s.item.count])).toEqual([['remove', 1]]);
    const removed = (all[0]?.request?.body as { properties: { accessPolicies: AccessPolicyEntry[] } }).properties.accessPolicies;
    expect(removed.map((e) => e.objectId)).toEqual([good.objectId]);
  });

  it('another vault no write was seen to land in (no answer came) is a warning, not a failure; one answered 2xx fails', () => {
    const other = VAULT.replace('sample-vault', 'missing-vault');
    const body = { properties: { accessPolicies: [{ tenantId: TENANT, objectId: '66666666-6666-4666-8666-666666666666', permissions: { keys: ['get'] } }] } };
    const unanswered = steps(planRestore(env, { vault: { ok: true, value: [] } }, ledgerOf(rec('Vaults_UpdateAccessPolicy', `${other}/accessPolicies/add?api-version=2019-09-01`, undefined, body)).touched));
    expect(unanswered.map((s) => [s.item.subject, s.outcome])).toEqual([['vault missing-vault', 'warning']]);
    expect(unanswered[0]?.detail).toMatch(/no write to it was answered/);
    const landed = steps(planRestore(env, { vault: { ok: true, value: [] } }, ledgerOf(rec('Vaults_UpdateAccessPolicy', `${other}/accessPolicies/add?api-version=2019-09-01`, 200, body)).touched));
    expect(landed.map((s) => [s.item.subject, s.outcome])).toEqual([['vault missing-vault', 'failed']]);
  });

  it('restores nothing on a vault that is not the fixture, or when the vault could not be snapshotted', () => {
    const other = ledgerOf(rec('Vaults_UpdateAccessPolicy', `${VAULT.replace('sample-vault', 'aaa')}/accessPolicies/add?api-version=2019-09-01`, 200, { properties: { accessPolicies: [entry('x')] } })).touched;
    expect(steps(planRestore(env, { vault: { ok: true, value: [] } }, other))[0]).toMatchObject({ outcome: 'failed', item: { subject: 'vault aaa', count: 1 } });
    const fixture = ledgerOf(rec('Vaults_UpdateAccessPolicy', `${VAULT}/accessPolicies/add?api-version=2019-09-01`, 200, { properties: { accessPolicies: [entry('x')] } })).touched;
    expect(steps(planRestore(env, { vault: { ok: false, error: 'GET answered 403' } }, fixture))[0]?.detail).toMatch(/not snapshotted \(GET answered 403\)/);
  });
});

describe('planRestore: API Management certificates', () => {
  const put = (id: string, status: number | undefined): CaseRecord => rec('Certificate_CreateOrUpdate', `${APIM}/certificates/${id}?api-version=2024-05-01`, status, {});

  it('with a snapshot list: deletes what was not listed (If-Match *), re-PUTs listed Key Vault references, warns for listed uploads', () => {
    const touched = ledgerOf(put('azconform-1', 201), put('tempcert', 200), put('kvcert', 200), put('lost', undefined), put('always201', 201)).touched;
    const snap: Snapshot = {
      apim: apimList(
        { name: 'tempcert', properties: { thumbprint: 'A' } },
        { name: 'KvCert', properties: { keyVault: { secretIdentifier: 'https://kv/secrets/s', identityClientId: 'c', lastStatus: {} } } },
        // listed: a faulty target's 201 does not make the kit delete it
        { name: 'always201', properties: { thumbprint: 'B' } },
      ),
    };
    const byId = Object.fromEntries(steps(planRestore(env, snap, touched)).map((s) => [s.item.subject.split(' ').pop(), s]));
    expect(byId['azconform-1']?.request).toMatchObject({ method: 'DELETE', url: `${APIM}/certificates/azconform-1?api-version=2024-05-01`, headers: { 'if-match': '*' } });
    expect(byId.lost?.request?.method).toBe('DELETE');
    expect(byId.kvcert?.request).toMatchObject({ method: 'PUT', headers: { 'if-match': '*' }, body: { properties: { keyVault: { secretIdentifier: 'https://kv/secrets/s', identityClientId: 'c' } } } });
    expect(byId.tempcert).toMatchObject({ outcome: 'warning', detail: expect.stringMatching(/PKCS#12/) });
    expect(byId.always201).toMatchObject({ outcome: 'warning' });
  });

  it('without a snapshot list: a 201 means created (delete), a 200 existed (warn), no answer is unknown (warn, keep)', () => {
    const touched = ledgerOf(put('created', 201), put('existed', 200), put('unknown', undefined)).touched;
    const byId = Object.fromEntries(steps(planRestore(env, { apim: { ok: false, error: 'GET answered 404' } }, touched)).map((s) => [s.item.subject.split(' ').pop(), s]));
    expect(byId.created?.request?.method).toBe('DELETE');
    expect(byId.existed).toMatchObject({ outcome: 'warning' });
    expect(byId.unknown).toMatchObject({ outcome: 'warning', detail: expect.stringMatching(/cannot tell whether it existed/) });
  });
});

describe('summary, diff and writable', () => {
  it('one line for what was restored, verified and failed; problems grouped', () => {
    const items = [
      { resource: 'contacts', subject: 'certificate contacts', action: 'put', outcome: 'ok' },
      { resource: 'access-policies', subject: 'vault v', action: 'remove', outcome: 'ok', count: 16 },
      { resource: 'access-policies', subject: 'vault v', action: 'remove', outcome: 'ok', count: 3 },
      { resource: 'apim-certificate', subject: 'API Management certificate a', action: 'delete', outcome: 'failed', answer: '405 MethodNotAllowed', detail: 'DELETE …/a answered 405' },
      { resource: 'apim-certificate', subject: 'API Management certificate b', action: 'delete', outcome: 'failed', answer: '405 MethodNotAllowed', detail: 'DELETE …/b answered 405' },
      { resource: 'apim-certificate', subject: 'API Management certificate c', action: 'delete', outcome: 'failed', answer: 'timeout', detail: 'DELETE …/c answered timeout' },
      { resource: 'contacts', subject: 'certificate contacts', action: 'verify', outcome: 'ok', detail: 'equals the snapshot' },
    ] as const;
    expect(restoreLine(items)).toBe('restore: restored certificate contacts, 19 access-policy identities; verified 1 of 1 equal to the snapshot; 3 failed');
    expect(problemLines(items)).toEqual(['✗ API Management certificate a and 1 more (delete): DELETE …/a answered 405', '✗ API Management certificate c (delete): DELETE …/c answered timeout']);
    expect(restoreLine([])).toMatch(/nothing to restore/);
  });

  it('diff names added, removed and changed members by JSON pointer, ignoring member order', () => {
    const ds = diff({ a: 1, b: { c: [1, 2] }, d: 'x' }, { b: { c: [1, 3], e: true }, a: 1, f: null });
    expect(ds).toEqual([
      { op: '~', path: '/b/c/1' },
      { op: '+', path: '/b/e' },
      { op: '-', path: '/d' },
      { op: '+', path: '/f' },
    ]);
    expect(describeDiff(ds, 2)).toBe('~/b/c/1, +/b/e and 2 more');
  });

  it('writable keeps declared, non-readOnly members (through $ref, arrays and maps)', () => {
    const op = ops.find((o) => o.id === 'UpdateCertificate');
    const schema = op?.model.requestBody?.schema;
    const out = writable(
      { tags: { a: 'b' }, attributes: { enabled: true, updated: 1, recoveryLevel: 'x' }, policy: { id: 'i', lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'AutoRenew' }, extra: 1 }] }, pending: {} },
      schema,
      op?.spec.schemas ?? {},
    );
    expect(out).toEqual({ tags: { a: 'b' }, attributes: { enabled: true }, policy: { lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'AutoRenew' } }] } });
  });
});

describe('retrying', () => {
  it('tries a 429, 503 or reset again (Retry-After honoured, bounded), and nothing else', async () => {
    const { retrying, retryAfterMs } = await import('../../src/http/retry.js');
    const { HOUSEKEEPING } = await import('../../src/restore/retry.js');
    const answers: SendResult[] = [
      { response: { status: 429, headers: { 'retry-after': '2' }, bodyText: '' }, ms: 1 },
      { transportError: { kind: 'reset' as const, message: 'reset' }, ms: 1 },
      { response: { status: 200, headers: {}, bodyText: '' }, ms: 1 },
    ];
    const waits: number[] = [];
    let calls = 0;
    const send = retrying(async () => answers[calls++] ?? { response: { status: 500, headers: {}, bodyText: '' }, ms: 1 }, { ...HOUSEKEEPING, sleep: async (ms) => void waits.push(ms) });
    expect((await send({ method: 'GET', url: 'http://x/', headers: {} })).response?.status).toBe(200);
    expect(waits).toEqual([2000, 200]);
    calls = 0;
    const timeout = retrying(async () => ((calls++, { transportError: { kind: 'timeout' as const, message: 't' }, ms: 1 })), { ...HOUSEKEEPING, sleep: async () => undefined });
    await timeout({ method: 'GET', url: 'http://x/', headers: {} });
    expect(calls).toBe(1);
    expect(retryAfterMs('999')).toBe(10_000);
    expect(retryAfterMs(undefined)).toBe(1_000);
  });
});
