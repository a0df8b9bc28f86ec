/** Grouping and merging spec files for one Prism (src/targets/merge.ts), on the real specs and on small ones. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadOperations, selectOperations, type Operation } from '../../src/model/registry.js';
import { groupParts, mergeSpecs, MergeError, pathsOverlap, type SpecPart } from '../../src/targets/merge.js';

const all = loadOperations();
const seeds = selectOperations(all, {}).selected;

function partsOf(ops: readonly Operation[]): SpecPart[] {
  const files = [...new Set(ops.map((o) => o.spec.file))];
  return files.map((file) => ({
    file,
    doc: parse(readFileSync(file, 'utf8')),
    paths: ops.filter((o) => o.spec.file === file).map((o) => o.model.path),
  }));
}

/** Every `$ref` in a document, with where it sits. */
function refs(v: unknown, at = '#', out: [string, string][] = []): [string, string][] {
  if (Array.isArray(v)) v.forEach((x, i) => refs(x, `${at}/${i}`, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string') out.push([at, x]);
      else refs(x, `${at}/${k}`, out);
    }
  }
  return out;
}

function resolvePointer(doc: unknown, ref: string): unknown {
  return ref
    .slice(2)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as { [k: string]: unknown })[key] : undefined), doc);
}

function doc(extra: { [k: string]: unknown } = {}, paths: { [p: string]: unknown } = { '/a': { get: { responses: { '200': { $ref: '#/components/responses/Ok' } } } } }): unknown {
  return {
    openapi: '3.1.0',
    info: { title: 't', version: '1', 'x-azconform-service': 's' },
    paths,
    components: {
      responses: { Ok: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } } },
      schemas: { Thing: { type: 'object', properties: { next: { $ref: '#/components/schemas/Thing' } }, 'x-ms-enum': { name: 'Thing' } } },
      securitySchemes: { auth: { type: 'oauth2', flows: { implicit: { authorizationUrl: 'https://x', scopes: { s: 'scope' } } } } },
    },
    ...extra,
  };
}

describe('pathsOverlap: could one request path match both templates (as Prism routes)', () => {
  it('compares fragment by fragment; templates match anything, literals only themselves', () => {
    expect(pathsOverlap('/certificates/contacts', '/certificates/{certificate-name}/{certificate-version}')).toBe(false);
    expect(pathsOverlap('/certificates/contacts', '/certificates/{name}')).toBe(true);
    expect(pathsOverlap('/certificates/{a}/{b}', '/certificates/{name}/{version}')).toBe(true);
    expect(pathsOverlap('/subscriptions/{s}/providers/Microsoft.KeyVault/vaults/{v}', '/subscriptions/{s}/providers/Microsoft.ApiManagement/service/{v}')).toBe(false);
    expect(pathsOverlap('/a/b', '/a/B')).toBe(false);
  });
});

describe('groupParts', () => {
  it('puts the four seed spec files into one group', () => {
    const groups = groupParts(partsOf(seeds));
    expect(groups).toHaveLength(1);
    expect(groups[0]?.map((p) => p.file).sort()).toEqual(['specs/apimanagement/2024-05-01.yaml', 'specs/keyvault-certificates/2025-07-01.yaml', 'specs/keyvault-certificates/7.4.yaml', 'specs/keyvault-management/2019-09-01.yaml']);
  });

  it('two api-versions of one operation (same path) go to different groups', () => {
    const two = ['7.4', '2025-07-01', '2019-09-01', '2024-11-01'];
    const twice = all.filter((o) => (o.id === 'UpdateCertificate' || o.id === 'Vaults_UpdateAccessPolicy') && two.includes(o.apiVersion));
    const groups = groupParts(partsOf(twice));
    expect(groups).toHaveLength(2);
    for (const g of groups) expect(g.map((p) => p.file.split('/')[1]).sort()).toEqual(['keyvault-certificates', 'keyvault-management']);
  });

  it('a file brings the other paths a request for its selected ones could match', () => {
    const a: SpecPart = { file: 'a.yaml', doc: doc({}, { '/x/{id}': {}, '/x/special': {}, '/y': {} }), paths: ['/x/{id}'] };
    const b: SpecPart = { file: 'b.yaml', doc: doc({}, { '/x/special': {}, '/z': {} }), paths: ['/z'] };
    const c: SpecPart = { file: 'c.yaml', doc: doc({}, { '/y': {} }), paths: ['/y'] };
    // a brings /x/{id} and /x/special (not /y): b's /z fits with it, c's /y too.
    expect(groupParts([a, b, c]).map((g) => g.map((p) => p.file))).toEqual([['a.yaml', 'b.yaml', 'c.yaml']]);
    const b2: SpecPart = { ...b, paths: ['/x/special'] };
    expect(groupParts([a, b2, c]).map((g) => g.map((p) => p.file))).toEqual([['a.yaml', 'c.yaml'], ['b.yaml']]);
  });
});

describe('mergeSpecs on the seed specs', () => {
  const parts = partsOf(seeds);
  const merged = mergeSpecs(parts) as { [k: string]: unknown } & { paths: { [p: string]: { [m: string]: { security?: unknown; operationId?: string } & { [k: string]: unknown } } }; components: { [t: string]: { [n: string]: unknown } } };

  it('is OpenAPI 3.1 with the selected operations and no top-level servers or security', () => {
    expect(merged['openapi']).toBe('3.1.0');
    expect(merged['servers']).toBeUndefined();
    expect(merged['security']).toBeUndefined();
    const ops = Object.values(merged.paths).flatMap((item) => Object.values(item).flatMap((o) => (o && typeof o === 'object' && 'operationId' in o ? [o.operationId] : [])));
    expect(ops.sort()).toEqual(['Certificate_CreateOrUpdate', 'SetCertificateContacts', 'UpdateCertificate', 'Vaults_UpdateAccessPolicy']);
    // Each file keeps its servers, on its own path items (Prism only reads them for ?__server=).
    expect(merged.paths['/certificates/contacts']?.['servers']).toEqual([expect.objectContaining({ url: '{vaultBaseUrl}' })]);
    expect(merged.paths[seeds.find((o) => o.id === 'Certificate_CreateOrUpdate')?.model.path as string]?.['servers']).toEqual([{ url: 'https://management.azure.com' }]);
  });

  it('every $ref resolves, to the renamed component of its own file', () => {
    const all = refs(merged);
    expect(all.length).toBeGreaterThan(50);
    for (const [at, ref] of all) {
      expect(resolvePointer(merged, ref), `${at} → ${ref}`).toBeDefined();
    }
    const contacts = merged.paths['/certificates/contacts']?.['put'] as { requestBody: { content: { [k: string]: { schema: { $ref: string } } } } };
    expect(contacts.requestBody.content['application/json']?.schema.$ref).toBe('#/components/schemas/keyvault-certificates_2025-07-01__Contacts');
    const update = merged.paths['/certificates/{certificate-name}/{certificate-version}']?.['patch'] as { requestBody: { content: { [k: string]: { schema: { $ref: string } } } } };
    expect(update.requestBody.content['application/json']?.schema.$ref).toBe('#/components/schemas/keyvault-certificates_7.4__CertificateUpdateParameters');
  });

  it('components keep their content (x-* included) under per-file names; security names the renamed schemes', () => {
    const source = parts.find((p) => p.file.endsWith('7.4.yaml'))?.doc as { components: { schemas: { [n: string]: unknown } } };
    const name = Object.keys(source.components.schemas).find((n) => JSON.stringify(source.components.schemas[n]).includes('x-ms-enum')) as string;
    const renamed = merged.components['schemas']?.[`keyvault-certificates_7.4__${name}`];
    expect(JSON.stringify(renamed).replace(/keyvault-certificates_7\.4__/g, '')).toEqual(JSON.stringify(source.components.schemas[name]));
    const schemes = Object.keys(merged.components['securitySchemes'] ?? {}).sort();
    expect(schemes).toEqual(['apimanagement_2024-05-01__azure_auth', 'keyvault-certificates_2025-07-01__OAuth2Auth', 'keyvault-certificates_7.4__OAuth2Auth', 'keyvault-management_2019-09-01__azure_auth']);
    expect(merged.paths['/certificates/contacts']?.['put']?.security).toEqual([{ 'keyvault-certificates_2025-07-01__OAuth2Auth': ['https://vault.azure.net/.default'] }]);
    expect(JSON.stringify(merged.paths)).toContain('x-azconform-rules');
  });

  it('keeps every file info, verbatim, in the merged info', () => {
    const info = merged['info'] as { 'x-azconform-merged': { file: string; info: unknown }[] };
    expect(info['x-azconform-merged'].map((m) => m.file)).toEqual(parts.map((p) => p.file));
    expect(info['x-azconform-merged'][0]?.info).toEqual((parts[0]?.doc as { info: unknown }).info);
  });

  it('the specs parse the same with the YAML parser Prism uses', () => {
    // Prism reads YAML with @stoplight/yaml; the merge reads it with `yaml`: they must agree on these files.
    const prismRequire = createRequire(createRequire(import.meta.url).resolve('@stoplight/prism-http'));
    const refParser = path.dirname(prismRequire.resolve('@stoplight/json-schema-ref-parser/package.json'));
    const stoplightYaml = createRequire(path.join(refParser, 'package.json'))('@stoplight/yaml') as { parse(s: string): unknown };
    for (const p of partsOf(all)) expect(JSON.parse(JSON.stringify(stoplightYaml.parse(readFileSync(p.file, 'utf8')))), p.file).toEqual(p.doc);
  });
});

describe('mergeSpecs on small documents', () => {
  it('moves a top-level security into operations that have none, renamed; keeps an operation’s own', () => {
    const a: SpecPart = {
      file: 'specs/a/1.yaml',
      doc: doc({ security: [{ auth: ['s'] }] }, { '/a': { get: { responses: {} }, put: { security: [], responses: {} } } }),
      paths: ['/a'],
    };
    const b: SpecPart = { file: 'specs/b/1.yaml', doc: doc({}, { '/b': { get: { security: [{ auth: [] }], responses: {} } } }), paths: ['/b'] };
    const m = mergeSpecs([a, b]) as { paths: { [p: string]: { [k: string]: { security?: unknown } } } };
    expect(m.paths['/a']?.['get']?.security).toEqual([{ a_1__auth: ['s'] }]);
    expect(m.paths['/a']?.['put']?.security).toEqual([]);
    expect(m.paths['/b']?.['get']?.security).toEqual([{ b_1__auth: [] }]);
    expect(m).not.toHaveProperty('security');
  });

  it('rewrites discriminator mappings and refs inside components', () => {
    const a: SpecPart = {
      file: 'specs/a/1.yaml',
      doc: doc({
        components: {
          schemas: {
            Pet: { oneOf: [{ $ref: '#/components/schemas/Cat' }], discriminator: { propertyName: 'kind', mapping: { cat: '#/components/schemas/Cat', dog: 'Dog' } } },
            Cat: { type: 'object' },
            Dog: { type: 'object' },
          },
        },
      }, { '/a': { get: { responses: {} } } }),
      paths: ['/a'],
    };
    const m = mergeSpecs([a]) as { components: { schemas: { [n: string]: { oneOf?: unknown; discriminator?: unknown } } } };
    expect(m.components.schemas['a_1__Pet']?.oneOf).toEqual([{ $ref: '#/components/schemas/a_1__Cat' }]);
    expect(m.components.schemas['a_1__Pet']?.discriminator).toEqual({ propertyName: 'kind', mapping: { cat: '#/components/schemas/a_1__Cat', dog: 'a_1__Dog' } });
  });

  it('refuses what it cannot carry over faithfully', () => {
    const bad = (extra: { [k: string]: unknown }, paths?: { [p: string]: unknown }): SpecPart => ({ file: 'specs/x/1.yaml', doc: doc(extra, paths), paths: Object.keys(paths ?? { '/a': 0 }) });
    const ok: SpecPart = { file: 'specs/ok/1.yaml', doc: doc({}, { '/ok': { get: { responses: {} } } }), paths: ['/ok'] };
    expect(() => mergeSpecs([bad({}, { '/a': { get: { responses: { '200': { $ref: 'other.yaml#/x' } } } } }), ok])).toThrow(MergeError);
    expect(() => mergeSpecs([bad({}, { '/a': { get: { responses: { '200': { $ref: '#/paths/~1b' } } } } }), ok])).toThrow(/points into paths/);
    expect(() => mergeSpecs([bad({}, { '/a': { get: { responses: { '200': { $ref: '#/components/responses/Nope' } } } } }), ok])).toThrow(/does not resolve/);
    expect(() => mergeSpecs([bad({ webhooks: {} }), ok])).toThrow(/webhooks/);
    expect(() => mergeSpecs([bad({ openapi: '3.0.3' }), ok])).toThrow(/3\.1/);
    expect(() => mergeSpecs([bad({ 'x-json-schema-faker': { locale: 'de' } }), ok])).toThrow(/x-json-schema-faker/);
    expect(() => mergeSpecs([bad({}, { '/a': { get: { security: [{ nope: [] }], responses: {} } } }), ok])).toThrow(/undefined scheme nope/);
    expect(() => mergeSpecs([bad({ components: { schemas: { A: { $id: 'https://x/a' } } } }), ok])).toThrow(/\$id/);
  });
});
