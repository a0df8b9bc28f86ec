/**
 * Walk a value together with its schema: every location (root, properties, map entries, array items) with the
 * normalised constraints that apply there. Boundary probes and mutations pick their targets from this list.
 */
import type { JsonSchema } from '../model/spec-model.js';
import { getAt, pointer, setAt, type Path } from './pointer.js';
import { alternatives, canonical, isRecord, itemSchema, normalize, propertySchema, typeAllows, type JsonType, type Node, type Schemas } from './schema.js';

export interface Location {
  readonly path: Path;
  /** Constraints here, with the oneOf/anyOf alternative that fits the value already chosen. */
  readonly node: Node;
  readonly value: unknown;
  /** A oneOf/anyOf alternative was chosen here or above: a change might make another alternative match. */
  readonly underChoice: boolean;
  /**
   * Set where a oneOf/anyOf is chosen at this very location (not above it) and every alternative declares its
   * types: their union. A value of none of these types fails every alternative, whatever the choice.
   */
  readonly choiceTypes?: readonly JsonType[];
  /** This location or one above it is readOnly. */
  readonly readOnly: boolean;
  /** The object or array holding this location (undefined for the root). */
  readonly container?: Location;
}

export interface WalkOptions {
  /** Visit only the first item of each array and the first entry of each map (the default): fewer duplicates. */
  readonly firstOnly?: boolean;
}

/** A cheap structural check: is this alternative the one the value was built from? */
function fits(node: Node, value: unknown): boolean {
  if (!typeAllows(node.types, value)) return false;
  if (node.enum && !inEnum(node.enum, value)) return false;
  if (isRecord(value)) {
    // Loops, not every() with a closure: this runs at every location of every generated negative case.
    for (const r of node.required) if (!(r in value)) return false;
    const allowed = node.allowedNames;
    // for…in, not Object.keys: values here are plain JSON objects, and no key list is built per location.
    if (allowed) for (const k in value) if (!allowed.includes(k)) return false;
  }
  return true;
}

/** Is `value` a member of `list`? A scalar by `includes`; a structure by its canonical text, worked out once. */
function inEnum(list: readonly unknown[], value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return list.includes(value);
  const key = canonical(value);
  return list.some((e) => canonical(e) === key);
}

/** The alternative the value was built from: the first that fits, else the first. */
function pick(alts: readonly Node[], v: unknown): Node | undefined {
  for (const n of alts) if (fits(n, v)) return n;
  return alts[0];
}

export function locations(schema: JsonSchema, schemas: Schemas, value: unknown, opts: WalkOptions = {}): Location[] {
  const out: Location[] = [];
  const firstOnly = opts.firstOnly ?? true;
  const visit = (raw: JsonSchema, v: unknown, path: Path, underChoice: boolean, readOnly: boolean, container?: Location): void => {
    const alts = alternatives(normalize(raw, schemas), schemas);
    const node = pick(alts, v);
    if (!node) return;
    const choiceTypes =
      alts.length > 1 && !underChoice && alts.every((a) => a.types !== undefined) ? [...new Set(alts.flatMap((a) => a.types ?? []))] : undefined;
    // By assignment, optional members only when present: a spread of `{}` per location of every negative case.
    const loc: { -readonly [K in keyof Location]: Location[K] } = { path, node, value: v, underChoice: underChoice || alts.length > 1, readOnly: readOnly || node.readOnly };
    if (choiceTypes) loc.choiceTypes = choiceTypes;
    if (container) loc.container = container;
    out.push(loc);
    if (Array.isArray(v)) {
      const items = itemSchema(node);
      if (!items) return;
      const indexes = firstOnly ? v.slice(0, 1).map((_, i) => i) : v.map((_, i) => i);
      for (const i of indexes) visit(items, v[i], [...path, i], loc.underChoice, loc.readOnly, loc);
    } else if (isRecord(v)) {
      let sawEntry = false;
      for (const key of Object.keys(v)) {
        const declared = key in node.properties;
        if (!declared && firstOnly && sawEntry) continue;
        const child = propertySchema(node, key);
        if (!child) continue;
        if (!declared) sawEntry = true;
        visit(child, v[key], [...path, key], loc.underChoice, loc.readOnly, loc);
      }
    }
  };
  visit(schema, value, [], false, false);
  return out;
}

/**
 * Every object in `value` (the root, members, every array item and map value) with the node that applies to it:
 * the walk `locations` makes with `firstOnly: false`, for checks that read every answer. It builds no location per
 * value: `at` is one path, valid only during the call (copy it to keep it).
 */
export function eachObject(schema: JsonSchema, schemas: Schemas, value: unknown, fn: (node: Node, members: Readonly<Record<string, unknown>>, at: Path) => void): void {
  const path: (string | number)[] = [];
  const visit = (raw: JsonSchema, v: unknown): void => {
    // Only objects and arrays hold objects: a scalar needs no node.
    if (typeof v !== 'object' || v === null) return;
    const node = pick(alternatives(normalize(raw, schemas), schemas), v);
    if (!node) return;
    if (Array.isArray(v)) {
      const items = itemSchema(node);
      if (!items) return;
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        visit(items, v[i]);
        path.pop();
      }
      return;
    }
    const members = v as Record<string, unknown>;
    fn(node, members, path);
    for (const key of Object.keys(members)) {
      const child = propertySchema(node, key);
      if (!child) continue;
      path.push(key);
      visit(child, members[key]);
      path.pop();
    }
  };
  visit(schema, value);
}

/**
 * `root` with the value at `loc` replaced. Inside a uniqueItems array a replacement equal to a sibling swaps
 * with it instead, so probing one item does not also break uniqueItems.
 */
export function replaceAt(root: unknown, loc: Location, next: unknown): unknown {
  const out = setAt(root, loc.path, next);
  const holder = loc.container;
  const index = loc.path[loc.path.length - 1];
  if (!holder || !holder.node.uniqueItems || typeof index !== 'number') return out;
  const arr = getAt(out, holder.path);
  if (!Array.isArray(arr)) return out;
  const key = canonical(next);
  const twin = arr.findIndex((x, i) => i !== index && canonical(x) === key);
  return twin < 0 ? out : setAt(out, [...holder.path, twin], loc.value);
}

/**
 * The location as a pattern of the schema, not of this value: `*` for an array index or a map entry, so the same
 * constraint has one name whatever the body (`/properties/accessPolicies/*\/permissions` for every entry).
 */
export function patternOf(loc: Location): string {
  const holder = loc.container;
  const seg = loc.path[loc.path.length - 1];
  if (!holder || seg === undefined) return '';
  const wild = Array.isArray(holder.value) || !(String(seg) in holder.node.properties);
  return `${patternOf(holder)}${wild ? '/*' : pointer([seg])}`;
}
