import type { JsonSchema } from '../../src/model/spec-model.js';
import { isObject } from './load-spec.js';

export type EnumMode = 'strict' | 'tolerant';

/** Keywords whose value is a map of names to schemas: their keys are names, not keywords. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas']);
/** Annotations AJV does not need; dropping them keeps the generated code small and strict mode quiet. */
const DROPPED = new Set(['description', 'title', 'example', 'examples', 'deprecated', 'externalDocs', 'xml']);

/**
 * Make a self-contained JSON Schema (2020-12) for AJV from an OpenAPI schema: reachable component schemas go
 * into `$defs`, extensions and annotations are dropped, and in `tolerant` mode open enums lose their `enum`.
 */
export function toAjvSchema(root: JsonSchema, components: { [name: string]: JsonSchema }, mode: EnumMode): JsonSchema {
  const names = reachable(root, components);
  const out: { [key: string]: unknown } = { ...(clean(root, mode) as object) };
  if (names.length > 0) {
    out.$defs = Object.fromEntries(names.map((n) => [n, clean(components[n], mode)]));
  }
  return out;
}

/** Component names reachable from a schema, in first-seen order (deterministic output). */
export function reachable(root: unknown, components: { [name: string]: JsonSchema }): string[] {
  const seen: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isObject(node)) return;
    const ref = node.$ref;
    if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
      const name = ref.slice('#/components/schemas/'.length);
      if (!seen.includes(name)) {
        seen.push(name);
        visit(components[name]);
      }
    }
    for (const v of Object.values(node)) visit(v);
  };
  visit(root);
  return seen;
}

function clean(node: unknown, mode: EnumMode): unknown {
  if (Array.isArray(node)) return node.map((n) => clean(n, mode));
  if (!isObject(node)) return node;
  const open = isObject(node['x-ms-enum']) && node['x-ms-enum'].modelAsString === true;
  const out: { [key: string]: unknown } = {};
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith('x-') || DROPPED.has(k)) continue;
    if (k === 'enum' && open && mode === 'tolerant') continue;
    if (k === '$ref' && typeof v === 'string') {
      out[k] = v.replace('#/components/schemas/', '#/$defs/');
    } else if (SCHEMA_MAPS.has(k) && isObject(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, clean(s, mode)]));
    } else {
      out[k] = clean(v, mode);
    }
  }
  return out;
}

/** `{path, query, header}` as one object schema; header names are lower-case as HTTP stacks deliver them. */
export function paramsSchema(
  params: readonly { name: string; in: string; required: boolean; schema: JsonSchema }[],
): JsonSchema {
  const group = (where: string): JsonSchema => {
    const mine = params.filter((p) => p.in === where);
    const key = (n: string): string => (where === 'header' ? n.toLowerCase() : n);
    return {
      type: 'object',
      properties: Object.fromEntries(mine.map((p) => [key(p.name), p.schema])),
      required: mine.filter((p) => p.required).map((p) => key(p.name)),
    };
  };
  return {
    type: 'object',
    properties: { path: group('path'), query: group('query'), header: group('header') },
    required: ['path', 'query', 'header'],
  };
}

export function headersSchema(headers: readonly { name: string; required: boolean; schema: JsonSchema }[]): JsonSchema {
  return {
    type: 'object',
    properties: Object.fromEntries(headers.map((h) => [h.name.toLowerCase(), h.schema])),
    required: headers.filter((h) => h.required).map((h) => h.name.toLowerCase()),
  };
}
