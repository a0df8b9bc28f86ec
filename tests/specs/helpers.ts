/**
 * Helpers for the spec tests: read specs/**\/*.yaml independently of the generator (so the tests check the
 * generator too), find the generated validators of a spec, and assert AJV results precisely.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject } from 'ajv';
import { expect } from 'vitest';
import { parse } from 'yaml';
import { specs as generatedSpecs } from '../../generated/index.js';
import type { GeneratedSpec, OperationValidators, Validator } from '../../src/model/validators.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

type Obj = { [key: string]: unknown };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface ExampleSet {
  readonly [name: string]: unknown;
}
export interface SpecParam {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required: boolean;
  readonly examples: ExampleSet;
}
export interface SpecResponse {
  readonly status: string;
  readonly examples: ExampleSet;
  readonly headers: readonly { readonly name: string; readonly required: boolean; readonly examples: ExampleSet }[];
}
export interface SpecOperation {
  readonly id: string;
  readonly params: readonly SpecParam[];
  readonly bodyExamples?: ExampleSet;
  readonly responses: readonly SpecResponse[];
  /** Every example name used anywhere in the operation, sorted. */
  readonly scenarios: readonly string[];
}
export interface SpecFile {
  /** `specs/<service>/<api-version>.yaml` */
  readonly file: string;
  readonly service: string;
  readonly apiVersion: string;
  readonly operations: readonly SpecOperation[];
}

function listYaml(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listYaml(path.join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(dir, e.name)] : []))
    .sort();
}

/** Parse every spec and collect its named examples, following local `$ref`s. */
export function readSpecs(root = ROOT): SpecFile[] {
  // Overlays are not OpenAPI documents; the documents they make are (generated/<service>/<version>/openapi.yaml).
  const made = listYaml(path.join(root, 'generated')).filter((f) => path.basename(f) === 'openapi.yaml');
  return [...listYaml(path.join(root, 'specs')).filter((f) => !/\.overlay\.ya?ml$/.test(f)), ...made].map((abs) => {
    const file = path.relative(root, abs).split(path.sep).join('/');
    const doc = parse(readFileSync(abs, 'utf8')) as Obj;
    const deref = (node: unknown): Obj => {
      let n = node;
      for (let i = 0; i < 8 && isObj(n) && typeof n.$ref === 'string'; i++) {
        n = n.$ref
          .slice(2)
          .split('/')
          .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
          .reduce<unknown>((acc, k) => (isObj(acc) ? acc[k] : undefined), doc);
      }
      if (!isObj(n)) throw new Error(`${file}: cannot resolve ${JSON.stringify(node)}`);
      return n;
    };
    const examples = (holder: Obj | undefined): ExampleSet =>
      holder && isObj(holder.examples)
        ? Object.fromEntries(Object.entries(holder.examples).map(([name, ex]) => [name, deref(ex).value]))
        : {};
    const firstMedia = (holder: Obj): Obj | undefined =>
      isObj(holder.content) ? (Object.values(holder.content).find(isObj) as Obj | undefined) : undefined;

    const operations: SpecOperation[] = [];
    for (const rawItem of Object.values(doc.paths as Obj)) {
      const item = deref(rawItem);
      for (const method of ['get', 'put', 'post', 'patch', 'delete']) {
        const op = item[method];
        if (!isObj(op)) continue;
        const params = [...((item.parameters as unknown[]) ?? []), ...((op.parameters as unknown[]) ?? [])].map((raw) => {
          const p = deref(raw);
          return { name: String(p.name), in: p.in as SpecParam['in'], required: p.required === true, examples: examples(p) };
        });
        const body = op.requestBody === undefined ? undefined : examples(firstMedia(deref(op.requestBody)));
        const responses = Object.entries(isObj(op.responses) ? op.responses : {}).map(([status, raw]) => {
          const r = deref(raw);
          const headers = Object.entries(isObj(r.headers) ? r.headers : {}).map(([name, h]) => {
            const hh = deref(h);
            return { name, required: hh.required === true, examples: examples(hh) };
          });
          return { status, examples: examples(firstMedia(r)), headers };
        });
        const scenarios = new Set<string>([
          ...params.flatMap((p) => Object.keys(p.examples)),
          ...Object.keys(body ?? {}),
          ...responses.flatMap((r) => [...Object.keys(r.examples), ...r.headers.flatMap((h) => Object.keys(h.examples))]),
        ]);
        operations.push({
          id: String(op.operationId),
          params,
          ...(body ? { bodyExamples: body } : {}),
          responses,
          scenarios: [...scenarios].sort(),
        });
      }
    }
    const info = doc.info as Obj;
    return { file, service: String(info['x-azconform-service']), apiVersion: String(info.version), operations };
  });
}

export function generatedFor(service: string, apiVersion: string): GeneratedSpec {
  const spec = generatedSpecs.find((s) => s.model.service === service && s.model.apiVersion === apiVersion);
  if (!spec) throw new Error(`generated/ has no ${service} ${apiVersion}: run npm run generate`);
  return spec;
}

export function validatorsFor(service: string, apiVersion: string, operationId: string): OperationValidators {
  const v = generatedFor(service, apiVersion).validators[operationId];
  if (!v) throw new Error(`generated/ has no validators for ${operationId} ${apiVersion}`);
  return v;
}

/** The params document the generated params validator takes, for one scenario: `{path, query, header}`. */
export function paramsFor(params: readonly SpecParam[], scenario: string): { path: Obj; query: Obj; header: Obj } {
  const out = { path: {} as Obj, query: {} as Obj, header: {} as Obj };
  for (const p of params) {
    if (!(scenario in p.examples)) continue;
    const key = p.in === 'header' ? p.name.toLowerCase() : p.name;
    out[p.in][key] = p.examples[scenario];
  }
  return out;
}

/** Response headers of one scenario, lower-case names. */
export function headersFor(response: SpecResponse, scenario: string): Obj {
  return Object.fromEntries(
    response.headers.filter((h) => scenario in h.examples).map((h) => [h.name.toLowerCase(), h.examples[scenario]]),
  );
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.keyword} ${e.message ?? ''}`).join('; ');
}

export function expectValid(validator: Validator, data: unknown): void {
  const ok = validator(data);
  expect(ok, `expected valid, got: ${describeErrors(validator.errors)}`).toBe(true);
}

export interface ExpectedError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params?: { readonly [key: string]: unknown };
}

/** Rejected with the expected keyword at the expected place, and for nothing else (every error is there). */
export function expectInvalid(validator: Validator, data: unknown, expected: ExpectedError): void {
  const ok = validator(data);
  expect(ok, `expected ${expected.instancePath || '(root)'} ${expected.keyword} to be rejected`).toBe(false);
  const errors = validator.errors ?? [];
  expect(
    errors.some(
      (e) =>
        e.instancePath === expected.instancePath &&
        e.keyword === expected.keyword &&
        Object.entries(expected.params ?? {}).every(([k, v]) => (e.params as Obj)[k] === v),
    ),
    `expected ${expected.instancePath || '(root)'} ${expected.keyword}, got: ${describeErrors(errors)}`,
  ).toBe(true);
  expect(errors.map((e) => e.instancePath), `unexpected other errors: ${describeErrors(errors)}`).toEqual(
    errors.map(() => expected.instancePath),
  );
}

/** A deep copy of `base` with the value at a JSON pointer replaced (`undefined` deletes it). */
export function withValue<T>(base: T, pointer: string, value: unknown): T {
  const copy = structuredClone(base) as unknown;
  const keys = pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = keys.pop();
  if (last === undefined) return value as T;
  let node = copy as Obj;
  for (const k of keys) {
    if (!isObj(node[k]) && !Array.isArray(node[k])) node[k] = {};
    node = node[k] as Obj;
  }
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy as T;
}
