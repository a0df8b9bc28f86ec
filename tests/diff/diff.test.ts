/**
 * `azconform diff`: exact results for the version pairs the kit has specs of (the differences the reference's
 * VERSIONS.md documents), in both directions; every kind of change on two small documents; the command's formats
 * and exit codes as a child process.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffOperation, loadVersion, type DiffResult } from '../../src/diff/index.js';
import { finish, start } from '../emulator/spawn.js';

const between = (op: string, a: string, b: string): DiffResult => diffOperation(op, { label: a, doc: loadVersion(op, a).doc }, { label: b, doc: loadVersion(op, b).doc });
const rows = (r: DiffResult): string[] => r.changes.map((c) => `${c.side} ${c.location} ${c.kind} ${c.clients}/${c.services}`);
const PERMS = ['keys', 'secrets', 'certificates', 'storage'];

describe('diff of the kit’s own versions (VERSIONS.md)', () => {
  it('Vaults_UpdateAccessPolicy 2019-09-01 → 2024-11-01: `all` in every permission list, four key permissions; the seed page’s 400/404/409 fall under default', () => {
    const r = between('Vaults_UpdateAccessPolicy', '2019-09-01', '2024-11-01');
    const perms = (where: string, verdict: string) => PERMS.map((p) => `${where}/properties/accessPolicies/[]/permissions/${p}/[] enum-value-added ${verdict}`);
    expect(rows(r)).toEqual([
      ...perms('request ', 'compatible/breaking'),
      ...perms('response 200 ', 'compatible/compatible'),
      ...perms('response 201 ', 'compatible/compatible'),
      'status 400 status-removed compatible/compatible',
      'status 404 status-removed compatible/compatible',
      'status 409 status-removed compatible/compatible',
    ]);
    expect(r.changes.at(-1)?.detail).toBe('an error status the other version covers with default');
    expect(r.changes[0]?.detail).toBe('enum (open) + all, release, rotate, getrotationpolicy, setrotationpolicy');
    expect(r.changes[1]?.detail).toBe('enum (open) + all');
  });

  it('Vaults_UpdateAccessPolicy 2024-11-01 → 2019-09-01: the same changes the other way', () => {
    const r = between('Vaults_UpdateAccessPolicy', '2024-11-01', '2019-09-01');
    expect(r.changes.filter((c) => c.kind === 'enum-value-removed')).toHaveLength(12);
    expect(r.changes.filter((c) => c.kind === 'status-added').map((c) => c.location)).toEqual(['400', '404', '409']);
    expect(r.changes).toHaveLength(15);
    expect(r.breaking).toEqual({ clients: 4, services: 12 });
  });

  it('UpdateCertificate 7.4 → 2025-07-01: sans.uris and sans.ipAddresses (2025-06-01), preserveCertOrder in the answer (7.6)', () => {
    expect(rows(between('UpdateCertificate', '7.4', '2025-07-01'))).toEqual([
      'request /policy/x509_props/sans/uris member-added compatible/breaking',
      'request /policy/x509_props/sans/ipAddresses member-added compatible/breaking',
      'response 200 /policy/x509_props/sans/uris member-added compatible/compatible',
      'response 200 /policy/x509_props/sans/ipAddresses member-added compatible/compatible',
      'response 200 /preserveCertOrder member-added compatible/compatible',
    ]);
    expect(rows(between('UpdateCertificate', '2025-07-01', '7.4'))).toEqual([
      'request /policy/x509_props/sans/uris member-removed breaking/compatible',
      'request /policy/x509_props/sans/ipAddresses member-removed breaking/compatible',
      'response 200 /policy/x509_props/sans/uris member-removed breaking/compatible',
      'response 200 /policy/x509_props/sans/ipAddresses member-removed breaking/compatible',
      'response 200 /preserveCertOrder member-removed breaking/compatible',
    ]);
  });

  it('Key Vault data plane 7.0–7.3 (Azure\u2019s 7.0 keyvault.json, 7.1–7.3 certificates.json): each step, both ways, and nothing else', () => {
    // 7.2 → 7.3 → 7.4 change wording only (exportable's and key_usage's descriptions, the ActionType enum name).
    for (const [a, b] of [['7.3', '7.4'], ['7.2', '7.3']] as const) {
      for (const op of ['UpdateCertificate', 'SetCertificateContacts']) {
        expect(between(op, a, b).changes).toEqual([]);
        expect(between(op, b, a).changes).toEqual([]);
      }
    }
    // 7.1 → 7.2: oct-HSM joins JsonWebKeyType; common.json's Error becomes x-nullable.
    const error = (from: string, to: string, verdict: string) => [`response 401 /error type-changed ${verdict}`, `response default /error type-changed ${verdict}`].map((r) => ({ r, detail: `type ${from} → ${to}` }));
    const up = between('UpdateCertificate', '7.1', '7.2');
    expect(rows(up)).toEqual([
      'request /policy/key_props/kty enum-value-added compatible/breaking',
      'response 200 /policy/key_props/kty enum-value-added compatible/compatible',
      ...error('object', 'object|null', 'breaking/breaking').map((e) => e.r),
    ]);
    expect(up.changes[0]?.detail).toBe('enum (open) + oct-HSM');
    expect(up.changes.slice(2).map((c) => c.detail)).toEqual(error('object', 'object|null', '').map((e) => e.detail));
    expect(rows(between('UpdateCertificate', '7.2', '7.1'))).toEqual([
      'request /policy/key_props/kty enum-value-removed breaking/breaking',
      'response 200 /policy/key_props/kty enum-value-removed compatible/breaking',
      'response 401 /error type-changed breaking/breaking',
      'response default /error type-changed breaking/breaking',
    ]);
    expect(rows(between('SetCertificateContacts', '7.1', '7.2'))).toEqual(['response 401 /error type-changed breaking/breaking', 'response default /error type-changed breaking/breaking']);
    expect(between('SetCertificateContacts', '7.2', '7.1').changes.map((c) => c.detail)).toEqual(['type object|null → object', 'type object|null → object']);
    // 7.0 → 7.1: recoverableDays and the three CustomizedRecoverable levels (so the recoverable-days rule) arrive.
    const customized = 'CustomizedRecoverable+Purgeable, CustomizedRecoverable, CustomizedRecoverable+ProtectedSubscription';
    const added = between('UpdateCertificate', '7.0', '7.1');
    expect(rows(added)).toEqual([
      'request /policy/attributes/recoverableDays member-added compatible/breaking',
      'request /policy/attributes/recoveryLevel enum-value-added compatible/breaking',
      'request /attributes/recoverableDays member-added compatible/breaking',
      'request /attributes/recoveryLevel enum-value-added compatible/breaking',
      'response 200 /policy/attributes/recoverableDays member-added compatible/compatible',
      'response 200 /policy/attributes/recoveryLevel enum-value-added compatible/compatible',
      'response 200 /attributes/recoverableDays member-added compatible/compatible',
      'response 200 /attributes/recoveryLevel enum-value-added compatible/compatible',
      'rule keyvault.updateCertificate.recoverable-days rule-added breaking/breaking',
    ]);
    expect(added.changes[1]?.detail).toBe(`enum (open) + ${customized}`);
    expect(added.breaking).toEqual({ clients: 1, services: 5 });
    const removed = between('UpdateCertificate', '7.1', '7.0');
    expect(rows(removed)).toEqual([
      'request /policy/attributes/recoveryLevel enum-value-removed breaking/breaking',
      'request /attributes/recoveryLevel enum-value-removed breaking/breaking',
      'response 200 /policy/attributes/recoveryLevel enum-value-removed compatible/breaking',
      'response 200 /attributes/recoveryLevel enum-value-removed compatible/breaking',
      'request /policy/attributes/recoverableDays member-removed breaking/compatible',
      'request /attributes/recoverableDays member-removed breaking/compatible',
      'response 200 /policy/attributes/recoverableDays member-removed breaking/compatible',
      'response 200 /attributes/recoverableDays member-removed breaking/compatible',
      'rule keyvault.updateCertificate.recoverable-days rule-removed compatible/breaking',
    ]);
    expect(removed.changes[0]?.detail).toBe(`enum (open) − ${customized}`);
    expect(between('SetCertificateContacts', '7.0', '7.1').changes).toEqual([]);
    expect(between('SetCertificateContacts', '7.1', '7.0').changes).toEqual([]);
  });

  it('the published previews 7.6-preview.1 (= 7.5) and 7.6-preview.2 (= 7.6): preserveCertOrder arrives between them', () => {
    for (const op of ['UpdateCertificate', 'SetCertificateContacts']) {
      expect(between(op, '7.5', '7.6-preview.1').changes).toEqual([]);
      expect(between(op, '7.6-preview.2', '7.6').changes).toEqual([]);
    }
    expect(rows(between('UpdateCertificate', '7.6-preview.1', '7.6-preview.2'))).toEqual(['response 200 /preserveCertOrder member-added compatible/compatible']);
    expect(rows(between('UpdateCertificate', '7.6-preview.2', '7.6-preview.1'))).toEqual(['response 200 /preserveCertOrder member-removed breaking/compatible']);
    expect(between('SetCertificateContacts', '7.6-preview.1', '7.6-preview.2').changes).toEqual([]);
  });

  it('the versions overlays make: each step of VERSIONS.md, and nothing else', () => {
    expect(between('UpdateCertificate', '7.4', '7.5').changes).toEqual([]);
    expect(rows(between('UpdateCertificate', '7.5', '7.6'))).toEqual(['response 200 /preserveCertOrder member-added compatible/compatible']);
    expect(rows(between('UpdateCertificate', '7.6', '2025-06-01'))).toEqual([
      'request /policy/x509_props/sans/uris member-added compatible/breaking',
      'request /policy/x509_props/sans/ipAddresses member-added compatible/breaking',
      'response 200 /policy/x509_props/sans/uris member-added compatible/compatible',
      'response 200 /policy/x509_props/sans/ipAddresses member-added compatible/compatible',
    ]);
    expect(between('UpdateCertificate', '2025-06-01', '2025-07-01').changes).toEqual([]);
    expect(between('SetCertificateContacts', '7.5', '2025-06-01').changes).toEqual([]);
    const kv = between('Vaults_UpdateAccessPolicy', '2021-10-01', '2022-07-01');
    expect(rows(kv)).toEqual([
      'request /properties/accessPolicies/[]/permissions/keys/[] enum-value-added compatible/breaking',
      'response 200 /properties/accessPolicies/[]/permissions/keys/[] enum-value-added compatible/compatible',
      'response 201 /properties/accessPolicies/[]/permissions/keys/[] enum-value-added compatible/compatible',
      'status 404 status-removed compatible/compatible',
    ]);
    expect(kv.changes[0]?.detail).toBe('enum (open) + release, rotate, getrotationpolicy, setrotationpolicy');
    expect(between('Vaults_UpdateAccessPolicy', '2022-07-01', '2024-11-01').changes).toEqual([]);
    expect(between('Certificate_CreateOrUpdate', '2022-08-01', '2024-05-01').changes).toEqual([]);
  });

  it('SetCertificateContacts 7.4 ↔ 2025-07-01: no difference of the contract (only descriptions and client names)', () => {
    expect(between('SetCertificateContacts', '7.4', '2025-07-01').changes).toEqual([]);
    expect(between('SetCertificateContacts', '2025-07-01', '7.4').changes).toEqual([]);
  });
});

const doc = (body: object, responses: object, extra: object = {}): object => ({
  openapi: '3.1.0',
  paths: { '/x/{kind}': { put: { operationId: 'Op', parameters: [{ name: 'kind', in: 'path', required: true, schema: { type: 'string', enum: ['add', 'remove'] } }], requestBody: { required: true, content: { 'application/json': { schema: body } } }, responses, ...extra } } },
});

describe('every kind of change, classified for clients and for services', () => {
  const A = doc(
    { type: 'object', required: ['a'], properties: { a: { type: 'string', maxLength: 10 }, b: { type: 'integer', minimum: 1 }, c: { type: 'string', pattern: '^x' }, d: { type: 'string' }, gone: { type: 'string' } } },
    { '200': { description: 'ok', headers: { ETag: { required: true, schema: { type: 'string' } } }, content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string', readOnly: true }, kind: { type: 'string', enum: ['A', 'B'] } } } } } } },
  );
  const B = doc(
    {
      type: 'object',
      required: ['a', 'b'],
      'x-azconform-rules': [{ id: 'svc.op.rule', says: 'a rule', applies: 'request' }],
      properties: { a: { type: 'string', maxLength: 20 }, b: { type: 'integer', minimum: 5 }, c: { type: 'string', pattern: '^y' }, d: { type: 'string', format: 'uuid', readOnly: true }, more: { type: 'string' } },
    },
    {
      '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', required: ['id'], properties: { id: { type: 'string', readOnly: true }, kind: { type: 'string', enum: ['A', 'B', 'C'] } } } } } },
      '201': { description: 'created' },
    },
  );
  const r = diffOperation('Op', { label: 'A', doc: A as never }, { label: 'B', doc: B as never });

  it('lists each change once with both verdicts', () => {
    expect(rows(r).sort()).toEqual(
      [
        'request /a bound-loosened compatible/breaking',
        'request /b required-added breaking/breaking',
        'request /b bound-tightened breaking/breaking',
        'request /c pattern-changed breaking/breaking',
        'request /d format-changed breaking/breaking',
        'request /d readonly-added breaking/breaking',
        'request /more member-added compatible/breaking',
        'request /gone member-removed breaking/compatible',
        'response 200 /id required-added compatible/breaking',
        'response 200 /kind enum-value-added breaking/compatible',
        'header 200 ETag member-removed breaking/compatible',
        'status 201 status-added breaking/compatible',
        'rule svc.op.rule rule-added breaking/breaking',
      ].sort(),
    );
  });

  it('the other way, each verdict mirrors', () => {
    const back = diffOperation('Op', { label: 'B', doc: B as never }, { label: 'A', doc: A as never });
    const kinds = Object.fromEntries(back.changes.map((c) => [`${c.side} ${c.location} ${c.kind}`, `${c.clients}/${c.services}`]));
    expect(kinds['request /more member-removed']).toBe('breaking/compatible');
    expect(kinds['request /b required-removed']).toBe('compatible/breaking');
    expect(kinds['request /a bound-tightened']).toBe('breaking/breaking');
    expect(kinds['response 200 /kind enum-value-removed']).toBe('compatible/breaking');
    expect(kinds['status 201 status-removed']).toBe('compatible/breaking');
    expect(kinds['rule svc.op.rule rule-removed']).toBe('compatible/breaking');
    expect(kinds['header 200 ETag member-added']).toBe('compatible/compatible');
    expect(kinds['header 200 ETag required-added']).toBe('compatible/breaking');
  });
});

describe('azconform diff (the command)', () => {
  const cli = (...args: string[]) => finish(start(['diff', ...args], 'node'));

  it('--fail-on sets the exit code; JUnit fails exactly the breaking changes', async () => {
    const base = ['--operation', 'UpdateCertificate', '--from', '7.4', '--to', '2025-07-01'];
    expect((await cli(...base, '--fail-on', 'breaking-for-clients')).code).toBe(0);
    const services = await cli(...base, '--fail-on', 'breaking-for-services', '--format', 'junit');
    expect(services.code).toBe(1);
    expect(services.stdout).toMatch(/tests="5" failures="2"/);
    expect(services.stdout.match(/<failure /g)).toHaveLength(2);
  });

  it('two spec files, JSON and Markdown out', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'azconform-diff-'));
    const out = path.join(dir, 'diff.md');
    const r = await cli('--operation', 'Vaults_UpdateAccessPolicy', 'specs/keyvault-management/2019-09-01.yaml', 'specs/keyvault-management/2024-11-01.yaml', '--format', 'md', '--out', out);
    expect(r.code).toBe(0);
    expect(await readFile(out, 'utf8')).toMatch(/breaking for clients: \*\*0\*\*, for services and emulators: \*\*4\*\*/);
    const json = await cli('--operation', 'Vaults_UpdateAccessPolicy', '--from', '2019-09-01', '--to', '2024-11-01', '--format', 'json');
    expect((JSON.parse(json.stdout) as DiffResult).changes).toHaveLength(15);
    await writeFile(path.join(dir, 'broken.yaml'), 'openapi: [');
    const bad = await cli('--operation', 'Op', path.join(dir, 'broken.yaml'), path.join(dir, 'broken.yaml'));
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('an unknown version is one line naming the known ones, exit 2', async () => {
    const r = await cli('--operation', 'UpdateCertificate', '--from', '7.4', '--to', '7.9');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no spec at api-version 7\.9 \(known: .*7\.4/);
  });
});
