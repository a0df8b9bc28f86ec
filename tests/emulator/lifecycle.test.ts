/**
 * The emulator's certificate lifecycle (Key Vault Import, Delete, Get Deleted, Purge), which `run --provision`
 * relies on: an imported PKCS#12 becomes a version whose x5t and cer are the file's, delete soft-deletes (the
 * name stays taken until purged), purge frees it; `--deny-purge` answers 403 as a vault does for a caller without
 * certificates/purge.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { makePkcs12 } from '../../src/pki/pkcs12.js';
import { send } from './client.js';
import { finish, listening, start } from './spawn.js';

const V = '?api-version=7.4';
let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const pfx = makePkcs12({ subject: 'CN=lifecycle.azconform.test', validityDays: 30, password: 'pw-1' });

describe('emulator: certificate import, delete, purge', () => {
  it('starts empty with --empty, imports a real PKCS#12, deletes softly and purges', async () => {
    emu = await startEmulator({ empty: true });
    expect((await send(emu.url, 'GET', `/certificates/fix1/${V}`)).body.error.code).toBe('CertificateNotFound');
    const imported = await send(emu.url, 'POST', `/certificates/fix1/import${V}`, { body: { value: pfx.data, pwd: 'pw-1', policy: { key_props: { exportable: true, kty: 'RSA', key_size: 2048, reuse_key: false }, secret_props: { contentType: 'application/x-pkcs12' } } } });
    expect(imported.status).toBe(200);
    const version = String(imported.body.id).split('/').pop() ?? '';
    expect(version).toMatch(/^[0-9a-f]{32}$/);
    // The bundle is the file's certificate: x5t is the base64url SHA-1 of cer, and that SHA-1 is the thumbprint.
    const sha1 = createHash('sha1').update(Buffer.from(String(imported.body.cer), 'base64'));
    expect(sha1.copy().digest('hex').toUpperCase()).toBe(pfx.thumbprint);
    expect(imported.body.x5t).toBe(sha1.digest('base64url'));
    expect(imported.body.attributes.exp).toBe(Math.floor(pfx.notAfter.getTime() / 1000));
    expect((await send(emu.url, 'GET', `/certificates/fix1/${version}${V}`)).status).toBe(200);

    const deleted = await send(emu.url, 'DELETE', `/certificates/fix1${V}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.recoveryId).toMatch(/\/deletedcertificates\/fix1$/);
    expect(deleted.body.scheduledPurgeDate).toBeGreaterThan(deleted.body.deletedDate);
    expect((await send(emu.url, 'GET', `/certificates/fix1/${V}`)).status).toBe(404);
    // Soft-deleted: the name is still taken.
    expect((await send(emu.url, 'POST', `/certificates/fix1/import${V}`, { body: { value: pfx.data, pwd: 'pw-1' } })).status).toBe(409);
    expect((await send(emu.url, 'GET', `/deletedcertificates/fix1${V}`)).status).toBe(200);
    expect((await send(emu.url, 'DELETE', `/deletedcertificates/fix1${V}`)).status).toBe(204);
    expect((await send(emu.url, 'GET', `/deletedcertificates/fix1${V}`)).status).toBe(404);
    expect(emu.state.certificates.size + emu.state.deletedCertificates.size).toBe(0);
  });

  it('refuses a PKCS#12 that does not open with the password, and a missing value', async () => {
    emu = await startEmulator({ empty: true });
    const wrong = await send(emu.url, 'POST', `/certificates/fix2/import${V}`, { body: { value: pfx.data, pwd: 'not-it' } });
    expect(wrong.status).toBe(400);
    expect((await send(emu.url, 'POST', `/certificates/fix2/import${V}`, { body: { pwd: 'x' } })).status).toBe(400);
    expect(emu.state.certificates.size).toBe(0);
  });

  it('--deny-purge: purge answers 403 and the deleted certificate stays', async () => {
    emu = await startEmulator({ empty: true, denyPurge: true });
    expect((await send(emu.url, 'POST', `/certificates/fix3/import${V}`, { body: { value: pfx.data, pwd: 'pw-1' } })).status).toBe(200);
    expect((await send(emu.url, 'DELETE', `/certificates/fix3${V}`)).status).toBe(200);
    const purge = await send(emu.url, 'DELETE', `/deletedcertificates/fix3${V}`);
    expect(purge.status).toBe(403);
    expect(purge.body.error.code).toBe('Forbidden');
    expect(emu.state.deletedCertificates.size).toBe(1);
  });

  it('azconform emulate --empty --deny-purge: no certificate, and purge refused', { timeout: 60_000 }, async () => {
    const child = start(['emulate', '--port', '0', '--empty', '--deny-purge'], 'node');
    const done = finish(child);
    const url = await listening(child);
    expect((await send(url, 'GET', `/certificates/updateCert01/${V}`)).status).toBe(404);
    expect((await send(url, 'POST', `/certificates/fix4/import${V}`, { body: { value: pfx.data, pwd: 'pw-1' } })).status).toBe(200);
    expect((await send(url, 'DELETE', `/certificates/fix4${V}`)).status).toBe(200);
    expect((await send(url, 'DELETE', `/deletedcertificates/fix4${V}`)).status).toBe(403);
    child.kill('SIGTERM');
    expect((await done).code).toBe(0);
  });
});
