import { describe, expect, it } from 'vitest';
import { loadOperations } from '../../src/model/registry.js';
import { prepare } from '../../src/properties/prepare.js';
import { examples, knobs, probes } from '../../src/properties/index.js';
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

  it('never keeps a table that draws fresh resource names (example replays, the not-found probe)', () => {
    const apim: PropertyContext = { ...ctx, operation: find('Certificate_CreateOrUpdate', '2024-05-01') };
    expect(prepare(examples, apim)).not.toBe(prepare(examples, apim));
    expect(prepare(probes, apim)).not.toBe(prepare(probes, apim));
    const ids = (p: ReturnType<typeof prepare>): string[] => ('table' in p ? p.table.map((c) => c.value.pathParams.certificateId ?? '') : []);
    // Two sessions never replay the example onto the same certificate.
    expect(ids(prepare(examples, apim)).filter((id) => id.startsWith('azconform-ex-'))).not.toEqual(ids(prepare(examples, apim)).filter((id) => id.startsWith('azconform-ex-')));
  });

  it('keeps a few contexts only, the most recently used', () => {
    const tenant = (i: number) => ({ ...DEFAULT_FIXTURES, vault: { ...DEFAULT_FIXTURES.vault, tenantId: `00000000-0000-4000-8000-00000000000${i}` } });
    const first = prepare(knobs, { ...ctx, fixtures: tenant(1) });
    for (let i = 2; i <= 4; i++) prepare(knobs, { ...ctx, fixtures: tenant(i) });
    expect(prepare(knobs, { ...ctx, fixtures: tenant(1) })).toBe(first); // still kept, and now the most recent
    for (let i = 5; i <= 9; i++) prepare(knobs, { ...ctx, fixtures: tenant(i) });
    expect(prepare(knobs, { ...ctx, fixtures: tenant(1) })).not.toBe(first);
  });
});
