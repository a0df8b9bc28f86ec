/**
 * scripts/lint-specs.ts: clean on the repo; each convention of specs/README.md and each redocly rule that matters
 * is caught on a changed copy of one spec (in-process, fast), and the CLI's exit codes and `file:line` output are
 * checked as npm runs it.
 */
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RULE_ID, formatProblem, lintSpecs, type LintResult, type Problem } from '../../scripts/lint-specs.js';
import { ROOT, edit, makeScratch, removeScratches, run } from '../generate/scratch.js';

const KVC74 = 'specs/keyvault-certificates/7.4.yaml';
const KVC25 = 'specs/keyvault-certificates/2025-07-01.yaml';
const KVM19 = 'specs/keyvault-management/2019-09-01.yaml';
const APIM = 'specs/apimanagement/2024-05-01.yaml';

const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map((d) => rm(d, { recursive: true, force: true })));
  await removeScratches();
});

/** Lint a project holding one spec (changed by `change`) and the repo's redocly.yaml. */
async function lintChanged(rel: string, change: (text: string) => string, as = rel): Promise<{ result: LintResult; text: string }> {
  const original = await readFile(path.join(ROOT, rel), 'utf8');
  const text = change(original);
  expect(text, 'the change must change the spec').not.toBe(original);
  const root = await mkdtemp(path.join(tmpdir(), 'azconform-lint-'));
  roots.push(root);
  await mkdir(path.dirname(path.join(root, as)), { recursive: true });
  await writeFile(path.join(root, as), text);
  await copyFile(path.join(ROOT, 'redocly.yaml'), path.join(root, 'redocly.yaml'));
  return { result: await lintSpecs(root), text };
}

/** 1-based line of the first occurrence of `needle` in `text`. */
function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`${needle} not in the spec`);
  return text.slice(0, at).split('\n').length;
}

function expectProblem(result: LintResult, want: Omit<Partial<Problem>, 'message'> & { message?: RegExp | string }): void {
  const { message, ...rest } = want;
  const found = result.problems.some(
    (p) =>
      Object.entries(rest).every(([k, v]) => (p as unknown as Record<string, unknown>)[k] === v) &&
      (message === undefined || (typeof message === 'string' ? p.message.includes(message) : message.test(p.message))),
  );
  expect(found, `expected ${JSON.stringify({ ...rest, message: String(message) })} in:\n${result.problems.map(formatProblem).join('\n')}`).toBe(true);
}

describe('lintSpecs on the repo', () => {
  it('finds every spec and no problem at all', async () => {
    const result = await lintSpecs(ROOT);
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.files).toEqual(expect.arrayContaining([KVC74, KVC25, KVM19, APIM, 'specs/keyvault-management/2024-11-01.yaml']));
  });
});

describe('lintSpecs catches', () => {
  it('an unquoted info.version, with its line', async () => {
    const { result } = await lintChanged(KVC74, (t) => t.replace("version: '7.4'", 'version: 7.4'));
    expectProblem(result, { file: KVC74, line: 4, rule: 'azconform/info-version', message: 'quoted' });
    expect(result.exitCode).toBe(1);
  });

  it('accepts a double-quoted info.version', async () => {
    const { result } = await lintChanged(KVC74, (t) => t.replace("version: '7.4'", 'version: "7.4"'));
    expect(result.problems.map(formatProblem)).toEqual([]);
  });

  it('an info.version that differs from the file name', async () => {
    const { result } = await lintChanged(KVC25, (t) => t.replace("version: '2025-07-01'", "version: '2025-06-01'"));
    expectProblem(result, { file: KVC25, line: 4, rule: 'azconform/info-version', message: "'2025-07-01'" });
  });

  it('an info.x-azconform-service that differs from the folder', async () => {
    const { result, text } = await lintChanged(KVM19, (t) => t.replace('x-azconform-service: keyvault-management', 'x-azconform-service: keyvault'));
    expectProblem(result, { file: KVM19, line: lineOf(text, 'x-azconform-service'), rule: 'azconform/info-service' });
  });

  it('an enum without x-ms-enum (reported on the enum line)', async () => {
    const { result, text } = await lintChanged(KVC74, (t) =>
      t.replace('      x-ms-enum:\n        name: CertificatePolicyAction\n        modelAsString: false\n', ''),
    );
    expectProblem(result, { file: KVC74, line: lineOf(text, 'enum: [EmailContacts, AutoRenew]'), rule: 'azconform/x-ms-enum' });
  });

  it('an x-ms-enum without modelAsString', async () => {
    const { result } = await lintChanged(KVM19, (t) => t.replace('              modelAsString: false\n', ''));
    expectProblem(result, { file: KVM19, rule: 'azconform/x-ms-enum', message: 'modelAsString' });
  });

  it('x-azconform-rules ids outside the namespaces or with other characters, and incomplete entries', async () => {
    const { result } = await lintChanged(KVC74, (t) =>
      t
        .replace('id: keyvault.updateCertificate.days-before-expiry-range', 'id: keyvault.updateCertificate.days_before_expiry')
        .replace('id: keyvault.setCertificateContacts.echo', 'id: storage.setCertificateContacts.echo')
        .replace('id: keyvault.updateCertificate.policy-id', 'id: Keyvault.updateCertificate.policy-id')
        .replace(/(id: keyvault\.updateCertificate\.trigger-one-kind\n\s+says: [^\n]*\n\s+)applies: request/, '$1applies: sometimes')
        .replace(/(id: keyvault\.setCertificateContacts\.id\n\s+says: [^\n]*\n\s+applies: response\n)\s+source: >-\n(\s+[^\n]*\n){3}/, '$1'),
    );
    for (const id of ['keyvault.updateCertificate.days_before_expiry', 'storage.setCertificateContacts.echo', 'Keyvault.updateCertificate.policy-id']) {
      expectProblem(result, { file: KVC74, rule: 'azconform/rules', message: `"${id}" does not match` });
    }
    expectProblem(result, { rule: 'azconform/rules', message: 'applies must be request, response or both' });
    expectProblem(result, { rule: 'azconform/rules', message: 'keyvault.setCertificateContacts.id needs a non-empty source' });
  });

  it('rule ids: the namespaces and the characters allowed', () => {
    for (const ok of ['azure.auth.challenge', 'keyvault.updateCertificate.x5t-thumbprint', 'apimanagement.certificateCreateOrUpdate.pkcs12-opens']) {
      expect(RULE_ID.test(ok), ok).toBe(true);
    }
    for (const bad of ['keyvault', 'keyvault_x.y', 'azure.a b', 'azure.x/y', 'other.rule', ' azure.x']) expect(RULE_ID.test(bad), bad).toBe(false);
  });

  it('a pattern that does not compile with the u flag', async () => {
    const { result, text } = await lintChanged(KVM19, (t) => t.replace('pattern: ^[a-zA-Z0-9-]{3,24}$', 'pattern: ^[a-z]\\-{3,24}$'));
    expectProblem(result, { file: KVM19, line: lineOf(text, 'pattern: ^[a-z]'), rule: 'azconform/pattern' });
  });

  it('an operation without the api-version query parameter', async () => {
    const { result } = await lintChanged(KVC74, (t) => t.replace('- name: api-version', '- name: apiVersion'));
    expectProblem(result, { file: KVC74, rule: 'azconform/api-version', message: 'SetCertificateContacts: the api-version query parameter is missing' });
  });

  it('an api-version that is not required, or has no minLength', async () => {
    const { result } = await lintChanged(APIM, (t) =>
      t.replace(/(- name: api-version\n\s+in: query\n\s+)required: true/, '$1required: false').replace(/(description: The API version to use for this operation.\n\s+schema:\n\s+type: string\n)\s+minLength: 1\n/, '$1'),
    );
    expectProblem(result, { rule: 'azconform/api-version', message: 'must be required: true' });
    expectProblem(result, { rule: 'azconform/api-version', message: '{type: string, minLength: 1}' });
  });

  it('an operation without security', async () => {
    const { result } = await lintChanged(KVC74, (t) => t.replace("      security:\n        - OAuth2Auth: ['https://vault.azure.net/.default']\n", ''));
    expectProblem(result, { rule: 'azconform/security', message: 'SetCertificateContacts' });
  });

  it('a scenario missing on a required parameter', async () => {
    const { result } = await lintChanged(KVC74, (t) =>
      t.replace('            NotFound:\n              value: c3d31d7b36c942ad83ef36fc0785a4fc\n', ''),
    );
    expectProblem(result, { rule: 'azconform/scenarios', message: 'scenario NotFound has no example for the required path parameter certificate-version' });
  });

  it('a dangling $ref (redocly no-unresolved-refs), with its line', async () => {
    const { result, text } = await lintChanged(KVM19, (t) => t.replace("$ref: '#/components/schemas/CloudErrorBody'", "$ref: '#/components/schemas/Nope'"));
    expectProblem(result, { file: KVM19, line: lineOf(text, "#/components/schemas/Nope'"), rule: 'redocly/no-unresolved-refs', severity: 'error' });
    expect(result.exitCode).toBe(1);
  });

  it('non-local $refs, without fetching the remote one', async () => {
    const { result } = await lintChanged(KVM19, (t) =>
      t
        .replace("$ref: '#/components/schemas/CloudErrorBody'", "$ref: './common.yaml#/CloudErrorBody'")
        .replace("$ref: '#/components/schemas/Permissions'", "$ref: 'https://example.invalid/permissions.yaml'"),
    );
    expectProblem(result, { rule: 'azconform/local-refs', message: './common.yaml' });
    expectProblem(result, { rule: 'azconform/local-refs', message: 'https://example.invalid/permissions.yaml' });
    expectProblem(result, { rule: 'redocly/no-unresolved-refs', message: 'not fetched' });
  });

  it('a parameter example that breaks its schema (redocly no-invalid-parameter-examples)', async () => {
    const { result } = await lintChanged(KVM19, (t) => t.replace('            AddAccessPolicy:\n              value: sample-vault', '            AddAccessPolicy:\n              value: ab'));
    expectProblem(result, { file: KVM19, rule: 'redocly/no-invalid-parameter-examples', severity: 'error', message: 'pattern' });
  });

  it('a body example with a misspelt property (redocly no-invalid-media-type-examples)', async () => {
    const { result } = await lintChanged(APIM, (t) => t.replace('          thumbprint: EA****', '          thumbprnt: EA****'));
    expectProblem(result, { file: APIM, rule: 'redocly/no-invalid-media-type-examples', severity: 'error' });
  });

  it('a non-3.1 document', async () => {
    const { result } = await lintChanged(APIM, (t) => t.replace('openapi: 3.1.0', 'openapi: 3.0.3'));
    expectProblem(result, { file: APIM, line: 1, rule: 'azconform/openapi-version' });
  });

  it('a spec outside specs/<service>/<api-version>.yaml', async () => {
    const { result } = await lintChanged(APIM, (t) => t.replace("version: '2024-05-01'", "version: 'stray'"), 'specs/stray.yaml');
    expectProblem(result, { file: 'specs/stray.yaml', rule: 'azconform/layout' });
  });

  it('invalid YAML: exit code 2, with the file and line', async () => {
    const { result } = await lintChanged(KVC74, (t) => t.replace(/^paths:$/m, 'paths: [unclosed\n  oops: {'));
    expect(result.exitCode).toBe(2);
    expect(result.unreadable).toEqual([KVC74]);
    expectProblem(result, { file: KVC74, rule: 'azconform/yaml', message: 'not valid YAML' });
    expect(result.problems.every((p) => p.line !== undefined)).toBe(true);
  });

  it('a duplicate key is a parse error (exit 2)', async () => {
    const { result } = await lintChanged(KVC74, (t) => t.replace("  version: '7.4'\n", "  version: '7.4'\n  version: '7.4'\n"));
    expect(result.exitCode).toBe(2);
  });
});

describe.concurrent('npm run lint:specs (CLI)', () => {
  const lintCli = (dir: string) => run(path.join(dir, 'node_modules/.bin/tsx'), ['scripts/lint-specs.ts'], dir);

  it('exits 0 on the repo', async ({ expect }) => {
    const r = await lintCli(ROOT);
    expect(r.errorLines, r.stderr).toEqual([]);
    expect(r.code).toBe(0);
    // Every spec file and every document an overlay made (one per generated version).
    const versions = (await readdir(path.join(ROOT, 'generated'), { withFileTypes: true })).filter((d) => d.isDirectory());
    const count = (await Promise.all(versions.map((d) => readdir(path.join(ROOT, 'generated', d.name))))).flat().length;
    expect(r.stdout).toMatch(new RegExp(`lint:specs: ${count} file\\(s\\), 0 error\\(s\\), 0 warning\\(s\\)`));
  });

  it('exits 2 on a spec that is not valid YAML, naming it, and still reports the other files as file:line', async ({ expect }) => {
    const dir = await makeScratch('lint-cli');
    await edit(dir, KVC74, /^paths:$/m, 'paths: [unclosed\n  oops: {');
    await edit(dir, KVM19, "$ref: '#/components/schemas/CloudErrorBody'", "$ref: '#/components/schemas/Nope'");
    const r = await lintCli(dir);
    expect(r.code, r.stderr).toBe(2);
    expect(r.errorLines.some((l) => /^specs\/keyvault-certificates\/7\.4\.yaml:\d+: error \[azconform\/yaml\] not valid YAML/.test(l)), r.stderr).toBe(true);
    expect(r.errorLines.some((l) => /^specs\/keyvault-management\/2019-09-01\.yaml:\d+: error \[redocly\/no-unresolved-refs\]/.test(l)), r.stderr).toBe(true);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
