/**
 * `invalidValue`: a valid value with exactly one mutation that the strict schema forbids, tagged with the keyword
 * it breaks. Locations under readOnly (clients do not send them) and under a oneOf/anyOf choice (the change might
 * make another alternative match) are never mutated. Open (modelAsString) enums are not mutated either: a value
 * outside them is not invalid for a tolerant server.
 */
import fc from 'fast-check';
import type { Tagged } from '../cases/tagged.js';
import type { JsonSchema } from '../model/spec-model.js';
import { exampleOf } from './example.js';
import { locations, patternOf, type Location } from './locate.js';
import { INT32 } from './numbers.js';
import { REMOVE, pointer, setAt } from './pointer.js';
import { additionalSchema, canonical, isRecord, itemSchema, propertySchema, normalize, typeAllows, type JsonType, type Node, type Schemas } from './schema.js';
import { fill, nonMatching } from './strings.js';
import { arbOf, context, validValue, type Ctx, type ValidOptions } from './valid.js';

/**
 * Values of the wrong JSON type that no lenient binder turns into the right one: Json.NET and Jackson convert
 * scalars into one another (7 and true into "7" and "True", "42" into 42, 1.5 into 1, 1 into true), so a scalar
 * stands in only for a structure, and for a number or a boolean only a string that reads as neither ('text').
 * The ones a location's `type` allows are filtered out.
 */
const WRONG_FOR_STRING: readonly unknown[] = [{}, []];
const WRONG_FOR_SCALAR: readonly unknown[] = ['text', {}, []];
const WRONG_FOR_STRUCTURE: readonly unknown[] = ['text', 7, true, {}, []];

/** Strings each format's check rejects (AJV full formats and scripts/generate/formats.js). */
export const BAD_FORMATS: { readonly [format: string]: readonly string[] } = {
  uuid: ['not-a-uuid', '3fa85f64-5717-4562-b3fc-2c963f66afa', '3fa85f64571745622b3fc2c963f66afa6', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz'],
  'date-time': ['2024-13-01T00:00:00Z', '2024-05-15', '2024-05-15T25:00:00Z', '2024-05-15T10:30:00', 'yesterday'],
  date: ['2024-02-30', '15.05.2024', '2024-5-15'],
  time: ['25:00:00Z', '10:30'],
  uri: ['not a uri', 'example.com/path', '//example.com/path'],
  url: ['not a url', 'example.com/path'],
  email: ['no-at-sign', 'admin@', '@contoso.com', 'two@@contoso.com'],
  hostname: ['-contoso-.com', 'bad host.com'],
  ipv4: ['256.0.0.1', '192.0.2', '1.2.3.4.5'],
  ipv6: ['2001:db8::g', '12345::1', '1:2:3'],
  byte: ['abc', 'a$cd', 'abcde===', 'YW='],
  base64url: ['ab+/', 'abc=', 'a b'],
  duration: ['P', '1D', 'PT'],
};

/** One way to break one constraint at one location of a value: every value it gives carries that value as `base`. */
export interface Mutation {
  /** The keyword broken (`required`, `maximum`, `enum`, `type`, …). */
  readonly id: string;
  /** The location as a schema pattern (locate.ts patternOf): `/properties/accessPolicies/*\/permissions`. */
  readonly at: string;
  readonly arb: fc.Arbitrary<Tagged<unknown>>;
}

export function invalidValue(schema: JsonSchema, schemas: Schemas, opts: ValidOptions = {}): fc.Arbitrary<Tagged<unknown>> {
  const ctx = context(schemas, opts);
  const fallback = mutationsOf(schema, ctx, exampleOf(schema, ctx, 'full', 0));
  if (fallback.length === 0) throw new Error('azconform arbitraries: this schema accepts every value; there is no invalid value to generate');
  return validValue(schema, schemas, opts).chain((v) => {
    const found = mutationsOf(schema, ctx, v);
    return pick(found.length > 0 ? found : fallback);
  });
}

/**
 * Every keyword gets the same chance, whatever the number of locations it applies to: one keyword, then one of its
 * mutations, uniformly. Only the mutation drawn builds its arbitrary.
 */
export function pick(mutations: readonly Mutation[]): fc.Arbitrary<Tagged<unknown>> {
  const byId = new Map<string, Mutation[]>();
  // Pushed, not spread into a new list per mutation: this runs for every generated negative case.
  for (const m of mutations) {
    const same = byId.get(m.id);
    if (same) same.push(m);
    else byId.set(m.id, [m]);
  }
  // As fc.oneof: no choice is an error when built, not a TypeError at the first draw.
  if (byId.size === 0) throw new Error('azconform arbitraries: pick() needs at least one mutation');
  return new Pick([...byId.values()]);
}

interface Picked {
  readonly mutation: Mutation;
  readonly context: unknown;
}

/**
 * One mutation of one keyword, drawn as `fc.oneof(...byId.map((ms) => fc.oneof(...ms.map((m) => m.arb))))` draws
 * it (the same two `nextInt`s, then the mutation's own draws; shrinking stays within the mutation drawn), so a seed
 * gives the values it gave before, without building every mutation's arbitrary and two levels of oneof per case.
 */
class Pick extends fc.Arbitrary<Tagged<unknown>> {
  constructor(private readonly groups: readonly (readonly Mutation[])[]) {
    super();
  }
  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<Tagged<unknown>> {
    const group = this.groups[mrng.nextInt(0, this.groups.length - 1)] as readonly Mutation[];
    const mutation = group[mrng.nextInt(0, group.length - 1)] as Mutation;
    const v = mutation.arb.generate(mrng, biasFactor);
    return new fc.Value(v.value, { mutation, context: v.context } satisfies Picked);
  }
  canShrinkWithoutContext(value: unknown): value is Tagged<unknown> {
    // As oneof of mapped arbitraries: a value alone says nothing of the mutation it came from.
    void value;
    return false;
  }
  shrink(value: Tagged<unknown>, context: unknown): fc.Stream<fc.Value<Tagged<unknown>>> {
    if (context === undefined) return fc.Stream.nil();
    const { mutation, context: inner } = context as Picked;
    return mutation.arb.shrink(value, inner).map((v) => new fc.Value(v.value, { mutation, context: v.context } satisfies Picked));
  }
}

/**
 * A mutation whose arbitrary (and its mutated copy of the body) is built when first read, and its pattern (`at`,
 * read only by the constraint list) likewise: mutationsOf lists every mutation of every location of each generated
 * value and only one is drawn. Construction draws no random value, so the values drawn are the same.
 */
class LazyMutation implements Mutation {
  private made: fc.Arbitrary<Tagged<unknown>> | undefined;
  private pattern: string | undefined;
  constructor(
    readonly id: string,
    private readonly loc: Location,
    private readonly suffix: string,
    private make: (() => fc.Arbitrary<Tagged<unknown>>) | undefined,
  ) {}
  get at(): string {
    return (this.pattern ??= `${patternOf(this.loc)}${this.suffix}`);
  }
  get arb(): fc.Arbitrary<Tagged<unknown>> {
    if (!this.made) {
      this.made = (this.make as () => fc.Arbitrary<Tagged<unknown>>)();
      this.make = undefined;
    }
    return this.made;
  }
}

export function mutationsOf(schema: JsonSchema, ctx: Ctx, root: unknown): Mutation[] {
  const out: Mutation[] = [];
  for (const loc of locations(schema, ctx.schemas, root, { firstOnly: false })) {
    if (loc.readOnly) continue;
    if (!loc.underChoice) mutationsAt(loc, ctx, root, out);
    else if (loc.choiceTypes) wrongType(loc, loc.choiceTypes, root, out);
  }
  return out;
}

/** The mutations of one location, pushed onto `out` (one list for the whole value, not one per location). */
function mutationsAt(loc: Location, ctx: Ctx, root: unknown, out: Mutation[]): void {
  const { node, value } = loc;
  const tag = (id: string, detail: string) => {
    const path = pointer(loc.path);
    return (next: unknown): Tagged<unknown> => ({
      value: setAt(root, loc.path, next),
      expect: 'reject',
      breaks: { kind: 'schema', id, path, detail },
      label: `${path || '/'} ${id}: ${detail}`,
      base: root,
    });
  };
  const add: Add = (id, detail, make) => {
    out.push(new LazyMutation(id, loc, '', () => make().map(tag(id, detail))));
  };

  if (node.types) wrongType(loc, node.types, root, out);
  if (node.enum && !node.openEnum) {
    const outside = outsideEnum(node);
    if (outside.length > 0) add(node.enum.length === 1 ? 'const' : 'enum', 'a value outside a closed enum', () => fc.constantFrom(...outside));
  }
  if (typeof value === 'number') numberMutations(node, value, add);
  if (typeof value === 'string') stringMutations(node, value, add);
  if (Array.isArray(value)) arrayMutations(node, value, ctx, loc, add);
  if (isRecord(value)) {
    for (const name of node.required) {
      const prop = propertySchema(node, name);
      if (!(name in value) || (prop && normalize(prop, ctx.schemas).readOnly)) continue;
      out.push(
        new LazyMutation('required', loc, pointer([name]), () => {
          const member = pointer([...loc.path, name]);
          return fc.constant({
            value: setAt(root, [...loc.path, name], REMOVE),
            expect: 'reject',
            breaks: { kind: 'schema', id: 'required', path: member, detail: `required property ${name} is missing` },
            label: `${member} required: ${name} missing`,
            base: root,
          });
        }),
      );
    }
    const count = Object.keys(value).length;
    const extra = additionalSchema(node);
    if (node.maxProperties !== undefined && extra && node.allowedNames === undefined && node.maxProperties < 300) {
      const need = Math.max(node.maxProperties + 1 - count, 1);
      add('maxProperties', `more than maxProperties ${node.maxProperties}`, () => {
        const keys = Array.from({ length: need }, (_, i) => `extraKey${i + 1}`).filter((k) => !(k in value));
        const values = fc.array(arbOf(extra, ctx, loc.path.length + 1), { minLength: keys.length, maxLength: keys.length });
        return values.map((vs) => ({ ...value, ...Object.fromEntries(keys.map((k, i) => [k, vs[i]])) }));
      });
    }
    if (node.minProperties !== undefined && node.minProperties >= 1 && count >= 1) {
      const min = node.minProperties;
      add('minProperties', `fewer than minProperties ${min}`, () => {
        const keep = Object.keys(value).slice(0, Math.min(min - 1, count));
        return fc.constant(Object.fromEntries(keep.map((k) => [k, value[k]])));
      });
    }
    if (node.additional === false) {
      const name = ['unexpectedProperty', 'extra', 'x-unknown'].find((n) => !(node.allowedNames ?? []).includes(n)) ?? 'unexpectedProperty2';
      add('additionalProperties', `undeclared property ${name}`, () => fc.constant({ ...value, [name]: 'surprise' }));
    }
  }
}

/**
 * A value of none of the allowed types. null only where a required property is: on an optional one, ARM and Key
 * Vault read null as "not sent" (and a PATCH as "leave alone"), which is no invalid input; as an array item,
 * Jackson and Json.NET keep it as an item of a list of strings (or boxed numbers), which a service may take.
 */
function wrongType(loc: Location, types: readonly JsonType[], root: unknown, out: Mutation[]): void {
  const candidates = types.includes('string') ? WRONG_FOR_STRING : types.some((t) => t === 'number' || t === 'integer' || t === 'boolean') ? WRONG_FOR_SCALAR : WRONG_FOR_STRUCTURE;
  const key = loc.path[loc.path.length - 1];
  const required = typeof key === 'string' && loc.container !== undefined && !Array.isArray(loc.container.value) && loc.container.node.required.includes(key);
  const wrong = wrongValues(candidates, types, required);
  if (wrong.length === 0) return;
  const make = (): fc.Arbitrary<Tagged<unknown>> => {
    const path = pointer(loc.path);
    const detail = `not of type ${types.join('|')}`;
    return fc.constantFrom(...wrong).map(
      (w): Tagged<unknown> => ({
        value: setAt(root, loc.path, structuredClone(w)),
        expect: 'reject',
        breaks: { kind: 'schema', id: 'type', path, detail },
        label: `${path || '/'} type: ${detail}`,
        base: root,
      }),
    );
  };
  out.push(new LazyMutation('type', loc, '', make));
}

/** The wrong values for a list of types (lists are the nodes' own, so by identity), with null where required. */
const WRONG = new WeakMap<readonly JsonType[], { [required: string]: readonly unknown[] }>();
function wrongValues(candidates: readonly unknown[], types: readonly JsonType[], required: boolean): readonly unknown[] {
  let byRequired = WRONG.get(types);
  if (!byRequired) WRONG.set(types, (byRequired = {}));
  return (byRequired[String(required)] ??= [...candidates, ...(required ? [null] : [])].filter((w) => !typeAllows(types, w)));
}

/** Adds a mutation; `make` builds its arbitrary, only if fast-check draws it. */
type Add = (id: string, detail: string, make: () => fc.Arbitrary<unknown>) => void;

/**
 * Near misses of a closed enum that name no member: a suffix, a plausible unknown name, a neighbouring number.
 * Not other casings or padding: .NET parses enums case-insensitively and trims them, so Azure may well accept
 * "autorenew" or " AutoRenew"; nor a fraction of a number member, which Jackson truncates onto it.
 */
function outsideEnum(node: Node): readonly unknown[] {
  let out = OUTSIDE.get(node);
  if (!out) OUTSIDE.set(node, (out = nearMisses(node)));
  return out;
}

/** Near misses per normalised node (nodes are memoised and read-only): worked out once, not per negative case. */
const OUTSIDE = new WeakMap<Node, readonly unknown[]>();

function nearMisses(node: Node): unknown[] {
  const listed = new Set((node.enum ?? []).map(canonical));
  const members = new Set((node.enum ?? []).map((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v)));
  const candidates: unknown[] = ['Unknown', 'unknown-value'];
  for (const v of node.enum ?? []) {
    if (typeof v === 'string') candidates.push(`${v}X`);
    else if (typeof v === 'number') candidates.push(v + 1, v - 1);
  }
  return [...new Map(candidates.map((c) => [canonical(c), c])).values()].filter(
    (c) => !listed.has(canonical(c)) && !members.has(typeof c === 'string' ? c.trim().toLowerCase() : c) && typeAllows(node.types, c),
  );
}

function numberMutations(node: Node, value: number, add: Add): void {
  const k = fc.integer({ min: 1, max: 1000 });
  const integer = node.types?.includes('integer') === true && !node.types.includes('number');
  // Integers step by whole units; numbers by quarters, which stay exact in binary floating point.
  const below = (b: number): fc.Arbitrary<number> => k.map((d) => (integer ? Math.ceil(b) - d : b - d / 4));
  const above = (b: number): fc.Arbitrary<number> => k.map((d) => (integer ? Math.floor(b) + d : b + d / 4));
  const { minimum, maximum } = node;
  if (minimum !== undefined) add('minimum', `below minimum ${minimum}`, () => below(minimum));
  if (maximum !== undefined) add('maximum', `above maximum ${maximum}`, () => above(maximum));
  if (node.exclusiveMinimum !== undefined) {
    const e = node.exclusiveMinimum;
    add('exclusiveMinimum', `at or below exclusiveMinimum ${e}`, () => fc.oneof(fc.constant(e), below(e)));
  }
  if (node.exclusiveMaximum !== undefined) {
    const e = node.exclusiveMaximum;
    add('exclusiveMaximum', `at or above exclusiveMaximum ${e}`, () => fc.oneof(fc.constant(e), above(e)));
  }
  if (node.format === 'int32') {
    if (node.minimum === undefined && node.exclusiveMinimum === undefined) add('format', 'below the int32 range', () => k.map((d) => INT32.min - d));
    if (node.maximum === undefined && node.exclusiveMaximum === undefined) add('format', 'above the int32 range', () => k.map((d) => INT32.max + d));
  }
  // No unixtime with fractional seconds: Json.NET reads 1700000000.5 into a long as it reads 1.5 into an int (it
  // rounds), so a service may take it, as it may take any fraction for an integer (see WRONG_FOR_SCALAR).
  const m = node.multipleOf;
  if (m !== undefined && m > 0) {
    const off = value + m / 2;
    if ((off / m) % 1 !== 0) add('multipleOf', `not a multiple of ${m}`, () => fc.constant(off));
  }
}

const ALPHABETS = ['abcdefghijklmnopqrstuvwxyz', 'éüßøñ', '中文字符', '😀🙂'];

function stringMutations(node: Node, value: string, add: Add): void {
  if (node.maxLength !== undefined) {
    const n = node.maxLength;
    add('maxLength', `longer than maxLength ${n}`, () => fc.tuple(fc.integer({ min: n + 1, max: n + 8 }), fc.constantFrom(...ALPHABETS)).map(([len, a]) => fill(len, a)));
  }
  if (node.minLength !== undefined && node.minLength >= 1) {
    const n = node.minLength;
    add('minLength', `shorter than minLength ${n}`, () => fc.integer({ min: 0, max: n - 1 }).map((len) => fill(len)));
  }
  const bad = nonMatching(node, value);
  if (bad !== undefined) add('pattern', `does not match ${node.patterns.join(' and ')}`, () => fc.constant(bad));
  const formats = node.format ? BAD_FORMATS[node.format] : undefined;
  if (formats && formats.length > 0) add('format', `not a valid ${node.format}`, () => fc.constantFrom(...formats));
}

function arrayMutations(node: Node, value: readonly unknown[], ctx: Ctx, loc: Location, add: Add): void {
  if (node.maxItems !== undefined && node.maxItems + 1 <= 300) {
    const extra = Math.max(node.maxItems + 1 - value.length, 0);
    add('maxItems', `more than maxItems ${node.maxItems}`, () => fc.array(arbOf(itemSchema(node) ?? {}, ctx, loc.path.length + 1), { minLength: extra, maxLength: extra + 2 }).map((more) => [...value, ...more]));
  }
  if (node.minItems !== undefined && node.minItems >= 1) {
    const n = node.minItems;
    add('minItems', `fewer than minItems ${n}`, () => fc.integer({ min: 0, max: Math.min(n - 1, value.length) }).map((len) => value.slice(0, len)));
  }
  if (node.uniqueItems && value.length >= 1) {
    const [first] = value;
    const room = node.maxItems === undefined || value.length < node.maxItems;
    // A duplicate of the first item: appended when there is room, else in place of the last one.
    if (room || value.length >= 2) add('uniqueItems', 'a duplicated item', () => fc.constant(room ? [...value, structuredClone(first)] : [...value.slice(0, -1), structuredClone(first)]));
  }
}
