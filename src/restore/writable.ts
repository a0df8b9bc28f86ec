/**
 * The writable part of a value, as its schema says: members the schema declares and does not mark readOnly,
 * recursively. What a GET returns is sent back through a PATCH or PUT only in this form, so read-only members
 * (id, created, updated, recoveryLevel) and members outside the spec (a real service's extras, such as
 * x509_props.basic_constraints) are never written.
 */
import type { JsonSchema } from '../model/spec-model.js';

type Schemas = { readonly [name: string]: JsonSchema };

const isObj = (v: unknown): v is { [k: string]: unknown } => typeof v === 'object' && v !== null && !Array.isArray(v);

function deref(s: unknown, schemas: Schemas): JsonSchema | undefined {
  if (!isObj(s)) return undefined;
  const ref = s.$ref;
  return typeof ref === 'string' ? schemas[ref.split('/').pop() ?? ''] : s;
}

export function writable(value: unknown, schema: unknown, schemas: Schemas): unknown {
  const s = deref(schema, schemas);
  if (!s) return value;
  if (Array.isArray(value)) return s.items === undefined ? value : value.map((v) => writable(v, s.items, schemas));
  if (!isObj(value) || !isObj(s.properties)) return value;
  const props = s.properties;
  const out: { [k: string]: unknown } = {};
  for (const [k, v] of Object.entries(value)) {
    const raw = props[k];
    if (!isObj(raw) || raw.readOnly === true || deref(raw, schemas)?.readOnly === true || v === undefined) continue;
    out[k] = writable(v, raw, schemas);
  }
  return out;
}
