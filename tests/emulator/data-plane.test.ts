import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { CERT, send, v } from './client.js';

let emu: Emulator;
let host: string;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  host = emu.url;
});
afterAll(() => emu.close());

const CERT_PATH = `/certificates/${CERT.name}/${CERT.version}`;
const CONTACTS = [
  { email: 'admin@contoso.com', name: 'John Doe', phone: '1111111111' },
  { email: 'admin@contoso2.com', name: 'Johnathan Doeman', phone: '2222222222' },
];

describe('auth (Key Vault challenge)', () => {
  it('answers a request without a token 401 with the Bearer challenge and AKV10000', async () => {
    for (const [method, path] of [['PUT', '/certificates/contacts'], ['PATCH', CERT_PATH]] as const) {
      const r = await send(host, method, `${path}${v('7.4')}`, { token: false, body: {} });
      expect(r.status).toBe(401);
      expect(r.headers['www-authenticate']).toBe('Bearer authorization="https://login.windows.net/00000000-0000-0000-0000-000000000000", resource="https://vault.azure.net"');
      expect(r.body).toEqual({ error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } });
      expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    }
  });

  it('answers the SDK body-less first request 401, before looking at the (missing) body or api-version', async () => {
    const r = await send(host, 'PATCH', `${CERT_PATH}?api-version=1999-01-01`, { token: false });
    expect(r.status).toBe(401);
  });

  it('refuses a non-bearer Authorization header', async () => {
    const r = await send(host, 'PUT', `/certificates/contacts${v('7.4')}`, { token: false, headers: { authorization: 'Basic dXNlcjpwdw==' }, body: { contacts: [] } });
    expect(r.status).toBe(401);
  });
});

describe('api-version', () => {
  it('answers a missing api-version 400 BadParameter', async () => {
    const r = await send(host, 'PUT', '/certificates/contacts', { body: { contacts: CONTACTS } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BadParameter');
  });

  it("answers an unknown api-version 400 with Key Vault's message", async () => {
    const r = await send(host, 'PATCH', `${CERT_PATH}${v('1999-01-01')}`, { body: {} });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      error: { code: 'BadParameter', message: 'The specified version (1999-01-01) is not recognized. Consider using the latest supported version (2025-07-01).' },
    });
  });

  it('refuses a version of another service (the ARM 2019-09-01) and accepts both of ours, also as api%2Dversion', async () => {
    expect((await send(host, 'PUT', `/certificates/contacts${v('2019-09-01')}`, { body: { contacts: [] } })).status).toBe(400);
    expect((await send(host, 'PUT', `/certificates/contacts${v('7.4')}`, { body: { contacts: [] } })).status).toBe(200);
    expect((await send(host, 'PUT', '/certificates/contacts?api%2Dversion=2025-07-01', { body: { contacts: [] } })).status).toBe(200);
  });
});

describe('SetCertificateContacts', () => {
  it('echoes exactly the contacts sent, with the id under the vault URL of the Host header', async () => {
    const r = await send(host, 'PUT', `/certificates/contacts${v('2025-07-01')}`, { body: { contacts: CONTACTS } });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(r.body).toEqual({ id: `${host}/certificates/contacts`, contacts: CONTACTS });
    expect(emu.state.contacts).toEqual(CONTACTS);

    const other = await send(host, 'PUT', `/certificates/contacts${v('7.4')}`, { body: { contacts: [{ name: 'Zoë', email: 'z@x' }] }, headers: { host: 'myvault.vault.azure.net' } });
    expect(other.body).toEqual({ id: 'http://myvault.vault.azure.net/certificates/contacts', contacts: [{ name: 'Zoë', email: 'z@x' }] });
  });

  it('keeps the order and the fields sent; an empty list stays empty; no contacts, no contacts field', async () => {
    const reordered = [...CONTACTS].reverse().map(({ email, phone }) => ({ phone, email }));
    expect((await send(host, 'PUT', `/certificates/contacts${v('7.4')}`, { body: { contacts: reordered } })).body.contacts).toEqual(reordered);
    expect((await send(host, 'PUT', `/certificates/contacts${v('7.4')}`, { body: { contacts: [] } })).body).toEqual({ id: `${host}/certificates/contacts`, contacts: [] });
    expect((await send(host, 'PUT', `/certificates/contacts${v('7.4')}`, { body: {} })).body).toEqual({ id: `${host}/certificates/contacts` });
  });

  it('refuses bodies that break the schema, are not JSON or are missing (400 BadParameter)', async () => {
    for (const opts of [{ body: { contacts: { email: 'x' } } }, { body: { contacts: [{ email: 5 }] } }, { raw: '{"contacts": [' }, { raw: 'contacts=1' }, {}, { body: [] }]) {
      const r = await send(host, 'PUT', `/certificates/contacts${v('7.4')}`, opts);
      expect(r.status, JSON.stringify(opts)).toBe(400);
      expect(r.body.error.code).toBe('BadParameter');
    }
  });
});

describe('UpdateCertificate', () => {
  it('starts as the UpdateCertificate example, with a policy and CustomizedRecoverable+Purgeable / 7 days', async () => {
    const r = await send(host, 'PATCH', `${CERT_PATH}${v('7.4')}`, { body: {} });
    expect(r.status).toBe(200);
    const b = r.body;
    expect(b.id).toBe(`${host}/certificates/${CERT.name}/${CERT.version}`);
    expect(b.kid).toBe(`${host}/keys/${CERT.name}/${CERT.version}`);
    expect(b.sid).toBe(`${host}/secrets/${CERT.name}/${CERT.version}`);
    expect(b.x5t).toBe('fLi3U52HunIVNXubkEnf8tP6Wbo');
    expect(createHash('sha1').update(Buffer.from(b.cer, 'base64')).digest('base64url')).toBe(b.x5t);
    expect(b.tags).toEqual({ department: 'KeyVaultTest' });
    expect(b.attributes).toMatchObject({ enabled: true, nbf: 1430344421, exp: 2208988799, created: 1482188981, recoveryLevel: 'CustomizedRecoverable+Purgeable', recoverableDays: 7 });
    expect(b.policy).toMatchObject({
      id: `${host}/certificates/${CERT.name}/policy`,
      key_props: { kty: 'RSA', key_size: 2048 },
      x509_props: { subject: 'CN=KeyVaultTest', validity_months: 12 },
      lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'EmailContacts' } }],
      issuer: { name: 'Self' },
    });
  });

  it('says the recovery settings as each api-version can: no recoverableDays and no CustomizedRecoverable level at 7.0', async () => {
    const at = async (version: string): Promise<{ [k: string]: unknown }> => {
      const r = await send(host, 'PATCH', `${CERT_PATH}${v(version)}`, { body: {} });
      expect(r.status).toBe(200);
      return r.body.attributes;
    };
    for (const version of ['7.1', '7.2', '7.3', '7.4', '2025-07-01']) expect(await at(version)).toMatchObject({ recoveryLevel: 'CustomizedRecoverable+Purgeable', recoverableDays: 7 });
    const old = await at('7.0');
    expect(old.recoveryLevel).toBe('Recoverable+Purgeable');
    expect(old).not.toHaveProperty('recoverableDays');
    // The reads snapshot and restore use answer the same way at the same version.
    const read = await send(host, 'GET', `${CERT_PATH}${v('7.0')}`);
    expect(read.body.attributes).toEqual(old);
    expect((await send(host, 'GET', `${CERT_PATH}${v('7.1')}`)).body.attributes).toMatchObject({ recoverableDays: 7 });
  });

  it('merges: sent attributes applied, unsent kept, tags replaced, read-only fields ignored, updated moves forward', async () => {
    const before = Math.floor(Date.now() / 1000);
    const r1 = await send(host, 'PATCH', `${CERT_PATH}${v('7.4')}`, { body: { attributes: { enabled: false, exp: 2100000000 }, tags: { team: 'a', env: 'b' } } });
    expect(r1.body.attributes).toMatchObject({ enabled: false, nbf: 1430344421, exp: 2100000000, created: 1482188981 });
    expect(r1.body.attributes.updated).toBeGreaterThanOrEqual(before);
    expect(r1.body.tags).toEqual({ team: 'a', env: 'b' });

    const r2 = await send(host, 'PATCH', `${CERT_PATH}${v('2025-07-01')}`, {
      body: { attributes: { created: 5, updated: 6, recoverableDays: 90, recoveryLevel: 'Purgeable' }, tags: { only: 'this' } },
    });
    expect(r2.body.attributes).toMatchObject({ enabled: false, nbf: 1430344421, exp: 2100000000, created: 1482188981, recoveryLevel: 'CustomizedRecoverable+Purgeable', recoverableDays: 7 });
    expect(r2.body.attributes.updated).toBeGreaterThanOrEqual(r1.body.attributes.updated);
    expect(r2.body.tags).toEqual({ only: 'this' });

    const r3 = await send(host, 'PATCH', `${CERT_PATH}${v('7.4')}`, { body: { attributes: { enabled: true } } });
    expect(r3.body.tags).toEqual({ only: 'this' });
    expect(r3.body.attributes.enabled).toBe(true);
  });

  it('merges the policy field by field; lifetime_actions are replaced; policy.id is read-only', async () => {
    const r = await send(host, 'PATCH', `${CERT_PATH}${v('7.4')}`, {
      body: { policy: { id: 'https://elsewhere/x', x509_props: { validity_months: 24 }, lifetime_actions: [{ trigger: { days_before_expiry: 30 }, action: { action_type: 'AutoRenew' } }] } },
    });
    expect(r.status).toBe(200);
    expect(r.body.policy).toMatchObject({
      id: `${host}/certificates/${CERT.name}/policy`,
      key_props: { kty: 'RSA', key_size: 2048 },
      x509_props: { subject: 'CN=KeyVaultTest', validity_months: 24 },
      lifetime_actions: [{ trigger: { days_before_expiry: 30 }, action: { action_type: 'AutoRenew' } }],
    });
    // The current validity (24 months) bounds days_before_expiry when the request does not send one: 24 × 27 = 648.
    const ok = await send(host, 'PATCH', `${CERT_PATH}${v('7.4')}`, { body: { policy: { lifetime_actions: [{ trigger: { days_before_expiry: 648 }, action: { action_type: 'AutoRenew' } }] } } });
    expect(ok.status).toBe(200);
    const over = await send(host, 'PATCH', `${CERT_PATH}${v('7.4')}`, { body: { policy: { lifetime_actions: [{ trigger: { days_before_expiry: 649 }, action: { action_type: 'AutoRenew' } }] } } });
    expect(over.status).toBe(400);
    expect(over.body.error.message).toMatch(/validity_months × 27/);
  });

  it('treats an empty version segment as the latest version and names are case-insensitive', async () => {
    const r = await send(host, 'PATCH', `/certificates/UPDATECERT01/${v('7.4')}`, { body: { tags: { x: 'y' } } });
    expect(r.status).toBe(200);
    expect(r.body.id).toBe(`${host}/certificates/${CERT.name}/${CERT.version}`);
  });

  it('answers an unknown name or version 404 CertificateNotFound', async () => {
    for (const path of ['/certificates/missingCert01/c3d31d7b36c942ad83ef36fc0785a4fc', '/certificates/updateCert01/ffffffffffffffffffffffffffffffff', '/certificates/missingCert01/']) {
      const r = await send(host, 'PATCH', `${path}${v('7.4')}`, { body: { attributes: { enabled: true } } });
      expect(r.status, path).toBe(404);
      expect(r.body.error.code).toBe('CertificateNotFound');
      expect(r.body.error.message).toMatch(/^A certificate with \(name\/id\) missingCert01|updateCert01\/versions\/ffff/);
    }
  });

  it('refuses schema and rule breaks with 400 BadParameter and changes nothing', async () => {
    const bad = [
      { attributes: { exp: 'tomorrow' } },
      { policy: { lifetime_actions: [{ trigger: { lifetime_percentage: 100 }, action: { action_type: 'EmailContacts' } }] } },
      { policy: { x509_props: { validity_months: 1 }, lifetime_actions: [{ trigger: { days_before_expiry: 28 }, action: { action_type: 'AutoRenew' } }] } },
      { policy: { lifetime_actions: [{ trigger: { lifetime_percentage: 5 }, action: { action_type: 'Notify' } }] } },
      { tags: { n: 1 } },
    ];
    const before = structuredClone(emu.state.certificates.get('updatecert01')?.policy);
    for (const body of bad) {
      const r = await send(host, 'PATCH', `${CERT_PATH}${v('7.4')}`, { body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('BadParameter');
    }
    expect(emu.state.certificates.get('updatecert01')?.policy).toEqual(before);
    // A trigger of both kinds or of neither: no source rules on it (rule trigger-one-kind claims either answer),
    // and the emulator takes only what a source states.
    for (const trigger of [{ lifetime_percentage: 10, days_before_expiry: 10 }, {}]) {
      const r = await send(host, 'PATCH', `${CERT_PATH}${v('7.4')}`, { body: { policy: { lifetime_actions: [{ trigger, action: { action_type: 'EmailContacts' } }] } } });
      expect(r.status, JSON.stringify(trigger)).toBe(200);
    }
  });

  it('answers other methods on a known path 405 and unknown paths 404, in the KeyVaultError envelope', async () => {
    // GET and DELETE of the contacts are housekeeping requests the emulator serves (tests/restore/housekeeping.test.ts).
    const post = await send(host, 'POST', `/certificates/contacts${v('7.4')}`);
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('PUT');
    const nowhere = await send(host, 'PUT', `/secrets/x${v('7.4')}`, { body: {} });
    expect(nowhere.status).toBe(404);
    expect(nowhere.body.error.code).toBe('NotFound');
  });
});
