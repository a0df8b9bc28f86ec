/**
 * The kit against a target that answers as lowkey-vault does (tests/independent/lowkey-like.ts, read from
 * nagyesta/lowkey-vault's sources). What lowkey-vault does within Azure's reference must pass; each of its
 * departures from Azure, switched on alone, must be named by the check that stands on the source it breaks.
 */
import { describe, expect, it } from 'vitest';
import { cli, summary } from '../engine/cli.js';
import { startLowkeyLike, type LowkeyOptions, type Quirks } from './lowkey-like.js';

/** The api-versions lowkey-vault serves (its ApiVersion enum) that the kit has. */
const VERSIONS = '7.2,7.3,7.4,7.5,7.6,2025-07-01';

async function runAgainst(options: LowkeyOptions, args: readonly string[]): Promise<{ code: number | null; violations: string[]; skipped: string[]; names: string[]; stdout: string }> {
  const target = await startLowkeyLike(options);
  try {
    const r = await cli(['run', '--target', target.url, '--runs', '10', '--seed', '7', '--quiet', ...args], { timeoutMs: 170_000 });
    const doc = await summary(r.reports);
    return {
      code: r.code,
      violations: doc.violations.map((v) => `${v.operation} ${v.check}${v.rule ? ` (${v.rule})` : ''}: ${v.message.slice(0, 300)}`),
      skipped: doc.skipped.map((s) => `${s.check}: ${s.reason}`),
      names: target.names(),
      stdout: r.stdout + r.stderr,
    };
  } finally {
    await target.close();
  }
}

describe('the kit against a lowkey-vault-like target', () => {
  // Within the reference: the challenge on every answer with resource (the vault) and authorization_uri (the
  // request), ids on https://host:port, x5t base64url and cer base64, no policy in the PATCH answer, tags {} when
  // none, the exception's class as the 404 code, application/json without charset, each recovery level it offers.
  const RECOVERY: readonly (readonly [string, number | undefined])[] = [
    ['Recoverable+Purgeable', 90],
    ['Purgeable', undefined],
    ['CustomizedRecoverable+Purgeable', 90],
  ];
  for (const recovery of RECOVERY) {
    it(`its Azure-legal forms pass at every version it serves (${recovery.join(', ')})`, async () => {
      const r = await runAgainst({ quirks: {}, recovery }, ['--operations', 'UpdateCertificate', '--api-versions', VERSIONS]);
      expect(r.violations).toEqual([]);
      expect(r.code, r.stdout.slice(-1500)).toBe(0);
    }, 180_000);
  }

  it('--provision imports the fixture (its 404 names NotFoundException; …/{name}/ finds no route) and removes it after', async () => {
    // Before: the kit read neither answer as "not found", imported nothing, and every positive case was a 404.
    const r = await runAgainst({ quirks: { noEmptyVersion: true }, preloaded: false }, ['--operations', 'UpdateCertificate', '--provision']);
    expect(r.violations).toEqual([expect.stringMatching(/^UpdateCertificate positive\.accepted: valid input \(certificate-version=''/)]);
    expect(r.names).toEqual([]);
  }, 180_000);

  // Each departure alone, and the check that names it (with the source it stands on).
  const DEPARTURES: readonly { readonly quirk: keyof Quirks; readonly check: string; readonly why: string }[] = [
    { quirk: 'defaultApiVersion', check: 'api-version.required', why: 'api-version is required: true' },
    { quirk: 'springErrors', check: 'error.envelope', why: 'default response: KeyVaultError' },
    { quirk: 'bodylessChallenge', check: 'error.envelope', why: 'default response: KeyVaultError; the real 401 carries one' },
    { quirk: 'tagsClearedWhenUnsent', check: 'response.state (keyvault.updateCertificate.patch-merge)', why: 'REAL-CLIENTS: leaving tags out keeps them' },
    { quirk: 'enabledDefaultsTrue', check: 'response.state (keyvault.updateCertificate.patch-merge)', why: 'attributes not specified are left unchanged' },
    { quirk: 'noEmptyVersion', check: 'positive.accepted', why: 'REAL-CLIENTS: PATCH …/{name}/ is the latest version' },
    { quirk: 'ignoresPolicy', check: 'negative.rejected', why: 'the policy schema (e.g. lifetime_percentage maximum 99)' },
  ];
  for (const { quirk, check, why } of DEPARTURES) {
    it(`${quirk} is caught as ${check} (${why})`, async () => {
      const r = await runAgainst({ quirks: { [quirk]: true } }, ['--operations', 'UpdateCertificate']);
      expect(r.code).toBe(1);
      expect(r.violations.length).toBeGreaterThan(0);
      expect(r.violations.every((v) => v.startsWith(`UpdateCertificate ${check}`)), r.violations.join('\n')).toBe(true);
    }, 180_000);
  }

  it('SetCertificateContacts, which it has no controller for: reported once as not served, its properties skipped', async () => {
    const r = await runAgainst({ quirks: { springErrors: true } }, ['--operations', 'SetCertificateContacts']);
    expect(r.violations).toEqual([expect.stringMatching(/^SetCertificateContacts operation\.served: .*answered 405 without an Azure error envelope/)]);
    expect(r.skipped.length).toBeGreaterThan(0);
  }, 180_000);
});
