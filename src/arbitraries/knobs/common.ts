/**
 * What the knobs share: fixtures, finding a component inside a body schema (paths are read from the schema,
 * never hard-coded), building a body around one edited location, and count verdicts.
 */
import fc from 'fast-check';
import type { Breaks, Expectation, Tagged } from '../../cases/tagged.js';
import type { JsonSchema } from '../../model/spec-model.js';
import { exampleOf } from '../example.js';
import { getAt, pointer, setAt, type Path } from '../pointer.js';
import { isRecord, itemSchema, normalize, propertySchema, type Node, type Schemas } from '../schema.js';
import { SEED } from '../strings.js';
import { context } from '../valid.js';

export interface KnobFixtures {
  /** The vault's tenant: every access policy names it (rule keyvault.updateAccessPolicy.same-tenant). */
  readonly tenantId?: string;
  /** Object ids for access policy entries, in order; distinct deterministic UUIDs fill the rest. */
  readonly objectIds?: readonly string[];
  /** For labels only: the schemas passed in already are this api-version's. */
  readonly apiVersion?: string;
  /** validity_months sent next to the days_before_expiry probes; default 12 (Key Vault's default). */
  readonly validityMonths?: number;
  /** Vault URL for API Management keyVault.secretIdentifier; default https://contoso-vault.vault.azure.net. */
  readonly keyVaultUrl?: string;
  /** A Key Vault secret the API Management service can read: its references are accepted, others either answer. */
  readonly keyVaultSecret?: { readonly secretIdentifier: string; readonly identityClientId?: string };
  /** A real PKCS#12 (base64) and its password, for the API Management data-only case; without it that case is left out. */
  readonly pfx?: { readonly data: string; readonly password: string };
}

/** A tenant id for when none is given; any UUID, but the vault's own is what a real target expects. */
export const PLACEHOLDER_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/** Does this raw schema point at the component (directly, or through allOf)? */
function refsTo(raw: JsonSchema, name: string): boolean {
  if (raw.$ref === `#/components/schemas/${name}`) return true;
  return Array.isArray(raw.allOf) && raw.allOf.some((p) => isRecord(p) && refsTo(p, name));
}

/**
 * The shortest path from component `from` to a location typed as component `to` (array items as index 0), found
 * by walking properties and items; undefined when `to` is not reachable.
 */
export function findPath(schemas: Schemas, from: string, to: string): Path | undefined {
  if (!schemas[from] || !schemas[to]) return undefined;
  const queue: { raw: JsonSchema; path: Path }[] = [{ raw: ref(from), path: [] }];
  const seen = new Set<string>();
  for (let item = queue.shift(); item; item = queue.shift()) {
    const { raw, path } = item;
    if (path.length > 0 && refsTo(raw, to)) return path;
    const key = typeof raw.$ref === 'string' ? raw.$ref : undefined;
    if (key) {
      if (seen.has(key)) continue;
      seen.add(key);
    }
    const node = normalize(raw, schemas);
    for (const name of Object.keys(node.properties)) {
      const child = propertySchema(node, name);
      if (child) queue.push({ raw: child, path: [...path, name] });
    }
    const items = itemSchema(node);
    if (items) queue.push({ raw: items, path: [...path, 0] });
  }
  return undefined;
}

/** The raw schema at a path below a root schema (following properties and items). */
export function schemaAt(root: JsonSchema, schemas: Schemas, path: Path): JsonSchema | undefined {
  let raw: JsonSchema | undefined = root;
  for (const seg of path) {
    if (!raw) return undefined;
    const node = normalize(raw, schemas);
    raw = typeof seg === 'number' ? itemSchema(node) : propertySchema(node, seg);
  }
  return raw;
}

export const nodeAt = (root: JsonSchema, schemas: Schemas, path: Path): Node | undefined => {
  const raw = schemaAt(root, schemas, path);
  return raw ? normalize(raw, schemas) : undefined;
};

/** The minimal valid value of a component (required properties only). */
export const minimal = (schemas: Schemas, name: string): unknown => exampleOf(ref(name), context(schemas), 'minimal', 0);
/** The full example of a component (every property a client may send). */
export const full = (schemas: Schemas, name: string): unknown => exampleOf(ref(name), context(schemas), 'full', 0);

/**
 * `value` placed at `path` inside `body`; containers missing on the way are first filled with their minimal
 * valid value, so the body stays valid around the edit.
 */
export function placeAt(root: JsonSchema, schemas: Schemas, body: unknown, path: Path, value: unknown): unknown {
  let out = body;
  for (let i = 1; i < path.length; i++) {
    const prefix = path.slice(0, i);
    if (getAt(out, prefix) !== undefined) continue;
    const raw = schemaAt(root, schemas, prefix);
    out = setAt(out, prefix, raw ? exampleOf(raw, context(schemas), 'minimal', prefix.length) : {});
  }
  return setAt(out, path, value);
}

/** `n` distinct random-looking UUIDs (no small-value bias), the same on every run. */
export function stableUuids(n: number, salt = 0): string[] {
  const out = new Set<string>();
  for (const u of fc.sample(fc.noBias(fc.uuid({ version: 4 })), { numRuns: n * 2 + 4, seed: SEED + salt })) {
    if (out.size < n) out.add(u);
  }
  return [...out];
}

/** A tagged body. */
export function tagged(value: unknown, expect: Expectation, label: string, breaks?: Breaks): Tagged<unknown> {
  return breaks ? { value, expect, breaks, label } : { value, expect, label };
}

export const rule = (id: string, path: Path, detail: string): Breaks => ({ kind: 'rule', id, path: pointer(path), detail });
export const schemaBreak = (id: string, path: Path, detail: string): Breaks => ({ kind: 'schema', id, path: pointer(path), detail });

/** When the schema itself bounds an array's length, its verdict on `n` items (undefined: the schema allows n). */
export function schemaCount(node: Node | undefined, n: number, path: Path): Breaks | undefined {
  if (node?.minItems !== undefined && n < node.minItems) return schemaBreak('minItems', path, `${n} items (minItems ${node.minItems})`);
  if (node?.maxItems !== undefined && n > node.maxItems) return schemaBreak('maxItems', path, `${n} items (maxItems ${node.maxItems})`);
  return undefined;
}
