/**
 * The key integration: the real `azconform run` against the emulator. Clean, it must pass under the service
 * profile (exit 0); with a fault, it must fail (exit 1), name a check, and blame only the faulty operation.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { faultByName, startEmulator, type Emulator } from '../../src/emulator/index.js';
import { conform } from './spawn.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const explain = (r: Awaited<ReturnType<typeof conform>>): string =>
  `${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}\n${JSON.stringify(r.summary?.violations.slice(0, 5), null, 1)}`;

describe('azconform run --target <emulator>', () => {
  it('passes against the clean emulator: exit 0, no violations, every operation exercised', { timeout: 180_000 }, async () => {
    emu = await startEmulator();
    const r = await conform(emu.url, ['--runs', '20']);
    expect(r.code, explain(r)).toBe(0);
    expect(r.summary?.totals.violations).toBe(0);
    expect(r.summary?.operations.map((o) => o.id).sort()).toEqual(['Certificate_CreateOrUpdate', 'SetCertificateContacts', 'UpdateCertificate', 'Vaults_UpdateAccessPolicy']);
    for (const o of r.summary?.operations ?? []) expect(o.cases, o.id).toBeGreaterThan(20);
  });

  // One fault per tier; each is caught by the check (or rule) named here, and only on its own operation.
  const CAUGHT: readonly (readonly [fault: string, by: { check?: string; rule?: string }, extra?: readonly string[]])[] = [
    ['certificate-exp-as-string', { check: 'response.schema' }],
    ['accepts-lifetime-percentage-100', { check: 'negative.rejected' }],
    ['accepts-17-access-policies', { rule: 'keyvault.updateAccessPolicy.policy-count' }],
    ['accepts-days-before-expiry-over-validity', { rule: 'keyvault.updateCertificate.days-before-expiry-range' }],
    ['x5t-not-matching-cer', { rule: 'keyvault.updateCertificate.x5t-thumbprint' }],
    ['contacts-answer-previous', { rule: 'keyvault.setCertificateContacts.echo' }],
    ['contacts-empty-body-as-object', { check: 'negative.rejected' }],
    ['access-policy-id-fixed-scope', { rule: 'keyvault.updateAccessPolicy.response-agrees' }],
    ['patch-replaces-policy', { rule: 'keyvault.updateCertificate.patch-merge' }],
    ['apim-subject-from-issuer', { rule: 'apimanagement.certificateCreateOrUpdate.certificate-described' }],
    ['certificate-malformed-json-500', { check: 'server.error' }],
    ['apim-if-match-required-on-create', { rule: 'apimanagement.certificateCreateOrUpdate.if-match' }],
    ['auth-ignored', { check: 'auth.required' }],
    ['hang-on-missing-certificate', { check: 'transport' }, ['--timeout', '2500']],
  ];

  for (const [name, by, extra] of CAUGHT) {
    const fault = faultByName(name);
    it(`fails with fault ${name} (${fault?.tier}): exit 1, caught by ${by.check ?? by.rule}`, { timeout: 180_000 }, async () => {
      emu = await startEmulator({ fault: name });
      const r = await conform(emu.url, ['--runs', '10', '--seed', '4242', ...(extra ?? [])]);
      expect(r.code, explain(r)).toBe(1);
      const vs = r.summary?.violations ?? [];
      expect(vs.length).toBeGreaterThan(0);
      expect(vs.some((x) => (by.check ? x.check === by.check : x.rule === by.rule)), explain(r)).toBe(true);
      expect([...new Set(vs.map((x) => x.operation))]).toEqual([fault?.operation]);
    });
  }
});
