/**
 * The pieces of sign-in: the challenge as the Key Vault clients read it, the SDK's resource check, where each
 * plane's token comes from, renewal before expiry (a real ClientSecretCredential at a loopback stand-in for
 * Entra ID), and the emulator's audience check over HTTP.
 */
import { ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerChallenge, bearerChallenges } from '../../src/auth/challenge.js';
import { instanceDiscoveryOff } from '../../src/auth/credential.js';
import { challengeResourceMismatch, scopeOfChallenge } from '../../src/auth/scope.js';
import { CredentialTokens } from '../../src/auth/tokens.js';
import { authOptions } from '../../src/cli/auth-options.js';
import { UsageError } from '../../src/cli/exit-codes.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { finish, listening, start } from '../emulator/spawn.js';
import { jwt, startEntra, type FakeEntra } from './entra.js';

describe('the Key Vault challenge', () => {
  it('reads the scope and the tenant as the SDK does, in any order, after another challenge', () => {
    expect(scopeOfChallenge('Bearer authorization="https://login.windows.net/72f988bf-86f1", resource="https://vault.azure.net"')).toEqual({ scope: 'https://vault.azure.net/.default', tenantId: '72f988bf-86f1' });
    expect(scopeOfChallenge('PoP nonce="n", Bearer resource = "https://vault.azure.cn/", authorization_uri="https://login.chinacloudapi.cn/t1"')).toEqual({ scope: 'https://vault.azure.cn/.default', tenantId: 't1' });
    expect(scopeOfChallenge('bearer scope="https://vault.azure.net/.default"')).toEqual({ scope: 'https://vault.azure.net/.default' });
    expect(scopeOfChallenge('Bearer')).toBeUndefined();
    expect(scopeOfChallenge('PoP resource="https://vault.azure.net"')).toBeUndefined();
    expect(bearerChallenge('Bearer a="x, y", b=z, PoP resource="https://other"')).toEqual({ a: 'x, y', b: 'z' });
  });

  it('finds every Bearer challenge: two header lines joined by a comma (james-gould/azure-keyvault-emulator#475)', () => {
    const real = 'Bearer authorization="https://login.windows.net/t1", resource="https://vault.azure.net"';
    expect(bearerChallenges(real)).toEqual([{ authorization: 'https://login.windows.net/t1', resource: 'https://vault.azure.net' }]);
    expect(bearerChallenges(`${real}, Bearer`)).toEqual([{ authorization: 'https://login.windows.net/t1', resource: 'https://vault.azure.net' }, {}]);
    expect(bearerChallenges(`PoP nonce="n", ${real}, Basic realm="r", bearer scope="s"`)).toEqual([{ authorization: 'https://login.windows.net/t1', resource: 'https://vault.azure.net' }, { scope: 's' }]);
    expect(bearerChallenges('Basic realm="Bearer x"')).toEqual([]);
    expect(bearerChallenges(undefined)).toEqual([]);
  });

  it('verifyChallengeResource: the vault host must lie under the resource domain', () => {
    expect(challengeResourceMismatch('https://vault.azure.net/.default', 'https://myvault.vault.azure.net')).toBeUndefined();
    expect(challengeResourceMismatch('https://vault.azure.net/.default', 'https://MyVault.Vault.Azure.Net/')).toBeUndefined();
    expect(challengeResourceMismatch('https://evil.example.net/.default', 'https://myvault.vault.azure.net')).toMatch(/evil\.example\.net/);
    // A look-alike that is not a subdomain, and a loopback emulator, are not under vault.azure.net.
    expect(challengeResourceMismatch('https://vault.azure.net/.default', 'https://notvault.azure.net')).toMatch(/not under/);
    expect(challengeResourceMismatch('https://vault.azure.net/.default', 'http://127.0.0.1:8443')).toMatch(/not under/);
    expect(challengeResourceMismatch('not a url', 'https://v.vault.azure.net')).toMatch(/not a URL/);
  });

  it('turns instance discovery off only for an authority host that is not Microsoft’s', () => {
    expect(instanceDiscoveryOff(undefined)).toBe(false);
    expect(instanceDiscoveryOff('https://login.microsoftonline.com')).toBe(false);
    expect(instanceDiscoveryOff('https://login.chinacloudapi.cn/')).toBe(false);
    expect(instanceDiscoveryOff('https://127.0.0.1:9443')).toBe(true);
    expect(instanceDiscoveryOff('https://adfs.contoso.com/adfs')).toBe(true);
  });
});

describe('where each plane’s token comes from', () => {
  const env = { AZURE_ACCESS_TOKEN: 'env-both', AZURE_VAULT_ACCESS_TOKEN: 'env-vault', AZURE_ARM_ACCESS_TOKEN: '' };
  it('flags before the config file before the environment; a plane’s own before the one for both', () => {
    expect(authOptions({}, {}, {})).toEqual({ kind: 'tokens', data: 'azconform-placeholder-token', arm: 'azconform-placeholder-token' });
    expect(authOptions({}, {}, env)).toEqual({ kind: 'tokens', data: 'env-vault', arm: 'env-both' });
    expect(authOptions({ token: 'flag' }, {}, env)).toEqual({ kind: 'tokens', data: 'flag', arm: 'flag' });
    expect(authOptions({ token: 'flag', 'arm-token': 'flag-arm' }, { vaultToken: 'cfg-vault' }, env)).toEqual({ kind: 'tokens', data: 'cfg-vault', arm: 'flag-arm' });
    expect(authOptions({}, { token: 'cfg' }, env)).toEqual({ kind: 'tokens', data: 'cfg', arm: 'cfg' });
  });
  it('--auth azure ignores environment tokens and refuses token flags next to it', () => {
    expect(authOptions({ auth: 'azure' }, {}, env)).toEqual({ kind: 'azure', trustChallenge: false });
    expect(authOptions({}, { auth: 'azure', disableChallengeResourceVerification: true }, env)).toEqual({ kind: 'azure', trustChallenge: true });
    expect(() => authOptions({ auth: 'azure', 'vault-token': 'x' }, {}, {})).toThrow(/drop --vault-token/);
    expect(() => authOptions({ auth: 'entra' }, {}, {})).toThrow(UsageError);
    expect(() => authOptions({ 'disable-challenge-resource-verification': true }, {}, {})).toThrow(/only with --auth azure/);
  });
});

describe('renewal before expiry, with a real ClientSecretCredential at the stand-in', () => {
  let entra: FakeEntra;
  beforeAll(async () => {
    // Tokens that live 245 s: with a 243 s margin the kit renews each about 2 s after getting it.
    entra = await startEntra({ expiresInS: 245 });
  });
  afterAll(() => entra.close());

  it('keeps a plane’s token fresh in the background; the hot path only reads it', async () => {
    const credential = new ClientSecretCredential('tenant-a', 'client-a', 'fake-entra-secret', { authorityHost: entra.url, disableInstanceDiscovery: true, tlsOptions: { ca: entra.ca } });
    const tokens = new CredentialTokens(credential, { marginMs: 243_000, retryMs: 500 });
    try {
      await tokens.add('arm', { scope: 'https://management.azure.com/.default' });
      const first = tokens.token('arm');
      expect(first).toBe(entra.issued.at(-1));
      expect(tokens.token('data')).toBe('');
      for (let i = 0; i < 200 && tokens.token('arm') === first; i++) await new Promise((r) => setTimeout(r, 100));
      expect(tokens.token('arm')).not.toBe(first);
      expect(entra.issued).toContain(tokens.token('arm'));
      expect(entra.tokens.every((t) => t.tenant === 'tenant-a' && t.scope === 'https://management.azure.com/.default')).toBe(true);
    } finally {
      tokens.close();
    }
  });

  it('a renewal that fails keeps the token it has, says so once, and renews when Entra ID answers again', { timeout: 120_000 }, async () => {
    const credential = new ClientSecretCredential('tenant-b', 'client-b', 'fake-entra-secret', { authorityHost: entra.url, disableInstanceDiscovery: true, tlsOptions: { ca: entra.ca } });
    const problems: string[] = [];
    const tokens = new CredentialTokens(credential, { marginMs: 243_000, retryMs: 300, onProblem: (m) => problems.push(m) });
    const wait = async (until: () => boolean): Promise<void> => {
      for (let i = 0; i < 700 && !until(); i++) await new Promise((r) => setTimeout(r, 100));
    };
    try {
      await tokens.add('data', { scope: 'https://vault.azure.net/.default', tenantId: 'tenant-b' });
      const first = tokens.token('data');
      entra.failing = true;
      await wait(() => problems.length > 0);
      // The kit's next attempts fail too, and are not reported again.
      const asked = entra.tokens.length;
      await wait(() => entra.tokens.length >= asked + 2);
      expect(tokens.token('data')).toBe(first);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^could not renew the token for https:\/\/vault\.azure\.net\/\.default \(it expires \d{4}-/);
      entra.failing = false;
      await wait(() => tokens.token('data') !== first);
      expect(entra.issued).toContain(tokens.token('data'));
      expect(problems).toHaveLength(1);
    } finally {
      entra.failing = false;
      tokens.close();
    }
  });

  it('a credential that cannot sign in is one line naming the scope, without the secret', async () => {
    const credential = new ClientSecretCredential('tenant-a', 'client-a', 'wrong-secret', { authorityHost: entra.url, disableInstanceDiscovery: true, tlsOptions: { ca: entra.ca } });
    const tokens = new CredentialTokens(credential);
    const err = await tokens.add('data', { scope: 'https://vault.azure.net/.default', tenantId: 'tenant-a' }).then(() => undefined, (e: unknown) => e as Error);
    tokens.close();
    expect(err?.message).toMatch(/^cannot get a token for https:\/\/vault\.azure\.net\/\.default in tenant tenant-a: /);
    expect(err?.message).not.toContain('\n');
    expect(err?.message).not.toContain('wrong-secret');
  });
});

describe('emulate --check-audience', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ checkAudience: true });
  });
  afterAll(() => emu.close());
  const contacts = (token?: string): Promise<Response> =>
    fetch(`${emu.url}/certificates/contacts?api-version=7.4`, { method: 'PUT', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ contacts: [{ email: 'a@contoso.com' }] }) });
  const vaultGet = (token: string): Promise<Response> =>
    fetch(`${emu.url}/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/sample-group/providers/Microsoft.KeyVault/vaults/sample-vault?api-version=2019-09-01`, { headers: { authorization: `Bearer ${token}` } });
  const vaultToken = jwt({ aud: 'https://vault.azure.net' });
  const armToken = jwt({ aud: 'https://management.azure.com/' });

  it('takes each plane’s own token', async () => {
    expect((await contacts(vaultToken)).status).toBe(200);
    expect((await vaultGet(armToken)).status).toBe(200);
  });
  it('refuses the other plane’s token (and a token that is no JWT) with 401 and the challenge', async () => {
    const data = await contacts(armToken);
    expect(data.status).toBe(401);
    expect(data.headers.get('www-authenticate')).toMatch(/^Bearer authorization="https:\/\/login\.windows\.net\/[^"]+", resource="https:\/\/vault\.azure\.net"$/);
    expect(((await data.json()) as { error: { message: string } }).error.message).toMatch(/^AKV10022: Invalid audience/);
    const arm = await vaultGet(vaultToken);
    expect(arm.status).toBe(401);
    expect(arm.headers.get('www-authenticate')).toMatch(/^Bearer authorization_uri=/);
    expect(((await arm.json()) as { error: { code: string } }).error.code).toBe('InvalidAuthenticationTokenAudience');
    expect((await contacts('opaque-placeholder')).status).toBe(401);
    expect((await contacts()).status).toBe(401);
  });
});

describe('azconform emulate --check-audience', () => {
  it('the command checks audiences as the option does', { timeout: 60_000 }, async () => {
    const child = start(['emulate', '--port', '0', '--check-audience'], 'node');
    const done = finish(child);
    const url = await listening(child);
    const put = (token: string): Promise<Response> =>
      fetch(`${url}/certificates/contacts?api-version=2025-07-01`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ contacts: [] }) });
    expect((await put(jwt({ aud: 'https://management.azure.com' }))).status).toBe(401);
    expect((await put(jwt({ aud: 'https://vault.azure.net' }))).status).toBe(200);
    child.kill('SIGTERM');
    expect((await done).code).toBe(0);
  });
});
