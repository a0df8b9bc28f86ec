/**
 * A flat view of an OpenAPI 3.1 / JSON Schema subset: `$ref`s followed and `allOf` parts merged into one set of
 * constraints (a `Node`). Child schemas (properties, items, additionalProperties) stay raw and are normalised on
 * demand, so recursive schemas cost nothing until a generator descends into them.
 *
 * Supported: $ref (local `#/components/schemas/X`, siblings allowed as in 3.1), type (string or list), enum,
 * const, x-ms-enum.modelAsString, readOnly, format, minimum/maximum/exclusive* (3.1 numbers and 3.0 booleans),
 * multipleOf, minLength/maxLength/pattern, items/minItems/maxItems/uniqueItems, properties/required,
 * additionalProperties, minProperties/maxProperties, allOf (merged), oneOf/anyOf (one alternative is picked).
 * Ignored (never found in the specs this kit covers): not, if/then/else, patternProperties, prefixItems, contains.
 */
import type { JsonSchema } from '../model/spec-model.js';

export type Schemas = { readonly [name: string]: JsonSchema };
export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'object' | 'array';

const JSON_TYPES: readonly JsonType[] = ['string', 'number', 'integer', 'boolean', 'null', 'object', 'array'];
const REF_PREFIX = '#/components/schemas/';

export interface Node {
  /** Allowed JSON types; undefined when the schema does not say (anything goes). */
  readonly types?: readonly JsonType[];
  /** Allowed values (`enum` or `const`); undefined when unrestricted. */
  readonly enum?: readonly unknown[];
  /** The enum is an x-ms-enum with modelAsString: a tolerant server must accept other strings too. */
  readonly openEnum: boolean;
  readonly readOnly: boolean;
  readonly format?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly patterns: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly multipleOf?: number;
  /** Every item must match all of these (several when allOf parts each declare items). */
  readonly items: readonly JsonSchema[];
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems: boolean;
  readonly properties: { readonly [name: string]: readonly JsonSchema[] };
  readonly required: readonly string[];
  /** Undeclared properties: undefined = allowed and unconstrained, false = forbidden, list = must match all. */
  readonly additional?: false | readonly JsonSchema[];
  /** When a part closed the object (additionalProperties: false), the only names it allows. */
  readonly allowedNames?: readonly string[];
  readonly minProperties?: number;
  readonly maxProperties?: number;
  /** oneOf/anyOf groups still open: a value takes one alternative of every group. */
  readonly choices: readonly (readonly JsonSchema[])[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export const EMPTY: Node = { openEnum: false, readOnly: false, patterns: [], items: [], uniqueItems: false, properties: {}, required: [], choices: [] };

export function isRecord(x: unknown): x is { readonly [key: string]: unknown } {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
const schemaList = (x: unknown): JsonSchema[] => (Array.isArray(x) ? x.filter(isRecord) : []);

/** The component a local `$ref` names, or undefined for a foreign or missing one. */
export function refTarget(ref: unknown, schemas: Schemas): JsonSchema | undefined {
  if (typeof ref !== 'string' || !ref.startsWith(REF_PREFIX)) return undefined;
  return schemas[decodeURIComponent(ref.slice(REF_PREFIX.length))];
}

const NORMALIZED = new WeakMap<Schemas, WeakMap<object, Node>>();
/** Bare `{$ref}` schemas by target: callers build them afresh (`ref(name)`), so identity alone would miss. */
const NORMALIZED_REFS = new WeakMap<Schemas, Map<string, Node>>();

/**
 * Normalise one raw schema (boolean schemas included: `true` allows anything, `false` nothing). Memoised per
 * schema object (nodes are read-only): the generators normalise the same few schemas thousands of times a run.
 */
export function normalize(schema: unknown, schemas: Schemas): Node {
  if (!isRecord(schema)) return collect(schema, schemas, new Set());
  const ref = schema.$ref;
  if (typeof ref === 'string' && Object.keys(schema).length === 1) {
    let refs = NORMALIZED_REFS.get(schemas);
    if (!refs) NORMALIZED_REFS.set(schemas, (refs = new Map()));
    let node = refs.get(ref);
    if (!node) refs.set(ref, (node = collect(schema, schemas, new Set())));
    return node;
  }
  let memo = NORMALIZED.get(schemas);
  if (!memo) NORMALIZED.set(schemas, (memo = new WeakMap()));
  let node = memo.get(schema);
  if (!node) memo.set(schema, (node = collect(schema, schemas, new Set())));
  return node;
}

/** Normalise a list of schemas that must all hold (a property declared by several allOf parts). */
export function normalizeAll(list: readonly JsonSchema[], schemas: Schemas): Node {
  return list.reduce<Node>((acc, s) => merge(acc, normalize(s, schemas)), EMPTY);
}

function collect(schema: unknown, schemas: Schemas, seen: ReadonlySet<string>): Node {
  if (schema === false) return { ...EMPTY, types: [] };
  if (!isRecord(schema)) return EMPTY;
  let node = leaf(schema);
  const ref = schema.$ref;
  if (typeof ref === 'string' && !seen.has(ref)) {
    // A cycle through allOf/$ref would never end; the second visit adds nothing new anyway.
    node = merge(node, collect(refTarget(ref, schemas), schemas, new Set([...seen, ref])));
  }
  for (const part of schemaList(schema.allOf)) node = merge(node, collect(part, schemas, seen));
  return node;
}

/** The constraints written directly on one schema object (no $ref, no allOf). */
function leaf(s: { readonly [key: string]: unknown }): Node {
  const n: Mutable<Node> = { ...EMPTY, patterns: [], items: [], properties: {}, required: [], choices: [] };
  if (typeof s.type === 'string') n.types = JSON_TYPES.filter((t) => t === s.type);
  else if (Array.isArray(s.type)) n.types = JSON_TYPES.filter((t) => (s.type as unknown[]).includes(t));
  if ('const' in s) n.enum = [s.const];
  else if (Array.isArray(s.enum)) {
    n.enum = s.enum;
    const xms = s['x-ms-enum'];
    n.openEnum = isRecord(xms) && xms.modelAsString === true;
  }
  n.readOnly = s.readOnly === true;
  if (typeof s.format === 'string') n.format = s.format;
  n.minLength = num(s.minLength);
  n.maxLength = num(s.maxLength);
  if (typeof s.pattern === 'string') n.patterns = [s.pattern];
  n.minimum = num(s.minimum);
  n.maximum = num(s.maximum);
  n.exclusiveMinimum = num(s.exclusiveMinimum);
  n.exclusiveMaximum = num(s.exclusiveMaximum);
  // OpenAPI 3.0 wrote exclusivity as a boolean next to minimum/maximum.
  if (s.exclusiveMinimum === true && n.minimum !== undefined) [n.exclusiveMinimum, n.minimum] = [n.minimum, undefined];
  if (s.exclusiveMaximum === true && n.maximum !== undefined) [n.exclusiveMaximum, n.maximum] = [n.maximum, undefined];
  n.multipleOf = num(s.multipleOf);
  if (isRecord(s.items)) n.items = [s.items];
  n.minItems = num(s.minItems);
  n.maxItems = num(s.maxItems);
  if (s.items === false) n.maxItems = 0;
  n.uniqueItems = s.uniqueItems === true;
  if (isRecord(s.properties)) {
    n.properties = Object.fromEntries(Object.entries(s.properties).filter(([, v]) => isRecord(v) || v === true).map(([k, v]) => [k, [isRecord(v) ? v : {}]]));
  }
  if (Array.isArray(s.required)) n.required = s.required.filter((r): r is string => typeof r === 'string');
  if (s.additionalProperties === false) {
    n.additional = false;
    n.allowedNames = Object.keys(n.properties);
  } else if (isRecord(s.additionalProperties)) n.additional = [s.additionalProperties];
  n.minProperties = num(s.minProperties);
  n.maxProperties = num(s.maxProperties);
  n.choices = [schemaList(s.oneOf), schemaList(s.anyOf)].filter((g) => g.length > 0);
  return n;
}

const tighter = (a: number | undefined, b: number | undefined, pick: (x: number, y: number) => number): number | undefined =>
  a === undefined ? b : b === undefined ? a : pick(a, b);

function intersectTypes(a: readonly JsonType[] | undefined, b: readonly JsonType[] | undefined): readonly JsonType[] | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const out = new Set<JsonType>();
  for (const t of a) {
    if (b.includes(t)) out.add(t);
    // An integer is a number: {type: number} ∩ {type: integer} is integer.
    else if ((t === 'number' && b.includes('integer')) || (t === 'integer' && b.includes('number'))) out.add('integer');
  }
  return [...out];
}

/** Both sets of constraints at once (the meaning of allOf). */
export function merge(a: Node, b: Node): Node {
  const properties: { [name: string]: readonly JsonSchema[] } = { ...a.properties };
  for (const [k, v] of Object.entries(b.properties)) properties[k] = [...(properties[k] ?? []), ...v];
  let enumValues = a.enum ?? b.enum;
  if (a.enum && b.enum) {
    const keep = new Set(b.enum.map(canonical));
    enumValues = a.enum.filter((v) => keep.has(canonical(v)));
  }
  const openEnum = a.enum && b.enum ? a.openEnum && b.openEnum : a.enum ? a.openEnum : b.openEnum;
  let additional: Node['additional'];
  if (a.additional === false || b.additional === false) additional = false;
  else if (a.additional || b.additional) additional = [...(a.additional ?? []), ...(b.additional ?? [])];
  let allowedNames = a.allowedNames ?? b.allowedNames;
  if (a.allowedNames && b.allowedNames) allowedNames = a.allowedNames.filter((x) => b.allowedNames?.includes(x));
  const out: Mutable<Node> = {
    openEnum,
    readOnly: a.readOnly || b.readOnly,
    patterns: [...a.patterns, ...b.patterns],
    items: [...a.items, ...b.items],
    uniqueItems: a.uniqueItems || b.uniqueItems,
    properties,
    required: [...new Set([...a.required, ...b.required])],
    choices: [...a.choices, ...b.choices],
  };
  const set = <K extends keyof Node>(k: K, v: Node[K] | undefined): void => {
    if (v !== undefined) out[k] = v;
  };
  set('types', intersectTypes(a.types, b.types));
  set('enum', enumValues);
  set('format', a.format ?? b.format);
  set('minLength', tighter(a.minLength, b.minLength, Math.max));
  set('maxLength', tighter(a.maxLength, b.maxLength, Math.min));
  set('minimum', tighter(a.minimum, b.minimum, Math.max));
  set('maximum', tighter(a.maximum, b.maximum, Math.min));
  set('exclusiveMinimum', tighter(a.exclusiveMinimum, b.exclusiveMinimum, Math.max));
  set('exclusiveMaximum', tighter(a.exclusiveMaximum, b.exclusiveMaximum, Math.min));
  set('multipleOf', a.multipleOf ?? b.multipleOf);
  set('minItems', tighter(a.minItems, b.minItems, Math.max));
  set('maxItems', tighter(a.maxItems, b.maxItems, Math.min));
  set('additional', additional);
  set('allowedNames', allowedNames);
  set('minProperties', tighter(a.minProperties, b.minProperties, Math.max));
  set('maxProperties', tighter(a.maxProperties, b.maxProperties, Math.min));
  return out;
}

const MAX_ALTERNATIVES = 32;

/**
 * The node with its oneOf/anyOf groups resolved: one merged node per combination of alternatives (first
 * alternatives first, so index 0 is the deterministic pick). A node without choices is its own only alternative.
 * oneOf is treated like anyOf: the alternatives are assumed disjoint, as in Azure's specs.
 */
export function alternatives(node: Node, schemas: Schemas): readonly Node[] {
  let alts = ALTERNATIVES.get(node);
  if (!alts) ALTERNATIVES.set(node, (alts = resolveChoices(node, schemas)));
  return alts;
}

/** Per node (nodes are memoised and read-only, each bound to its schemas): locations ask at every location of every negative. */
const ALTERNATIVES = new WeakMap<Node, readonly Node[]>();

function resolveChoices(node: Node, schemas: Schemas): Node[] {
  const [group, ...rest] = node.choices;
  if (!group) return [node];
  const base: Node = { ...node, choices: rest };
  const out: Node[] = [];
  for (const alt of group) {
    for (const n of alternatives(merge(base, normalize(alt, schemas)), schemas)) {
      if (out.length < MAX_ALTERNATIVES) out.push(n);
    }
  }
  return out;
}

/** The JSON type of a value as JSON Schema sees it (integers are reported as `integer`). */
export function jsonType(v: unknown): JsonType | undefined {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'object') return 'object';
  return undefined;
}

/** Does `types` (undefined = any) allow this value's type? */
export function typeAllows(types: readonly JsonType[] | undefined, v: unknown): boolean {
  if (types === undefined) return true;
  const t = jsonType(v);
  if (t === undefined) return false;
  return types.includes(t) || (t === 'integer' && types.includes('number'));
}

/** Types to generate: the declared ones, else what the keywords imply, else a string. */
export function generationTypes(node: Node): readonly JsonType[] {
  if (node.types) return node.types;
  if (node.enum) return [...new Set(node.enum.map(jsonType).filter((t): t is JsonType => t !== undefined))];
  if (Object.keys(node.properties).length > 0 || node.required.length > 0 || node.additional !== undefined) return ['object'];
  if (node.items.length > 0 || node.minItems !== undefined || node.maxItems !== undefined) return ['array'];
  if (node.minimum !== undefined || node.maximum !== undefined || node.exclusiveMinimum !== undefined || node.exclusiveMaximum !== undefined) {
    return ['number'];
  }
  return ['string'];
}

/** Property names a value of this node may carry. */
export function nameAllowed(node: Node, name: string): boolean {
  return node.allowedNames === undefined || node.allowedNames.includes(name);
}

/** The raw schema of one property (several allOf declarations fold into one allOf). */
export function propertySchema(node: Node, name: string): JsonSchema | undefined {
  const list = node.properties[name];
  if (list) return allOf(list);
  if (nameAllowed(node, name)) return additionalSchema(node);
  return undefined;
}

/** The raw schema of undeclared properties (map values), or undefined when there is none. */
export function additionalSchema(node: Node): JsonSchema | undefined {
  if (!node.additional || node.additional.length === 0) return undefined;
  return allOf(node.additional);
}

/** The raw schema every item must match, or undefined when items are unconstrained. */
export function itemSchema(node: Node): JsonSchema | undefined {
  return node.items.length === 0 ? undefined : allOf(node.items);
}

/**
 * The schema that holds every one of a node's part-lists: the one part, or their allOf, made once per list (lists
 * are the memoised nodes' own), so normalize finds it memoised instead of collecting a fresh wrapper each time.
 */
const ALL_OF = new WeakMap<readonly JsonSchema[], JsonSchema>();
function allOf(list: readonly JsonSchema[]): JsonSchema | undefined {
  if (list.length === 1) return list[0];
  let schema = ALL_OF.get(list);
  if (!schema) ALL_OF.set(list, (schema = { allOf: list }));
  return schema;
}

/** JSON with sorted keys: equal for values AJV's uniqueItems/enum consider equal. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isRecord(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}

export class UnsatisfiableSchema extends Error {
  constructor(what: string) {
    super(`azconform arbitraries: no value can satisfy ${what}`);
    this.name = 'UnsatisfiableSchema';
  }
}
