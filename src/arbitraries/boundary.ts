/**
 * `boundaryValues`: a deterministic table of whole values that probe every bound in a schema. One fixed valid
 * base (`exampleValue`, full mode) is edited at one location per entry: at the bound (accept) and one step beyond
 * it (reject), for numbers, string lengths, item counts, patterns and enums.
 */
import fc from 'fast-check';
import type { Breaks, Tagged } from '../cases/tagged.js';
import type { JsonSchema } from '../model/spec-model.js';
import { distinctItems, exampleOf } from './example.js';
import { locations, replaceAt, type Location } from './locate.js';
import { INT32, enforcedIntBounds, integerFormat } from './numbers.js';
import { pointer } from './pointer.js';
import { additionalSchema, isRecord, type Node, type Schemas } from './schema.js';
import { SEED, codePoints, fill, formatArb, lengthOk, nonMatching, patternsOk, regexFor, stringOfLength } from './strings.js';
import { context, type Ctx, type ValidOptions } from './valid.js';

/** Arrays longer than this are not built for an at-bound probe (a maxItems of 10000 would be a huge body). */
const MAX_BUILT_ITEMS = 256;

/** One probe at a location: the new value there, what the target must do, and the keyword it probes. */
interface Probe {
  readonly value: unknown;
  readonly expect: Tagged<unknown>['expect'];
  readonly id: string;
  readonly detail: string;
}

export interface BoundaryOptions extends ValidOptions {
  /**
   * The valid value to probe from, e.g. a spec's request example that also satisfies the x-azconform-rules;
   * default `exampleValue(schema, schemas)` (every sendable property present). Only locations it holds are probed.
   */
  readonly base?: unknown;
}

export function boundaryValues(schema: JsonSchema, schemas: Schemas, opts: BoundaryOptions = {}): Tagged<unknown>[] {
  const ctx = context(schemas, opts);
  const base = 'base' in opts ? opts.base : exampleOf(schema, ctx, 'full', 0);
  const out: Tagged<unknown>[] = [];
  for (const loc of locations(schema, schemas, base)) {
    // readOnly locations are not sent by clients; the base value does not carry them (unless required).
    if (loc.readOnly) continue;
    for (const p of probesAt(loc, ctx)) {
      const path = pointer(loc.path);
      const breaks: Breaks = { kind: 'schema', id: p.id, path, detail: p.detail };
      out.push({ value: replaceAt(base, loc, p.value), expect: p.expect, breaks, label: `${path || '/'} ${p.id}: ${p.detail}`, base });
    }
  }
  return out;
}

function probesAt(loc: Location, ctx: Ctx): Probe[] {
  const { node, value } = loc;
  if (node.enum) return enumProbes(node);
  if (typeof value === 'number') return numberProbes(node, Number.isInteger(value) && !allowsFractions(node));
  if (typeof value === 'string') return stringProbes(node, value);
  if (Array.isArray(value)) return arrayProbes(node, value, ctx, loc.path.length);
  if (isRecord(value)) return mapProbes(node, value, ctx, loc.path.length);
  return [];
}

/** Entry counts of maps (additionalProperties schemas): minProperties/maxProperties at the bound and beyond. */
function mapProbes(node: Node, current: { readonly [key: string]: unknown }, ctx: Ctx, depth: number): Probe[] {
  const extra = additionalSchema(node);
  if (!extra || node.allowedNames !== undefined) return [];
  const declared = Object.fromEntries(Object.entries(current).filter(([k]) => k in node.properties));
  const entry = exampleOf(extra, ctx, 'full', depth + 1);
  const sized = (n: number): Record<string, unknown> | undefined => {
    const missing = n - Object.keys(declared).length;
    if (missing < 0 || n > MAX_BUILT_ITEMS) return undefined;
    const out: Record<string, unknown> = { ...declared };
    for (let i = 1; i <= missing; i++) out[`key${i}`] = structuredClone(entry);
    return out;
  };
  const out: Probe[] = [];
  const { minProperties: min, maxProperties: max } = node;
  const push = (n: number, expect: 'accept' | 'reject', id: string, bound: number): void => {
    const v = sized(n);
    if (v) out.push({ value: v, expect, id, detail: `${n} properties (${id} ${bound})` });
  };
  if (min !== undefined) {
    push(min, 'accept', 'minProperties', min);
    if (min >= 1) push(min - 1, 'reject', 'minProperties', min);
  }
  if (max !== undefined) {
    push(max, 'accept', 'maxProperties', max);
    push(max + 1, 'reject', 'maxProperties', max);
  }
  return out;
}

const allowsFractions = (node: Node): boolean => !integerFormat(node) && (node.types?.includes('number') ?? false);

function enumProbes(node: Node): Probe[] {
  const values = node.enum ?? [];
  const out: Probe[] = values.map((v) => ({ value: v, expect: 'accept', id: 'enum', detail: `enum value ${JSON.stringify(v)}` }));
  if (node.openEnum && values.every((v) => typeof v === 'string')) {
    // modelAsString: the strict schema rejects other strings, a tolerant server may accept them.
    out.push({ value: 'UnlistedValue', expect: 'either', id: 'enum', detail: 'a value outside an open (modelAsString) enum' });
  }
  return out;
}

/** The next double above/below x: the closest a number can get to an exclusive bound. */
function nextDouble(x: number, dir: 1 | -1): number {
  if (x === 0) return dir * Number.MIN_VALUE;
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigInt64(0);
  buf.setBigInt64(0, bits + BigInt((x > 0 ? 1 : -1) * dir));
  return buf.getFloat64(0);
}

function numberProbes(node: Node, integer: boolean): Probe[] {
  const out: Probe[] = [];
  const ok = (v: number): boolean => {
    const { min, max } = integer ? enforcedIntBounds(node) : {};
    return (
      (!integer || Number.isInteger(v)) &&
      (node.minimum === undefined || v >= node.minimum) &&
      (node.maximum === undefined || v <= node.maximum) &&
      (node.exclusiveMinimum === undefined || v > node.exclusiveMinimum) &&
      (node.exclusiveMaximum === undefined || v < node.exclusiveMaximum) &&
      (min === undefined || v >= min) &&
      (max === undefined || v <= max) &&
      (node.multipleOf === undefined || (v / node.multipleOf) % 1 === 0)
    );
  };
  const step = (v: number, dir: 1 | -1): number => (integer ? v + dir : nextDouble(v, dir));
  /** The first valid value from `start` walking inward (multipleOf can push the edge a little). */
  const inward = (start: number, dir: 1 | -1): number | undefined => {
    let v = start;
    for (let i = 0; i < 1000 && !ok(v); i++) v = step(v, dir);
    return ok(v) ? v : undefined;
  };
  const edge = (id: string, bound: number, exclusive: boolean, dir: 1 | -1): void => {
    // The first value on the allowed side of the bound, and the first one past it.
    let first: number;
    let beyond: number;
    if (integer) {
      first = exclusive ? (dir === 1 ? Math.floor(bound) + 1 : Math.ceil(bound) - 1) : dir === 1 ? Math.ceil(bound) : Math.floor(bound);
      beyond = exclusive ? (dir === 1 ? Math.floor(bound) : Math.ceil(bound)) : first - dir;
    } else {
      first = exclusive ? nextDouble(bound, dir) : bound;
      beyond = exclusive ? bound : nextDouble(bound, dir === 1 ? -1 : 1);
    }
    const at = inward(first, dir);
    if (at !== undefined) out.push({ value: at, expect: 'accept', id, detail: `${at} (${id} ${bound})` });
    // With multipleOf, one step beyond is the previous multiple: it breaks only this bound.
    const m = node.multipleOf;
    if (m !== undefined && at !== undefined) {
      const prev = at - dir * m;
      const past = dir === 1 ? (exclusive ? prev <= bound : prev < bound) : exclusive ? prev >= bound : prev > bound;
      if (past) beyond = prev;
    }
    out.push({ value: beyond, expect: 'reject', id, detail: `${beyond} (${id} ${bound})` });
  };
  if (node.minimum !== undefined) edge('minimum', node.minimum, false, 1);
  if (node.exclusiveMinimum !== undefined) edge('exclusiveMinimum', node.exclusiveMinimum, true, 1);
  if (node.maximum !== undefined) edge('maximum', node.maximum, false, -1);
  if (node.exclusiveMaximum !== undefined) edge('exclusiveMaximum', node.exclusiveMaximum, true, -1);
  if (node.format === 'int32') {
    // The int32 range is a bound too, where the schema sets no tighter one on that side. Past it is refused for
    // sure (no int32 holds it); at it, either: a schema that names no bound does not say a service takes any int32
    // (2147483647 validity months), only that its field is one.
    const lowFree = node.minimum === undefined && node.exclusiveMinimum === undefined;
    const highFree = node.maximum === undefined && node.exclusiveMaximum === undefined;
    if (lowFree) {
      const at = inward(INT32.min, 1);
      if (at !== undefined) out.push({ value: at, expect: 'either', id: 'format', detail: `${at} (int32 minimum)` });
      out.push({ value: INT32.min - 1, expect: 'reject', id: 'format', detail: `${INT32.min - 1} (below int32)` });
    }
    if (highFree) {
      const at = inward(INT32.max, -1);
      if (at !== undefined) out.push({ value: at, expect: 'either', id: 'format', detail: `${at} (int32 maximum)` });
      out.push({ value: INT32.max + 1, expect: 'reject', id: 'format', detail: `${INT32.max + 1} (above int32)` });
    }
  }
  return out;
}

/** The shortest string matching the node's patterns among fixed-seed samples. */
function shortestMatch(node: Node): string | undefined {
  const [first] = node.patterns;
  if (first === undefined) return undefined;
  const keep = (s: string): boolean => lengthOk(node, s) && patternsOk(node, s);
  const found: string[] = [];
  for (const size of ['xsmall', 'small', 'medium'] as const) {
    try {
      found.push(...fc.sample(fc.stringMatching(regexFor(first), { size }), { numRuns: 200, seed: SEED }).filter(keep));
    } catch {
      // a size the pattern cannot use: try the next one
    }
  }
  return found.sort((a, b) => codePoints(a) - codePoints(b) || (a < b ? -1 : a > b ? 1 : 0))[0];
}

function stringProbes(node: Node, current: string): Probe[] {
  const out: Probe[] = [];
  const free = node.patterns.length === 0 && (node.format === undefined || formatArb(node.format) === undefined);
  const { minLength: min, maxLength: max } = node;
  if (min !== undefined) {
    const at = stringOfLength(node, min);
    if (at !== undefined) out.push({ value: at, expect: 'accept', id: 'minLength', detail: `${min} characters (minLength ${min})` });
    if (min >= 1) {
      const short = stringOfLength(node, min - 1) ?? fill(min - 1);
      out.push({ value: short, expect: 'reject', id: 'minLength', detail: `${min - 1} characters (minLength ${min})` });
    }
  }
  if (max !== undefined) {
    const at = stringOfLength(node, max);
    if (at !== undefined) out.push({ value: at, expect: 'accept', id: 'maxLength', detail: `${max} characters (maxLength ${max})` });
    if (free && max > 0) {
      // Length is counted in code points: 'é' is 2 UTF-8 bytes, '😀' is 2 UTF-16 units, each still one character.
      out.push({ value: 'é'.repeat(max), expect: 'accept', id: 'maxLength', detail: `${max} × 'é' (maxLength counts characters)` });
      out.push({ value: '😀'.repeat(max), expect: 'accept', id: 'maxLength', detail: `${max} × '😀' (maxLength counts code points)` });
    }
    const long = stringOfLength(node, max + 1) ?? fill(max + 1);
    out.push({ value: long, expect: 'reject', id: 'maxLength', detail: `${max + 1} characters (maxLength ${max})` });
  }
  if (node.patterns.length > 0) {
    const edge = shortestMatch(node);
    if (edge !== undefined) out.push({ value: edge, expect: 'accept', id: 'pattern', detail: `shortest match ${JSON.stringify(edge)}` });
    const bad = nonMatching(node, current);
    if (bad !== undefined) out.push({ value: bad, expect: 'reject', id: 'pattern', detail: `${JSON.stringify(bad)} does not match ${node.patterns.join(' and ')}` });
  }
  return out;
}

function arrayProbes(node: Node, current: readonly unknown[], ctx: Ctx, depth: number): Probe[] {
  const out: Probe[] = [];
  const items = (n: number): unknown[] | undefined => {
    if (n > MAX_BUILT_ITEMS) return undefined;
    try {
      return distinctItems(node, ctx, n, 'full', depth);
    } catch {
      return undefined;
    }
  };
  const { minItems: min, maxItems: max } = node;
  if (min === undefined) {
    // No minItems says empty is well-formed, not that a service has a use for it (contacts: [] to set no contact).
    if (max === undefined || max >= 0) out.push({ value: [], expect: 'either', id: 'minItems', detail: 'empty array (no minItems)' });
  } else {
    const at = items(min);
    if (at) out.push({ value: at, expect: 'accept', id: 'minItems', detail: `${min} items (minItems ${min})` });
    if (min >= 1) out.push({ value: items(min - 1) ?? current.slice(0, min - 1), expect: 'reject', id: 'minItems', detail: `${min - 1} items (minItems ${min})` });
  }
  if (max !== undefined) {
    const at = items(max);
    if (at) out.push({ value: at, expect: 'accept', id: 'maxItems', detail: `${max} items (maxItems ${max})` });
    // Too few distinct values for max + 1 unique items: repeats still exceed maxItems (and uniqueItems too).
    const repeated = current.length > 0 && max + 1 <= MAX_BUILT_ITEMS ? Array.from({ length: max + 1 }, (_, i) => current[i % current.length]) : undefined;
    const over = items(max + 1) ?? repeated;
    if (over) out.push({ value: over, expect: 'reject', id: 'maxItems', detail: `${max + 1} items (maxItems ${max})` });
  }
  return out;
}
