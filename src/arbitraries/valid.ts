/**
 * `validValue`: an arbitrary of values the strict generated validator accepts, compiled from the schema once.
 * Strict means closed and open enums alike take only their listed values.
 */
import fc from 'fast-check';
import type { JsonSchema } from '../model/spec-model.js';
import { integerArb, numberArb } from './numbers.js';
import {
  UnsatisfiableSchema,
  additionalSchema,
  alternatives,
  canonical,
  generationTypes,
  itemSchema,
  nameAllowed,
  normalize,
  propertySchema,
  typeAllows,
  type JsonType,
  type Node,
  type Schemas,
} from './schema.js';
import { constrained, stringArb, textArb } from './strings.js';

export interface ValidOptions {
  /** Default true: clients do not send readOnly fields (a required readOnly field is still sent). */
  readonly omitReadOnly?: boolean;
  /** Cap for arrays and maps without maxItems/maxProperties; default 3. */
  readonly maxItems?: number;
}

export interface Ctx {
  readonly schemas: Schemas;
  readonly omitReadOnly: boolean;
  readonly maxItems: number;
  /** Arbitraries already built, per raw schema object and depth: mutations rebuild item arbitraries often. */
  readonly cache: WeakMap<JsonSchema, Map<number, fc.Arbitrary<unknown>>>;
}

/** Deeper than this, optional properties are left out and arrays stay at minItems, so recursion ends. */
export const MAX_DEPTH = 6;

export function context(schemas: Schemas, opts: ValidOptions = {}): Ctx {
  return { schemas, omitReadOnly: opts.omitReadOnly ?? true, maxItems: opts.maxItems ?? 3, cache: new WeakMap() };
}

export function validValue(schema: JsonSchema, schemas: Schemas, opts: ValidOptions = {}): fc.Arbitrary<unknown> {
  return arbOf(schema, context(schemas, opts), 0);
}

/** Arbitrary for a raw schema: one branch per oneOf/anyOf alternative. */
export function arbOf(schema: JsonSchema | undefined, ctx: Ctx, depth: number): fc.Arbitrary<unknown> {
  if (schema === undefined) return textArb(0, 16);
  const byDepth = ctx.cache.get(schema) ?? new Map<number, fc.Arbitrary<unknown>>();
  ctx.cache.set(schema, byDepth);
  const hit = byDepth.get(depth);
  if (hit) return hit;
  const arbs = alternatives(normalize(schema, ctx.schemas), ctx.schemas).map((n) => nodeArb(n, ctx, depth));
  const [only] = arbs;
  const arb = arbs.length === 1 && only ? only : fc.oneof(...arbs);
  byDepth.set(depth, arb);
  return arb;
}

export function nodeArb(node: Node, ctx: Ctx, depth: number): fc.Arbitrary<unknown> {
  if (node.enum) {
    const values = node.enum.filter((v) => typeAllows(node.types, v));
    if (values.length === 0) throw new UnsatisfiableSchema(`enum ${JSON.stringify(node.enum)} with type ${String(node.types)}`);
    return fc.constantFrom(...values);
  }
  const types = generationTypes(node);
  if (types.length === 0) throw new UnsatisfiableSchema('a schema that allows no type');
  // null is one possibility among the others, not half of all values.
  const arbs = types.map((t) => ({ weight: t === 'null' ? 1 : 3, arbitrary: typeArb(t, node, ctx, depth) }));
  const [only] = arbs;
  return arbs.length === 1 && only ? only.arbitrary : fc.oneof(...arbs);
}

function typeArb(t: JsonType, node: Node, ctx: Ctx, depth: number): fc.Arbitrary<unknown> {
  switch (t) {
    case 'string':
      return stringArb(node);
    case 'integer':
      return integerArb(node);
    case 'number':
      return numberArb(node);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return arrayArb(node, ctx, depth);
    case 'object':
      return objectArb(node, ctx, depth);
  }
}

/** Whether a declared property is generated at all (required ones always are). */
export function sendsProperty(node: Node, name: string, ctx: Ctx, depth: number): 'required' | 'optional' | 'never' {
  if (!nameAllowed(node, name)) {
    if (node.required.includes(name)) throw new UnsatisfiableSchema(`required property ${name} that additionalProperties: false forbids`);
    return 'never';
  }
  if (node.required.includes(name)) return 'required';
  if (depth >= MAX_DEPTH) return 'never';
  const prop = propertySchema(node, name);
  if (ctx.omitReadOnly && prop && normalize(prop, ctx.schemas).readOnly) return 'never';
  return 'optional';
}

/** Map keys: mostly identifier-like (tag names), sometimes free text; never a declared property's name. */
export function mapKeyArb(node: Node): fc.Arbitrary<string> {
  return fc
    .oneof({ weight: 3, arbitrary: fc.stringMatching(/^[a-z][a-zA-Z0-9_-]{0,11}$/) }, { weight: 1, arbitrary: textArb(1, 24) })
    .filter((k) => !(k in node.properties) && k !== '__proto__');
}

function objectArb(node: Node, ctx: Ctx, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  const requiredKeys: string[] = [];
  for (const name of Object.keys(node.properties)) {
    const sends = sendsProperty(node, name, ctx, depth);
    if (sends === 'never') continue;
    model[name] = arbOf(propertySchema(node, name), ctx, depth + 1);
    if (sends === 'required') requiredKeys.push(name);
  }
  for (const name of node.required) {
    if (name in model) continue;
    if (node.additional === false || !nameAllowed(node, name)) throw new UnsatisfiableSchema(`required property ${name} that is not allowed`);
    model[name] = arbOf(propertySchema(node, name), ctx, depth + 1);
    requiredKeys.push(name);
  }
  const declared = fc.record(model, { requiredKeys, noNullPrototype: true });
  let arb: fc.Arbitrary<Record<string, unknown>> = declared;
  if (Array.isArray(node.additional) && node.additional.length > 0 && node.allowedNames === undefined) {
    // A map (tags: string → string): a few entries beside the declared properties.
    const values = arbOf(additionalSchema(node), ctx, depth + 1);
    const maxKeys = depth >= MAX_DEPTH ? 0 : Math.min(node.maxProperties ?? ctx.maxItems, ctx.maxItems);
    const entries = fc.dictionary(mapKeyArb(node), values, { maxKeys: Math.max(maxKeys, node.minProperties ?? 0), noNullPrototype: true });
    arb = fc.tuple(entries, declared).map(([extra, own]) => ({ ...extra, ...own }));
  }
  if (node.minProperties !== undefined || node.maxProperties !== undefined) {
    const lo = node.minProperties ?? 0;
    const hi = node.maxProperties ?? Infinity;
    const base = arb;
    arb = constrained([() => base], (o) => Object.keys(o).length >= lo && Object.keys(o).length <= hi, `an object with ${lo}..${hi} properties`);
  }
  return arb;
}

function arrayArb(node: Node, ctx: Ctx, depth: number): fc.Arbitrary<unknown[]> {
  const minLength = node.minItems ?? 0;
  const cap = depth >= MAX_DEPTH ? minLength : Math.max(minLength, ctx.maxItems);
  let maxLength = Math.min(node.maxItems ?? cap, cap);
  if (maxLength < minLength) throw new UnsatisfiableSchema(`an array of ${minLength}..${node.maxItems} items`);
  const items = arbOf(itemSchema(node) ?? {}, ctx, depth + 1);
  if (!node.uniqueItems) return fc.array(items, { minLength, maxLength });
  // Unique items: never ask for more distinct values than an enum has.
  const itemNode = normalize(itemSchema(node) ?? {}, ctx.schemas);
  if (itemNode.enum) maxLength = Math.min(maxLength, itemNode.enum.length);
  if (maxLength < minLength) throw new UnsatisfiableSchema(`${minLength} unique items from ${JSON.stringify(itemNode.enum)}`);
  return fc.uniqueArray(items, { minLength, maxLength, selector: canonical });
}
