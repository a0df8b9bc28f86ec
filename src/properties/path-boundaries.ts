import { FIXTURE_PATH_PARAMS } from '../targets/fixtures.js';
import type { CaseInput, PropertyContext } from './types.js';

/** Lengths around every bound the four operations' names have (3–24, 1–50, 1–80, 1–90), and pattern breakers. */
const LENGTHS = [1, 2, 3, 24, 25, 50, 51, 80, 81, 90, 91];
const BREAKERS = ['bad*name', 'bad#name', 'bad:name', 'bad name', '-lead', 'trail-', '1digit', 'ünï'];

/**
 * Boundaries of constrained path parameters (vaultName, serviceName, certificateId, resourceGroupName). The
 * generated params validator decides which candidates are valid, so nothing AJV rejects is ever called valid.
 * A valid name of a resource the kit does not own may simply not exist: that case is 'either', never 'accept'.
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
          ? { kind: 'boundary', expect: p.name in fixture ? 'either' : 'accept', label, value: { pathParams: path } }
          : { kind: 'boundary', expect: 'reject', label, breaks: { kind: 'schema', id: err?.keyword ?? 'pattern', path: `/path/${p.name}`, detail: `${label} ${err?.message ?? ''}` }, value: { pathParams: path } },
      );
    }
  }
  return out;
}
