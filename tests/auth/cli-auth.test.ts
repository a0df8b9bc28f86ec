/**
 * `--auth azure` and per-plane tokens end to end: the real CLI against the reference emulator checking each
 * token's audience, DefaultAzureCredential signing in at a loopback stand-in for Entra ID (AZURE_AUTHORITY_HOST),
 * and every proxy variable pointed at a counting loopback proxy that must see nothing: no test may reach the internet.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { jwt, startEntra, type FakeEntra } from './entra.js';

const TENANT = '00000000-0000-0000-0000-000000000000';

interface Proxy {
  readonly url: string;
  readonly seen: string[];
  close(): Promise<void>;
}

/** A proxy that forwards nothing: it records and refuses whatever a credential would send past NO_PROXY. */
async function countingProxy(): Promise<Proxy> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method ?? ''} ${req.url ?? ''}`);
    res.writeHead(403).end();
  });
  server.on('connect', (req, socket) => {
    seen.push(`CONNECT ${req.url ?? ''}`);
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly reports: string;
}

let entra: FakeEntra;
let proxy: Proxy;
let caFile: string;

/** The CLI with only the sign-in environment the test gives (no AZURE_* of the machine it runs on). */
async function run(args: readonly string[], env: { readonly [k: string]: string } = {}): Promise<Ran> {
  const reports = await mkdtemp(path.join(os.tmpdir(), 'azconform-auth-'));
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AZURE_|IDENTITY_|MSI_|HTTPS?_PROXY$|NO_PROXY$)/i.test(k)));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', ...args, '--reports', reports, '--quiet'], {
    cwd: process.cwd(),
    env: { ...clean, VITEST: '', NO_COLOR: '1', HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, https_proxy: proxy.url, http_proxy: proxy.url, ALL_PROXY: proxy.url, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost', NODE_EXTRA_CA_CERTS: caFile, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 170_000);
    child.on('close', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  return { code, stdout, stderr, reports };
}

/** Service-principal sign-in through the environment, at the stand-in. */
const signIn = (): { [k: string]: string } => ({ AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: 'azconform-test-client', AZURE_CLIENT_SECRET: 'fake-entra-secret', AZURE_AUTHORITY_HOST: entra.url });

/** Every file the run wrote, and its terminal output, as one text. */
async function everything(r: Ran): Promise<string> {
  const files = await readdir(r.reports, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(files.filter((f) => f.isFile()).map((f) => readFile(path.join(f.parentPath, f.name), 'utf8')));
  expect(files.length).toBeGreaterThanOrEqual(5);
  return [r.stdout, r.stderr, ...texts].join('\n');
}

interface Summary {
  readonly exitCode: number;
  readonly auth: string | null;
  readonly errors: readonly string[];
  readonly totals: { readonly cases: number; readonly violations: number };
  readonly violations: readonly { readonly operation: string; readonly check: string; readonly response?: { readonly status: number } }[];
  readonly restore: { readonly problems: readonly string[]; readonly snapshot: readonly { readonly outcome: string }[]; readonly restore: readonly { readonly action: string; readonly outcome: string }[] | null } | null;
}
const summary = async (r: Ran): Promise<Summary> => JSON.parse(await readFile(path.join(r.reports, 'summary.json'), 'utf8')) as Summary;

beforeAll(async () => {
  entra = await startEntra();
  proxy = await countingProxy();
  caFile = path.join(await mkdtemp(path.join(os.tmpdir(), 'azconform-entra-')), 'ca.pem');
  await writeFile(caFile, entra.ca);
});

afterAll(async () => {
  // Whatever ran, nothing went past the loopback.
  expect(proxy.seen).toEqual([]);
  await entra.close();
  await proxy.close();
});

describe('against the emulator checking each token audience', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ checkAudience: true });
  });
  afterAll(() => emu.close());

  it('--auth azure: a token per plane from DefaultAzureCredential, the vault scope from its challenge; a four-operation run passes and no token reaches a report', { timeout: 180_000 }, async () => {
    const before = entra.tokens.length;
    const r = await run(['--target', emu.url, '--auth', 'azure', '--disable-challenge-resource-verification', '--runs', '8', '--seed', '7'], signIn());
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const s = await summary(r);
    expect(s.totals.cases).toBeGreaterThan(100);
    expect(s.totals.violations).toBe(0);
    // The vault's scope from its challenge (resource https://vault.azure.net, tenant from the authority), ARM's own.
    const asked = entra.tokens.slice(before);
    expect(asked.map((t) => t.scope).sort()).toEqual(['https://management.azure.com/.default', 'https://vault.azure.net/.default']);
    expect(asked.every((t) => t.tenant === TENANT && t.clientId === 'azconform-test-client')).toBe(true);
    expect(s.auth).toBe(`auth: Azure (DefaultAzureCredential): Key Vault https://vault.azure.net/.default (tenant ${TENANT}), ARM https://management.azure.com/.default; renewed before expiry`);
    // The snapshot and the restore went with the same tokens: everything read, everything put back.
    // (A policy member the run added is a documented warning of the verify step, not a refused request.)
    expect(s.restore?.snapshot.length).toBeGreaterThan(0);
    expect(s.restore?.snapshot.every((i) => i.outcome === 'ok')).toBe(true);
    expect(s.restore?.restore?.every((i) => i.outcome !== 'failed'), JSON.stringify(s.restore?.problems)).toBe(true);
    expect(s.restore?.restore?.filter((i) => i.action !== 'verify').every((i) => i.outcome === 'ok')).toBe(true);
    const all = await everything(r);
    for (const token of entra.issued) expect(all).not.toContain(token.split('.')[1]);
    expect(all).not.toContain('fake-entra-secret');
  });

  it('per-plane tokens reach their plane (the run, the snapshot and the restore), and neither reaches a report', { timeout: 180_000 }, async () => {
    const vault = jwt({ aud: 'https://vault.azure.net', marker: 'azconform-planted-vault-token' });
    const arm = jwt({ aud: 'https://management.azure.com', marker: 'azconform-planted-arm-token' });
    const r = await run(['--target', emu.url, '--vault-token', vault, '--runs', '5', '--seed', '3'], { AZURE_ARM_ACCESS_TOKEN: arm });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const s = await summary(r);
    expect(s.totals.violations).toBe(0);
    expect(s.auth).toBe('auth: a bearer token per plane');
    // Restored and verified: the housekeeping requests of both planes went with the right token.
    expect(s.restore?.snapshot.every((i) => i.outcome === 'ok')).toBe(true);
    expect(s.restore?.restore?.filter((i) => i.action !== 'verify').every((i) => i.outcome === 'ok'), JSON.stringify(s.restore?.problems)).toBe(true);
    const all = await everything(r);
    for (const t of [vault, arm]) {
      expect(all).not.toContain(t);
      expect(all).not.toContain(t.split('.')[1]);
    }
  });

  it('one token for both planes: the plane it was not made for refuses it, and the run fails on auth', { timeout: 180_000 }, async () => {
    const r = await run(['--target', emu.url, '--token', jwt({ aud: 'https://vault.azure.net' }), '--runs', '3', '--seed', '5', '--no-restore']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const s = await summary(r);
    const failedOps = new Set(s.violations.map((v) => v.operation));
    expect(failedOps).toEqual(new Set(['Vaults_UpdateAccessPolicy', 'Certificate_CreateOrUpdate']));
    expect(s.violations.filter((v) => v.check === 'positive.accepted').every((v) => v.response?.status === 401)).toBe(true);
  });
});

describe('a target that echoes the token it got', () => {
  it('the planted token reaches no report, no terminal line and no curl, in a body, a header or non-JSON text', { timeout: 180_000 }, async () => {
    const planted = jwt({ aud: 'https://vault.azure.net', marker: 'azconform-echoed-token' });
    let echoed = 0;
    const server = http.createServer((req, res) => {
      const auth = req.headers.authorization;
      if (!auth) {
        res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': `Bearer authorization="https://login.windows.net/${TENANT}", resource="https://vault.azure.net"` });
        return res.end(JSON.stringify({ error: { code: 'Unauthorized', message: 'no token' } }));
      }
      echoed++;
      // Every other answer is not JSON: reports keep its text.
      const json = echoed % 2 === 0;
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'text/plain', 'x-debug-authorization': auth });
      res.end(json ? JSON.stringify({ id: 'https://v/certificates/contacts', contacts: [{ email: 'a@contoso.com' }], debug: { seen: auth } }) : `you sent ${auth}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const r = await run(['--vault-url', url, '--operations', 'SetCertificateContacts', '--runs', '4', '--seed', '9', '--no-restore'], { AZURE_VAULT_ACCESS_TOKEN: planted });
      expect(r.code, r.stdout + r.stderr).toBe(1); // the text answers are transport violations, with their curl
      expect(echoed).toBeGreaterThan(4);
      const all = await everything(r);
      expect(all).toContain('AZURE_VAULT_ACCESS_TOKEN'); // the curl reads the token from the environment
      expect(all).not.toContain(planted.split('.')[1]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('a vault whose challenge names another domain', () => {
  it('stops the run with exit 2 and one line before any token is asked for or sent', { timeout: 180_000 }, async () => {
    const authorizations: string[] = [];
    const server = http.createServer((req, res) => {
      if (req.headers.authorization !== undefined) authorizations.push(req.headers.authorization);
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': `Bearer authorization="https://login.windows.net/${TENANT}", resource="https://evil.example.net"` });
      res.end(JSON.stringify({ error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const before = entra.tokens.length;
    try {
      const r = await run(['--vault-url', url, '--operations', 'SetCertificateContacts,UpdateCertificate', '--auth', 'azure', '--runs', '3'], signIn());
      expect(r.code).toBe(2);
      const lines = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.includes('evil.example.net'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/refused: the challenge names the resource evil\.example\.net, but the vault 127\.0\.0\.1 is not under that domain/);
      expect(r.stderr).not.toMatch(/\bat \S+ \(/); // no stack trace
      expect((await summary(r)).errors.join('\n')).toMatch(/evil\.example\.net/);
      expect(authorizations).toEqual([]);
      expect(entra.tokens.length).toBe(before);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
