/**
 * Serve several spec files from one Prism process: group the spec files so that no two files of a group have
 * paths a request could match in both, and merge each group into one OpenAPI 3.1 document.
 *
 * Prism routes a request by path first (a concrete path beats a templated one), then by method; servers only
 * count when a request names one with `?__server=`. So a merged document answers every request for an operation
 * exactly as the operation's own file did, as long as
 * - each file brings the paths of its selected operations plus every other path of the file a request for them
 *   could also match (the per-file Prism had them too: same 404/405/concrete-over-templated routing), and
 * - no path one file brings could match a request that a path of another file of the group matches;
 * - every component keeps its content under a per-file name (`<prefix><name>`) and every `$ref` to it is
 *   rewritten (also inside components, examples and x-* values: Prism's ref parser dereferences all of them);
 * - security requirements (they name schemes by key, not by `$ref`) use the renamed keys, and a file's top-level
 *   `security` moves into each of its operations that declare none (the merged document has no top-level one);
 * - a file's top-level `servers` move onto each of its path items that declare none.
 * Anything the merge cannot carry over faithfully (external or non-component refs, `$id`/`$anchor`, webhooks,
 * differing top-level extensions, …) throws a MergeError: the caller then starts one Prism per file instead.
 */
import { isDeepStrictEqual } from 'node:util';

/** Why a set of spec files cannot be served as one merged document. */
export class MergeError extends Error {}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** One spec file and the paths (keys of `paths`) of the operations selected from it. */
export interface SpecPart {
  /** The file name as the user knows it (relative to the project root), for messages and the merged info. */
  readonly file: string;
  /** The parsed document. */
  readonly doc: unknown;
  /** Paths of the selected operations (as written under `paths`). */
  readonly paths: readonly string[];
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const COMPONENT_TYPES = ['schemas', 'responses', 'parameters', 'examples', 'requestBodies', 'headers', 'securitySchemes', 'links', 'callbacks', 'pathItems'];
const TOP_LEVEL = new Set(['openapi', 'info', 'servers', 'tags', 'paths', 'components', 'security', 'externalDocs']);
/** JSON Schema keywords that make a schema's meaning depend on its place in a document. */
const PLACE_BOUND = new Set(['$id', '$anchor', '$dynamicRef', '$dynamicAnchor']);

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isTemplated(fragment: string): boolean {
  return /{(.+)}/.test(fragment);
}

/**
 * Could one request path match both path templates? Prism splits on `/` and compares fragment by fragment
 * (same count; a literal fragment only matches itself, case-sensitively); any templated fragment may match
 * anything, so it counts as overlapping (conservative).
 */
export function pathsOverlap(a: string, b: string): boolean {
  const fa = a.split('/');
  const fb = b.split('/');
  if (fa.length !== fb.length) return false;
  return fa.every((x, i) => {
    const y = fb[i] as string;
    return x === y || isTemplated(x) || isTemplated(y);
  });
}

function pathsOf(doc: unknown, file: string): JsonObject {
  if (!isObject(doc)) throw new MergeError(`${file} is not an OpenAPI document (not an object)`);
  const paths = doc['paths'];
  if (!isObject(paths)) throw new MergeError(`${file} has no paths object`);
  return paths;
}

/** The paths a part brings: its selected ones plus every other path of its file a request for them could match. */
export function pathsBrought(part: SpecPart): string[] {
  const all = Object.keys(pathsOf(part.doc, part.file));
  for (const p of part.paths) if (!all.includes(p)) throw new MergeError(`${part.file} has no path ${p}`);
  return all.filter((p) => part.paths.includes(p) || part.paths.some((s) => pathsOverlap(p, s)));
}

/**
 * First-fit grouping: each part joins the first group none of whose paths could match a request one of its
 * paths matches; otherwise it opens a new group. Order is kept (the first part's group first).
 */
export function groupParts<P extends SpecPart>(parts: readonly P[]): P[][] {
  const groups: { parts: P[]; paths: string[] }[] = [];
  for (const part of parts) {
    const mine = pathsBrought(part);
    const fit = groups.find((g) => !g.paths.some((p) => mine.some((m) => pathsOverlap(p, m))));
    if (fit) {
      fit.parts.push(part);
      fit.paths.push(...mine);
    } else groups.push({ parts: [part], paths: [...mine] });
  }
  return groups.map((g) => g.parts);
}

/** A component-name prefix for a file: `specs/keyvault-certificates/7.4.yaml` → `keyvault-certificates_7.4__`. */
export function prefixFor(file: string, taken: ReadonlySet<string>): string {
  const base = file
    .replace(/^specs\//, '')
    .replace(/\.(ya?ml|json)$/i, '')
    .replace(/[^A-Za-z0-9.-]+/g, '_');
  let prefix = `${base}__`;
  for (let i = 2; taken.has(prefix); i++) prefix = `${base}_${i}__`;
  return prefix;
}

/** JSON pointer segment escaping (RFC 6901). */
function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Rewrites one file's refs and security requirement keys to the renamed components. */
class Renamer {
  constructor(
    private readonly file: string,
    private readonly prefix: string,
    private readonly components: JsonObject,
  ) {}

  ref(ref: string): string {
    const m = /^#\/components\/([^/]+)\/([^/]+)(\/.*)?$/.exec(ref);
    if (!m) {
      if (ref.startsWith('#/paths/')) throw new MergeError(`${this.file}: $ref ${ref} points into paths`);
      throw new MergeError(`${this.file}: $ref ${ref} is not a local component reference`);
    }
    const [, type, name, rest] = m as unknown as [string, string, string, string | undefined];
    if (!COMPONENT_TYPES.includes(type)) throw new MergeError(`${this.file}: $ref ${ref}: unknown component type ${type}`);
    // A dangling ref fails here rather than in Prism: the files are then started alone, and Prism names the file.
    const target = `${name}${rest ?? ''}`
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<Json | undefined>((node, key) => (isObject(node) ? node[key] : Array.isArray(node) ? node[Number(key)] : undefined), this.components[type]);
    if (target === undefined) throw new MergeError(`${this.file}: $ref ${ref} does not resolve`);
    return `#/components/${type}/${escapePointer(this.prefix)}${name}${rest ?? ''}`;
  }

  scheme(key: string): string {
    const schemes = this.components['securitySchemes'];
    if (!isObject(schemes) || !(key in schemes)) throw new MergeError(`${this.file}: security requirement names an undefined scheme ${key}`);
    return `${this.prefix}${key}`;
  }

  security(requirements: Json): Json {
    if (!Array.isArray(requirements)) throw new MergeError(`${this.file}: security is not a list`);
    return requirements.map((req) => {
      if (!isObject(req)) throw new MergeError(`${this.file}: a security requirement is not an object`);
      return Object.fromEntries(Object.entries(req).map(([k, v]) => [this.scheme(k), v]));
    });
  }

  /** A deep copy with every `$ref` rewritten (and `discriminator.mapping` targets). */
  refs(value: Json): Json {
    if (Array.isArray(value)) return value.map((v) => this.refs(v));
    if (!isObject(value)) return value;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out[k] = this.ref(v);
      else if (PLACE_BOUND.has(k) && typeof v === 'string') throw new MergeError(`${this.file}: ${k} (${v}) cannot be moved into another document`);
      else if (k === 'discriminator' && isObject(v) && isObject(v['mapping'])) {
        const mapping = Object.fromEntries(
          Object.entries(v['mapping']).map(([name, target]) => {
            if (typeof target !== 'string') return [name, target];
            if (target.startsWith('#')) return [name, this.ref(target)];
            if (target.includes('/')) throw new MergeError(`${this.file}: discriminator mapping ${target} is not local`);
            return [name, `${this.prefix}${target}`];
          }),
        );
        out[k] = { ...(this.refs(v) as JsonObject), mapping };
      } else out[k] = this.refs(v);
    }
    return out;
  }
}

/** The merged document of a group of parts (see the module comment for what is carried over and how). */
export function mergeSpecs(parts: readonly SpecPart[]): JsonObject {
  if (parts.length === 0) throw new MergeError('nothing to merge');
  const docs = parts.map((p) => {
    if (!isObject(p.doc)) throw new MergeError(`${p.file} is not an OpenAPI document (not an object)`);
    return p.doc;
  });
  const versions = docs.map((d, i) => {
    const v = d['openapi'];
    if (typeof v !== 'string' || !/^3\.1\.\d+$/.test(v)) throw new MergeError(`${parts[i]?.file}: openapi ${String(v)} is not 3.1.x`);
    return v;
  });
  docs.forEach((d, i) => {
    for (const k of Object.keys(d)) {
      if (!k.startsWith('x-') && !TOP_LEVEL.has(k)) throw new MergeError(`${parts[i]?.file}: top-level ${k} cannot be merged`);
    }
  });
  // Top-level extensions may steer Prism (x-json-schema-faker): they must agree across the group.
  const extensions: JsonObject = {};
  const extKeys = new Set(docs.flatMap((d) => Object.keys(d).filter((k) => k.startsWith('x-'))));
  for (const k of extKeys) {
    const values = docs.map((d) => d[k]);
    if (!values.every((v) => isDeepStrictEqual(v, values[0]))) throw new MergeError(`top-level ${k} differs between ${parts.map((p) => p.file).join(', ')}`);
    extensions[k] = values[0] as Json;
  }

  const paths: JsonObject = {};
  const components: { [type: string]: JsonObject } = {};
  const tags: JsonObject[] = [];
  const taken = new Set<string>();
  const merged: JsonObject[] = [];
  parts.forEach((part, i) => {
    const doc = docs[i] as JsonObject;
    const prefix = prefixFor(part.file, taken);
    taken.add(prefix);
    const own = isObject(doc['components']) ? doc['components'] : {};
    const r = new Renamer(part.file, prefix, own);

    for (const [type, entries] of Object.entries(own)) {
      if (type.startsWith('x-')) continue;
      if (!COMPONENT_TYPES.includes(type)) throw new MergeError(`${part.file}: unknown component type ${type}`);
      if (!isObject(entries)) throw new MergeError(`${part.file}: components.${type} is not an object`);
      const into = (components[type] ??= {});
      for (const [name, value] of Object.entries(entries)) {
        const renamed = `${prefix}${name}`;
        if (renamed in into) throw new MergeError(`component ${type}.${renamed} twice`);
        into[renamed] = r.refs(value);
      }
    }

    const topSecurity = doc['security'];
    const topServers = doc['servers'];
    const docPaths = pathsOf(doc, part.file);
    for (const p of pathsBrought(part)) {
      if (p in paths) throw new MergeError(`path ${p} in two files of one group`);
      const item = r.refs(docPaths[p] as Json);
      if (!isObject(item)) throw new MergeError(`${part.file}: path ${p} is not an object`);
      if ('$ref' in item) throw new MergeError(`${part.file}: path ${p} is a $ref`);
      for (const method of HTTP_METHODS) {
        const op = item[method];
        if (!isObject(op)) continue;
        if (op['callbacks'] !== undefined) throw new MergeError(`${part.file}: ${method.toUpperCase()} ${p} has callbacks`);
        if (op['security'] !== undefined) op['security'] = r.security(op['security']);
        else if (topSecurity !== undefined) op['security'] = r.security(topSecurity);
      }
      if (item['servers'] === undefined && topServers !== undefined) item['servers'] = r.refs(topServers);
      paths[p] = item;
    }

    if (Array.isArray(doc['tags'])) {
      for (const tag of doc['tags']) {
        if (!isObject(tag)) continue;
        const same = tags.find((t) => t['name'] === tag['name']);
        if (!same) tags.push(tag);
        // A tag named twice with different text keeps the first description: tags do not change any answer.
      }
    }
    merged.push({ file: part.file, openapi: versions[i] as string, info: (doc['info'] ?? null) as Json, ...(doc['externalDocs'] ? { externalDocs: doc['externalDocs'] } : {}) });
  });

  const openapi = [...versions].sort().at(-1) as string;
  return {
    openapi,
    info: {
      title: `azconform merged mock: ${parts.map((p) => p.file).join(', ')}`,
      version: 'merged',
      description: 'Written at run time by azconform (src/targets/merge.ts) for one embedded Prism process; not a spec.',
      'x-azconform-merged': merged,
    },
    ...(tags.length > 0 ? { tags } : {}),
    paths,
    components,
    ...extensions,
  };
}
