import { describe, expect, it } from 'vitest';
import { loadOperations } from '../../src/model/registry.js';
import { prepare } from '../../src/properties/prepare.js';
import { knobs } from '../../src/properties/index.js';
import type { PropertyContext } from '../../src/properties/types.js';
import { DEFAULT_FIXTURES } from '../../src/targets/fixtures.js';

const find = (id: string, version: string) => {
  const op = loadOperations().find((o) => o.id === id && o.apiVersion === version);
  if (!op) throw new Error(`no ${id}@${version}`);
  return op;
};
describe('prepare: a property is built once per context', () => {
  const ctx: PropertyContext = { operation: find('Vaults_UpdateAccessPolicy', '2019-09-01'), fixtures: DEFAULT_FIXTURES, profile: 'service', certificates: [] };

  it('returns the same table for the same context, also through a freshly loaded operation of the same spec', () => {
    const a = prepare(knobs, ctx);
    expect(prepare(knobs, ctx)).toBe(a);
    // A new session loads its operations again; the spec model is the same, so is the table.
    expect(prepare(knobs, { ...ctx, operation: find('Vaults_UpdateAccessPolicy', '2019-09-01'), fixtures: { ...DEFAULT_FIXTURES } })).toBe(a);
    expect('table' in a && a.table.length).toBeGreaterThan(10);
  });

  it('builds again for anything of the context a property reads: profile, fixtures, api-version', () => {
    const a = prepare(knobs, ctx);
    expect(prepare(knobs, { ...ctx, profile: 'mock' })).not.toBe(a);
    const otherTenant = { ...DEFAULT_FIXTURES, vault: { ...DEFAULT_FIXTURES.vault, tenantId: '11111111-2222-4333-8444-555555555555' } };
    const b = prepare(knobs, { ...ctx, fixtures: otherTenant });
    expect(b).not.toBe(a);
    // The fixtures really reach the cases: the other tenant's knob bodies name the other tenant.
    expect(JSON.stringify('table' in b && b.table)).toContain('11111111-2222-4333-8444-555555555555');
    expect(prepare(knobs, { ...ctx, operation: find('Vaults_UpdateAccessPolicy', '2024-11-01') })).not.toBe(a);
  });

  it('equals a fresh build: memoising changes no case', () => {
    const cached = prepare(knobs, ctx);
    const fresh = 'table' in knobs ? knobs.table(ctx) : undefined;
    expect('table' in cached && cached.table).toEqual(fresh);
  });
});
