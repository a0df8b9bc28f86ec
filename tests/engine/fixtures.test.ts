import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './cli.js';
import { exampleServer, type TestServer } from './servers.js';

async function urls(reports: string): Promise<string[]> {
  const lines = (await readFile(path.join(reports, 'exchanges.jsonl'), 'utf8')).trim().split('\n');
  return lines.map((l) => (JSON.parse(l) as { request: { url: string } }).request.url);
}

describe('fixtures come from the config file and flags (flags win)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await exampleServer((_id, status, body, headers) => ({ status, body, headers }));
  });
  afterAll(() => server.close());

  it('uses the configured vault and certificate, overridden by flags', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'azconform-config-'));
    const config = path.join(dir, 'azconform.config.json');
    await writeFile(config, JSON.stringify({ fixtures: { vault: { name: 'config-vault', resourceGroup: 'config-rg' }, certificate: { name: 'configCert' } } }));
    const r = await cli(['run', '--config', config, '--target', server.url, '--profile', 'mock', '--runs', '1', '--operations', 'Vaults_UpdateAccessPolicy,UpdateCertificate', '--vault-name', 'flag-vault', '--exchanges', 'all']);
    expect(r.code, r.stdout + r.stderr).not.toBe(2);
    const sent = await urls(r.reports);
    expect(sent.some((u) => u.includes('/resourceGroups/config-rg/providers/Microsoft.KeyVault/vaults/flag-vault/accessPolicies/'))).toBe(true);
    expect(sent.some((u) => u.includes('/vaults/config-vault/'))).toBe(false);
    expect(sent.some((u) => u.includes('/certificates/configCert/c3d31d7b36c942ad83ef36fc0785a4fc'))).toBe(true);
  });

  it('refuses a config file that is not JSON with exit 2', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'azconform-config-'));
    const config = path.join(dir, 'bad.json');
    await writeFile(config, '{ not json');
    const r = await cli(['run', '--config', config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a JSON object/);
  });
});
