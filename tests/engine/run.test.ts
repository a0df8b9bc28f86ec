import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, summary } from './cli.js';
import { exampleServer, listen, type TestServer } from './servers.js';

const exec = promisify(execFile);

describe('azconform run against the embedded Prism mock', () => {
  it('passes with exit 0 and writes a sane summary, JUnit and Markdown report', async () => {
    const r = await cli(['run', '--runs', '15', '--seed', '12345']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const s = await summary(r.reports);
    expect(s.profile).toBe('mock');
    expect(s.seed).toBe(12345);
    expect(s.totals.operations).toBe(4);
    expect(s.totals.violations).toBe(0);
    expect(s.operations.map((o) => `${o.id}@${o.apiVersion}`).sort()).toEqual([
      'Certificate_CreateOrUpdate@2024-05-01',
      'SetCertificateContacts@2025-07-01',
      'UpdateCertificate@7.4',
      'Vaults_UpdateAccessPolicy@2019-09-01',
    ]);
    for (const o of s.operations) expect(o.cases, o.id).toBeGreaterThan(15);
    // Checks a stateless mock cannot satisfy are reported as skipped, with the reason.
    expect(s.skipped.length).toBeGreaterThan(0);
    for (const k of s.skipped) expect(k.reason.length).toBeGreaterThan(5);
    const junit = await readFile(path.join(r.reports, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuite name="UpdateCertificate@7.4"/);
    expect(junit).toMatch(/<testcase classname="UpdateCertificate@7.4" name="response.schema"/);
    const md = await readFile(path.join(r.reports, 'summary.md'), 'utf8');
    expect(md).toMatch(/no violations/);
    const html = await readFile(path.join(r.reports, 'report.html'), 'utf8');
    expect(html).toMatch(/<h1>azconform — <span class="ok">no violations<\/span><\/h1>/);
    expect(html).toMatch(/<code>response\.schema<\/code>/);
    expect(html).not.toMatch(/azconform-placeholder-token/);
    expect(r.stdout).not.toMatch(/azconform-placeholder-token/);
  });
});

describe('azconform run against a server that breaks one rule per operation', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await exampleServer((id, status, body, headers) => {
      if (id === 'SetCertificateContacts') return { status, body: { id: 'x', contacts: { email: 'not-a-list' } }, headers };
      if (id === 'UpdateCertificate') {
        const b = body as { attributes: object };
        return { status, body: { ...b, attributes: { ...b.attributes, exp: 'tomorrow' } }, headers };
      }
      if (id === 'Vaults_UpdateAccessPolicy') return { status: 204, body: undefined, headers };
      return { status: 201, body, headers: {} }; // API Management without its ETag
    });
  });
  afterAll(() => server.close());

  it('exits 1 and names the right operation and check; the printed curl reproduces it', async () => {
    const r = await cli(['run', '--target', server.url, '--profile', 'mock', '--runs', '5', '--seed', '7']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const s = await summary(r.reports);
    const pairs = new Set(s.violations.map((v) => `${v.operation}:${v.check}`));
    expect(pairs).toContain('SetCertificateContacts:response.schema');
    expect(pairs).toContain('UpdateCertificate:response.schema');
    expect(pairs).toContain('Vaults_UpdateAccessPolicy:status.documented');
    expect(pairs).toContain('Certificate_CreateOrUpdate:response.headers');
    expect(s.violations.find((v) => v.operation === 'UpdateCertificate')?.message).toMatch(/\/attributes\/exp/);
    for (const v of s.violations) {
      expect(typeof v.seed).toBe('number');
      expect(v.request.headers.authorization ?? '').not.toMatch(/placeholder/);
    }
    // Replay the reported curl: it must show the same broken answer.
    const v = s.violations.find((x) => x.operation === 'Vaults_UpdateAccessPolicy');
    expect(v?.curl).toMatch(/^curl /);
    const { stdout } = await exec('bash', ['-c', v?.curl.split('  #')[0] ?? ''], { env: { ...process.env, AZURE_ACCESS_TOKEN: 't' } });
    expect(stdout).toMatch(/^HTTP\/1\.1 204/);
    expect(r.stdout).toMatch(/replay: --seed/);
    const html = await readFile(path.join(r.reports, 'report.html'), 'utf8');
    expect(html).toMatch(/violation\(s\)/);
    expect(html).toMatch(/Vaults_UpdateAccessPolicy@2019-09-01<\/b> · <code>status\.documented<\/code>/);
    // Whatever a target sends back is escaped: no markup of its own reaches the page (the one script is the
    // page's own filter script).
    expect(html.match(/<script/gi)).toHaveLength(1);
  });
});

describe('azconform run against servers that misbehave at the transport level', () => {
  it('finishes against a hung server and reports transport', async () => {
    const hung = await listen(() => undefined);
    try {
      const r = await cli(['run', '--target', hung.url, '--operations', 'SetCertificateContacts', '--runs', '2', '--timeout', '300']);
      expect(r.code, r.stdout + r.stderr).toBe(1);
      const s = await summary(r.reports);
      expect(s.violations.some((v) => v.check === 'transport' && /timeout/.test(v.message))).toBe(true);
    } finally {
      await hung.close();
    }
  });

  it('finishes against a server that resets connections and reports transport', async () => {
    const reset = await listen((req) => req.socket.destroy());
    try {
      const r = await cli(['run', '--target', reset.url, '--operations', 'UpdateCertificate', '--runs', '2']);
      expect(r.code, r.stdout + r.stderr).toBe(1);
      const s = await summary(r.reports);
      expect(s.violations.some((v) => v.check === 'transport' && /reset|socket|closed/i.test(v.message))).toBe(true);
    } finally {
      await reset.close();
    }
  });

  it('reports a non-JSON body as transport, not a crash', async () => {
    const garbage = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html>oops</html>');
    });
    try {
      const r = await cli(['run', '--target', garbage.url, '--operations', 'SetCertificateContacts', '--runs', '2']);
      expect(r.code).toBe(1);
      const s = await summary(r.reports);
      expect(s.violations.some((v) => v.check === 'transport' && /not JSON/.test(v.message))).toBe(true);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await garbage.close();
    }
  });
});

describe('azconform run: usage and unreachable targets', () => {
  it('exits 2 with a clear message for an unreachable target, and still writes its report', async () => {
    const r = await cli(['run', '--target', 'http://127.0.0.1:9', '--runs', '1']);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/unreachable/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const s = await summary(r.reports);
    expect(s.errors[0]).toMatch(/unreachable/);
  });

  it('exits 2 on usage errors and prints --help', async () => {
    expect((await cli(['run', '--operations', 'Nope'])).code).toBe(2);
    expect((await cli(['run', '--runs', 'many'])).code).toBe(2);
    expect((await cli(['run', '--bogus'])).code).toBe(2);
    expect((await cli(['run', '--connections', '0'])).code).toBe(2);
    // A Key Vault secret fixture that is no {secretIdentifier: https URL}: the kit would demand a garbage body be accepted.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'azconform-config-'));
    const config = path.join(dir, 'bad.json');
    await writeFile(config, JSON.stringify({ fixtures: { apiManagement: { keyVaultSecret: 'https://v.vault.azure.net/secrets/s' } } }));
    const bad = await cli(['run', '--config', config]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/keyVaultSecret/);
    const help = await cli(['run', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--vault-url/);
  });
});
