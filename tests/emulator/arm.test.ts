import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { makePkcs12, type Pkcs12Certificate } from '../../src/pki/pkcs12.js';
import { APIM_PATH, SUB, TENANT, VAULT_PATH, send, v } from './client.js';

let emu: Emulator;
let host: string;
let pfx: Pkcs12Certificate;
let pfx2: Pkcs12Certificate;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  host = emu.url;
  pfx = makePkcs12({ subject: 'CN=api.contoso.test', validityDays: 90, password: 'Passw0rd!' });
  pfx2 = makePkcs12({ subject: 'CN=other.contoso.test', validityDays: 30, password: '' });
});
afterAll(() => emu.close());

const entry = (objectId: string, permissions: object, extra: object = {}): object => ({ tenantId: TENANT, objectId, permissions, ...extra });
const policies = (...entries: object[]): object => ({ properties: { accessPolicies: entries } });
const vaultPolicies = (): unknown[] => [...(emu.state.vaults.get(`${SUB}/sample-group/sample-vault`)?.accessPolicies.values() ?? [])];
const find = (objectId: string): { permissions: { [k: string]: string[] } } | undefined =>
  vaultPolicies().find((p) => (p as { objectId: string }).objectId === objectId) as { permissions: { [k: string]: string[] } } | undefined;

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';

describe('ARM auth and api-version', () => {
  it('answers a request without a token 401 AuthenticationFailed (CloudError / ErrorResponse)', async () => {
    for (const path of [`${VAULT_PATH}/accessPolicies/add${v('2019-09-01')}`, `${APIM_PATH}/certificates/c1${v('2024-05-01')}`]) {
      const r = await send(host, 'PUT', path, { token: false, body: {} });
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('AuthenticationFailed');
      expect(r.headers['www-authenticate']).toMatch(/^Bearer authorization_uri=/);
    }
  });

  it('answers a missing api-version MissingApiVersionParameter and an unknown one InvalidApiVersionParameter', async () => {
    const missing = await send(host, 'PUT', `${VAULT_PATH}/accessPolicies/add`, { body: policies() });
    expect([missing.status, missing.body.error.code]).toEqual([400, 'MissingApiVersionParameter']);
    const unknown = await send(host, 'PUT', `${VAULT_PATH}/accessPolicies/add${v('2024-05-01')}`, { body: policies() });
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 'InvalidApiVersionParameter']);
    // The message lists the versions the emulator serves for this resource type, every one of them.
    for (const served of ['2019-09-01', '2021-10-01', '2022-07-01', '2023-07-01', '2024-11-01']) expect(unknown.body.error.message).toContain(served);
    const apim = await send(host, 'PUT', `${APIM_PATH}/certificates/c1${v('7.4')}`, { body: {} });
    expect([apim.status, apim.body.error.code]).toEqual([400, 'InvalidApiVersionParameter']);
  });
});

describe('Vaults_UpdateAccessPolicy', () => {
  it('refuses permissions sent as an array, empty or not (no binder reads a list as the permission set)', async () => {
    for (const permissions of [[], ['get']]) {
      const r = await send(host, 'PUT', `${VAULT_PATH}/accessPolicies/add${v('2019-09-01')}`, { body: policies(entry(A, permissions as unknown as object)) });
      expect(r.status).toBe(400);
    }
  });

  it('adds an entry and answers the accessPolicies resource with the request entries (reference example)', async () => {
    const body = policies(entry(A, { keys: ['encrypt'], secrets: ['get'], certificates: ['get'] }));
    const r = await send(host, 'PUT', `${VAULT_PATH}/accessPolicies/add${v('2019-09-01')}`, { body });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id: `${VAULT_PATH}/accessPolicies/`, type: 'Microsoft.KeyVault/vaults/accessPolicies', ...body });
    expect(find(A)?.permissions).toEqual({ keys: ['encrypt'], secrets: ['get'], certificates: ['get'] });
  });

  it('add merges permissions into an existing identity; names are case-insensitive and come back canonical', async () => {
    const r = await send(host, 'PUT', `${VAULT_PATH}/accessPolicies/ADD${v('2019-09-01')}`.replace('/vaults/', '/VAULTS/').replace('resourceGroups', 'resourcegroups'), {
      body: policies(entry(A, { keys: ['Decrypt', 'ENCRYPT'], storage: ['GetSAS'] })),
    });
    expect(r.status).toBe(200);
    expect(r.body.properties.accessPolicies[0].permissions).toEqual({ keys: ['decrypt', 'encrypt'], storage: ['getsas'] });
    expect(find(A)?.permissions).toEqual({ keys: ['encrypt', 'decrypt'], secrets: ['get'], certificates: ['get'], storage: ['getsas'] });
  });

  it('replace replaces the permissions of the identity; remove takes permissions away, then the entry', async () => {
    await send(host, 'PUT', `${VAULT_PATH}/accessPolicies/replace${v('2024-11-01')}`, { body: policies(entry(A, { secrets: ['list', 'all'] })) });
    expect(find(A)?.permissions).toEqual({ secrets: ['list', 'all'] });
    const removed = await send(host, 'PUT', `${VAULT_PATH}/accessPolicies/remove${v('2019-09-01')}`, { body: policies(entry(A, { secrets: ['list'] })) });
    expect(removed.status).toBe(200);
    expect(removed.body.properties.accessPolicies).toEqual([entry(A, { secrets: ['list'] })]);
    expect(find(A)?.permissions).toEqual({ secrets: ['all'] });
    await send(host, 'PUT', `${VAULT_PATH}/accessPolicies/remove${v('2019-09-01')}`, { body: policies(entry(A, {})) });
    expect(find(A)).toBeUndefined();
    // Removing an identity the vault does not have changes nothing and still succeeds.
    const count = vaultPolicies().length;
    expect((await send(host, 'PUT', `${VAULT_PATH}/accessPolicies/remove${v('2019-09-01')}`, { body: policies(entry(B, {})) })).status).toBe(200);
    expect(vaultPolicies().length).toBe(count);
  });

  it('answers an unknown vault 404 ResourceNotFound (and an unknown resource group ResourceGroupNotFound)', async () => {
    const r = await send(host, 'PUT', `${VAULT_PATH.replace('sample-vault', 'missing-vault')}/accessPolicies/add${v('2019-09-01')}`, { body: policies(entry(B, {})) });
    expect(r.status).toBe(404);
    expect(r.body.error).toEqual({ code: 'ResourceNotFound', message: "The Resource 'Microsoft.KeyVault/vaults/missing-vault' under resource group 'sample-group' was not found." });
    const rg = await send(host, 'PUT', `${VAULT_PATH.replace('sample-group', 'nope')}/accessPolicies/add${v('2019-09-01')}`, { body: policies() });
    expect([rg.status, rg.body.error.code]).toEqual([404, 'ResourceGroupNotFound']);
  });

  it('refuses what breaks the schema or a rule (400) and leaves the vault as it was', async () => {
    const before = structuredClone(vaultPolicies());
    const cases: [string, string, object][] = [
      ['2019-09-01', 'add', policies(entry(B, { keys: ['all'] }))], // 'all' is documented from 2021-10-01
      ['2024-11-01', 'add', policies(entry(B, { keys: ['frobnicate'] }))],
      ['2019-09-01', 'add', policies({ tenantId: '11111111-1111-1111-1111-111111111111', objectId: B, permissions: {} })],
      ['2019-09-01', 'add', policies(entry(B, {}), entry(B, { keys: ['get'] }))],
      ['2019-09-01', 'add', policies(...Array.from({ length: 17 }, (_, i) => entry(`${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`, {})))],
      ['2019-09-01', 'add', policies(entry('not-a-directory-object', { keys: ['get'] }))],
      ['2019-09-01', 'add', { properties: {} }],
      ['2019-09-01', 'add', { properties: { accessPolicies: 'text' } }],
      ['2019-09-01', 'merge', policies(entry(B, {}))],
    ];
    for (const [version, kind, body] of cases) {
      const r = await send(host, 'PUT', `${VAULT_PATH}/accessPolicies/${kind}${v(version)}`, { body });
      expect(r.status, JSON.stringify(body).slice(0, 120)).toBe(400);
      expect(['BadRequest', 'InvalidParameter']).toContain(r.body.error.code);
    }
    const longName = await send(host, 'PUT', `${VAULT_PATH.replace('sample-vault', 'v'.repeat(25))}/accessPolicies/add${v('2019-09-01')}`, { body: policies() });
    expect([longName.status, longName.body.error.code]).toEqual([400, 'InvalidParameter']);
    expect(vaultPolicies()).toEqual(before);
  });

  it('accepts the 16-entry maximum and an empty list', async () => {
    const sixteen = Array.from({ length: 16 }, (_, i) => entry(`${String(i).padStart(8, '0')}-0000-4000-8000-00000000000${i % 10}`, { keys: ['get'] }));
    expect((await send(host, 'PUT', `${VAULT_PATH}/accessPolicies/add${v('2019-09-01')}`, { body: policies(...sixteen) })).status).toBe(200);
    expect((await send(host, 'PUT', `${VAULT_PATH}/accessPolicies/add${v('2019-09-01')}`, { body: policies() })).status).toBe(200);
  });
});

describe('Certificate_CreateOrUpdate', () => {
  it('creates (201) then updates (200) with a new ETag each time; never echoes data or password', async () => {
    const path = `${APIM_PATH}/certificates/tempcert${v('2024-05-01')}`;
    const created = await send(host, 'PUT', path, { body: { properties: { data: pfx.data, password: pfx.password } } });
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBeTruthy();
    expect(created.body).toEqual({
      id: `${APIM_PATH}/certificates/tempcert`,
      type: 'Microsoft.ApiManagement/service/certificates',
      name: 'tempcert',
      properties: { subject: pfx.subject, thumbprint: pfx.thumbprint, expirationDate: pfx.notAfter.toISOString().replace('.000Z', 'Z') },
    });
    const updated = await send(host, 'PUT', path, { body: { properties: { data: pfx2.data, password: pfx2.password } } });
    expect(updated.status).toBe(200);
    expect(updated.headers.etag).toBeTruthy();
    expect(updated.headers.etag).not.toBe(created.headers.etag);
    expect(updated.body.properties).toEqual({ subject: 'CN=other.contoso.test', thumbprint: pfx2.thumbprint, expirationDate: pfx2.notAfter.toISOString().replace('.000Z', 'Z') });
    expect(JSON.stringify([created.body, updated.body])).not.toMatch(/password|Passw0rd|"data"/);
  });

  it('honours If-Match: current (quoted or not) and * succeed, a stale ETag is 412 and changes nothing', async () => {
    const path = `${APIM_PATH}/certificates/ifmatch${v('2024-05-01')}`;
    const body = { properties: { data: pfx.data, password: pfx.password } };
    const first = await send(host, 'PUT', path, { body });
    const etag = first.headers.etag as string;
    const second = await send(host, 'PUT', path, { body, headers: { 'if-match': etag } });
    expect(second.status).toBe(200);
    const stale = await send(host, 'PUT', path, { body, headers: { 'if-match': etag } });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe('PreconditionFailed');
    expect(emu.state.apimServices.get(`${SUB}/rg1/apimservice1`)?.certificates.get('ifmatch')?.etag).toBe(second.headers.etag);
    const unquoted = await send(host, 'PUT', path, { body, headers: { 'if-match': String(second.headers.etag).replace(/"/g, '') } });
    expect(unquoted.status).toBe(200);
    expect((await send(host, 'PUT', path, { body, headers: { 'if-match': '*' } })).status).toBe(200);
  });

  it('answers If-Match on a certificate that does not exist 412 (RFC 9110: the precondition is false), even *', async () => {
    for (const tag of ['*', '"AAAAAAAAAAz="']) {
      const r = await send(host, 'PUT', `${APIM_PATH}/certificates/never-${tag.length}${v('2024-05-01')}`, { body: { properties: { data: pfx.data, password: pfx.password } }, headers: { 'if-match': tag } });
      expect(r.status).toBe(412);
    }
  });

  it('describes a Key Vault reference: echoes keyVault with lastStatus Success and a synthesised certificate', async () => {
    const keyVault = { identityClientId: 'ceaa6b06-c00f-43ef-99ac-f53d1fe876a0', secretIdentifier: 'https://rpbvtkeyvaultintegration.vault-int.azure-int.net/secrets/msitestingCert' };
    const r = await send(host, 'PUT', `${APIM_PATH}/certificates/templateCertkv${v('2024-05-01')}`, { body: { properties: { keyVault } } });
    expect(r.status).toBe(201);
    expect(r.body.properties.keyVault).toMatchObject({ ...keyVault, lastStatus: { code: 'Success' } });
    expect(Date.parse(r.body.properties.keyVault.lastStatus.timeStampUtc)).toBeGreaterThan(Date.now() - 60_000);
    expect(r.body.properties.subject).toBe('CN=msitestingCert');
    expect(r.body.properties.thumbprint).toMatch(/^[0-9A-F]{40}$/);
    expect(Date.parse(r.body.properties.expirationDate)).toBeGreaterThan(Date.now());
  });

  it('refuses data that does not open, neither data nor keyVault, and a bad secretIdentifier (400 ValidationError)', async () => {
    const bad = [
      { properties: { data: pfx.data, password: 'wrong' } },
      { properties: { data: '****************Base 64 Encoded Certificate *******************************', password: 'x' } },
      { properties: {} },
      {},
      { properties: { keyVault: { secretIdentifier: 'http://v.vault.azure.net/secrets/s' } } },
      { properties: { keyVault: { secretIdentifier: 'https://v.vault.azure.net/keys/s' } } },
    ];
    for (const body of bad) {
      const r = await send(host, 'PUT', `${APIM_PATH}/certificates/refused${v('2024-05-01')}`, { body });
      expect(r.status, JSON.stringify(body).slice(0, 100)).toBe(400);
      expect(r.body.error.code).toBe('ValidationError');
      expect(r.body.error.details.length).toBeGreaterThan(0);
    }
    expect(emu.state.apimServices.get(`${SUB}/rg1/apimservice1`)?.certificates.has('refused')).toBe(false);
  });

  it('checks the path: certificateId of 80 characters is fine, 81 is 400; an unknown service is 404', async () => {
    const body = { properties: { keyVault: { secretIdentifier: 'https://v.vault.azure.net/secrets/s/0123' } } };
    expect((await send(host, 'PUT', `${APIM_PATH}/certificates/${'c'.repeat(80)}${v('2024-05-01')}`, { body })).status).toBe(201);
    expect((await send(host, 'PUT', `${APIM_PATH}/certificates/${'c'.repeat(81)}${v('2024-05-01')}`, { body })).status).toBe(400);
    expect((await send(host, 'PUT', `${APIM_PATH}/certificates/a%3Ab${v('2024-05-01')}`, { body })).status).toBe(400);
    const missing = await send(host, 'PUT', `${APIM_PATH.replace('apimService1', 'apimServiceMissing')}/certificates/tempcert${v('2024-05-01')}`, { body });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('ResourceNotFound');
    const badSub = await send(host, 'PUT', `${APIM_PATH.replace(SUB, 'not-a-uuid')}/certificates/tempcert${v('2024-05-01')}`, { body });
    expect(badSub.status).toBe(400);
  });

  it('serves ARM names case-insensitively and answers with the names of the request', async () => {
    const path = `${APIM_PATH.toLowerCase()}/certificates/MixedCase${v('2024-05-01')}`;
    const r = await send(host, 'PUT', path, { body: { properties: { data: pfx.data, password: pfx.password } } });
    expect(r.status).toBe(201);
    expect(r.body.name).toBe('MixedCase');
    expect(r.body.id.toLowerCase()).toBe(`${APIM_PATH}/certificates/MixedCase`.toLowerCase());
    expect((await send(host, 'PUT', path.replace('MixedCase', 'mixedcase'), { body: { properties: { data: pfx.data, password: pfx.password } } })).status).toBe(200);
  });
});
