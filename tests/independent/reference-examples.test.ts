/**
 * Every example response in Azure's reference (../shared/reference: the REST specs' example files, every version
 * present), replayed as recorded traffic and judged at every api-version the kit has a spec for that operation.
 * These are Azure's own documented exchanges, written by people other than the kit's authors: none may be flagged.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOperations } from '../../src/model/registry.js';
import { validateTraffic } from '../../src/traffic/validate.js';
import { recording, type Call } from '../traffic/fixtures.js';

/** Beside the main checkout (/work/shared) or beside a work tree of it (/work/wt/x → /work/shared). */
const REFERENCE =
  [process.env.AZCONFORM_REFERENCE, join(import.meta.dirname, '../../../shared/reference'), join(import.meta.dirname, '../../../../shared/reference')]
    .filter((d): d is string => d !== undefined && existsSync(d))
    .map((d) => join(d, 'azure-rest-api-specs/specification'))[0] ?? '';
/** The reference sits beside the work trees; a checkout without it skips (and says so). */
const present = REFERENCE !== '' && existsSync(REFERENCE);

interface Example {
  readonly parameters: { readonly [name: string]: unknown };
  readonly responses: { readonly [status: string]: { readonly body?: unknown; readonly headers?: { readonly [k: string]: unknown } } };
}

/** Which operation an example file documents, and how its request is addressed (data plane or ARM path). */
const OPERATIONS: readonly { readonly file: RegExp; readonly id: string; readonly url: (p: Example['parameters']) => string; readonly method: string }[] = [
  { file: /^SetCertificateContacts-example\.json$/, id: 'SetCertificateContacts', method: 'PUT', url: () => 'https://myvault.vault.azure.net/certificates/contacts' },
  {
    file: /^UpdateCertificate-example\.json$/,
    id: 'UpdateCertificate',
    method: 'PATCH',
    url: (p) => `https://myvault.vault.azure.net/certificates/${String(p['certificate-name'])}/${String(p['certificate-version'])}`,
  },
  {
    file: /^updateAccessPolicies\w*\.json$/,
    id: 'Vaults_UpdateAccessPolicy',
    method: 'PUT',
    url: (p) =>
      `https://management.azure.com/subscriptions/${String(p.subscriptionId)}/resourceGroups/${String(p.resourceGroupName)}/providers/Microsoft.KeyVault/vaults/${String(p.vaultName)}/accessPolicies/${String(p.operationKind)}`,
  },
  {
    file: /^ApiManagementCreateCertificate\w*\.json$/,
    id: 'Certificate_CreateOrUpdate',
    method: 'PUT',
    url: (p) =>
      `https://management.azure.com/subscriptions/${String(p.subscriptionId)}/resourceGroups/${String(p.resourceGroupName)}/providers/Microsoft.ApiManagement/service/${String(p.serviceName)}/certificates/${String(p.certificateId)}`,
  },
];

function examples(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? examples(path) : name.endsWith('.json') && path.includes('/examples/') ? [path] : [];
  });
}

const VERSIONS = new Map<string, string[]>();
for (const o of loadOperations()) VERSIONS.set(o.id, [...(VERSIONS.get(o.id) ?? []), o.apiVersion]);

/** One call per documented response of the example, at the given api-version. */
function calls(path: string, version: string): Call[] {
  const name = path.split('/').pop() ?? '';
  const op = OPERATIONS.find((o) => o.file.test(name));
  if (!op) return [];
  const ex = JSON.parse(readFileSync(path, 'utf8')) as Example;
  const body = ex.parameters.parameters ?? ex.parameters.contacts ?? ex.parameters.certificateUpdateParameters;
  const ifMatch = ex.parameters['If-Match'];
  return Object.entries(ex.responses)
    .filter(([status, res]) => !placeholder(Number(status), res.body))
    .map(([status, res]) => ({
    method: op.method,
    url: `${op.url(ex.parameters)}?api-version=${version}`,
    requestHeaders: {
      authorization: 'Bearer eyJ0eXAi.test.token',
      accept: 'application/json',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(typeof ifMatch === 'string' ? { 'if-match': ifMatch } : {}),
    },
    ...(body !== undefined ? { requestBody: body } : {}),
    status: Number(status),
    responseHeaders: {
      'content-type': 'application/json; charset=utf-8',
      ...Object.fromEntries(Object.entries(res.headers ?? {}).map(([k, v]) => [k, String(v)])),
      ...(op.id === 'Certificate_CreateOrUpdate' && res.headers?.ETag === undefined ? { etag: '"AAAAAAAAsIQ="' } : {}),
    },
    ...(res.body !== undefined ? { responseBody: res.body } : {}),
  }));
}

/**
 * The 2019-09-01 and 2021-10-01 access-policy examples list 400/404/409 as `{"headers": {}}` or with
 * `{"error": {"code": "", "message": ""}}`: placeholders that say the status is documented, not an answer any
 * service gave (no ARM error is body-less or code-less: the RPC's error contract requires both). They are left out.
 */
function placeholder(status: number, body: unknown): boolean {
  if (status < 400) return false;
  const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
  return body === undefined || code === '';
}

const files = examples(REFERENCE).filter((f) => OPERATIONS.some((o) => o.file.test(f.split('/').pop() ?? '')));

describe.skipIf(!present)('the reference examples of every version, judged at every api-version the kit claims', () => {
  it('finds the example files', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  for (const file of files) {
    const name = file.split('/').pop() ?? '';
    const op = OPERATIONS.find((o) => o.file.test(name));
    for (const version of VERSIONS.get(op?.id ?? '') ?? []) {
      it(`${relative(REFERENCE, file)} @ ${version}`, () => {
        const r = validateTraffic([{ file: 'reference.json', content: recording(calls(file, version)) }]);
        const findings = r.exchanges.flatMap((e) => e.findings.filter((f) => f.severity === 'violation').map((f) => `${e.status} ${f.check} ${f.instancePath ?? ''} ${f.message}`));
        expect(findings).toEqual([]);
        expect(r.exchanges.every((e) => e.result !== 'not-covered')).toBe(true);
      });
    }
  }
});
