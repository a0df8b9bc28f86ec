/**
 * Versions that differ from another in a few facts are written as overlays: `specs/<service>/<version>.overlay.yaml`
 * names the version it extends (a spec or another overlay of the same folder), why, and the changes as JSON Patch
 * operations (RFC 6902: add, replace, remove). The generator materialises each into a plain OpenAPI 3.1 document,
 * `generated/<service>/<version>/openapi.yaml`, which Prism serves and the linter lints like any spec: one source
 * of truth per fact, no copied specs.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { SpecError, isObject, loadSpec, type OpenApiDoc } from './load-spec.js';

export const OVERLAY = /\.overlay\.ya?ml$/;

interface Patch {
  readonly op: 'add' | 'replace' | 'remove' | 'test';
  readonly path: string;
  readonly value?: unknown;
}

interface Overlay {
  readonly version: string;
  readonly extends: string;
  readonly description: string;
  readonly patches: readonly Patch[];
}

async function readOverlay(abs: string, file: string): Promise<Overlay> {
  let raw: unknown;
  try {
    raw = parse(await readFile(abs, 'utf8'));
  } catch (err) {
    throw new SpecError(file, `cannot read the overlay (${(err as Error).message.split('\n')[0]})`);
  }
  const o = isObject(raw) ? raw['x-azconform-overlay'] : undefined;
  if (!isObject(o) || typeof o.version !== 'string' || typeof o.extends !== 'string' || typeof o.description !== 'string') {
    throw new SpecError(file, 'an overlay is {x-azconform-overlay: {version, extends, description, patches}} (strings, and a list)');
  }
  const patches = Array.isArray(o.patches) ? o.patches : [];
  for (const p of patches) {
    if (!isObject(p) || !['add', 'replace', 'remove', 'test'].includes(String(p.op)) || typeof p.path !== 'string' || !p.path.startsWith('/') || (p.op !== 'remove' && !('value' in p))) {
      throw new SpecError(file, `a patch is {op: add|replace|remove|test, path: /json/pointer, value} (got ${JSON.stringify(p)})`);
    }
  }
  return { version: o.version, extends: o.extends, description: o.description, patches: patches as Patch[] };
}

const unescape = (s: string): string => s.replace(/~1/g, '/').replace(/~0/g, '~');

/** One RFC 6902 operation, on a copy's node in place; a path that does not resolve is the overlay's error. */
function applyPatch(doc: OpenApiDoc, p: Patch, file: string): void {
  const keys = p.path.slice(1).split('/').map(unescape);
  const last = keys.pop() as string;
  let parent: unknown = doc;
  for (const k of keys) parent = Array.isArray(parent) ? parent[Number(k)] : isObject(parent) ? parent[k] : undefined;
  const fail = (why: string): never => {
    throw new SpecError(file, `patch ${p.op} ${p.path}: ${why}`);
  };
  if (p.op === 'test') {
    // RFC 6902 test: an overlay that addresses a list item by index first names what it expects there, so a base
    // that gains or reorders items fails the build instead of patching the wrong item.
    const found: unknown = Array.isArray(parent) ? parent[Number(last)] : isObject(parent) ? parent[last] : undefined;
    if (JSON.stringify(found) !== JSON.stringify(p.value)) fail(`found ${JSON.stringify(found) ?? 'nothing'}, expected ${JSON.stringify(p.value)} (the base document changed: fix the overlay's index)`);
    return;
  }
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(i) || i < 0 || i > parent.length || (p.op !== 'add' && i >= parent.length)) fail('no such array index');
    if (p.op === 'add') parent.splice(i, 0, structuredClone(p.value));
    else if (p.op === 'replace') parent[i] = structuredClone(p.value);
    else parent.splice(i, 1);
    return;
  }
  if (!isObject(parent)) return fail('the parent does not exist');
  if (p.op !== 'add' && !(last in parent)) fail('nothing there to change');
  if (p.op === 'remove') delete parent[last];
  else parent[last] = structuredClone(p.value);
}

/** The api-version's own examples name the version: the derived document names its own. */
function renameVersion(doc: OpenApiDoc, from: string, to: string): void {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isObject(node)) return;
    if (node.name === 'api-version' && node.in === 'query' && isObject(node.examples)) {
      for (const ex of Object.values(node.examples)) if (isObject(ex) && ex.value === from) ex.value = to;
    }
    for (const v of Object.values(node)) visit(v);
  };
  visit(doc);
}

/**
 * The document an overlay describes: its base (a spec file of the folder, or another overlay, resolved the same
 * way), with info.version, info.description and the patches applied.
 */
export async function materialise(abs: string, file: string, seen: readonly string[] = []): Promise<OpenApiDoc> {
  if (seen.includes(abs)) throw new SpecError(file, `overlays extend each other in a circle (${[...seen, abs].map((f) => path.basename(f)).join(' → ')})`);
  const overlay = await readOverlay(abs, file);
  const dir = path.dirname(abs);
  const spec = path.join(dir, `${overlay.extends}.yaml`);
  const over = path.join(dir, `${overlay.extends}.overlay.yaml`);
  const baseFile = path.join(path.dirname(file), path.basename(spec));
  let base: OpenApiDoc;
  try {
    base = await loadSpec(spec, baseFile);
  } catch (err) {
    const missing = err instanceof SpecError && /cannot read/.test(err.message);
    if (!missing) throw err;
    base = await materialise(over, path.join(path.dirname(file), path.basename(over)), [...seen, abs]).catch((e: unknown) => {
      if (e instanceof SpecError && /cannot read the overlay/.test(e.message)) throw new SpecError(file, `extends ${overlay.extends}, which is neither a spec nor an overlay of this folder`);
      throw e;
    });
  }
  const doc = structuredClone(base);
  const info = doc.info as { [k: string]: unknown };
  renameVersion(doc, String(info.version), overlay.version);
  doc.info = { ...info, version: overlay.version, description: overlay.description };
  for (const p of overlay.patches) applyPatch(doc, p, file);
  return doc;
}
