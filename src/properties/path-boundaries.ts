import type { RequestParts } from '../cases/request.js';
import { FIXTURE_PATH_PARAMS } from '../targets/fixtures.js';
import type { CaseInput, PropertyContext } from './types.js';

/** What the spec states about one path or query parameter: the keywords the probes below are built from. */
interface ParamSchema {
  readonly enum?: readonly unknown[];
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly format?: string;
}

/**
 * Values outside a closed enum. Never another casing of a listed value: ARM compares path segments
 * case-insensitively (operationKind ADD is add), so only values no casing of the list matches are invalid.
 */
const OUTSIDE_ENUM = ['merge', 'update', 'delete', ''];
/** Values that break a pattern of the names the four operations take (a forbidden character, a bad first or last one). */
const PATTERN_BREAKERS = ['bad*name', 'bad#name', 'bad:name', 'bad name', '-lead', 'trail-', '1digit', 'ünï'];
/** Values that break a format, per format. */
const FORMAT_BREAKERS: { readonly [format: string]: readonly string[] } = {
  uuid: ['not-a-uuid', '00000000-0000-0000-0000-00000000000', '00000000-0000-0000-0000-00000000000g'],
};

const run = (n: number): string => 'a'.repeat(n);
/** Lengths at and past a bound (n-1, n; m, m+1), the empty value included. */
const around = (lo: number | undefined, hi: number | undefined): number[] => [
  ...(lo === undefined ? [] : [lo - 1, lo]),
  ...(hi === undefined ? [] : [hi, hi + 1]),
].filter((n) => n >= 0);
/** A pattern's own length bounds ({3,24} in ^[a-zA-Z0-9-]{3,24}$), so they are probed like minLength/maxLength. */
const patternLengths = (pattern: string): number[] => {
  const m = /\{(\d+),(\d+)\}\$?$/.exec(pattern);
  return m ? around(Number(m[1]), Number(m[2])) : [];
};

/** One row per keyword: the values that probe it, read from the parameter's schema. */
const PROBES: readonly ((s: ParamSchema) => readonly string[])[] = [
  (s) => (Array.isArray(s.enum) ? OUTSIDE_ENUM.filter((v) => !s.enum?.some((e) => typeof e === 'string' && e.toLowerCase() === v.toLowerCase())) : []),
  (s) => around(s.minLength, s.maxLength).map(run),
  (s) => (s.pattern === undefined ? [] : [...PATTERN_BREAKERS, '', ...patternLengths(s.pattern).map(run)]),
  (s) => (s.format === undefined ? [] : (FORMAT_BREAKERS[s.format] ?? [])),
];

/** Where a parameter's value goes in a request, per location (the only query parameter is api-version). */
const PLACE: { readonly [where: string]: (name: string, value: string, path: { readonly [k: string]: string }) => Partial<RequestParts> | undefined } = {
  path: (name, value, path) => ({ pathParams: { ...path, [name]: value } }),
  query: (name, value) => (name === 'api-version' ? { apiVersion: value } : undefined),
};

/**
 * A name every Azure resource provider takes when the schema allows it: letters and digits, inner dots, dashes
 * and underscores. Others the schema allows (a space, a non-ASCII letter, a leading dash) are the provider's call.
 */
const PLAIN_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/**
 * Path values with a meaning of their own, per operation: the SDKs send an empty certificate version (a trailing
 * slash) to mean the latest one, and the service accepts it (REAL-CLIENTS.md, recorded traffic).
 */
const SPECIAL: { readonly [operationId: string]: readonly { readonly param: string; readonly value: string; readonly label: string }[] } = {
  UpdateCertificate: [{ param: 'certificate-version', value: '', label: "certificate-version='' (the latest version, as the SDKs send it)" }],
};

/**
 * Probes of every constrained path and query parameter (closed enums such as operationKind, patterns, lengths and
 * formats of vaultName, serviceName, certificateId, resourceGroupName, subscriptionId, api-version), built from
 * the table above and the parameter's schema. The generated params validator decides which candidates are
 * valid, so nothing AJV rejects is ever called valid, and every invalid one claims a 4xx (ARM answers an unknown
 * route 404, a bad name 400: either is a refusal). A valid name of a resource the kit does not own may simply not
 * exist: that case is 'either', never 'accept'; so is a valid name that is not plain (PLAIN_NAME).
 */
export function pathBoundaries(ctx: PropertyContext, base: { readonly [k: string]: string }): CaseInput[] {
  const op = ctx.operation;
  const fixture = FIXTURE_PATH_PARAMS[op.id]?.(ctx.fixtures) ?? {};
  const params = { ...fixture, ...base };
  const out: CaseInput[] = [];
  for (const p of op.model.parameters) {
    const place = PLACE[p.in];
    const schema = p.schema as ParamSchema;
    const candidates = [...new Set(PROBES.flatMap((probe) => probe(schema)))];
    for (const value of place ? candidates : []) {
      const parts = place?.(p.name, value, params);
      if (!parts) continue;
      const query = { 'api-version': p.in === 'query' && p.name === 'api-version' ? value : op.apiVersion };
      const path = parts.pathParams ?? params;
      const ok = op.validators.request.params({ path, query, header: {} });
      const where = `/${p.in}/${p.name}`;
      const err = op.validators.request.params.errors?.find((e) => e.instancePath === where);
      if (!ok && !err) continue; // invalid for another reason: not a probe of this parameter
      const label = `${p.name}=${value.length > 12 && /^(.)\1*$/u.test(value) ? `'${value[0]}'×${value.length}` : JSON.stringify(value)}`;
      const request = { pathParams: params, ...parts };
      out.push(
        ok
          ? { kind: 'boundary', expect: p.name in fixture || p.in !== 'path' || !PLAIN_NAME.test(value) ? 'either' : 'accept', label, value: request }
          : { kind: 'boundary', expect: 'reject', label, breaks: { kind: 'schema', id: err?.keyword ?? 'pattern', path: where, detail: `${label} ${err?.message ?? ''}` }, value: request },
      );
    }
  }
  for (const sp of SPECIAL[op.id] ?? []) {
    // Prism's router matches no empty segment (it answers 422), so a mock is not held to it.
    out.push({ kind: 'boundary', expect: ctx.profile === 'mock' ? 'either' : 'accept', label: sp.label, value: { pathParams: { ...params, [sp.param]: sp.value } } });
  }
  return out;
}
