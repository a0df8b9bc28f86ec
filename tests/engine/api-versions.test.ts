/**
 * `--api-versions`: every operation at each of its versions in one run, with the same seed per property, so the same
 * cases go to each version wherever the schemas agree (SetCertificateContacts' contract is the same at 7.4 and
 * 2025-07-01: its cases, and a fault's shrunk counterexample, are identical).
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { loadOperations, selectOperations } from '../../src/model/registry.js';
import { finish, start } from '../emulator/spawn.js';

interface Doc {
  exitCode: number;
  operations: { id: string; apiVersion: string; cases: number }[];
  violations: { operation: string; apiVersion: string; check: string; request: { url: string; body?: unknown } }[];
}

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, fault: 'contacts-echo-drops-phone' });
});
afterAll(async () => {
  await emu?.close();
});

async function run(...args: string[]): Promise<{ code: number | null; stderr: string; doc?: Doc }> {
  const reports = await mkdtemp(path.join(os.tmpdir(), 'azconform-versions-'));
  const r = await finish(start(['run', '--target', emu.url, '--reports', reports, '--quiet', ...args], 'node'));
  try {
    return { ...r, doc: JSON.parse(await readFile(path.join(reports, 'summary.json'), 'utf8')) as Doc };
  } catch {
    return r;
  }
}

describe('--api-versions', () => {
  it('runs each operation at each of its versions with the same cases, and one row per version', async () => {
    const { code, doc } = await run('--operations', 'SetCertificateContacts,Vaults_UpdateAccessPolicy', '--api-versions', 'all', '--seed', '77', '--runs', '15');
    expect(code).toBe(1);
    // Every version the kit has of each, oldest first.
    const every = selectOperations(loadOperations(), { operations: ['SetCertificateContacts', 'Vaults_UpdateAccessPolicy'], apiVersions: 'all' }).selected;
    expect(every.length).toBeGreaterThanOrEqual(4);
    expect(doc?.operations.map((o) => `${o.id}@${o.apiVersion}`)).toEqual(every.map((o) => `${o.id}@${o.apiVersion}`));
    expect(doc?.operations.map((o) => o.id).filter((id) => id === 'SetCertificateContacts').length).toBeGreaterThanOrEqual(2);
    const contacts = doc?.operations.filter((o) => o.id === 'SetCertificateContacts') ?? [];
    // The contract is the same at every version: so are the cases.
    expect(new Set(contacts.map((o) => o.cases)).size).toBe(1);
    const at = (v: string) => doc?.violations.filter((x) => x.operation === 'SetCertificateContacts' && x.apiVersion === v && x.check === 'response.agrees') ?? [];
    expect(at('7.4').length).toBeGreaterThan(0);
    // The same cases (violations are listed as answers arrive, so in no fixed order across versions).
    const bodies = (v: string) => at(v).map((x) => JSON.stringify(x.request.body)).sort();
    expect(bodies('7.4')).toEqual(bodies('2025-07-01'));
    expect(doc?.violations.filter((x) => x.operation !== 'SetCertificateContacts')).toEqual([]);
  });

  it('names the versions to run; an unknown one is a usage error, and so is giving --api-version too', async () => {
    const picked = selectOperations(loadOperations(), { apiVersions: ['7.4', '2019-09-01'] });
    expect(picked.errors).toEqual([]);
    expect(picked.selected.map((o) => `${o.id}@${o.apiVersion}`)).toEqual(['SetCertificateContacts@7.4', 'UpdateCertificate@7.4', 'Vaults_UpdateAccessPolicy@2019-09-01']);
    expect(selectOperations(loadOperations(), { apiVersions: ['7.9'] }).errors[0]).toMatch(/no selected operation has api-version 7\.9/);
    const both = await run('--api-version', '7.4', '--api-versions', 'all');
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/contradict/);
  });
});
