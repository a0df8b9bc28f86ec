/**
 * The cross-version property (`run --api-versions`, profile service): a request valid at two versions gets the same
 * verdict and the same answer at both, unless the diff names the difference. A target that breaks one behaviour
 * at one version only (a proxy that drops the contacts' phone numbers at 7.4) is caught by it, and by `compare` of
 * a run at each version as exactly that regression.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { finish, start } from '../emulator/spawn.js';
import { cli, summary } from './cli.js';
import { listen, type TestServer } from './servers.js';

interface Doc {
  exitCode: number;
  violations: { operation: string; apiVersion: string; check: string; rule?: string }[];
  gate: { failures: string[]; crossVersion: { operation: string; versions: string[]; what: string }[] } | null;
}

/** Answers as the emulator does, except that at api-version 7.4 the contacts lose their phone numbers. */
function phonelessAt74(upstream: string): Promise<TestServer> {
  const up = new URL(upstream);
  return listen((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const out = http.request({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        const got: Buffer[] = [];
        r.on('data', (c: Buffer) => got.push(c));
        r.on('end', () => {
          let text = Buffer.concat(got).toString('utf8');
          if (/api-version=7\.4(&|$)/.test(req.url ?? '') && /\/certificates\/contacts/.test(req.url ?? '') && req.method === 'PUT') {
            try {
              const body = JSON.parse(text) as { contacts?: { phone?: string }[] };
              for (const c of body.contacts ?? []) delete c.phone;
              text = JSON.stringify(body);
            } catch {
              // not JSON: as it came
            }
          }
          const headers = { ...r.headers, 'content-length': String(Buffer.byteLength(text)) };
          res.writeHead(r.statusCode ?? 502, headers).end(text);
        });
      });
      out.on('error', () => res.destroy());
      out.end(Buffer.concat(chunks));
    });
  });
}

let emu: Emulator;
let proxy: TestServer;
beforeAll(async () => {
  emu = await startEmulator();
  proxy = await phonelessAt74(emu.url);
});
afterAll(async () => {
  await proxy?.close();
  await emu?.close();
});

describe('cross-version property', () => {
  it('a correct emulator answers the same at every version: nothing reported, exit 0', async () => {
    const r = await cli(['run', '--target', emu.url, '--operations', 'SetCertificateContacts,UpdateCertificate,Vaults_UpdateAccessPolicy', '--api-versions', 'all', '--runs', '10', '--seed', '3']);
    const doc = (await summary(r.reports)) as unknown as Doc;
    expect(doc.gate?.crossVersion, JSON.stringify(doc.gate?.failures.slice(0, 5))).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('a behaviour broken at one version only is a cross-version difference, and compare names exactly that regression', async () => {
    const both = await cli(['run', '--target', proxy.url, '--operations', 'SetCertificateContacts', '--api-versions', '7.4,2025-07-01', '--runs', '10', '--seed', '3']);
    expect(both.code).toBe(1);
    const doc = (await summary(both.reports)) as unknown as Doc;
    const diffs = doc.gate?.crossVersion ?? [];
    expect(diffs.length).toBeGreaterThan(0);
    // The one defect, said twice: the verdict (echo fails at 7.4 only) and the member (phone absent at 7.4 only).
    expect(diffs.every((d) => d.operation === 'SetCertificateContacts' && /^(failed a check at 7\.4 only|\/contacts\/\d+\/phone: absent at 7\.4, ".*" at 2025-07-01)$/.test(d.what))).toBe(true);
    expect(diffs.some((d) => d.what.includes('/phone: absent at 7.4'))).toBe(true);
    expect(both.stdout).toContain('cross-version: SetCertificateContacts');

    const at = async (v: string) => (await cli(['run', '--target', proxy.url, '--operations', 'SetCertificateContacts', '--api-version', v, '--runs', '10', '--seed', '3'])).reports;
    const [good, bad] = [await at('2025-07-01'), await at('7.4')];
    const compared = await finish(start(['compare', `${good}/summary.json`, `${bad}/summary.json`, '--json'], 'node'));
    expect(compared.code).toBe(1);
    const c = JSON.parse(compared.stdout) as { items: { change: string; operation: string; check: string; rule?: string }[] };
    const regressed = c.items.filter((i) => i.change === 'regressed');
    expect(regressed.length).toBeGreaterThan(0);
    expect(new Set(regressed.map((i) => `${i.operation} ${i.check} ${i.rule ?? ''}`))).toEqual(new Set(['SetCertificateContacts response.agrees keyvault.setCertificateContacts.echo']));
    expect(c.items.filter((i) => i.change !== 'regressed')).toEqual([]);
  });
});
