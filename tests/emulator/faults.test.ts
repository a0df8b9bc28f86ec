/**
 * The fault catalog, tested differentially: one fixed scenario (every request class of the four operations, in
 * order) runs against the clean emulator and against each fault. A fault must change what its own operation
 * answers (or stores) and nothing about the other three.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULTS, startEmulator, type Emulator, type EmulatorState } from '../../src/emulator/index.js';
import type { OperationId } from '../../src/emulator/types.js';
import { makePkcs12, type Pkcs12Certificate } from '../../src/pki/pkcs12.js';
import { APIM_PATH, CERT, TENANT, VAULT_PATH, send, v, type Answer, type SendOptions } from './client.js';

interface Step {
  readonly op: OperationId;
  readonly label: string;
  readonly method: string;
  readonly path: string;
  readonly opts: SendOptions;
}

let pfx: Pkcs12Certificate;
const C = (label: string, path: string, opts: SendOptions): Step => ({ op: 'SetCertificateContacts', label, method: 'PUT', path, opts });
const U = (label: string, path: string, opts: SendOptions): Step => ({ op: 'UpdateCertificate', label, method: 'PATCH', path, opts });
const V = (label: string, path: string, opts: SendOptions): Step => ({ op: 'Vaults_UpdateAccessPolicy', label, method: 'PUT', path, opts });
const A = (label: string, path: string, opts: (lastEtag?: string) => SendOptions): Step & { lazy: (lastEtag?: string) => SendOptions } => ({ op: 'Certificate_CreateOrUpdate', label, method: 'PUT', path, opts: {}, lazy: opts });

const CERT_PATH = `/certificates/${CERT.name}/${CERT.version}`;
const X = 'cccccccc-0000-4000-8000-000000000003';
const lifetime = (trigger: object, x509?: object): object => ({ policy: { ...(x509 ? { x509_props: x509 } : {}), lifetime_actions: [{ trigger, action: { action_type: 'AutoRenew' } }] } });
const ap = (...entries: object[]): object => ({ properties: { accessPolicies: entries } });
const entry = (objectId: string, extra: object = {}): object => ({ tenantId: TENANT, objectId, permissions: { keys: ['get'], secrets: ['list'] }, ...extra });
const kv = (secretIdentifier: string): object => ({ properties: { keyVault: { secretIdentifier, identityClientId: 'ceaa6b06-c00f-43ef-99ac-f53d1fe876a0' } } });

const SCENARIO: readonly (Step & { lazy?: (lastEtag?: string) => SendOptions })[] = [
  C('empty list', `/certificates/contacts${v('7.4')}`, { body: { contacts: [] } }),
  C('two contacts', `/certificates/contacts${v('2025-07-01')}`, { body: { contacts: [{ email: 'a@contoso.com', name: 'Ann', phone: '1' }, { email: 'b@contoso.com', name: 'Bob', phone: '2' }] } }),
  C('one contact', `/certificates/contacts${v('7.4')}`, { body: { contacts: [{ email: 'c@contoso.com', phone: '3' }] } }),
  C('same e-mail twice', `/certificates/contacts${v('7.4')}`, { body: { contacts: [{ email: 'd@contoso.com', name: 'Dee' }, { email: 'd@contoso.com', name: 'Dan' }] } }),
  C('non-ASCII name', `/certificates/contacts${v('7.4')}`, { body: { contacts: [{ email: 'j@contoso.com', name: 'Jürgen Groß' }] } }),
  C('no body', `/certificates/contacts${v('7.4')}`, {}),
  C('no token', `/certificates/contacts${v('7.4')}`, { token: false, body: { contacts: [] } }),
  C('no api-version', '/certificates/contacts', { body: { contacts: [] } }),
  C('unknown api-version', `/certificates/contacts${v('1999-01-01')}`, { body: { contacts: [] } }),
  U('empty patch', `${CERT_PATH}${v('7.4')}`, { body: {} }),
  U('not JSON', `${CERT_PATH}${v('7.4')}`, { raw: '{"attributes":{"enabled":true}' }),
  U('enabled only', `${CERT_PATH}${v('7.4')}`, { body: { attributes: { enabled: false } } }),
  U('tags a', `${CERT_PATH}${v('7.4')}`, { body: { tags: { a: '1' } } }),
  U('tags b', `${CERT_PATH}${v('7.4')}`, { body: { tags: { b: '2' } } }),
  U('tags in mixed case', `${CERT_PATH}${v('7.4')}`, { body: { tags: { Department: 'KeyVaultTest' } } }),
  U('read-only attributes', `${CERT_PATH}${v('2025-07-01')}`, { body: { attributes: { created: 5, updated: 6, recoverableDays: 30 } } }),
  U('missing certificate', `/certificates/missingCert01/${CERT.version}${v('7.4')}`, { body: {} }),
  U('unknown version', `/certificates/${CERT.name}/${'0'.repeat(32)}${v('7.4')}`, { body: {} }),
  U('no token', `${CERT_PATH}${v('7.4')}`, { token: false, body: {} }),
  U('api-version after every known one', `${CERT_PATH}${v('2099-01-01')}`, { body: {} }),
  U('empty version', `/certificates/${CERT.name}/${v('7.4')}`, { body: { tags: { latest: 'yes' } } }),
  U('lifetime_percentage 100', `${CERT_PATH}${v('7.4')}`, { body: lifetime({ lifetime_percentage: 100 }) }),
  U('lifetime_percentage 99', `${CERT_PATH}${v('7.4')}`, { body: lifetime({ lifetime_percentage: 99 }) }),
  U('lifetime_percentage 0', `${CERT_PATH}${v('7.4')}`, { body: lifetime({ lifetime_percentage: 0 }) }),
  U('validity_months -1', `${CERT_PATH}${v('7.4')}`, { body: { policy: { x509_props: { validity_months: -1 } } } }),
  U('days_before_expiry 30', `${CERT_PATH}${v('7.4')}`, { body: lifetime({ days_before_expiry: 30 }, { validity_months: 12 }) }),
  U('days_before_expiry 0', `${CERT_PATH}${v('7.4')}`, { body: lifetime({ days_before_expiry: 0 }, { validity_months: 12 }) }),
  U('both trigger kinds', `${CERT_PATH}${v('7.4')}`, { body: lifetime({ days_before_expiry: 10, lifetime_percentage: 10 }) }),
  U('days_before_expiry 1000', `${CERT_PATH}${v('7.4')}`, { body: lifetime({ days_before_expiry: 1000 }, { validity_months: 12 }) }),
  U('action_type Notify', `${CERT_PATH}${v('7.4')}`, { body: { policy: { lifetime_actions: [{ trigger: { lifetime_percentage: 50 }, action: { action_type: 'Notify' } }] } } }),
  U('key_size 1024', `${CERT_PATH}${v('7.4')}`, { body: { policy: { key_props: { kty: 'RSA', key_size: 1024 } } } }),
  V('add', `${VAULT_PATH}/accessPolicies/add${v('2019-09-01')}`, { body: ap(entry(X)) }),
  V('api%2Dversion', `${VAULT_PATH}/accessPolicies/add?api%2Dversion=2019-09-01`, { body: ap(entry(X)) }),
  V('add through an application', `${VAULT_PATH}/accessPolicies/add${v('2019-09-01')}`, { body: ap(entry('ffffffff-0000-4000-8000-000000000006', { applicationId: 'ffffffff-0000-4000-8000-000000000007' })) }),
  V('storage permissions', `${VAULT_PATH}/accessPolicies/add${v('2019-09-01')}`, { body: ap({ tenantId: TENANT, objectId: X, permissions: { storage: ['get', 'list'] } }) }),
  V('replace', `${VAULT_PATH}/accessPolicies/replace${v('2019-09-01')}`, { body: ap({ tenantId: TENANT, objectId: X, permissions: { certificates: ['get'] } }) }),
  V('remove', `${VAULT_PATH}/accessPolicies/remove${v('2019-09-01')}`, { body: ap({ tenantId: TENANT, objectId: X, permissions: { keys: ['get'] } }) }),
  V('no token', `${VAULT_PATH}/accessPolicies/add${v('2019-09-01')}`, { token: false, body: ap() }),
  V('no api-version', `${VAULT_PATH}/accessPolicies/add`, { body: ap(entry('dddddddd-0000-4000-8000-000000000004')) }),
  V('16 policies', `${VAULT_PATH}/accessPolicies/add${v('2019-09-01')}`, { body: ap(...Array.from({ length: 16 }, (_, i) => entry(`${String(i).padStart(8, '0')}-0000-4000-8000-000000000016`))) }),
  V('17 policies', `${VAULT_PATH}/accessPolicies/add${v('2019-09-01')}`, { body: ap(...Array.from({ length: 17 }, (_, i) => entry(`${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`))) }),
  V('foreign tenant', `${VAULT_PATH}/accessPolicies/add${v('2019-09-01')}`, { body: ap({ ...(entry(X) as object), tenantId: '99999999-9999-4999-8999-999999999999' }) }),
  V('duplicate identity', `${VAULT_PATH}/accessPolicies/add${v('2019-09-01')}`, { body: ap(entry(X), entry(X)) }),
  V("'all' at 2019-09-01", `${VAULT_PATH}/accessPolicies/add${v('2019-09-01')}`, { body: ap({ tenantId: TENANT, objectId: X, permissions: { keys: ['all'] } }) }),
  V('operationKind merge', `${VAULT_PATH}/accessPolicies/merge${v('2019-09-01')}`, { body: ap(entry('eeeeeeee-0000-4000-8000-000000000005')) }),
  V('applicationId not a GUID', `${VAULT_PATH}/accessPolicies/add${v('2019-09-01')}`, { body: ap(entry(X, { applicationId: 'not-a-guid' })) }),
  V('objectId not a GUID', `${VAULT_PATH}/accessPolicies/add${v('2019-09-01')}`, { body: ap(entry('not-a-directory-object')) }),
  A('upload', `${APIM_PATH}/certificates/tempcert${v('2024-05-01')}`, () => ({ body: { properties: { data: pfx.data, password: pfx.password } } })),
  A('upload again', `${APIM_PATH}/certificates/tempcert${v('2024-05-01')}`, () => ({ body: { properties: { data: pfx.data, password: pfx.password } } })),
  A('current If-Match', `${APIM_PATH}/certificates/tempcert${v('2024-05-01')}`, (etag) => ({ body: { properties: { data: pfx.data, password: pfx.password } }, headers: { 'if-match': etag ?? '*' } })),
  A('stale If-Match', `${APIM_PATH}/certificates/tempcert${v('2024-05-01')}`, () => ({ body: { properties: { data: pfx.data, password: pfx.password } }, headers: { 'if-match': '"stale"' } })),
  A('If-Match after a refused write', `${APIM_PATH}/certificates/tempcert${v('2024-05-01')}`, (etag) => ({ body: { properties: { data: pfx.data, password: pfx.password } }, headers: { 'if-match': etag ?? '*' } })),
  A('update to a Key Vault reference', `${APIM_PATH}/certificates/tempcert${v('2024-05-01')}`, () => ({ body: kv('https://myvault.vault.azure.net/secrets/other') })),
  A('Key Vault reference', `${APIM_PATH}/certificates/kvcert${v('2024-05-01')}`, () => ({ body: kv('https://myvault.vault.azure.net/secrets/mycert') })),
  A('no token', `${APIM_PATH}/certificates/tempcert${v('2024-05-01')}`, () => ({ token: false, body: kv('https://myvault.vault.azure.net/secrets/mycert') })),
  A('no api-version', `${APIM_PATH}/certificates/tempcert`, () => ({ body: kv('https://myvault.vault.azure.net/secrets/mycert') })),
  A('resource group in upper case', `${APIM_PATH.replace(/\/resourceGroups\/([^/]+)/, (_m, rg: string) => `/resourceGroups/${rg.toUpperCase()}`)}/certificates/kvcert${v('2024-05-01')}`, () => ({ body: kv('https://myvault.vault.azure.net/secrets/mycert') })),
  A('missing service', `${APIM_PATH.replace(/\/service\/[^/]+/, '/service/missingService9')}/certificates/kvcert${v('2024-05-01')}`, () => ({ body: kv('https://myvault.vault.azure.net/secrets/mycert') })),
  A('certificateId 80', `${APIM_PATH}/certificates/${'c'.repeat(80)}${v('2024-05-01')}`, () => ({ body: kv('https://myvault.vault.azure.net/secrets/mycert') })),
  A('certificateId 81', `${APIM_PATH}/certificates/${'c'.repeat(81)}${v('2024-05-01')}`, () => ({ body: kv('https://myvault.vault.azure.net/secrets/mycert') })),
  A('empty certificateId', `${APIM_PATH}/certificates/${v('2024-05-01')}`, () => ({ body: kv('https://myvault.vault.azure.net/secrets/mycert') })),
  A('data and keyVault', `${APIM_PATH}/certificates/both${v('2024-05-01')}`, () => ({ body: { properties: { data: pfx.data, password: pfx.password, keyVault: { secretIdentifier: 'https://v.vault.azure.net/secrets/s' } } } })),
  A('neither data nor keyVault', `${APIM_PATH}/certificates/neither${v('2024-05-01')}`, () => ({ body: { properties: {} } })),
  A('wrong password', `${APIM_PATH}/certificates/wrongpw${v('2024-05-01')}`, () => ({ body: { properties: { data: pfx.data, password: 'wrong' } } })),
  A('http secretIdentifier', `${APIM_PATH}/certificates/httpkv${v('2024-05-01')}`, () => ({ body: kv('http://myvault.vault.azure.net/secrets/mycert') })),
];

/** An `updated` of the last day is the clock's (volatile); an older one is the seed's, which a write failed to move. */
const recent = (v: unknown): boolean => typeof v !== 'number' || v > Date.now() / 1000 - 86_400;

/** Volatile parts out (the emulator's own URL, timestamps, ETag values): what is left must be deterministic. */
function scrub(value: unknown, host: string): unknown {
  return JSON.parse(JSON.stringify(value ?? null).split(host).join('HOST'), (k, v: unknown) => ((k === 'updated' && recent(v)) || k === 'timeStampUtc' || k === 'etag' ? 'T' : v));
}

function outline(a: Answer, host: string, lastEtag: string | undefined): string {
  if (a.failure) return `failure:${a.failure}`;
  const etag = a.headers.etag === undefined ? 'none' : a.headers.etag === lastEtag ? 'same' : 'new';
  const body = a.body === undefined ? `text:${a.text.slice(0, 40)}` : JSON.stringify(scrub(a.body, host));
  return [a.status, a.headers['content-type'], a.headers['www-authenticate'] ?? '-', `etag:${etag}`, body].join(' | ');
}

/** What each operation's store holds, scrubbed. */
function stores(s: EmulatorState, host: string): { [op in OperationId]: string } {
  return {
    SetCertificateContacts: JSON.stringify(s.contacts ?? null),
    UpdateCertificate: JSON.stringify(scrub([...s.certificates.values()].map((c) => ({ ...c, versions: [...c.versions.values()] })), host)),
    Vaults_UpdateAccessPolicy: JSON.stringify([...s.vaults.values()].map((v) => ({ ...v, accessPolicies: [...v.accessPolicies.values()] }))),
    Certificate_CreateOrUpdate: JSON.stringify(scrub([...s.apimServices.values()].map((a) => [...a.certificates.values()]), host)),
  };
}

interface Run {
  readonly answers: readonly string[];
  readonly stores: { [op in OperationId]: string };
}

async function play(emu: Emulator): Promise<Run> {
  const answers: string[] = [];
  let lastEtag: string | undefined;
  for (const step of SCENARIO) {
    const a = await send(emu.url, step.method, step.path, { ...(step.lazy ? step.lazy(lastEtag) : step.opts), timeoutMs: 1_000 });
    answers.push(outline(a, emu.url, lastEtag));
    lastEtag = a.headers.etag ?? lastEtag;
  }
  return { answers, stores: stores(emu.state, emu.url) };
}

let clean: Run;
beforeAll(async () => {
  pfx = makePkcs12({ subject: 'CN=faults.contoso.test', validityDays: 60, password: 'pw', issuer: 'CN=faults CA' });
  const emu = await startEmulator();
  try {
    clean = await play(emu);
  } finally {
    await emu.close();
  }
});

describe('the fault catalog', () => {
  it('has at least 30 faults, unique names, every tier, each with a description and exactly one kind of hook', () => {
    expect(FAULTS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(FAULTS.map((f) => f.name)).size).toBe(FAULTS.length);
    expect(new Set(FAULTS.map((f) => f.tier))).toEqual(new Set(['schema', 'boundary', 'prose', 'semantics', 'state', 'security', 'robustness']));
    for (const f of FAULTS) {
      expect(f.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(f.description.length, f.name).toBeGreaterThan(10);
      const hooks = [f.tolerate, f.skip, f.quirk, f.before, f.after].filter((h) => h !== undefined);
      expect(hooks.length, f.name).toBe(1);
    }
  });

  it('refuses an unknown fault name', async () => {
    await expect(startEmulator({ fault: 'no-such-fault' })).rejects.toThrow(/unknown fault "no-such-fault"/);
  });

  it('the clean scenario answers as Azure would (spot checks)', () => {
    const at = (label: string): string => clean.answers[SCENARIO.findIndex((s) => s.label === label && s.op === 'UpdateCertificate')] ?? '';
    expect(at('missing certificate')).toMatch(/^404 /);
    expect(at('unknown version')).toMatch(/^404 /);
    expect(at('lifetime_percentage 100')).toMatch(/^400 /);
    expect(clean.answers.filter((a) => a.startsWith('failure')).length).toBe(0);
    expect(clean.answers.filter((a) => a.startsWith('5')).length).toBe(0);
  });
});

describe.each(FAULTS.map((f) => [f.name, f] as const))('fault %s', (name, fault) => {
  let run: Run;
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ fault: name });
    run = await play(emu);
  });
  afterAll(() => emu.close());

  it(`changes what ${fault.operation} answers or stores`, () => {
    const mine = SCENARIO.map((s, i) => (s.op === fault.operation && run.answers[i] !== clean.answers[i] ? `${s.label}: ${run.answers[i]}` : '')).filter(Boolean);
    const stored = run.stores[fault.operation] !== clean.stores[fault.operation];
    expect(mine.length > 0 || stored, `${name} is not observable in the scenario`).toBe(true);
  });

  it('leaves the other operations exactly as the clean emulator serves them', () => {
    SCENARIO.forEach((s, i) => {
      if (s.op !== fault.operation) expect(run.answers[i], `${s.op} ${s.label}`).toBe(clean.answers[i]);
    });
    for (const op of Object.keys(run.stores) as OperationId[]) if (op !== fault.operation) expect(run.stores[op], op).toBe(clean.stores[op]);
  });
});
