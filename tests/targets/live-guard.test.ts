/**
 * The production guard: a target that is neither loopback nor private runs only with --allow-live. Without it the
 * run ends with exit 2 before a single DNS lookup or connection (counted by patching Node's own socket and
 * resolver, so nothing here can reach the internet); with it, the run says what it will write before the first
 * write and caps the request rate.
 */
import dns from 'node:dns';
import http from 'node:http';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { DEFAULT_LIVE_RPS, runSession, type SessionOptions } from '../../src/engine/session.js';
import type { RunEvent } from '../../src/events/types.js';
import { loadOperations, selectOperations } from '../../src/model/registry.js';
import { JsonSummaryReport } from '../../src/reports/json.js';
import { examples, positive } from '../../src/properties/index.js';
import { defineSuite } from '../../src/suites/define.js';
import { DEFAULT_FIXTURES } from '../../src/targets/fixtures.js';
import { isPrivateAddress, whyLive } from '../../src/targets/live.js';
import { cli, summary } from '../engine/cli.js';

describe('which addresses are live', () => {
  it.each([
    ['127.0.0.1', false],
    ['0.0.0.0', false],
    ['::', false],
    ['127.8.9.10', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['172.31.255.255', false],
    ['172.32.0.1', true],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['::1', false],
    ['fd12:3456::1', false],
    ['fc00::1', false],
    ['fe80::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:8.8.8.8', true],
    ['8.8.8.8', true],
    ['20.38.1.1', true],
    ['2603:1030::1', true],
  ])('%s is %s', (ip, live) => {
    expect(isPrivateAddress(ip)).toBe(!live);
  });

  it('Azure names are live without a lookup; localhost never; other names by what they resolve to', async () => {
    const asked: string[] = [];
    const resolver = (answers: readonly string[]) => async (host: string) => {
      asked.push(host);
      return answers;
    };
    expect(await whyLive('https://myvault.vault.azure.net', resolver(['127.0.0.1']))).toBe('myvault.vault.azure.net is an Azure service');
    expect(await whyLive('https://management.azure.com', resolver([]))).toMatch(/Azure service/);
    expect(await whyLive('https://localhost:8443', resolver(['8.8.8.8']))).toBeUndefined();
    expect(asked).toEqual([]);
    expect(await whyLive('https://lowkey-vault:8443', resolver(['172.18.0.5']))).toBeUndefined();
    expect(await whyLive('https://vault.example.org', resolver(['10.0.0.4', '93.184.216.34']))).toBe('vault.example.org resolves to a public address (93.184.216.34)');
    expect(await whyLive('http://[::1]:8080', resolver([]))).toBeUndefined();
    expect(await whyLive('http://52.1.2.3', resolver([]))).toBe('52.1.2.3 is a public address');
    expect(asked).toEqual(['lowkey-vault', 'vault.example.org']);
  });
});

/** Counts every connection and lookup Node makes in this process while `fn` runs (none is let through). */
async function counting<T>(fn: () => Promise<T>): Promise<{ value: T; connects: string[]; lookups: string[] }> {
  const connects: string[] = [];
  const lookups: string[] = [];
  const socketConnect = net.Socket.prototype.connect;
  const lookup = dns.lookup;
  const promisesLookup = dns.promises.lookup;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    connects.push(JSON.stringify(args[0]));
    throw new Error('no connection may be made');
  } as typeof socketConnect;
  (dns as { lookup: unknown }).lookup = (host: string) => {
    lookups.push(host);
    throw new Error('no lookup may be made');
  };
  (dns.promises as { lookup: unknown }).lookup = (host: string) => {
    lookups.push(host);
    return Promise.reject(new Error('no lookup may be made'));
  };
  try {
    return { value: await fn(), connects, lookups };
  } finally {
    net.Socket.prototype.connect = socketConnect;
    (dns as { lookup: unknown }).lookup = lookup;
    (dns.promises as { lookup: unknown }).lookup = promisesLookup;
  }
}

const ops = (ids: string[]) => selectOperations(loadOperations(), { operations: ids }).selected;
const suites = ['SetCertificateContacts', 'UpdateCertificate', 'Vaults_UpdateAccessPolicy', 'Certificate_CreateOrUpdate'].map((id) => defineSuite(id, [examples, positive]));

function session(over: Partial<SessionOptions> & { handlers: SessionOptions['handlers'] }): Promise<Awaited<ReturnType<typeof runSession>>> {
  return runSession({
    operations: ops([]),
    suites,
    timeoutMs: 5000,
    root: process.cwd(),
    seed: 5,
    runs: 2,
    concurrency: 2,
    token: 't',
    fixtures: DEFAULT_FIXTURES,
    ...over,
  });
}

describe('without --allow-live', () => {
  it('a live URL ends the run with exit 2 before any lookup or connection, and the report is written', async () => {
    const reports = await mkdtemp(path.join(os.tmpdir(), 'azconform-live-'));
    const events: RunEvent[] = [];
    const { value, connects, lookups } = await counting(() =>
      session({ vaultUrl: 'https://myvault.vault.azure.net', armUrl: 'https://management.azure.com', handlers: [{ handle: (e) => void events.push(e) }, new JsonSummaryReport(reports)] }),
    );
    expect(value.exitCode).toBe(2);
    expect(connects).toEqual([]);
    expect(lookups).toEqual([]);
    const errors = events.flatMap((e) => (e.type === 'run-error' ? [e.message] : []));
    expect(errors).toEqual([
      'https://myvault.vault.azure.net is a live target (myvault.vault.azure.net is an Azure service): the run writes real state there; give --allow-live (or "live": true in the config) to run against it',
    ]);
    expect(events.some((e) => e.type === 'case-done')).toBe(false);
    const doc = JSON.parse(await readFile(path.join(reports, 'summary.json'), 'utf8')) as { exitCode: number; errors: string[] };
    expect(doc.exitCode).toBe(2);
    expect(doc.errors[0]).toMatch(/--allow-live/);
  });

  it('a target the guard finds live gets zero connections (a counting server stands in for it)', async () => {
    let connections = 0;
    const server = http.createServer((_req, res) => res.end('{}'));
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const r = await session({ target: url, operations: ops(['SetCertificateContacts']), isLive: async () => 'stubbed: counts as live', handlers: [] });
      expect(r.exitCode).toBe(2);
      expect(connections).toBe(0);
      // The same server, allowed: it is reached (so the count above could have been non-zero).
      await session({ target: url, operations: ops(['SetCertificateContacts']), isLive: async () => undefined, runs: 1, restore: false, handlers: [] });
      expect(connections).toBeGreaterThan(0);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('the CLI refuses it the same way: exit 2, one line, summary.json written', { timeout: 60_000 }, async () => {
    const r = await cli(['run', '--vault-url', 'https://myvault.vault.azure.net', '--operations', 'SetCertificateContacts']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^azconform: https:\/\/myvault\.vault\.azure\.net is a live target .* give --allow-live/m);
    expect(r.stdout + r.stderr).not.toMatch(/^\s+at /m);
    expect((await summary(r.reports)).errors[0]).toMatch(/live target/);
  });

  it('"live" in the config must be a boolean', { timeout: 60_000 }, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'azconform-live-config-'));
    const config = path.join(dir, 'azconform.config.json');
    await writeFile(config, JSON.stringify({ live: 'yes' }));
    const r = await cli(['run', '--config', config, '--vault-url', 'https://myvault.vault.azure.net']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/config "live" must be true or false, got "yes"/);
  });
});

describe('with --allow-live', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());

  it('says what it will write before the first write, and caps the rate at the live default', { timeout: 120_000 }, async () => {
    const events: RunEvent[] = [];
    const r = await session({
      target: emu.url,
      operations: ops(['SetCertificateContacts', 'UpdateCertificate']),
      suites: [defineSuite('SetCertificateContacts', [examples]), defineSuite('UpdateCertificate', [examples])],
      isLive: async () => 'stubbed: counts as live',
      allowLive: true,
      handlers: [{ handle: (e) => void events.push(e) }],
    });
    expect(r.exitCode).toBe(0);
    const notices = events.flatMap((e, i) => (e.type === 'notice' ? [{ i, message: e.message }] : []));
    const writes = notices.find((n) => /will write/.test(n.message));
    expect(writes?.message).toBe(
      `live target ${emu.url}: the run will write the certificate contacts of ${emu.url}; certificate updateCert01/c3d31d7b36c942ad83ef36fc0785a4fc of ${emu.url} (attributes, tags, policy) — each is snapshotted now and restored after the run`,
    );
    expect(notices.some((n) => n.message === `requests are capped at ${DEFAULT_LIVE_RPS} a second (live target; --rps N to change)`)).toBe(true);
    const firstCase = events.findIndex((e) => e.type === 'case-done');
    expect(writes?.i).toBeLessThan(firstCase);
    // The restore puts the contacts back: the emulator held none.
    expect(events.some((e) => e.type === 'restore' && e.phase === 'restore')).toBe(true);
  });
});
