/**
 * Members an answer spells differently from a member its schema declares on the same object: the same name up to
 * case, `_` and `-` (`recovery_level` for `recoveryLevel`, `lifetimeActions` for `lifetime_actions`), with the
 * declared one absent. JSON member names are compared exactly (RFC 8259 §8.3), so a client reading the declared
 * name finds nothing: what a model serialised in its own language's style answers. Azure's specs leave objects
 * open (the service adds members of its own, such as `pending`), so the schema alone lets this through.
 */
import { additionalSchema, itemSchema, normalize, propertySchema, type Node, type Schemas } from '../arbitraries/schema.js';

export interface Respelling {
  /** JSON pointer of the member found. */
  readonly path: string;
  readonly found: string;
  readonly declared: string;
}

const fold = (name: string): string => name.replace(/[_-]/g, '').toLowerCase();
const escape = (name: string): string => name.replace(/~/g, '~0').replace(/\//g, '~1');
/** Deep enough for every documented body of the four operations (a policy's trigger is 4 levels down). */
const MAX_DEPTH = 12;

/** A node's declared names by their folded form, once per node (nodes are memoised): every answer is walked. */
const FOLDED = new WeakMap<Node, ReadonlyMap<string, string>>();
function foldedNames(node: Node): ReadonlyMap<string, string> {
  let names = FOLDED.get(node);
  if (!names) FOLDED.set(node, (names = new Map(Object.keys(node.properties).map((d) => [fold(d), d]))));
  return names;
}

/** Every respelled member of `value` under `schema`, walking declared members, array items and map values. */
export function respelledMembers(value: unknown, schema: unknown, schemas: Schemas): Respelling[] {
  const out: Respelling[] = [];
  walk(value, schema, schemas, '', 0, out);
  return out;
}

function walk(value: unknown, schema: unknown, schemas: Schemas, path: string, depth: number, out: Respelling[]): void {
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null || schema === undefined) return;
  const node = normalize(schema, schemas);
  if (Array.isArray(value)) {
    const items = itemSchema(node);
    if (items === undefined) return;
    value.forEach((v, i) => walk(v, items, schemas, `${path}/${i}`, depth + 1, out));
    return;
  }
  const declared = Object.keys(node.properties);
  const byFold = foldedNames(node);
  const members = value as { readonly [k: string]: unknown };
  for (const [k, v] of Object.entries(members)) {
    const where = `${path}/${escape(k)}`;
    if (node.properties[k]) {
      walk(v, propertySchema(node, k), schemas, where, depth + 1, out);
      continue;
    }
    const twin = byFold.get(fold(k));
    if (twin !== undefined && members[twin] === undefined) {
      out.push({ path: where, found: k, declared: twin });
      continue;
    }
    const values = declared.length === 0 ? additionalSchema(node) : undefined;
    if (values !== undefined) walk(v, values, schemas, where, depth + 1, out);
  }
}
