/**
 * Key Vault data plane 7.0–7.3 (Azure's 7.0 keyvault.json and 7.1–7.3 certificates.json, written as overlays of
 * 7.4): the reference emulator and the embedded Prism serve each, and a run at 7.0, the oldest, finds nothing on
 * either. The Python SDK's tests still send 7.0 and 7.3.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { loadOperations } from '../../src/model/registry.js';
import { finish, start } from '../emulator/spawn.js';

interface Doc {
  operations: { id: string; apiVersion: string; cases: number; violations: number }[];
  violations: unknown[];
}

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emu?.close();
});

async function run(...args: string[]): Promise<{ code: number | null; stderr: string; doc: Doc }> {
  const reports = await mkdtemp(path.join(os.tmpdir(), 'azconform-old-versions-'));
  const r = await finish(start(['run', '--reports', reports, '--quiet', '--seed', '42', '--runs', '15', ...args], 'node'));
  return { ...r, doc: JSON.parse(await readFile(path.join(reports, 'summary.json'), 'utf8')) as Doc };
}

describe('Key Vault data plane 7.0–7.3', () => {
  it('are versions of both data-plane operations, and 7.0 carries no recoverable-days rule', () => {
    const at = (v: string) => loadOperations().filter((o) => o.apiVersion === v).map((o) => o.id).sort();
    for (const v of ['7.0', '7.1', '7.2', '7.3']) expect(at(v)).toEqual(['SetCertificateContacts', 'UpdateCertificate']);
    const rules = (v: string) => loadOperations().find((o) => o.id === 'UpdateCertificate' && o.apiVersion === v)?.model.rules.map((r) => r.id) ?? [];
    expect(rules('7.0')).not.toContain('keyvault.updateCertificate.recoverable-days');
    expect(rules('7.1')).toContain('keyvault.updateCertificate.recoverable-days');
  });

  it.each([
    ['the reference emulator', () => ['--target', emu.url]],
    ['the embedded Prism', () => []],
  ])('a run at --api-version 7.0 against %s exits 0 with no violation', async (_name, target) => {
    const { code, stderr, doc } = await run(...target(), '--api-version', '7.0');
    expect(code, stderr).toBe(0);
    expect(doc.operations.map((o) => `${o.id}@${o.apiVersion}`)).toEqual(['SetCertificateContacts@7.0', 'UpdateCertificate@7.0']);
    expect(doc.operations.every((o) => o.cases > 0)).toBe(true);
    expect(doc.violations).toEqual([]);
  });
});
