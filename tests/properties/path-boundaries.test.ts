/**
 * Every constraint the specs state on a path or query parameter (a closed enum, a pattern, a length, a format)
 * is broken by at least one case of the default run's boundaries table, each claiming a refusal (issue 12).
 */
import { describe, expect, it } from 'vitest';
import { loadOperations } from '../../src/model/registry.js';
import { boundaries } from '../../src/properties/index.js';
import type { CaseInput, PropertyContext } from '../../src/properties/types.js';
import { DEFAULT_FIXTURES } from '../../src/targets/fixtures.js';

const KEYWORDS = ['enum', 'pattern', 'minLength', 'maxLength', 'format'] as const;

describe('boundaries of path and query parameters', () => {
  for (const op of loadOperations()) {
    const ctx: PropertyContext = { operation: op, fixtures: DEFAULT_FIXTURES, profile: 'service', certificates: [] };
    const table: readonly CaseInput[] = 'table' in boundaries ? boundaries.table(ctx) : [];
    const constrained = op.model.parameters.filter((p) => (p.in === 'path' || p.in === 'query') && KEYWORDS.some((k) => (p.schema as { [k: string]: unknown })[k] !== undefined));

    it(`${op.id}@${op.apiVersion}: each constrained parameter (${constrained.map((p) => p.name).join(', ')}) gets refusals, each invalid by the schema`, () => {
      for (const p of constrained) {
        const mine = table.filter((c) => c.breaks?.path === `/${p.in}/${p.name}`);
        expect(mine.length, p.name).toBeGreaterThan(0);
        for (const c of mine) {
          expect(c.expect, c.label).toBe('reject');
          const path = c.value.pathParams;
          const query = { 'api-version': c.value.apiVersion ?? op.apiVersion };
          expect(op.validators.request.params({ path, query, header: {} }), c.label).toBe(false);
        }
      }
    });
  }

  const vaults = loadOperations().filter((o) => o.id === 'Vaults_UpdateAccessPolicy');
  it('operationKind: values outside add|replace|remove are sent (merge among them), never another casing of a listed one', () => {
    expect(vaults.length).toBeGreaterThan(0);
    for (const op of vaults) {
      const ctx: PropertyContext = { operation: op, fixtures: DEFAULT_FIXTURES, profile: 'service', certificates: [] };
      const kinds = ('table' in boundaries ? boundaries.table(ctx) : []).filter((c) => c.breaks?.path === '/path/operationKind').map((c) => c.value.pathParams.operationKind);
      expect(kinds).toContain('merge');
      // ARM compares segments case-insensitively: ADD is add, not a negative.
      for (const k of kinds) expect(['add', 'replace', 'remove']).not.toContain(k?.toLowerCase());
      // The rest of each request is the fixture vault and a realistic body: only the kind is off.
      for (const c of ('table' in boundaries ? boundaries.table(ctx) : []).filter((x) => x.breaks?.path === '/path/operationKind')) {
        expect(c.value.pathParams.vaultName).toBe(DEFAULT_FIXTURES.vault.name);
        expect(c.value.body).toBeDefined();
      }
    }
  });
});
