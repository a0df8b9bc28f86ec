/**
 * A restore that survives a crash, as a property: a run against the emulator is killed outright (SIGKILL) at a
 * random moment — before its journal, while it imports its certificate, during the snapshot, in the middle of its
 * cases — and `azconform restore JOURNAL` then brings the emulator back to the state before the run: contacts,
 * the fixture certificate's attributes and tags (or its absence, when the run provisioned it), the vault's access
 * policies and the API Management service's certificates. The state is read over HTTP, independently of the kit.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { cli } from '../engine/cli.js';

const SUB = '00000000-0000-0000-0000-000000000000';
const VAULT = `/subscriptions/${SUB}/resourceGroups/sample-group/providers/Microsoft.KeyVault/vaults/sample-vault?api-version=2019-09-01`;
const APIM = `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1/certificates?api-version=2024-05-01`;

async function get(base: string, p: string): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any -- test reads answers freely
  const r = await fetch(`${base}${p}`, { headers: { authorization: 'Bearer t' } });
  return { status: r.status, body: r.status === 204 ? undefined : await r.json() };
}

const sortedPermissions = (p: { [l: string]: string[] }): { [l: string]: string[] } => Object.fromEntries(Object.entries(p).filter(([, v]) => v.length > 0).map(([l, v]) => [l.toLowerCase(), [...v].map((x) => x.toLowerCase()).sort()]).sort());

/** What a run writes, read back over HTTP in a form where order the service does not keep does not matter. */
async function state(base: string): Promise<unknown> {
  const contacts = await get(base, '/certificates/contacts?api-version=7.4');
  const cert = await get(base, '/certificates/updateCert01/?api-version=7.4');
  const vault = await get(base, VAULT);
  const apim = await get(base, APIM);
  const a = cert.body?.attributes as { enabled?: boolean; nbf?: number; exp?: number } | undefined;
  return {
    contacts: contacts.status === 404 ? null : contacts.body.contacts,
    certificate: cert.status === 404 ? null : { enabled: a?.enabled, nbf: a?.nbf, exp: a?.exp, tags: cert.body.tags },
    accessPolicies: (vault.body.properties.accessPolicies as { tenantId: string; objectId: string; applicationId?: string; permissions: { [l: string]: string[] } }[])
      .map((e) => ({ id: `${e.tenantId}/${e.objectId}/${e.applicationId ?? ''}`.toLowerCase(), permissions: sortedPermissions(e.permissions) }))
      .sort((x, y) => x.id.localeCompare(y.id)),
    apim: (apim.body.value as { name: string; properties: { thumbprint?: string } }[]).map((c) => `${c.name.toLowerCase()} ${c.properties.thumbprint ?? ''}`).sort(),
  };
}

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('kill a run at a random moment, then azconform restore', () => {
  it('finds the state equal to the snapshot', { timeout: 600_000 }, async () => {
    let mostWrites = 0;
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.integer({ min: 0, max: 2500 }), async (provision, delayMs) => {
        // An emulator that holds the fixture certificate, or one that starts empty for a run that provisions it.
        const emu = await startEmulator({ empty: provision });
        try {
          const before = await state(emu.url);
          const reports = await mkdtemp(path.join(os.tmpdir(), 'azconform-kill-'));
          const journal = path.join(reports, 'restore-journal.jsonl');
          // Far more runs than can finish: the kill always comes before the run's own restore.
          const args = ['--import', 'tsx', 'src/cli/main.ts', 'run', '--target', emu.url, '--runs', '5000', '--seed', String(delayMs), '--reports', reports, '--quiet', ...(provision ? ['--provision'] : [])];
          const child = spawn(process.execPath, args, { env: { ...process.env, VITEST: '', NO_COLOR: '1' }, stdio: 'ignore' });
          const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
          // The random moment is counted from the journal's first line (the process itself takes a while to start).
          const t0 = Date.now();
          while (!existsSync(journal) && child.exitCode === null && Date.now() - t0 < 60_000) await tick(10);
          await tick(delayMs);
          child.kill('SIGKILL');
          await closed;
          if (existsSync(journal)) {
            const lines = readFileSync(journal, 'utf8').split('\n');
            mostWrites = Math.max(mostWrites, lines.filter((l) => l.startsWith('{"t":"w"')).length);
            expect(lines.some((l) => l.startsWith('{"t":"done"'))).toBe(false);
            const r = await cli(['restore', journal]);
            expect(r.code, r.stdout + r.stderr).toBe(0);
            expect(r.stdout).toMatch(/^restore: /m);
          }
          expect(await state(emu.url)).toEqual(before);
          if (provision) expect(emu.state.certificates.size + emu.state.deletedCertificates.size).toBe(0);
        } finally {
          await emu.close();
        }
      }),
      { numRuns: 4, examples: [[true, 0], [false, 1500]], endOnFailure: true },
    );
    // At least one kill came in the middle of the cases: the property did not only see runs killed before writing.
    expect(mostWrites).toBeGreaterThan(0);
  });
});
