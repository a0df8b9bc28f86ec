/**
 * The writable part of a value, as its schema says: members the schema declares and does not mark readOnly,
 * recursively. What a GET returns is sent back through a PATCH or PUT only in this form, so read-only members
 * (id, created, updated, recoveryLevel) and members outside the spec (a real service's extras, such as
 * x509_props.basic_constraints) are never written. The schema is read through the generators' normaliser, so
 * $ref and allOf compose as everywhere else in the kit.
 */
import { isRecord, normalize, type Schemas } from '../arbitraries/schema.js';
import type { JsonSchema } from '../model/spec-model.js';

/** Several schemas that must all hold, as one. */
const all = (parts: readonly JsonSchema[]): JsonSchema | undefined => (parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : { allOf: [...parts] });

export function writable(value: unknown, schema: unknown, schemas: Schemas): unknown {
  if (!isRecord(schema)) return value;
  const n = normalize(schema, schemas);
  if (Array.isArray(value)) {
    const items = all(n.items);
    return items === undefined ? value : value.map((v) => writable(v, items, schemas));
  }
  if (!isRecord(value) || Object.keys(n.properties).length === 0) return value;
  const out: { [k: string]: unknown } = {};
  for (const [k, v] of Object.entries(value)) {
    const member = all(n.properties[k] ?? []);
    if (member === undefined || v === undefined || normalize(member, schemas).readOnly) continue;
    out[k] = writable(v, member, schemas);
  }
  return out;
}
