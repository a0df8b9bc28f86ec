/**
 * HTTPS targets as users have them (lowkey-vault: a self-signed certificate): `azconform emulate --tls` serves the
 * four operations over HTTPS and names its certificate file; the suites pass with `--ca FILE`; without it the
 * run ends with one clear TLS line and exit 2 (reports written); `--insecure` runs and every report says so.
 */
import { once } from 'node:events';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finish, start } from '../emulator/spawn.js';
import { cli, summary } from '../engine/cli.js';

let child: ChildProcess;
let done: ReturnType<typeof finish>;
let url = '';
let caFile = '';

beforeAll(async () => {
  child = start(['emulate', '--tls', '--port', '0'], 'node');
  done = finish(child);
  let out = '';
  [url, caFile] = await new Promise<[string, string]>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^azconform emulator listening on (https:\/\/127\.0\.0\.1:\d+) \(CA certificate: (.+\.pem)\)$/m.exec(out);
      if (m?.[1] && m[2]) resolve([m[1], m[2]]);
    });
    child.once('close', () => reject(new Error(`exited before listening: ${out}`)));
  });
}, 60_000);

afterAll(async () => {
  child.kill('SIGTERM');
  expect((await done).code).toBe(0);
  // The temp dir of the certificate goes with the emulator.
  await expect(readFile(caFile, 'utf8')).rejects.toThrow();
});

describe('HTTPS targets', () => {
  it('emulate --tls writes a PEM certificate for 127.0.0.1 before its listening line', async () => {
    const pem = await readFile(caFile, 'utf8');
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(path.isAbsolute(caFile)).toBe(true);
  });

  it('the suites pass over HTTPS with --ca: exit 0, no violations, every operation run', { timeout: 180_000 }, async () => {
    const r = await cli(['run', '--target', url, '--ca', caFile, '--runs', '10', '--seed', '7', '--quiet', '--exchanges', 'all']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const s = await summary(r.reports);
    expect(s.totals.violations).toBe(0);
    expect(s.operations.length).toBe(4);
    for (const o of s.operations) expect(o.cases, o.id).toBeGreaterThan(10);
    const log = await readFile(path.join(r.reports, 'exchanges.jsonl'), 'utf8');
    expect(log).toContain(`"url":"${url}/`);
  });

  it('without --ca: one clear TLS line, exit 2, no stack trace, and the reports are still written', { timeout: 120_000 }, async () => {
    const r = await cli(['run', '--target', url, '--runs', '5']);
    expect(r.code).toBe(2);
    const lines = (r.stdout + r.stderr).split('\n').filter((l) => /TLS/.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^azconform: TLS: self-signed certificate at 127\.0\.0\.1:\d+ \(DEPTH_ZERO_SELF_SIGNED_CERT\) — use --ca FILE .* or --insecure$/);
    expect(r.stdout + r.stderr).not.toMatch(/^\s+at /m);
    const s = await summary(r.reports);
    expect(s.exitCode).toBe(2);
    expect(s.errors[0]).toMatch(/^TLS: self-signed certificate/);
    expect(s.totals.cases).toBe(0);
  });

  it('a --ca that does not vouch for the target is refused the same way', { timeout: 120_000 }, async () => {
    // The system CAs plus an unrelated certificate: still untrusted.
    const other = path.resolve('tests/targets/unrelated-ca.pem');
    const r = await cli(['run', '--target', url, '--ca', other, '--runs', '5']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^azconform: TLS: .* does not vouch for it/m);
  });

  it('--insecure runs without verification, and the terminal and every report say so', { timeout: 180_000 }, async () => {
    const r = await cli(['run', '--target', url, '--insecure', '--operations', 'SetCertificateContacts', '--runs', '5', '--quiet']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^azconform: TLS verification is OFF \(--insecure\)/m);
    const s = (await summary(r.reports)) as unknown as { notices: string[] };
    expect(s.notices.some((n) => /TLS verification is OFF/.test(n))).toBe(true);
    expect(await readFile(path.join(r.reports, 'summary.md'), 'utf8')).toMatch(/TLS verification is OFF/);
    expect(await readFile(path.join(r.reports, 'report.html'), 'utf8')).toMatch(/TLS verification is OFF/);
  });

  it('--ca with --insecure, or a --ca that is not a certificate, is a usage error', { timeout: 60_000 }, async () => {
    const both = await cli(['run', '--target', url, '--ca', caFile, '--insecure']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--ca and --insecure contradict/);
    const notPem = await cli(['run', '--target', url, '--ca', 'package.json']);
    expect(notPem.code).toBe(2);
    expect(notPem.stderr).toMatch(/holds no PEM certificate/);
  });

  it('emulate --cert-file writes where asked, and needs --tls', { timeout: 60_000 }, async () => {
    const bad = await finish(start(['emulate', '--port', '0', '--cert-file', 'x.pem']));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--cert-file needs --tls/);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'azconform-cert-'));
    const file = path.join(dir, 'emulator.pem');
    const own = start(['emulate', '--tls', '--port', '0', '--cert-file', file], 'node');
    const ended = finish(own);
    let out = '';
    while (!/listening on/.test(out)) out += String(await once(own.stdout as NodeJS.ReadableStream, 'data'));
    expect(out).toContain(`(CA certificate: ${file})`);
    own.kill('SIGTERM');
    expect((await ended).code).toBe(0);
    // A file the user named stays.
    expect(await readFile(file, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });
});
