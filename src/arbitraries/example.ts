/**
 * `exampleValue`: one deterministic valid value, the base that boundary probes and knobs edit. Readable leaves
 * where a fixed choice is obviously valid; a fixed-seed sample of `validValue` otherwise (patterns, formats with
 * odd length bounds), so the result is the same on every run.
 */
import fc from 'fast-check';
import type { JsonSchema } from '../model/spec-model.js';
import { enforcedIntBounds, integerFormat } from './numbers.js';
import {
  UnsatisfiableSchema,
  additionalSchema,
  alternatives,
  canonical,
  generationTypes,
  itemSchema,
  normalize,
  propertySchema,
  typeAllows,
  type Node,
  type Schemas,
} from './schema.js';
import { SEED, fill, lengthOk, patternsOk } from './strings.js';
import { MAX_DEPTH, context, nodeArb, sendsProperty, type Ctx, type ValidOptions } from './valid.js';

export interface ExampleOptions extends ValidOptions {
  /**
   * `full` (default): every property a client may send, arrays with one item (or minItems), maps with one entry,
   * so every constrained location exists. `minimal`: required properties only, arrays at minItems.
   */
  readonly mode?: 'full' | 'minimal';
}

/** Readable values of the string formats; each passes AJV's check for that format. */
const FORMAT_EXAMPLES: { readonly [format: string]: string } = {
  uuid: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  'date-time': '2024-05-15T10:30:00Z',
  date: '2024-05-15',
  time: '10:30:00Z',
  uri: 'https://example.com/resource',
  url: 'https://example.com/resource',
  'uri-reference': 'https://example.com/resource',
  email: 'admin@contoso.com',
  hostname: 'contoso.com',
  ipv4: '192.0.2.10',
  ipv6: '2001:db8::10',
  byte: 'AAECAwQ=',
  base64url: 'AAECAwQ',
  duration: 'P90D',
};

/** A Unix time that reads as a real date: 2023-11-14T22:13:20Z. */
const UNIXTIME_EXAMPLE = 1_700_000_000;

export function exampleValue(schema: JsonSchema, schemas: Schemas, opts: ExampleOptions = {}): unknown {
  return exampleOf(schema, context(schemas, opts), opts.mode ?? 'full', 0);
}

export function exampleOf(schema: JsonSchema | undefined, ctx: Ctx, mode: 'full' | 'minimal', depth: number): unknown {
  if (schema === undefined) return 'sample';
  const [node] = alternatives(normalize(schema, ctx.schemas), ctx.schemas);
  if (!node) throw new UnsatisfiableSchema(JSON.stringify(schema));
  return exampleOfNode(node, ctx, mode, depth);
}

export function exampleOfNode(node: Node, ctx: Ctx, mode: 'full' | 'minimal', depth: number): unknown {
  if (node.enum) {
    const first = node.enum.find((v) => typeAllows(node.types, v));
    if (first === undefined) throw new UnsatisfiableSchema(`enum ${JSON.stringify(node.enum)}`);
    return first;
  }
  // The first declared type that is not null: a body that is all nulls probes nothing.
  const types = generationTypes(node);
  const type = types.find((t) => t !== 'null') ?? types[0];
  switch (type) {
    case 'string':
      return exampleString(node, ctx, depth);
    case 'integer':
    case 'number':
      return exampleNumber(node, ctx, depth, type === 'integer');
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array':
      return exampleArray(node, ctx, mode, depth);
    case 'object':
      return exampleObject(node, ctx, mode, depth);
    default:
      throw new UnsatisfiableSchema('a schema that allows no type');
  }
}

/** A fixed-seed sample: deterministic for a given schema and fast-check version. */
function sampled(node: Node, ctx: Ctx, depth: number): unknown {
  const [v] = fc.sample(nodeArb(node, ctx, depth), { numRuns: 1, seed: SEED });
  return v;
}

function exampleString(node: Node, ctx: Ctx, depth: number): unknown {
  const ok = (s: string): boolean => lengthOk(node, s) && patternsOk(node, s);
  const known = node.format ? FORMAT_EXAMPLES[node.format] : undefined;
  if (known !== undefined && ok(known)) return known;
  if (node.format === undefined || !(node.format in FORMAT_EXAMPLES)) {
    const lo = node.minLength ?? 0;
    const hi = node.maxLength ?? Infinity;
    const word = 'sample';
    const plain = lo > word.length ? word + fill(lo - word.length) : hi < word.length ? word.slice(0, Math.max(hi, lo)) : word;
    if (ok(plain)) return plain;
  }
  return sampled(node, ctx, depth);
}

function exampleNumber(node: Node, ctx: Ctx, depth: number, integer: boolean): unknown {
  const preferred = node.format === 'unixtime' ? UNIXTIME_EXAMPLE : 1;
  if (integer || integerFormat(node)) {
    const { min, max } = enforcedIntBounds(node);
    let v = Math.min(Math.max(preferred, min ?? -Infinity), max ?? Infinity);
    const m = node.multipleOf;
    if (m !== undefined && m > 0) v = Math.ceil(v / m) * m;
    if ((max === undefined || v <= max) && (min === undefined || v >= min) && (m === undefined || (v / m) % 1 === 0)) return v;
  } else if (node.multipleOf === undefined) {
    const lo = Math.max(node.minimum ?? -Infinity, node.exclusiveMinimum ?? -Infinity);
    const hi = Math.min(node.maximum ?? Infinity, node.exclusiveMaximum ?? Infinity);
    const inside = (v: number): boolean =>
      (node.exclusiveMinimum === undefined || v > node.exclusiveMinimum) &&
      (node.minimum === undefined || v >= node.minimum) &&
      (node.exclusiveMaximum === undefined || v < node.exclusiveMaximum) &&
      (node.maximum === undefined || v <= node.maximum);
    const candidates = [preferred, lo + 1, hi - 1, (lo + hi) / 2, lo, hi].filter(Number.isFinite);
    const v = candidates.find(inside);
    if (v !== undefined) return v;
  }
  return sampled(node, ctx, depth);
}

function exampleArray(node: Node, ctx: Ctx, mode: 'full' | 'minimal', depth: number): unknown[] {
  const min = node.minItems ?? 0;
  const want = mode === 'full' && depth < MAX_DEPTH ? Math.max(min, 1) : min;
  const count = Math.min(want, node.maxItems ?? want);
  return distinctItems(node, ctx, count, mode, depth);
}

/**
 * `count` items for this array node, distinct when it has uniqueItems (enum values in order, else fixed-seed
 * samples); the first item is always the readable example.
 */
export function distinctItems(node: Node, ctx: Ctx, count: number, mode: 'full' | 'minimal', depth: number): unknown[] {
  if (count <= 0) return [];
  const schema = itemSchema(node);
  const first = exampleOf(schema, ctx, mode, depth + 1);
  if (!node.uniqueItems) return Array.from({ length: count }, () => structuredClone(first));
  const out = [first];
  const seen = new Set([canonical(first)]);
  const itemNode = normalize(schema ?? {}, ctx.schemas);
  const pool = itemNode.enum ?? [];
  const more = fc.sample(nodeArbFor(schema, ctx, depth), { numRuns: Math.max(50, count * 20), seed: SEED });
  for (const v of [...pool, ...more]) {
    if (out.length >= count) break;
    const key = canonical(v);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(v);
    }
  }
  if (out.length < count) throw new UnsatisfiableSchema(`${count} distinct items`);
  return out;
}

function nodeArbFor(schema: JsonSchema | undefined, ctx: Ctx, depth: number): fc.Arbitrary<unknown> {
  const [node] = alternatives(normalize(schema ?? {}, ctx.schemas), ctx.schemas);
  if (!node) throw new UnsatisfiableSchema(JSON.stringify(schema));
  return nodeArb(node, ctx, depth + 1);
}

/** The key of the one map entry a full example carries. */
export const EXAMPLE_MAP_KEY = 'env';

function exampleObject(node: Node, ctx: Ctx, mode: 'full' | 'minimal', depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(node.properties)) {
    const sends = sendsProperty(node, name, ctx, depth);
    if (sends === 'required' || (sends === 'optional' && mode === 'full')) {
      out[name] = exampleOf(propertySchema(node, name), ctx, mode, depth + 1);
    }
  }
  for (const name of node.required) {
    if (!(name in out)) out[name] = exampleOf(propertySchema(node, name), ctx, mode, depth + 1);
  }
  const extra = additionalSchema(node);
  if (extra && node.allowedNames === undefined) {
    const count = Object.keys(out).length;
    const wantEntry = (mode === 'full' && depth < MAX_DEPTH) || count < (node.minProperties ?? 0);
    if (wantEntry && count < (node.maxProperties ?? Infinity) && !(EXAMPLE_MAP_KEY in out)) {
      out[EXAMPLE_MAP_KEY] = exampleOf(extra, ctx, mode, depth + 1);
    }
  }
  return out;
}
