import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadOperations, type Operation } from '../../src/model/registry.js';
import { sessionCertificates } from '../../src/pki/session-certificates.js';
import { boundaries, constraints, negative } from '../../src/properties/index.js';
import type { CaseInput, PropertyContext } from '../../src/properties/types.js';
import { brokenRequestRules } from '../../src/rules/request-rules.js';
import type { Pkcs12Certificate } from '../../src/pki/pkcs12.js';
import { DEFAULT_FIXTURES } from '../../src/targets/fixtures.js';

/** Pointers (RFC 6901) where two JSON values differ: a missing member or a changed length is the container's. */
function differences(a: unknown, b: unknown, at = ''): string[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [at];
    return a.flatMap((x, i) => differences(x, b[i], `${at}/${i}`));
  }
  const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (isObj(a) && isObj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => (k in a && k in b ? differences(a[k], b[k], `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`) : [`${at}/${k}`]));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [at];
}

const within = (path: string, scope: string): boolean => path === scope || path.startsWith(`${scope}/`);
/** A probe of an array item may swap it with an equal sibling (uniqueItems): the array is its scope then. */
const scopeOf = (c: CaseInput): string => {
  const p = c.breaks?.path ?? '';
  return c.kind === 'boundary' && /\/\d+$/.test(p) ? p.replace(/\/\d+$/, '') : p;
};

let certificates: readonly Pkcs12Certificate[] = [];
beforeAll(async () => {
  certificates = await sessionCertificates();
});

const ctxOf = (operation: Operation): PropertyContext => ({ operation, fixtures: DEFAULT_FIXTURES, profile: 'service', certificates });

/** The invariant of a negative or boundary case: its base keeps the schema and every rule, and it differs from it at one place. */
function holdsOneDefect(op: Operation, c: CaseInput): void {
  const where = `${c.label ?? ''}: ${JSON.stringify(c.value.body)}`;
  expect(c.base, where).toBeDefined();
  const base = c.base?.body;
  const strict = op.validators.request.body?.strict;
  expect(strict?.(base), `base of ${where}: ${JSON.stringify(strict?.errors)}`).toBe(true);
  const rules = brokenRequestRules(base, c.base?.pathParams ?? {}, { operation: op, fixtures: DEFAULT_FIXTURES }).filter((r) => r.verdict === 'reject');
  expect(rules, `base of ${where}`).toEqual([]);
  expect(c.base?.pathParams).toEqual(c.value.pathParams);
  const diff = differences(c.value.body, base);
  // A probe at a bound may be the base itself (an enum member it already had); a refusal must change something.
  if (c.expect === 'reject') expect(diff.length, where).toBeGreaterThan(0);
  for (const d of diff) expect(within(d, scopeOf(c)), `${d} changed, outside ${c.breaks?.path ?? '?'} (${where})`).toBe(true);
}

const withBody = loadOperations().filter((o) => o.model.requestBody?.schema);

describe('negatives: one mutation of a realistic, rule-keeping body', () => {
  for (const op of withBody) {
    it(`${op.id}@${op.apiVersion}: undo the mutation and the body keeps the strict schema and every request rule`, () => {
      const ctx = ctxOf(op);
      const arb = 'arbitrary' in negative ? negative.arbitrary(ctx) : undefined;
      if (!arb) throw new Error(`no negatives for ${op.id}`);
      fc.assert(
        fc.property(arb, (c) => {
          expect(c.expect).toBe('reject');
          expect(op.validators.request.body?.strict(c.value.body), c.label).toBe(false);
          holdsOneDefect(op, c);
        }),
        { numRuns: 150, seed: 20261204 },
      );
    });

    it(`${op.id}@${op.apiVersion}: the constraints table and the boundaries past a bound hold the same invariant`, () => {
      const ctx = ctxOf(op);
      const table = 'table' in constraints ? constraints.table(ctx) : [];
      expect(table.length).toBeGreaterThan(0);
      for (const c of table) {
        expect(op.validators.request.body?.strict(c.value.body), c.label).toBe(false);
        holdsOneDefect(op, c);
      }
      // Parameter probes (/path/…, /query/…) break a path or query parameter, not the body: no body mutation.
      const probes = ('table' in boundaries ? boundaries.table(ctx) : []).filter((c) => c.breaks && !/^\/(path|query|header)\//.test(c.breaks.path));
      for (const c of probes) holdsOneDefect(op, c);
    });
  }

  it('Vaults_UpdateAccessPolicy: every entry a negative leaves alone has the vault\u2019s tenant and a GUID objectId', () => {
    // The body of issue 12: permissions missing, next to foreign tenants and objectIds "m", "" — a refusal no one can attribute.
    const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    for (const op of withBody.filter((o) => o.id === 'Vaults_UpdateAccessPolicy')) {
      const arb = 'arbitrary' in negative ? negative.arbitrary(ctxOf(op)) : undefined;
      if (!arb) throw new Error('no negatives');
      let missingPermissions = 0;
      for (const c of fc.sample(arb, { numRuns: 400, seed: 12 })) {
        const broken = c.breaks?.path ?? '';
        if (c.breaks?.id === 'required' && /^\/properties\/accessPolicies\/\d+\/permissions$/.test(broken)) missingPermissions++;
        const entries = (c.value.body as { properties?: { accessPolicies?: unknown } }).properties?.accessPolicies;
        if (!Array.isArray(entries)) continue;
        entries.forEach((e: unknown, i) => {
          const entry = e as { tenantId?: unknown; objectId?: unknown };
          const at = `/properties/accessPolicies/${i}`;
          // Left alone: the mutation is neither at this field nor at a container of it.
          const touched = (f: string): boolean => within(`${at}/${f}`, broken) || within(broken, `${at}/${f}`);
          if (typeof e !== 'object' || e === null || Array.isArray(e)) return;
          if ('tenantId' in entry && !touched('tenantId')) expect(entry.tenantId, c.label).toBe(DEFAULT_FIXTURES.vault.tenantId);
          if ('objectId' in entry && !touched('objectId')) expect(entry.objectId, c.label).toMatch(guid);
        });
      }
      expect(missingPermissions, `${op.apiVersion}: negatives that leave permissions out`).toBeGreaterThan(0);
    }
  });
});
