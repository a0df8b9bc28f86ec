/**
 * Fixtures that do not exist yet, against the real CLI and the emulator started empty (as lowkey-vault and the
 * other emulators start): without --provision one line and exit 2 before the first case; with it the run imports
 * a certificate of its own, passes, and leaves none behind — or says what it left when the token may not purge.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { cli, summary } from '../engine/cli.js';

interface RestoreDoc {
  readonly restore: { summary: string; problems: string[]; snapshot: { resource: string; action: string; outcome: string }[]; restore: { resource: string; action: string; outcome: string; detail?: string }[] | null } | null;
}

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const RUN = ['--runs', '3', '--seed', '7'];
const latest = async (url: string): Promise<number> => (await fetch(`${url}/certificates/updateCert01/?api-version=7.4`, { headers: { authorization: 'Bearer t' } })).status;

describe('a fixture that does not exist', () => {
  it('without --provision: one line naming the certificate and how to name another, exit 2, zero cases', { timeout: 120_000 }, async () => {
    emu = await startEmulator({ empty: true });
    const r = await cli(['run', '--target', emu.url, ...RUN]);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    const lines = r.stdout.split('\n').filter((l) => /updateCert01/.test(l));
    expect(lines).toEqual(['azconform: the fixture certificate updateCert01 does not exist in the vault (404 CertificateNotFound): name an existing one with --certificate-name and --certificate-version (config fixtures.certificate {name, version}), or let the kit bring its own with --provision (config "provision": true)']);
    const s = await summary(r.reports);
    expect(s.totals.cases).toBe(0);
    expect(s.violations).toEqual([]);
    expect(s.errors).toHaveLength(1);
    expect(emu.state.certificates.size).toBe(0);
  });

  it('under profile mock nothing is read: the run goes on', { timeout: 120_000 }, async () => {
    emu = await startEmulator({ empty: true });
    const r = await cli(['run', '--target', emu.url, '--runs', '1', '--seed', '7', '--operations', 'UpdateCertificate', '--profile', 'mock']);
    expect(r.stdout).not.toMatch(/does not exist/);
    expect((await summary(r.reports)).totals.cases).toBeGreaterThan(0);
  });

  it('a missing vault or API Management service: one line each, exit 2, never provisioned', { timeout: 120_000 }, async () => {
    emu = await startEmulator();
    const vault = await cli(['run', '--target', emu.url, ...RUN, '--operations', 'Vaults_UpdateAccessPolicy', '--vault-name', 'no-such-vault', '--provision']);
    expect(vault.code, vault.stdout).toBe(2);
    expect(vault.stdout).toMatch(/^azconform: the fixture vault no-such-vault \(resource group sample-group, subscription 0{8}-0{4}-0{4}-0{4}-0{12}\) does not exist \(404 ResourceNotFound\): name an existing one with --vault-name/m);
    expect((await summary(vault.reports)).totals.cases).toBe(0);
    const apim = await cli(['run', '--target', emu.url, ...RUN, '--operations', 'Certificate_CreateOrUpdate', '--apim-resource-group', 'no-such-rg']);
    expect(apim.code, apim.stdout).toBe(2);
    expect(apim.stdout).toMatch(/^azconform: the fixture API Management service apimService1 .* does not exist \(404 ResourceGroupNotFound\): name an existing one with --apim-service/m);
  });

  it('with --provision: imports one, the run passes, and afterwards the emulator holds no certificate the run made', { timeout: 120_000 }, async () => {
    emu = await startEmulator({ empty: true });
    const r = await cli(['run', '--target', emu.url, ...RUN, '--provision']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^azconform: snapshot: certificate updateCert01 \(imported by the kit \(--provision\) as version [0-9a-f]{32}; removed after the run\)/m);
    expect(r.stdout).toMatch(/^azconform: restore: .*removed the provisioned certificate updateCert01 \(deleted and purged\)/m);
    const s = await summary(r.reports);
    expect(s.totals.cases).toBeGreaterThan(0);
    expect(s.totals.violations).toBe(0);
    expect(await latest(emu.url)).toBe(404);
    expect(emu.state.certificates.size).toBe(0);
    expect(emu.state.deletedCertificates.size).toBe(0);
    const doc = s as unknown as RestoreDoc;
    expect(doc.restore?.problems).toEqual([]);
    expect(doc.restore?.restore?.filter((i) => i.resource === 'provisioned').map((i) => `${i.action} ${i.outcome}`)).toEqual(['delete ok', 'purge ok', 'verify ok']);
    // The journal holds neither the PKCS#12 nor its password; it is marked done, so restore has nothing to do.
    const journal = path.join(r.reports, 'restore-journal.jsonl');
    const text = await readFile(journal, 'utf8');
    expect(text).not.toMatch(/pwd|MII|Bearer/);
    expect(text.trim().split('\n').pop()).toMatch(/^\{"t":"done"/);
    const again = await cli(['restore', journal]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^restore: nothing to do \(the run finished its restore at /m);
  });

  it('a token that may not purge: the run says what it left behind', { timeout: 120_000 }, async () => {
    emu = await startEmulator({ empty: true, denyPurge: true });
    const r = await cli(['run', '--target', emu.url, ...RUN, '--operations', 'UpdateCertificate', '--provision']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^  ! certificate updateCert01 \(purge\): left behind: the deleted certificate updateCert01 stays in the vault's deleted certificates until \d{4}-.*the token may not purge \(DELETE \/deletedcertificates\/updateCert01 answered 403/m);
    const doc = (await summary(r.reports)) as unknown as RestoreDoc;
    expect(doc.restore?.problems.some((p) => /left behind/.test(p))).toBe(true);
    expect(emu.state.certificates.size).toBe(0);
    expect(emu.state.deletedCertificates.size).toBe(1);
  });
});
