/**
 * `npm run lint:specs` lints every specs/**\/*.yaml:
 *   1. as OpenAPI 3.1 with @redocly/openapi-core (the `recommended` ruleset, tuned in redocly.yaml), and
 *   2. against the project's own conventions (specs/README.md) that redocly cannot know about.
 * Problems are printed one per line as `file:line: severity [rule] message`.
 * Exit codes: 0 clean (warnings allowed), 1 at least one error, 2 a spec file cannot be read or parsed.
 * Runs offline: only local files are read; a remote `$ref` is reported, never fetched.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BaseResolver,
  ResolveError,
  createConfig,
  getLineColLocation,
  isAbsoluteUrl,
  lint,
  type Config,
  type NormalizedProblem,
  type Source,
} from '@redocly/openapi-core';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';

export type Severity = 'error' | 'warning';

export interface Problem {
  /** Relative to the project root, `/`-separated. */
  readonly file: string;
  readonly line?: number;
  readonly severity: Severity;
  /** `redocly/<rule>` or `azconform/<convention>`. */
  readonly rule: string;
  readonly message: string;
}

export interface LintResult {
  readonly files: readonly string[];
  readonly problems: readonly Problem[];
  /** Files that could not be read or parsed (exit code 2). */
  readonly unreadable: readonly string[];
  readonly exitCode: 0 | 1 | 2;
}

/**
 * Rule ids are `service.operation.rule` (specs/README.md), namespaced azure/keyvault/apimanagement. Digits are
 * allowed after the namespace: established ids such as keyvault.updateCertificate.x5t-thumbprint and
 * apimanagement.certificateCreateOrUpdate.pkcs12-opens carry them, and ids are stable forever.
 */
export const RULE_ID = /^(azure|keyvault|apimanagement)\.[A-Za-z0-9.-]+$/;
const RULE_APPLIES = new Set(['request', 'response', 'both']);
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
/** Keywords whose value maps names to schemas: a key named `enum` there is a property name, not a keyword. */
const NAME_MAPS = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas', 'schemas']);

type Obj = { [key: string]: unknown };
type Seg = string | number;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function formatProblem(p: Problem): string {
  return `${p.file}${p.line === undefined ? '' : `:${p.line}`}: ${p.severity} [${p.rule}] ${p.message}`;
}

/** Lint every spec under `<root>/specs`. Never throws for a problem in a spec: it is reported instead. */
export async function lintSpecs(root: string): Promise<LintResult> {
  const problems: Problem[] = [];
  const unreadable: string[] = [];
  const rel = (abs: string): string => path.relative(root, abs).split(path.sep).join('/');

  let files: string[];
  try {
    // Overlays are not OpenAPI documents: what they make is, under generated/ (npm run generate writes it).
    files = [...(await listSpecs(path.join(root, 'specs'))).filter((f) => !/\.overlay\.ya?ml$/.test(f)), ...(await madeByOverlays(root))];
  } catch (err) {
    const problem: Problem = { file: 'specs', severity: 'error', rule: 'azconform/read', message: `cannot list spec files (${(err as Error).message})` };
    return { files: [], problems: [problem], unreadable: ['specs'], exitCode: 2 };
  }
  if (files.length === 0) {
    const problem: Problem = { file: 'specs', severity: 'error', rule: 'azconform/read', message: 'no spec files (*.yaml) found' };
    return { files: [], problems: [problem], unreadable: ['specs'], exitCode: 2 };
  }

  const config = await redoclyConfig(root);
  const resolver = new OfflineResolver();
  for (const abs of files) {
    const file = rel(abs);
    let text: string;
    try {
      text = await readFile(abs, 'utf8');
    } catch (err) {
      problems.push({ file, severity: 'error', rule: 'azconform/read', message: `cannot read (${(err as Error).message})` });
      unreadable.push(file);
      continue;
    }
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
    const [first, ...more] = doc.errors;
    if (first) {
      // The first error only: the rest usually follow from it.
      const line = first.linePos?.[0].line;
      const message = first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? '';
      const tail = more.length > 0 ? ` (and ${more.length} more YAML error(s) after it)` : '';
      problems.push({ file, ...(line ? { line } : {}), severity: 'error', rule: 'azconform/yaml', message: `not valid YAML: ${message}${tail}` });
      unreadable.push(file);
      continue;
    }
    const spec: unknown = doc.toJS();
    if (!isObj(spec)) {
      problems.push({ file, line: 1, severity: 'error', rule: 'azconform/yaml', message: 'not an OpenAPI document (top level is not a mapping)' });
      unreadable.push(file);
      continue;
    }
    const lineOf = (at: readonly Seg[]): number | undefined => locate(doc, lineCounter, at);
    const report = (at: readonly Seg[], rule: string, message: string): void => {
      const line = lineOf(at);
      problems.push({ file, ...(line ? { line } : {}), severity: 'error', rule: `azconform/${rule}`, message });
    };
    checkConventions(file, spec, doc, report);

    try {
      for (const p of await lint({ ref: abs, config, externalRefResolver: resolver })) {
        if (!p.ignored) problems.push(fromRedocly(p, file, rel));
      }
    } catch (err) {
      problems.push({ file, severity: 'error', rule: 'redocly/crash', message: `redocly could not lint this file: ${(err as Error).message}` });
    }
  }

  const unique = [...new Map(problems.map((p) => [formatProblem(p), p])).values()];
  unique.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
  const exitCode = unreadable.length > 0 ? 2 : unique.some((p) => p.severity === 'error') ? 1 : 0;
  return { files: files.map(rel), problems: unique, unreadable, exitCode };
}

async function listSpecs(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listSpecs(p)));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

/** generated/<service>/<api-version>/openapi.yaml: the documents overlays made. */
async function madeByOverlays(root: string): Promise<string[]> {
  const dir = path.join(root, 'generated');
  const found = await listSpecs(dir).catch(() => []);
  return found.filter((f) => path.basename(f) === 'openapi.yaml');
}

/** `redocly.yaml` at the root when present, else the bare `recommended` ruleset. */
async function redoclyConfig(root: string): Promise<Config> {
  const configPath = path.join(root, 'redocly.yaml');
  const exists = await stat(configPath).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!exists) return createConfig({ extends: ['recommended'] });
  return createConfig(await readFile(configPath, 'utf8'), { configPath });
}

/** Resolves `$ref`s from disk only: the linter must never reach the network. */
class OfflineResolver extends BaseResolver {
  override async loadExternalRef(absoluteRef: string): Promise<Source> {
    if (isAbsoluteUrl(absoluteRef)) {
      throw new ResolveError(new Error(`remote $ref ${absoluteRef} is not fetched (specs use local $refs only)`));
    }
    return super.loadExternalRef(absoluteRef);
  }
}

function fromRedocly(p: NormalizedProblem, file: string, rel: (abs: string) => string): Problem {
  const loc = p.location[0];
  let line: number | undefined;
  let where = file;
  if (loc) {
    try {
      line = getLineColLocation(loc).start.line;
    } catch {
      line = undefined;
    }
    if (loc.source.absoluteRef && !isAbsoluteUrl(loc.source.absoluteRef)) where = rel(loc.source.absoluteRef);
  }
  return {
    file: where,
    ...(line ? { line } : {}),
    severity: p.severity === 'error' ? 'error' : 'warning',
    rule: `redocly/${p.ruleId}`,
    message: p.message,
  };
}

/** The line of the deepest existing node on `at` (a key's own line for mapping entries). */
function locate(doc: Document, lc: LineCounter, at: readonly Seg[]): number | undefined {
  const lineAt = (n: unknown): number | undefined => {
    const range = (n as { range?: [number, number, number] } | null)?.range;
    return range ? lc.linePos(range[0]).line : undefined;
  };
  let node: unknown = doc.contents;
  let line = lineAt(node);
  for (const seg of at) {
    if (isMap(node)) {
      const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(seg));
      if (!pair) break;
      line = lineAt(pair.key) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) break;
      line = lineAt(item) ?? line;
      node = item;
    } else {
      break;
    }
  }
  return line;
}

type Report = (at: readonly Seg[], rule: string, message: string) => void;

/** The conventions of specs/README.md that an OpenAPI linter cannot know. */
function checkConventions(file: string, spec: Obj, doc: Document, report: Report): void {
  const parts = file.split('/');
  // A spec file, or the document an overlay made (generated/<service>/<api-version>/openapi.yaml).
  const made = parts.length === 4 && parts[0] === 'generated' && parts[3] === 'openapi.yaml';
  const folder = (parts.length === 3 && parts[0] === 'specs') || made ? parts[1] : undefined;
  const apiVersion = made ? (parts[2] ?? '') : path.posix.basename(file).replace(/\.ya?ml$/, '');
  if (folder === undefined) report([], 'layout', 'a spec lives at specs/<service>/<api-version>.yaml');

  if (typeof spec.openapi !== 'string' || !/^3\.1\.\d+$/.test(spec.openapi)) {
    report(['openapi'], 'openapi-version', `openapi must be 3.1.x, found ${JSON.stringify(spec.openapi)}`);
  }

  // info.version is the api-version, always quoted; info.x-azconform-service is the folder.
  const info = isObj(spec.info) ? spec.info : {};
  const versionNode = doc.getIn(['info', 'version'], true);
  if (info.version === undefined) {
    report(['info'], 'info-version', `info.version is missing (it is the api-version, '${apiVersion}')`);
  } else if (!isScalar(versionNode) || (versionNode.type !== 'QUOTE_SINGLE' && versionNode.type !== 'QUOTE_DOUBLE')) {
    report(['info', 'version'], 'info-version', `info.version must be a quoted string ('${apiVersion}'), found ${JSON.stringify(info.version)} unquoted`);
  } else if (info.version !== apiVersion) {
    report(['info', 'version'], 'info-version', `info.version ${JSON.stringify(info.version)} differs from the file name's api-version '${apiVersion}'`);
  }
  const service = info['x-azconform-service'];
  if (typeof service !== 'string') {
    report(['info'], 'info-service', `info.x-azconform-service is missing (it is the folder name${folder ? `, '${folder}'` : ''})`);
  } else if (folder !== undefined && service !== folder) {
    report(['info', 'x-azconform-service'], 'info-service', `info.x-azconform-service '${service}' differs from the folder '${folder}'`);
  }

  walk(spec, [], report);
  checkOperations(spec, report);
}

/**
 * Everything found by walking the document: local $refs only, every enum with x-ms-enum, well-formed
 * x-azconform-rules, and patterns that compile as Unicode regular expressions. Example values are data and are
 * not walked.
 */
function walk(node: unknown, at: Seg[], report: Report): void {
  if (Array.isArray(node)) {
    node.forEach((n, i) => walk(n, [...at, i], report));
    return;
  }
  if (!isObj(node)) return;
  const ownKey = at[at.length - 1];
  const parentKey = at[at.length - 2];
  const isNameMap = typeof ownKey === 'string' && NAME_MAPS.has(ownKey) && parentKey !== 'properties';

  if (!isNameMap) {
    if (typeof node.$ref === 'string' && !node.$ref.startsWith('#/')) {
      report([...at, '$ref'], 'local-refs', `only local $refs (#/components/...) are allowed, found ${node.$ref}`);
    }
    if (Array.isArray(node.enum) && at[0] !== 'servers') checkEnum(node, at, report);
    if (typeof node.pattern === 'string') checkPattern(node.pattern, [...at, 'pattern'], report);
    if (node['x-azconform-rules'] !== undefined) checkRules(node['x-azconform-rules'], [...at, 'x-azconform-rules'], report);
  }
  if (ownKey === 'patternProperties') {
    for (const key of Object.keys(node)) checkPattern(key, [...at, key], report);
  }

  for (const [key, value] of Object.entries(node)) {
    if (isNameMap) {
      walk(value, [...at, key], report);
      continue;
    }
    if (key.startsWith('x-')) continue; // extension values are not schemas (x-azconform-rules is checked above)
    if (key === 'example' || key === 'enum' || key === 'const') continue; // data
    if (key === 'examples' && Array.isArray(value)) continue; // a schema's examples: data
    if (key === 'value' && at[at.length - 2] === 'examples') continue; // an Example Object's value: data
    if (key === 'default' && ownKey !== 'responses') continue; // a schema default (data), not the default response
    walk(value, [...at, key], report);
  }
}

function checkEnum(schema: Obj, at: Seg[], report: Report): void {
  const xms = schema['x-ms-enum'];
  if (!isObj(xms)) {
    report([...at, 'enum'], 'x-ms-enum', 'every enum carries x-ms-enum: {name, modelAsString} (modelAsString true = open enum)');
    return;
  }
  if (typeof xms.name !== 'string' || xms.name === '') {
    report([...at, 'x-ms-enum'], 'x-ms-enum', 'x-ms-enum.name is missing');
  }
  if (typeof xms.modelAsString !== 'boolean') {
    report([...at, 'x-ms-enum'], 'x-ms-enum', 'x-ms-enum.modelAsString must be true (open enum) or false (closed enum)');
  }
}

function checkPattern(pattern: string, at: Seg[], report: Report): void {
  try {
    new RegExp(pattern, 'u');
  } catch (err) {
    report(at, 'pattern', `pattern ${JSON.stringify(pattern)} does not compile with the u flag: ${(err as Error).message}`);
  }
}

function checkRules(list: unknown, at: Seg[], report: Report): void {
  if (!Array.isArray(list)) {
    report(at, 'rules', 'x-azconform-rules must be a list of {id, says, applies, source}');
    return;
  }
  const seen = new Set<string>();
  list.forEach((entry: unknown, i) => {
    const here = [...at, i];
    if (!isObj(entry)) {
      report(here, 'rules', 'an x-azconform-rules entry must be a mapping {id, says, applies, source}');
      return;
    }
    for (const key of ['id', 'says', 'applies', 'source']) {
      if (typeof entry[key] !== 'string' || (entry[key] as string).trim() === '') {
        report(here, 'rules', `x-azconform-rules entry ${typeof entry.id === 'string' ? `${entry.id} ` : ''}needs a non-empty ${key}`);
      }
    }
    if (typeof entry.id === 'string') {
      if (!RULE_ID.test(entry.id)) report([...here, 'id'], 'rules', `rule id ${JSON.stringify(entry.id)} does not match ${RULE_ID.source}`);
      if (seen.has(entry.id)) report([...here, 'id'], 'rules', `rule id ${entry.id} is listed twice here`);
      seen.add(entry.id);
    }
    if (typeof entry.applies === 'string' && !RULE_APPLIES.has(entry.applies)) {
      report([...here, 'applies'], 'rules', `applies must be request, response or both, found ${JSON.stringify(entry.applies)}`);
    }
    const extra = Object.keys(entry).filter((k) => !['id', 'says', 'applies', 'source'].includes(k));
    if (extra.length > 0) report(here, 'rules', `unknown key(s) in an x-azconform-rules entry: ${extra.join(', ')}`);
  });
}

/** Per operation: the api-version query parameter, security, and scenario names shared across the parts. */
function checkOperations(spec: Obj, report: Report): void {
  const deref = (n: unknown): unknown => {
    let cur = n;
    for (let i = 0; i < 8 && isObj(cur) && typeof cur.$ref === 'string' && cur.$ref.startsWith('#/'); i++) {
      cur = cur.$ref
        .slice(2)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce<unknown>((acc, k) => (isObj(acc) ? acc[k] : undefined), spec);
    }
    return cur;
  };
  const names = (holder: unknown): string[] => {
    const ex = isObj(holder) ? holder.examples : undefined;
    return isObj(ex) ? Object.keys(ex) : [];
  };
  const paths = isObj(spec.paths) ? spec.paths : {};
  const rootSecurity = Array.isArray(spec.security) && spec.security.length > 0;

  for (const [p, rawItem] of Object.entries(paths)) {
    const item = deref(rawItem);
    if (!isObj(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObj(op)) continue;
      const at = ['paths', p, method];
      const id = typeof op.operationId === 'string' ? op.operationId : `${method.toUpperCase()} ${p}`;
      const params = [
        ...(Array.isArray(item.parameters) ? item.parameters : []),
        ...(Array.isArray(op.parameters) ? op.parameters : []),
      ]
        .map(deref)
        .filter(isObj);

      const apiVersion = params.find((q) => q.name === 'api-version' && q.in === 'query');
      if (!apiVersion) {
        report(at, 'api-version', `${id}: the api-version query parameter is missing (required on every operation)`);
      } else {
        if (apiVersion.required !== true) report(at, 'api-version', `${id}: the api-version query parameter must be required: true`);
        const schema = deref(apiVersion.schema);
        if (!isObj(schema) || schema.type !== 'string' || typeof schema.minLength !== 'number' || schema.minLength < 1) {
          report(at, 'api-version', `${id}: the api-version schema must be {type: string, minLength: 1}`);
        }
      }

      if (!(Array.isArray(op.security) ? op.security.length > 0 : rootSecurity)) {
        report(at, 'security', `${id}: every operation requires its oauth2 security scheme`);
      }

      // One name per scenario, shared across the parts: a scenario the request uses must be complete.
      const body = deref(op.requestBody);
      const bodyMedia = isObj(body) && isObj(body.content) ? Object.values(body.content)[0] : undefined;
      const responses = isObj(op.responses) ? Object.values(op.responses).map(deref) : [];
      const responseNames = new Set(
        responses.flatMap((r) => (isObj(r) && isObj(r.content) ? Object.values(r.content).flatMap(names) : [])),
      );
      const scenarios = new Set([...params.flatMap(names), ...names(bodyMedia), ...responseNames]);
      for (const scenario of [...scenarios].sort()) {
        for (const q of params.filter((x) => x.required === true)) {
          if (!names(q).includes(scenario)) {
            report(at, 'scenarios', `${id}: scenario ${scenario} has no example for the required ${String(q.in)} parameter ${String(q.name)}`);
          }
        }
        if (isObj(body) && body.required === true && isObj(bodyMedia) && !names(bodyMedia).includes(scenario)) {
          report(at, 'scenarios', `${id}: scenario ${scenario} has no request body example`);
        }
        if (!responseNames.has(scenario)) report(at, 'scenarios', `${id}: scenario ${scenario} has no response example`);
      }
    }
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  const result = await lintSpecs(process.cwd());
  for (const p of result.problems) console.error(formatProblem(p));
  const errors = result.problems.filter((p) => p.severity === 'error').length;
  const warnings = result.problems.length - errors;
  const summary = `lint:specs: ${result.files.length} file(s), ${errors} error(s), ${warnings} warning(s) in ${Date.now() - started} ms`;
  if (result.exitCode === 0) console.log(summary);
  else console.error(summary);
  return result.exitCode;
}

const invoked = process.argv[1] ? path.resolve(process.argv[1]) : '';
if (invoked === fileURLToPath(import.meta.url)) {
  process.exitCode = await main().catch((err: unknown) => {
    console.error(`lint:specs: ${(err as Error).message}`);
    return 2;
  });
}
