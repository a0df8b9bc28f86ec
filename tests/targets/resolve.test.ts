/**
 * The embedded target: one merged Prism by default, its label, a fallback to one Prism per spec file when
 * merging is not possible, and a broken spec still ending the run with a clear error (exit 2, no stack trace),
 * leaving no process and no temp file behind.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSession } from '../../src/engine/session.js';
import type { RunEvent } from '../../src/events/types.js';
import { loadOperations, selectOperations, type Operation } from '../../src/model/registry.js';
import { startEmbeddedPrism } from '../../src/targets/embedded.js';
import { DEFAULT_FIXTURES } from '../../src/targets/fixtures.js';
import { resolveTarget, TargetError } from '../../src/targets/resolve.js';

const all = loadOperations();
const seeds = selectOperations(all, {}).selected;

/** Prism processes this test process started that are still running. */
function prismChildren(): number[] {
  return readdirSync('/proc').flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      return ppid === process.pid && cmd.includes('prism-cli') ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}

/** A project root with copies of the seed spec files, one of them edited. */
function rootWith(file: string, edit: (text: string) => string): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'azconform-root-'));
  for (const f of new Set(seeds.map((o) => o.spec.file))) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    cpSync(f, path.join(root, f));
  }
  writeFileSync(path.join(root, file), edit(readFileSync(file, 'utf8')));
  return root;
}

async function put(url: string, body: unknown, token = true): Promise<number> {
  const res = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json', ...(token ? { authorization: 'Bearer t' } : {}) }, body: JSON.stringify(body) });
  await res.arrayBuffer();
  return res.status;
}

const contacts = { contacts: [{ email: 'admin@contoso.com', name: 'John Doe', phone: '1111111111' }] };

// Temp files of this file's runs go to a dir of its own, so that what is left behind can be counted.
let tmp: string;
const savedTmp = process.env['TMPDIR'];
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'azconform-targets-test-'));
  process.env['TMPDIR'] = tmp;
});
afterAll(() => {
  if (savedTmp === undefined) delete process.env['TMPDIR'];
  else process.env['TMPDIR'] = savedTmp;
  rmSync(tmp, { recursive: true, force: true });
});
const mergedDirs = (): string[] => readdirSync(tmp).filter((d) => d.startsWith('azconform-prism-'));

describe('resolveTarget: the embedded Prism', () => {
  it('serves the four seed operations from one merged Prism and says so', async () => {
    const t = await resolveTarget(seeds, { root: process.cwd(), timeoutMs: 5_000 });
    try {
      expect(t.description.label).toBe('embedded Prism mock (1 process, 4 spec files merged)');
      expect(t.defaultProfile).toBe('mock');
      expect(t.description.vaultUrl).toBe(t.description.armUrl);
      expect(prismChildren()).toHaveLength(1);
      expect(mergedDirs()).toHaveLength(1);
      const op = seeds.find((o) => o.id === 'SetCertificateContacts') as Operation;
      expect(await put(`${t.baseUrl(op)}/certificates/contacts?api-version=${op.apiVersion}`, contacts)).toBe(200);
      expect(await put(`${t.baseUrl(op)}/certificates/contacts?api-version=${op.apiVersion}`, contacts, false)).toBe(401);
    } finally {
      await t.close();
    }
    expect(prismChildren()).toEqual([]);
    expect(mergedDirs()).toEqual([]);
  });

  it('one spec file: its own Prism, no merged document', async () => {
    const op = seeds.find((o) => o.id === 'UpdateCertificate') as Operation;
    const p = await startEmbeddedPrism([op], { root: process.cwd() });
    try {
      expect(p.processes).toBe(1);
      expect(p.documents).toEqual([]);
      expect(mergedDirs()).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it('two api-versions of two operations: two processes, each serving its own version', async () => {
    const two = ['7.4', '2025-07-01', '2019-09-01', '2024-11-01'];
    const ops = all.filter((o) => (o.id === 'SetCertificateContacts' || o.id === 'Vaults_UpdateAccessPolicy') && two.includes(o.apiVersion));
    const t = await resolveTarget(ops, { root: process.cwd(), timeoutMs: 5_000 });
    try {
      expect(t.description.label).toBe('embedded Prism mock (2 processes, 4 spec files merged)');
      const urls = new Set(ops.map((o) => t.baseUrl(o)));
      expect(urls.size).toBe(2);
      const v74 = ops.find((o) => o.id === 'SetCertificateContacts' && o.apiVersion === '7.4') as Operation;
      const v2025 = ops.find((o) => o.id === 'SetCertificateContacts' && o.apiVersion === '2025-07-01') as Operation;
      expect(t.baseUrl(v74)).not.toBe(t.baseUrl(v2025));
      expect(await put(`${t.baseUrl(v74)}/certificates/contacts?api-version=7.4`, contacts)).toBe(200);
    } finally {
      await t.close();
    }
    expect(mergedDirs()).toEqual([]);
  });

  it('falls back to one Prism per spec file when the files cannot be merged, and says why', async () => {
    const file = 'specs/keyvault-management/2019-09-01.yaml';
    const root = rootWith(file, (text) => text.replace(/^openapi: 3\.1\.0$/m, 'openapi: 3.1.0\njsonSchemaDialect: https://spec.openapis.org/oas/3.1/dialect/base'));
    try {
      const t = await resolveTarget(seeds, { root, timeoutMs: 5_000 });
      try {
        expect(t.description.label).toMatch(/^embedded Prism mock \(4 processes, 4 spec files, not merged: merging failed: .*jsonSchemaDialect/);
        const op = seeds.find((o) => o.id === 'SetCertificateContacts') as Operation;
        expect(await put(`${t.baseUrl(op)}/certificates/contacts?api-version=${op.apiVersion}`, contacts)).toBe(200);
      } finally {
        await t.close();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    expect(prismChildren()).toEqual([]);
  });

  it('mergeSpecs: false starts one Prism per spec file', async () => {
    const t = await resolveTarget(seeds, { root: process.cwd(), timeoutMs: 5_000, mergeSpecs: false });
    try {
      expect(t.description.label).toBe('embedded Prism mock (4 processes, 4 spec files)');
    } finally {
      await t.close();
    }
  });
});

describe('a broken spec', () => {
  const file = 'specs/keyvault-certificates/7.4.yaml';
  const broken = (text: string): string => text.replace("$ref: '#/components/schemas/CertificateUpdateParameters'", "$ref: '#/components/schemas/NoSuchSchema'");

  it('is a TargetError naming the file and what Prism said; nothing is left running or on disk', async () => {
    const root = rootWith(file, broken);
    try {
      const err = await resolveTarget(seeds, { root, timeoutMs: 5_000 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(TargetError);
      const message = (err as Error).message;
      expect(message).toMatch(/^the embedded Prism mock did not start: Prism exited with code 1 for specs\/keyvault-certificates\/7\.4\.yaml:/);
      expect(message).toMatch(/NoSuchSchema/);
      expect(message).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    expect(prismChildren()).toEqual([]);
    expect(mergedDirs()).toEqual([]);
  });

  it('ends the run with exit code 2 and the message as a run error', async () => {
    const root = rootWith(file, broken);
    const events: RunEvent[] = [];
    try {
      const r = await runSession({
        operations: seeds,
        suites: [],
        seed: 1,
        runs: 1,
        concurrency: 1,
        timeoutMs: 5_000,
        root,
        token: 't',
        fixtures: DEFAULT_FIXTURES,
        handlers: [{ handle: (e) => void events.push(e) }],
      });
      expect(r.exitCode).toBe(2);
      const errors = events.flatMap((e) => (e.type === 'run-error' ? [e.message] : []));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/did not start: .*7\.4\.yaml/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    expect(prismChildren()).toEqual([]);
  });
});
