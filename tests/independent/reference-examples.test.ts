/**
 * Every example response in Azure's reference (its REST specs' example files, every version, gathered into
 * tests/fixtures/reference-examples.json by scripts/reference-examples.ts), replayed as recorded traffic and judged at every
 * api-version the kit has a spec for that operation.
 * These are Azure's own documented exchanges, written by people other than the kit's authors: none may be flagged.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOperations } from '../../src/model/registry.js';
import { validateTraffic } from '../../src/traffic/validate.js';
import { recording, type Call } from '../traffic/fixtures.js';
import { OPERATIONS, type Example } from './reference-operations.js';

/**
 * The example files, gathered once into the clone by `tsx scripts/reference-examples.ts` (Azure's MIT-licensed
 * azure-rest-api-specs examples, each under its path there), so the test needs nothing beside the checkout.
 */
const FIXTURE = join(import.meta.dirname, '../fixtures/reference-examples.json');
const gathered = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { readonly source: string; readonly examples: { readonly file: string; readonly example: Example }[] };

const VERSIONS = new Map<string, string[]>();
for (const o of loadOperations()) VERSIONS.set(o.id, [...(VERSIONS.get(o.id) ?? []), o.apiVersion]);

/** One call per documented response of the example, at the given api-version. */
function calls(path: string, ex: Example, version: string): Call[] {
  const name = path.split('/').pop() ?? '';
  const op = OPERATIONS.find((o) => o.file.test(name));
  if (!op) return [];
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

describe(`the reference examples of every version (${gathered.source}), judged at every api-version the kit claims`, () => {
  it('holds the example files of all four operations', () => {
    expect(gathered.examples.length).toBeGreaterThanOrEqual(15);
    for (const o of OPERATIONS) expect(gathered.examples.some((e) => o.file.test(e.file.split('/').pop() ?? '')), o.id).toBe(true);
  });

  for (const { file, example } of gathered.examples) {
    const name = file.split('/').pop() ?? '';
    const op = OPERATIONS.find((o) => o.file.test(name));
    for (const version of VERSIONS.get(op?.id ?? '') ?? []) {
      it(`${file} @ ${version}`, () => {
        const r = validateTraffic([{ file: 'reference.json', content: recording(calls(file, example, version)) }]);
        const findings = r.exchanges.flatMap((e) => e.findings.filter((f) => f.severity === 'violation').map((f) => `${e.status} ${f.check} ${f.instancePath ?? ''} ${f.message}`));
        expect(findings).toEqual([]);
        expect(r.exchanges.every((e) => e.result !== 'not-covered')).toBe(true);
      });
    }
  }
});
