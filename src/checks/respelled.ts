/**
 * Members an answer spells differently from a member its schema declares on the same object: the same name up to
 * case, `_` and `-` (`recovery_level` for `recoveryLevel`, `lifetimeActions` for `lifetime_actions`), with the
 * declared one absent. JSON member names are compared exactly (RFC 8259 §8.3), so a client reading the declared
 * name finds nothing: what a model serialised in its own language's style answers. Azure's specs leave objects
 * open (the service adds members of its own, such as `pending`), so the schema alone lets this through.
 */
import { eachObject } from '../arbitraries/locate.js';
import { pointer } from '../arbitraries/pointer.js';
import type { Node, Schemas } from '../arbitraries/schema.js';
import type { JsonSchema } from '../model/spec-model.js';

export interface Respelling {
  /** JSON pointer of the member found. */
  readonly path: string;
  readonly found: string;
  readonly declared: string;
}

const fold = (name: string): string => name.replace(/[_-]/g, '').toLowerCase();

/** A node's declared names by their folded form, once per node (nodes are memoised): every answer is walked. */
const FOLDED = new WeakMap<Node, ReadonlyMap<string, string>>();
function foldedNames(node: Node): ReadonlyMap<string, string> {
  let names = FOLDED.get(node);
  if (!names) FOLDED.set(node, (names = new Map(Object.keys(node.properties).map((d) => [fold(d), d]))));
  return names;
}

/**
 * Every respelled member of `value` under `schema`: the kit's walk of a value with its schema (locate.ts: every
 * object, array item and map value, with the oneOf alternative that fits), each object's members read against the
 * names its node declares. A map (no declared names) has nothing to respell.
 */
export function respelledMembers(value: unknown, schema: JsonSchema, schemas: Schemas): Respelling[] {
  const out: Respelling[] = [];
  eachObject(schema, schemas, value, (node, members, at) => {
    const byFold = foldedNames(node);
    if (byFold.size === 0) return;
    for (const k of Object.keys(members)) {
      if (k in node.properties) continue;
      const twin = byFold.get(fold(k));
      if (twin !== undefined && members[twin] === undefined) out.push({ path: pointer([...at, k]), found: k, declared: twin });
    }
  });
  return out;
}
