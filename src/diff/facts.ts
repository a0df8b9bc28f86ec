/**
 * One operation of an OpenAPI 3.1 document flattened into facts: location → what the document says there (type,
 * enum, bounds, required, readOnly, …). Two versions' facts are compared key by key (src/diff/compare.ts), so the
 * walk is the only place that knows OpenAPI's shape. Locations: `request /policy/lifetime_actions/[]/trigger`,
 * `response 200 /id`, `parameter path operationKind`, `status 201`, `header 200 ETag`, `rule <id>`.
 */
export type Json = { readonly [k: string]: unknown };
const obj = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);

export type Side = 'request' | 'response' | 'parameter' | 'status' | 'header' | 'rule';

export interface Fact {
  readonly side: Side;
  readonly location: string;
  readonly type?: string;
  readonly enum?: readonly string[];
  /** A modelAsString enum: clients must tolerate values outside it. */
  readonly openEnum?: boolean;
  readonly required?: boolean;
  readonly readOnly?: boolean;
  readonly bounds: { readonly [keyword: string]: number };
  readonly pattern?: string;
  readonly format?: string;
  /** For a rule: its `says`, and which side it constrains. */
  readonly says?: string;
  readonly applies?: string;
}

/** Numeric keywords, each with the direction that makes it looser. */
export const BOUNDS: { readonly [keyword: string]: 'up' | 'down' } = {
  maximum: 'up', exclusiveMaximum: 'up', maxLength: 'up', maxItems: 'up', maxProperties: 'up',
  minimum: 'down', exclusiveMinimum: 'down', minLength: 'down', minItems: 'down', minProperties: 'down',
};

/** The whole document, for `$ref: '#/components/...'` (the specs' convention: local refs only). */
function resolver(doc: Json): (s: unknown) => Json | undefined {
  return (s) => {
    let cur = obj(s);
    for (let i = 0; i < 20 && cur && typeof cur.$ref === 'string'; i++) {
      cur = obj(cur.$ref.replace(/^#\//, '').split('/').reduce<unknown>((o, k) => obj(o)?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc));
    }
    return cur;
  };
}

/** allOf members merged into one node (properties and required lists united). */
function merged(node: Json, deref: (s: unknown) => Json | undefined): Json {
  const parts = Array.isArray(node.allOf) ? node.allOf.map(deref).filter((p): p is Json => p !== undefined).map((p) => merged(p, deref)) : [];
  if (parts.length === 0) return node;
  const props = Object.assign({}, ...parts.map((p) => obj(p.properties) ?? {}), obj(node.properties) ?? {}) as Json;
  const required = [...parts.flatMap((p) => (Array.isArray(p.required) ? p.required : [])), ...(Array.isArray(node.required) ? node.required : [])];
  return { ...Object.assign({}, ...parts), ...node, properties: props, required };
}

function fact(side: Side, location: string, node: Json, required: boolean | undefined): Fact {
  const bounds: { [k: string]: number } = {};
  for (const k of Object.keys(BOUNDS)) if (typeof node[k] === 'number') bounds[k] = node[k];
  const type = Array.isArray(node.type) ? node.type.join('|') : typeof node.type === 'string' ? node.type : undefined;
  const ms = obj(node['x-ms-enum']);
  return {
    side,
    location,
    ...(type ? { type } : {}),
    ...(Array.isArray(node.enum) ? { enum: node.enum.map(String), openEnum: ms?.modelAsString === true } : {}),
    ...(required !== undefined ? { required } : {}),
    ...(node.readOnly === true ? { readOnly: true } : {}),
    bounds,
    ...(typeof node.pattern === 'string' ? { pattern: node.pattern } : {}),
    ...(typeof node.format === 'string' ? { format: node.format } : {}),
  };
}

/** Every location of a schema, depth-first; a $ref met again on its own path stops (recursive models). */
function walk(side: Side, prefix: string, schema: unknown, deref: (s: unknown) => Json | undefined, out: Fact[], required?: boolean, seen: readonly string[] = []): void {
  const ref = typeof obj(schema)?.$ref === 'string' ? (obj(schema)?.$ref as string) : undefined;
  if (ref && seen.includes(ref)) return;
  const raw = deref(schema);
  if (!raw) return;
  const node = merged(raw, deref);
  const path = ref ? [...seen, ref] : seen;
  out.push(fact(side, prefix === '' || prefix.endsWith(' ') ? `${prefix}/` : prefix, node, required));
  const req = new Set(Array.isArray(node.required) ? node.required.map(String) : []);
  for (const [name, sub] of Object.entries(obj(node.properties) ?? {})) walk(side, `${prefix}/${name}`, sub, deref, out, req.has(name), path);
  if (node.items !== undefined) walk(side, `${prefix}/[]`, node.items, deref, out, undefined, path);
  if (obj(node.additionalProperties)) walk(side, `${prefix}/{}`, node.additionalProperties, deref, out, undefined, path);
}

/** The operation with that operationId: its path item's parameters and its own. */
function findOperation(doc: Json, operationId: string): { op: Json; shared: readonly unknown[] } | undefined {
  for (const item of Object.values(obj(doc.paths) ?? {})) {
    for (const [method, op] of Object.entries(obj(item) ?? {})) {
      if (method !== 'parameters' && obj(op)?.operationId === operationId) return { op: obj(op) as Json, shared: (obj(item)?.parameters as unknown[] | undefined) ?? [] };
    }
  }
  return undefined;
}

/** Rules (`x-azconform-rules`) anywhere in the operation or the schemas it reaches. */
function rules(node: unknown, deref: (s: unknown) => Json | undefined, out: Map<string, Json>, seen = new Set<unknown>()): void {
  if (seen.has(node) || typeof node !== 'object' || node === null) return;
  seen.add(node);
  if (Array.isArray(node)) return node.forEach((n) => rules(n, deref, out, seen));
  const o = node as Json;
  for (const r of Array.isArray(o['x-azconform-rules']) ? o['x-azconform-rules'] : []) if (typeof obj(r)?.id === 'string') out.set(obj(r)?.id as string, obj(r) as Json);
  if (typeof o.$ref === 'string') rules(deref(o), deref, out, seen);
  for (const [k, v] of Object.entries(o)) if (k !== 'examples' && k !== 'x-azconform-rules') rules(v, deref, out, seen);
}

export function operationFacts(doc: Json, operationId: string): Fact[] | undefined {
  const found = findOperation(doc, operationId);
  if (!found) return undefined;
  const deref = resolver(doc);
  const out: Fact[] = [];
  const params = new Map<string, Json>();
  for (const p of [...found.shared, ...((found.op.parameters as unknown[] | undefined) ?? [])]) {
    const param = deref(p);
    if (param && typeof param.name === 'string') params.set(`${String(param.in)} ${param.name}`, param);
  }
  for (const [key, p] of params) {
    // api-version's value is the document's own version: its example changes every time, its contract does not.
    out.push(fact('parameter', key, deref(p.schema) ?? {}, p.required === true));
  }
  const body = deref(found.op.requestBody);
  const bodySchema = obj(obj(obj(body?.content)?.['application/json'])?.schema);
  if (bodySchema) walk('request', '', bodySchema, deref, out, body?.required === true);
  for (const [status, r] of Object.entries(obj(found.op.responses) ?? {})) {
    const res = deref(r);
    out.push(fact('status', status, {}, undefined));
    for (const [name, h] of Object.entries(obj(res?.headers) ?? {})) {
      const header = deref(h);
      out.push(fact('header', `${status} ${name}`, deref(header?.schema) ?? {}, header?.required === true));
    }
    const schema = Object.values(obj(res?.content) ?? {}).map((c) => obj(c)?.schema)[0];
    if (schema) walk('response', `${status} `, schema, deref, out);
  }
  const found2 = new Map<string, Json>();
  rules(found.op, deref, found2);
  for (const [id, r] of found2) out.push({ side: 'rule', location: id, bounds: {}, says: String(r.says ?? ''), applies: String(r.applies ?? 'request') });
  return out;
}
