// Replayed spec examples and path probes, made the target's: what names Azure's own test resources is replaced by
// the fixtures, and what no fixture can make safe claims neither answer.
import { describe, expect, it } from 'vitest';
import { loadOperations } from '../../src/model/registry.js';
import { boundaries, examples } from '../../src/properties/index.js';
import type { CaseInput, PropertyContext } from '../../src/properties/types.js';
import { DEFAULT_FIXTURES, type Fixtures } from '../../src/targets/fixtures.js';

const op = (id: string, version: string) => {
  const found = loadOperations().find((o) => o.id === id && o.apiVersion === version);
  if (!found) throw new Error(`no ${id}@${version}`);
  return found;
};
const table = (def: typeof examples, ctx: PropertyContext): readonly CaseInput[] => ('table' in def && def.table ? def.table(ctx) : []);
const TENANT = '11111111-2222-4333-8444-555555555555';
const withTenant: Fixtures = { ...DEFAULT_FIXTURES, vault: { ...DEFAULT_FIXTURES.vault, tenantId: TENANT } };
const body = (c: CaseInput | undefined) => c?.value.body as { properties: { accessPolicies?: { tenantId: string }[]; keyVault?: unknown } } | undefined;

describe('examples, replayed against a target', () => {
  it("an access policy example names the vault's tenant, so it keeps rule same-tenant and stays an accept", () => {
    const cases = table(examples, { operation: op('Vaults_UpdateAccessPolicy', '2019-09-01'), fixtures: withTenant, profile: 'service', certificates: [] });
    const add = cases.find((c) => c.kind === 'example');
    expect(add?.expect).toBe('accept');
    expect(body(add)?.properties.accessPolicies?.map((e) => e.tenantId)).toEqual([TENANT]);
    expect(add?.note).toMatch(/tenantId/);
  });

  it("a Key Vault reference to Azure's test vault is either answer, the configured secret an accept", () => {
    const apim = op('Certificate_CreateOrUpdate', '2024-05-01');
    const kv = (cs: readonly CaseInput[]) => cs.find((c) => c.kind === 'example' && body(c)?.properties.keyVault !== undefined);
    const plain = kv(table(examples, { operation: apim, fixtures: DEFAULT_FIXTURES, profile: 'service', certificates: [] }));
    expect(plain?.expect).toBe('either');
    const secret = { secretIdentifier: 'https://mine.vault.azure.net/secrets/apim-cert' };
    const configured: Fixtures = { ...DEFAULT_FIXTURES, apiManagement: { ...DEFAULT_FIXTURES.apiManagement, keyVaultSecret: secret } };
    const mine = kv(table(examples, { operation: apim, fixtures: configured, profile: 'service', certificates: [] }));
    expect(mine?.expect).toBe('accept');
    expect(body(mine)?.properties.keyVault).toEqual(secret);
    // A mock answers its example whatever it names.
    expect(kv(table(examples, { operation: apim, fixtures: DEFAULT_FIXTURES, profile: 'mock', certificates: [] }))?.expect).toBe('accept');
  });
});

describe('path probes', () => {
  it('claim an accept only for plain names; a space, a non-ASCII letter or a leading dash is either answer', () => {
    const cases = table(boundaries, { operation: op('Certificate_CreateOrUpdate', '2024-05-01'), fixtures: DEFAULT_FIXTURES, profile: 'service', certificates: [] });
    const probe = (label: string) => cases.find((c) => c.label === label)?.expect;
    expect(probe('certificateId="a"')).toBe('accept');
    expect(probe('certificateId="1digit"')).toBe('accept');
    for (const odd of ['certificateId="bad name"', 'certificateId="ünï"', 'certificateId="-lead"', 'certificateId="trail-"']) expect(probe(odd), odd).toBe('either');
    expect(probe('certificateId="bad*name"')).toBe('reject');
  });
});
