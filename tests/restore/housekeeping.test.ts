/**
 * The emulator's housekeeping requests (src/emulator/housekeeping.ts): the reads and deletes snapshot and restore
 * use, with the real services' shapes and status codes, auth and api-version handling.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { APIM_PATH, CERT, send, TENANT, VAULT_PATH } from '../emulator/client.js';

let emu: Emulator;
let host: string;
beforeAll(async () => {
  emu = await startEmulator();
  host = emu.url;
});
afterAll(() => emu.close());

const KV = '?api-version=7.4';
const ARM_KV = '?api-version=2019-09-01';
const ARM_APIM = '?api-version=2024-05-01';

describe('Key Vault data plane: contacts', () => {
  it('GET is 404 ContactsNotFound until contacts are set, then 200 Contacts; DELETE answers the deleted contacts', async () => {
    const none = await send(host, 'GET', `/certificates/contacts${KV}`);
    expect(none.status).toBe(404);
    expect(none.body).toEqual({ error: { code: 'ContactsNotFound', message: 'Contacts not found' } });
    expect((await send(host, 'DELETE', `/certificates/contacts${KV}`)).status).toBe(404);

    const contacts = [{ email: 'admin@contoso.com', name: 'John Doe', phone: '1111111111' }];
    expect((await send(host, 'PUT', `/certificates/contacts${KV}`, { body: { contacts } })).status).toBe(200);
    const got = await send(host, 'GET', `/certificates/contacts?api-version=2025-07-01`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ id: `${host}/certificates/contacts`, contacts });

    const deleted = await send(host, 'DELETE', `/certificates/contacts${KV}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.contacts).toEqual(contacts);
    expect(emu.state.contacts).toBeUndefined();
    expect((await send(host, 'GET', `/certificates/contacts${KV}`)).status).toBe(404);
  });

  it('answers 401 with the Key Vault challenge without a token, and 400 for a missing or unknown api-version', async () => {
    const anon = await send(host, 'GET', `/certificates/contacts${KV}`, { token: false });
    expect(anon.status).toBe(401);
    expect(anon.headers['www-authenticate']).toMatch(/^Bearer authorization="https:\/\/login\.windows\.net\/.+", resource="https:\/\/vault\.azure\.net"$/);
    expect((await send(host, 'GET', '/certificates/contacts')).body.error.code).toBe('BadParameter');
    expect((await send(host, 'GET', '/certificates/contacts?api-version=1999-01-01')).status).toBe(400);
  });
});

describe('Key Vault data plane: certificate and policy', () => {
  it('GET a version, the latest (empty or no version segment) and the policy', async () => {
    const v = await send(host, 'GET', `/certificates/${CERT.name}/${CERT.version}${KV}`);
    expect(v.status).toBe(200);
    expect(v.body.id).toBe(`${host}/certificates/${CERT.name}/${CERT.version}`);
    expect(v.body.attributes).toMatchObject({ enabled: true, recoveryLevel: expect.any(String) });
    expect(v.body.tags).toEqual({ department: 'KeyVaultTest' });
    for (const path of [`/certificates/${CERT.name}/`, `/certificates/${CERT.name.toUpperCase()}`]) {
      const latest = await send(host, 'GET', `${path}${KV}`);
      expect(latest.status, path).toBe(200);
      expect(latest.body.id).toBe(v.body.id);
    }
    const policy = await send(host, 'GET', `/certificates/${CERT.name}/policy${KV}`);
    expect(policy.status).toBe(200);
    expect(policy.body).toMatchObject({ id: `${host}/certificates/${CERT.name}/policy`, x509_props: { validity_months: 12 }, issuer: { name: 'Self' } });
    expect(policy.body).toEqual(v.body.policy);
  });

  it('answers 404 CertificateNotFound for an unknown certificate or version', async () => {
    for (const path of ['/certificates/nope/', `/certificates/${CERT.name}/0000`, '/certificates/nope/policy']) {
      const r = await send(host, 'GET', `${path}${KV}`);
      expect(r.status, path).toBe(404);
      expect(r.body.error.code).toBe('CertificateNotFound');
    }
  });
});

describe('ARM: the vault and API Management certificates', () => {
  it('GET the vault: a Vault resource with its tenant and access policies', async () => {
    const r = await send(host, 'GET', `${VAULT_PATH}${ARM_KV}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: VAULT_PATH, name: 'sample-vault', type: 'Microsoft.KeyVault/vaults', location: expect.any(String) });
    expect(r.body.properties).toMatchObject({ tenantId: TENANT, sku: { family: 'A', name: 'standard' }, vaultUri: `${host}/` });
    expect(r.body.properties.accessPolicies).toEqual([...(emu.state.vaults.values().next().value?.accessPolicies.values() ?? [])]);
    const anon = await send(host, 'GET', `${VAULT_PATH}${ARM_KV}`, { token: false });
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe('AuthenticationFailed');
    expect((await send(host, 'GET', VAULT_PATH)).body.error.code).toBe('MissingApiVersionParameter');
    expect((await send(host, 'GET', `${VAULT_PATH.replace('sample-vault', 'other-vault')}${ARM_KV}`)).body.error.code).toBe('ResourceNotFound');
  });

  it('lists API Management certificates; DELETE needs If-Match, honours it (412) and is 200 once, then 204', async () => {
    const put = await send(host, 'PUT', `${APIM_PATH}/certificates/hk-cert${ARM_APIM}`, { body: { properties: { keyVault: { secretIdentifier: 'https://kv.vault.azure.net/secrets/hk' } } } });
    expect(put.status).toBe(201);
    const list = await send(host, 'GET', `${APIM_PATH}/certificates${ARM_APIM}`);
    expect(list.status).toBe(200);
    expect(list.body.count).toBe(list.body.value.length);
    expect(list.body.value.map((c: { name: string }) => c.name)).toContain('hk-cert');

    const url = `${APIM_PATH}/certificates/hk-cert${ARM_APIM}`;
    const noIfMatch = await send(host, 'DELETE', url);
    expect(noIfMatch.status).toBe(400);
    expect(noIfMatch.body.error.code).toBe('ValidationError');
    expect((await send(host, 'DELETE', url, { headers: { 'if-match': '"stale"' } })).status).toBe(412);
    expect((await send(host, 'DELETE', url, { headers: { 'if-match': put.headers.etag ?? '' } })).status).toBe(200);
    expect((await send(host, 'DELETE', url, { headers: { 'if-match': '*' } })).status).toBe(204);
    expect([...(emu.state.apimServices.values().next().value?.certificates.keys() ?? [])]).not.toContain('hk-cert');
  });
});
