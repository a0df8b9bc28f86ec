import { BodyText, jsonText } from '../http/json-text.js';
import { FIXTURE_PATH_PARAMS, MISSING_RESOURCE } from '../targets/fixtures.js';
import type { CaseInput, PropertyContext, PropertyDef } from './types.js';
import { REALISTIC } from './realistic.js';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';

/** One realistic, rule-keeping request to build probes on (deterministic: probes are a table). */
function baseline(ctx: PropertyContext): { pathParams: { [k: string]: string }; body: unknown } {
  const arb = REALISTIC[ctx.operation.id]?.(ctx);
  if (!arb) return { pathParams: {}, body: {} };
  const [v] = fc.sample(arb, { seed: 42, numRuns: 1 });
  return { pathParams: { ...(v?.pathParams ?? {}) }, body: v?.body };
}

const swapCase = (s: string): string => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');

/** Azure-wide behaviour every operation must show: auth, api-version handling, missing resources, names in any case. */
export const probes: PropertyDef = {
  name: 'probes',
  // New resource names every run (a fresh certificateId, a name that does not exist): never reused.
  fresh: true,
  table: (ctx) => {
    const base = baseline(ctx);
    const cases: CaseInput[] = [
      { kind: 'auth', expect: 'reject', label: 'no Authorization header', value: { ...base, anonymous: true } },
      { kind: 'api-version', expect: 'reject', label: 'missing api-version', value: { ...base, apiVersion: null } },
      { kind: 'api-version', expect: 'reject', label: 'unknown api-version 1999-01-01', value: { ...base, apiVersion: '1999-01-01' } },
      // Newer than every version: a service answers only the versions it has ("The specified version (…) is not
      // recognized"), it does not serve an unknown later one as its newest.
      { kind: 'api-version', expect: 'reject', label: 'unknown api-version 2099-01-01 (after every known one)', value: { ...base, apiVersion: '2099-01-01' } },
      // The same URI as api-version=… (RFC 3986 §2.3, §6.2.2.2: "should be decoded ... by URI normalizers"): an
      // emulator that matches the raw query string refuses it, and with it the clients that encode the key.
      { kind: 'api-version', expect: 'accept', label: 'api-version written api%2Dversion', value: { ...base, apiVersionKey: 'api%2Dversion' } },
    ];
    // No body where the body parameter is required (`required: true`): an emulator that reads nothing as `{}`
    // (JSON.parse(text || '{}')) takes it, and a PUT of contacts then clears them. A PATCH of nothing read as a
    // PATCH of `{}` changes nothing: either answer there.
    const patch = ctx.operation.model.method.toUpperCase() === 'PATCH';
    if (ctx.operation.model.requestBody?.required) {
      cases.push({
        kind: 'negative',
        expect: patch ? 'either' : 'reject',
        label: 'no request body (the body parameter is required)',
        breaks: { kind: 'schema', id: 'required', path: '', detail: 'the request body is required and none was sent' },
        value: { ...base, body: undefined },
      });
    }
    // A body that is not JSON (the realistic one cut short): a 400, as from any JSON binder; an unguarded
    // JSON.parse answers 500 (server.error), and one that reads it as `{}` takes it. A PATCH binder may read an
    // unreadable body as none, which changes nothing (as above): either answer there.
    if (ctx.operation.model.requestBody && base.body !== undefined) {
      const text = jsonText(base.body);
      cases.push({
        kind: 'negative',
        expect: patch ? 'either' : 'reject',
        label: 'a body that is not JSON (the realistic one cut short)',
        breaks: { kind: 'schema', id: 'json-syntax', path: '', detail: 'the request body is not JSON' },
        value: { ...base, body: new BodyText(text.slice(0, Math.max(1, text.length - 1))) },
      });
    }
    // A member no schema declares, beside the documented ones: no object of the four specs is closed, so a service
    // may take or refuse it (ARM providers differ), but never answer 5xx (a binder that fails on unknown members).
    if (base.body !== null && typeof base.body === 'object' && !Array.isArray(base.body)) {
      cases.push({ kind: 'knob', expect: 'either', label: 'an undeclared member beside the documented ones', value: { ...base, body: { ...(base.body as object), azconformUndeclared: 'probe' } } });
    }
    // A name the spec calls case-insensitive ("The name of the resource group. The name is case insensitive."),
    // written in the other case, names the same resource: an emulator keying its store by the exact string answers
    // 404. Only with a realistic body, so that the request keeps every rule and nothing but the case is judged.
    if (REALISTIC[ctx.operation.id]) {
      const fixed = FIXTURE_PATH_PARAMS[ctx.operation.id]?.(ctx.fixtures) ?? {};
      for (const p of ctx.operation.model.parameters) {
        const value = fixed[p.name];
        if (p.in !== 'path' || !/\bcase[- ]insensitive\b/i.test(p.description ?? '') || value === undefined || swapCase(value) === value) continue;
        cases.push({ kind: 'positive', expect: 'accept', label: `${p.name} ${swapCase(value)} (the case-insensitive ${value})`, value: { ...base, pathParams: { ...base.pathParams, [p.name]: swapCase(value) } } });
      }
    }
    for (const missing of MISSING_RESOURCE[ctx.operation.id] ?? []) {
      // Pattern-valid for every resource kind: letters, digits, no dash at either end.
      const name = missing.hex32 ? randomBytes(16).toString('hex') : `azc${Date.now().toString(36)}x${Math.floor(Math.random() * 1e6).toString(36)}`.slice(0, 24);
      cases.push({
        kind: 'not-found',
        expect: 'reject',
        label: `${missing.label} (${name})`,
        value: { ...base, pathParams: { ...base.pathParams, [missing.param]: name } },
      });
    }
    return cases;
  },
};
