import { MISSING_RESOURCE } from '../targets/fixtures.js';
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

/** Azure-wide behaviour every operation must show: auth, api-version handling, missing resources. */
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
      // The same URI as api-version=… (RFC 3986 §2.3, §6.2.2.2: "should be decoded ... by URI normalizers"): an
      // emulator that matches the raw query string refuses it, and with it the clients that encode the key.
      { kind: 'api-version', expect: 'accept', label: 'api-version written api%2Dversion', value: { ...base, apiVersionKey: 'api%2Dversion' } },
    ];
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
