/**
 * Verdicts stand on sources (issue 12): a run never demands a refusal no source states, and a target that takes
 * what a source does refuse is caught. The real `azconform run` against the kit's emulator, clean or with one fault.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { makePkcs12 } from '../../src/pki/pkcs12.js';
import { APIM_PATH, CERT, TENANT, VAULT_PATH, send, v } from './client.js';
import { conform } from './spawn.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const explain = (r: Awaited<ReturnType<typeof conform>>): string =>
  `${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}\n${JSON.stringify(r.summary?.violations.slice(0, 5), null, 1)}`;

describe('a must-refuse no source states is no violation', () => {
  it('the emulator takes RSA key_size 1024, 8192 and the int32 edge (the sizes are an example), and a run against it has no rsa-key-size violation', { timeout: 180_000 }, async () => {
    emu = await startEmulator();
    for (const size of [1024, 8192, 2147483647]) {
      const a = await send(emu.url, 'PATCH', `/certificates/${CERT.name}/${CERT.version}${v('7.4')}`, { body: { policy: { key_props: { kty: 'RSA', key_size: size } } } });
      expect(a.status, `key_size ${size}: ${a.text}`).toBe(200);
    }
    const r = await conform(emu.url, ['--operations', 'UpdateCertificate', '--runs', '20', '--seed', '12']);
    expect(r.code, explain(r)).toBe(0);
    expect(r.summary?.violations.filter((x) => x.rule === 'keyvault.updateCertificate.rsa-key-size')).toEqual([]);
  });

  it('the emulator takes data and keyVault together (no source says which wins), and refuses neither (no certificate to describe)', async () => {
    emu = await startEmulator();
    const pfx = makePkcs12({ subject: 'CN=verdicts.test', validityDays: 30, password: 'pw' });
    const cert = (id: string, properties: object) => send(emu?.url ?? '', 'PUT', `${APIM_PATH}/certificates/${id}${v('2024-05-01')}`, { body: { properties } });
    const both = await cert('both', { data: pfx.data, password: 'pw', keyVault: { secretIdentifier: 'https://v.vault.azure.net/secrets/s' } });
    expect(both.status, both.text).toBe(201);
    const neither = await cert('neither', {});
    expect(neither.status, neither.text).toBe(400);
    expect(neither.text).toMatch(/neither|one of properties\.data/);
  });
});

describe('path parameters outside their enum, pattern or length are sent and must be refused', () => {
  it('a run against an emulator that takes operationKind merge as add fails: negative.rejected at /path/operationKind', { timeout: 180_000 }, async () => {
    emu = await startEmulator({ fault: 'operation-kind-merge-as-add' });
    // The fault really treats merge as add: the identity lands in the vault.
    const merged = await send(emu.url, 'PUT', `${VAULT_PATH}/accessPolicies/merge${v('2019-09-01')}`, {
      body: { properties: { accessPolicies: [{ tenantId: TENANT, objectId: 'eeeeeeee-0000-4000-8000-00000000000e', permissions: { keys: ['get'] } }] } },
    });
    expect(merged.status, merged.text).toBe(200);
    const r = await conform(emu.url, ['--operations', 'Vaults_UpdateAccessPolicy', '--runs', '10', '--seed', '12']);
    expect(r.code, explain(r)).toBe(1);
    const caught = r.summary?.violations.filter((x) => x.check === 'negative.rejected' && x.message.includes('/path/operationKind')) ?? [];
    expect(caught.length, explain(r)).toBeGreaterThan(0);
    expect(caught.some((x) => x.message.includes('"merge"')), explain(r)).toBe(true);
    expect([...new Set(r.summary?.violations.map((x) => x.operation))]).toEqual(['Vaults_UpdateAccessPolicy']);
  });

  it('the clean emulator refuses them, and a run against it passes', { timeout: 180_000 }, async () => {
    emu = await startEmulator();
    for (const kind of ['merge', 'update', '']) {
      const a = await send(emu.url, 'PUT', `${VAULT_PATH}/accessPolicies/${kind}${v('2019-09-01')}`, { body: { properties: { accessPolicies: [] } } });
      expect(a.status, `operationKind ${JSON.stringify(kind)}: ${a.text}`).toBeGreaterThanOrEqual(400);
      expect(a.status).toBeLessThan(500);
    }
    const r = await conform(emu.url, ['--operations', 'Vaults_UpdateAccessPolicy,Certificate_CreateOrUpdate', '--runs', '10', '--seed', '12']);
    expect(r.code, explain(r)).toBe(0);
  });
});
