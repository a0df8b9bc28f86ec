/**
 * The real command, as a child process: `node --import tsx src/cli/main.ts validate-traffic FILE… [--json]` with
 * HAR files and test-proxy recordings built here from the specs' examples.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/traffic/format.js';
import { challengeProbe, exampleCall, har, recording, tempDir, writeJson, type Call } from './fixtures.js';

const ROOT = resolve(import.meta.dirname, '../..');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Promise<Result> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'validate-traffic', ...args], {
      cwd: ROOT,
      env: { ...process.env, AZCONFORM_DEBUG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const json = (r: Result): JsonReport => JSON.parse(r.stdout) as JsonReport;

const updateCert = (): Call => exampleCall('UpdateCertificate', '7.4', 'UpdateCertificate', 200);
const contacts = (): Call => exampleCall('SetCertificateContacts', '2025-07-01', 'SetCertificateContacts', 200, 'api%2Dversion');
const apim201 = (): Call => exampleCall('Certificate_CreateOrUpdate', '2024-05-01', 'ApiManagementCreateCertificate', 201);
const accessPolicy = (): Call => exampleCall('Vaults_UpdateAccessPolicy', '2019-09-01', 'AddAccessPolicy', 200);
type Obj = { [k: string]: unknown };

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe.concurrent('azconform validate-traffic', () => {
  it('passes clean traffic (HAR + recording): probe, api%2Dversion, ETag, extra fields, uncovered calls', async () => {
    const withPending = updateCert();
    // Real services add fields the spec does not list (the certificate's pending operation): not a violation.
    (withPending.responseBody as Obj).pending = { id: 'https://myvault.vault.azure.net/certificates/updateCert01/pending' };
    const other = { ...updateCert(), method: 'GET', url: 'https://myvault.vault.azure.net/certificates/x?api-version=7.4' };
    delete other.requestBody;
    const harFile = writeJson(dir, 'clean.har', har([challengeProbe(contacts()), contacts(), withPending, other]));
    const recFile = writeJson(dir, 'clean.json', recording([apim201(), accessPolicy()], false));

    const r = await cli(harFile, recFile, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = json(r);
    expect(doc).toMatchObject({ command: 'validate-traffic', ok: true, violations: [] });
    expect(doc.totals).toEqual({ exchanges: 6, covered: 5, notCovered: 1, passed: 5, failed: 0, violations: 0, notes: 0 });
    expect(doc.files).toEqual([
      { file: harFile, format: 'har', exchanges: 4 },
      { file: recFile, format: 'recording', exchanges: 2 },
    ]);
    expect(doc.exchanges.map((e) => [e.n, e.method, e.operation && `${e.operation}@${e.apiVersion}`, e.status, e.kind, e.result])).toEqual([
      [1, 'PUT', 'SetCertificateContacts@2025-07-01', 401, 'auth', 'passed'],
      [2, 'PUT', 'SetCertificateContacts@2025-07-01', 200, 'recorded', 'passed'],
      [3, 'PATCH', 'UpdateCertificate@7.4', 200, 'recorded', 'passed'],
      [4, 'GET', null, 200, null, 'not-covered'],
      [5, 'PUT', 'Certificate_CreateOrUpdate@2024-05-01', 201, 'recorded', 'passed'],
      [6, 'PUT', 'Vaults_UpdateAccessPolicy@2019-09-01', 200, 'recorded', 'passed'],
    ]);
    expect(doc.exchanges[0]?.checks.find((c) => c.id === 'auth.required')?.status).toBe('passed');
    expect(doc.exchanges[3]?.notCovered).toEqual({ reason: 'path', detail: 'no operation has path /certificates/x' });

    const table = await cli(harFile, recFile);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^#\s+file\s+method\s+path\s+operation@api-version\s+status\s+result$/m);
    expect(table.stdout).toMatch(/^3\s+.*clean\.har\s+PATCH\s+\/certificates\/updateCert01\/c3d31d7b36c942ad83ef36fc0785a4fc\s+UpdateCertificate@7\.4\s+200\s+passed$/m);
    expect(table.stdout).toContain('exchanges 6, covered 5, not covered 1, passed 5, failed 0, violations 0, notes 0');
    expect(table.stdout).toMatch(/#4 GET https:\/\/myvault\.vault\.azure\.net\/certificates\/x\?api-version=7\.4: path: no operation has path/);
  });

  it('reports broken responses with operation, direction, instance path and message (exit 1)', async () => {
    const expString = updateCert();
    ((expString.responseBody as Obj).attributes as Obj).exp = '2040-01-01T00:00:00Z';
    const undocumented = contacts();
    undocumented.status = 204;
    delete undocumented.responseBody;
    const notJson = updateCert();
    notJson.responseBody = '<html><body>Service Unavailable</body></html>';
    const noEtag = apim201();
    delete noEtag.responseHeaders.ETag;
    const harFile = writeJson(dir, 'broken.har', har([expString, undocumented, notJson]));
    const recFile = writeJson(dir, 'broken.json', recording([noEtag]));

    const r = await cli(harFile, recFile, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const doc = json(r);
    expect(doc.ok).toBe(false);
    expect(doc.totals).toMatchObject({ exchanges: 4, covered: 4, notCovered: 0, passed: 0, failed: 4 });
    const v = doc.violations.map((f) => ({ n: f.exchange, op: `${f.operation}@${f.apiVersion}`, check: f.check, direction: f.direction, path: f.instancePath, message: f.message }));
    expect(v).toContainEqual({ n: 1, op: 'UpdateCertificate@7.4', check: 'response.schema', direction: 'response', path: '/attributes/exp', message: '/attributes/exp must be integer (type)' });
    expect(v).toContainEqual(
      expect.objectContaining({ n: 2, op: 'SetCertificateContacts@2025-07-01', check: 'status.documented', direction: 'response', message: expect.stringMatching(/^status 204 is not documented/) }),
    );
    expect(v).toContainEqual(expect.objectContaining({ n: 3, op: 'UpdateCertificate@7.4', check: 'transport', direction: 'response', message: expect.stringMatching(/^body is not JSON/) }));
    expect(v).toContainEqual({
      n: 4,
      op: 'Certificate_CreateOrUpdate@2024-05-01',
      check: 'response.headers',
      direction: 'response',
      path: '/headers',
      message: expect.stringMatching(/^\/headers\/? must have required property 'etag'$/),
    });
    expect(doc.exchanges.map((e) => e.file)).toEqual([harFile, harFile, harFile, recFile]);

    const table = await cli(harFile, recFile);
    expect(table.code).toBe(1);
    expect(table.stdout).toContain('  #1 UpdateCertificate@7.4 response /attributes/exp: /attributes/exp must be integer (type) [response.schema]');
    expect(table.stdout).toMatch(/^ {2}#4 Certificate_CreateOrUpdate@2024-05-01 response \/headers: .*must have required property 'etag' \[response\.headers\]$/m);
    expect(table.stdout).toMatch(/^FAILED: \d+ violations in 4 exchanges\.$/m);
  });

  it('judges the key policy: an unknown kty (open enum) is a note, an unknown action_type (closed enum) a violation', async () => {
    const policy = (kty: string, action: string): Call => {
      const c = updateCert();
      (c.responseBody as Obj).policy = {
        id: 'https://myvault.vault.azure.net/certificates/updateCert01/policy',
        key_props: { exportable: true, kty, key_size: 2048, reuse_key: false },
        lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: action } }],
      };
      return c;
    };
    const noteOnly = await cli(writeJson(dir, 'dsa.har', har([policy('DSA', 'AutoRenew')])), '--json');
    expect(noteOnly.code).toBe(0);
    const n = json(noteOnly);
    expect(n.totals).toMatchObject({ passed: 1, violations: 0, notes: 1 });
    expect(n.notes[0]).toMatchObject({ check: 'response.schema', severity: 'note', direction: 'response', instancePath: '/policy/key_props/kty', operation: 'UpdateCertificate' });

    const closed = await cli(writeJson(dir, 'action.har', har([policy('RSA', 'Delete')])), '--json');
    expect(closed.code).toBe(1);
    expect(json(closed).violations).toEqual([
      expect.objectContaining({
        check: 'response.schema',
        direction: 'response',
        instancePath: '/policy/lifetime_actions/0/action/action_type',
        message: '/policy/lifetime_actions/0/action/action_type must be one of ["EmailContacts","AutoRenew"]',
      }),
    ]);
  });

  it('reports a broken recorded request with direction request', async () => {
    const c = accessPolicy();
    const body = c.requestBody as { properties: { accessPolicies: { tenantId: string }[] } };
    (body.properties.accessPolicies[0] as { tenantId: string }).tenantId = 'not-a-uuid';
    const r = await cli(writeJson(dir, 'request.json', recording([c])), '--json');
    expect(r.code).toBe(1);
    expect(json(r).violations).toContainEqual(
      expect.objectContaining({ operation: 'Vaults_UpdateAccessPolicy', apiVersion: '2019-09-01', check: 'request.schema', direction: 'request', instancePath: '/properties/accessPolicies/0/tenantId' }),
    );
  });

  it('exits 2 with one line on stderr for bad input', async () => {
    const notJson = writeJson(dir, 'not-json.har', '{"log": {"entries": [');
    const neither = writeJson(dir, 'neither.json', { interactions: [] });
    const badEntry = writeJson(dir, 'bad-entry.har', { log: { entries: [{ request: { method: 'GET' }, response: { status: 200 } }] } });
    const aDir = join(dir, 'a-directory');
    mkdirSync(aDir, { recursive: true });
    const cases: [string[], RegExp][] = [
      [[], /^azconform validate-traffic: no files given/],
      [[join(dir, 'missing.har')], /^azconform validate-traffic: .*missing\.har: no such file$/],
      [[notJson], /^azconform validate-traffic: .*not-json\.har: not JSON \(/],
      [[neither], /^azconform validate-traffic: .*neither\.json: neither a HAR 1\.2 file \(log\.entries\) nor an Azure SDK test-proxy recording \(Entries\)$/],
      [[badEntry], /^azconform validate-traffic: .*bad-entry\.har: entry 1: request\.url is missing$/],
      [[aDir], /^azconform validate-traffic: .*a-directory: is a directory, not a file$/],
      [['--frobnicate', neither], /^azconform validate-traffic: Unknown option '--frobnicate'/],
    ];
    const results = await Promise.all(cases.map(([args]) => cli(...args, '--json')));
    results.forEach((r, i) => {
      const [args, pattern] = cases[i] as [string[], RegExp];
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr.trimEnd(), args.join(' ')).toMatch(pattern);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  });

  it('prints help', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: azconform validate-traffic FILE… \[--json\]/);
    expect(r.stdout).toContain('Exit codes: 0 no violations, 1 violations found, 2 bad input');
  });
});
