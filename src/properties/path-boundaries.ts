import { FIXTURE_PATH_PARAMS } from '../targets/fixtures.js';
import type { CaseInput, PropertyContext } from './types.js';

/** Lengths around every bound the four operations' names have (3–24, 1–50, 1–80, 1–90; 0 = an empty segment), and pattern breakers. */
const LENGTHS = [0, 1, 2, 3, 24, 25, 50, 51, 80, 81, 90, 91];
const BREAKERS = ['bad*name', 'bad#name', 'bad:name', 'bad name', '-lead', 'trail-', '1digit', 'ünï'];

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
 * Boundaries of constrained path parameters (vaultName, serviceName, certificateId, resourceGroupName). The
 * generated params validator decides which candidates are valid, so nothing AJV rejects is ever called valid.
 * A valid name of a resource the kit does not own may simply not exist: that case is 'either', never 'accept';
 * so is a valid name that is not plain (PLAIN_NAME).
 */
export function pathBoundaries(ctx: PropertyContext, base: { readonly [k: string]: string }): CaseInput[] {
  const op = ctx.operation;
  const fixture = FIXTURE_PATH_PARAMS[op.id]?.(ctx.fixtures) ?? {};
  const params = { ...fixture, ...base };
  const out: CaseInput[] = [];
  for (const p of op.model.parameters.filter((x) => x.in === 'path')) {
    const s = p.schema as { pattern?: unknown; maxLength?: unknown; minLength?: unknown };
    if (s.pattern === undefined && s.maxLength === undefined) continue;
    const candidates = [...LENGTHS.map((n) => 'a'.repeat(n)), ...BREAKERS];
    for (const value of candidates) {
      const path = { ...params, [p.name]: value };
      const ok = op.validators.request.params({ path, query: { 'api-version': op.apiVersion }, header: {} });
      const err = op.validators.request.params.errors?.find((e) => e.instancePath === `/path/${p.name}`);
      if (!ok && !err) continue; // invalid for another reason: not a probe of this parameter
      const label = `${p.name}=${value.length > 12 ? `'${value[0]}'×${value.length}` : JSON.stringify(value)}`;
      out.push(
        ok
          ? { kind: 'boundary', expect: p.name in fixture || !PLAIN_NAME.test(value) ? 'either' : 'accept', label, value: { pathParams: path } }
          : { kind: 'boundary', expect: 'reject', label, breaks: { kind: 'schema', id: err?.keyword ?? 'pattern', path: `/path/${p.name}`, detail: `${label} ${err?.message ?? ''}` }, value: { pathParams: path } },
      );
    }
  }
  for (const sp of SPECIAL[op.id] ?? []) {
    // Prism's router matches no empty segment (it answers 422), so a mock is not held to it.
    out.push({ kind: 'boundary', expect: ctx.profile === 'mock' ? 'either' : 'accept', label: sp.label, value: { pathParams: { ...params, [sp.param]: sp.value } } });
  }
  return out;
}
