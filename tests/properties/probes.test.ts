// The probes table: which Azure-wide behaviours each operation is asked about, and what is expected of each.
import { describe, expect, it } from 'vitest';
import { loadOperations } from '../../src/model/registry.js';
import { jsonText } from '../../src/http/json-text.js';
import { probes } from '../../src/properties/index.js';
import type { CaseInput, PropertyContext } from '../../src/properties/types.js';
import { DEFAULT_FIXTURES } from '../../src/targets/fixtures.js';
import { makePkcs12 } from '../../src/pki/pkcs12.js';

const table = (id: string, version: string): readonly CaseInput[] => {
  const operation = loadOperations().find((o) => o.id === id && o.apiVersion === version);
  if (!operation) throw new Error(`no ${id}@${version}`);
  const ctx: PropertyContext = { operation, fixtures: DEFAULT_FIXTURES, profile: 'service', certificates: [makePkcs12({ subject: 'CN=probes.test', validityDays: 30, password: 'pw' })] };
  return 'table' in probes ? probes.table(ctx) : [];
};

describe('probes', () => {
  it('asks every operation to read api%2Dversion as api-version, and nothing else changes in that case', () => {
    for (const [id, version] of [['SetCertificateContacts', '7.4'], ['UpdateCertificate', '7.4'], ['Vaults_UpdateAccessPolicy', '2019-09-01'], ['Certificate_CreateOrUpdate', '2024-05-01']] as const) {
      const encoded = table(id, version).filter((c) => c.value.apiVersionKey === 'api%2Dversion');
      expect(encoded.map((c) => [c.kind, c.expect]), id).toEqual([['api-version', 'accept']]);
    }
  });

  it('asks for a missing, an older and a later unknown api-version, each refused', () => {
    for (const [id, version] of [['SetCertificateContacts', '7.4'], ['Certificate_CreateOrUpdate', '2024-05-01']] as const) {
      const refused = table(id, version).filter((c) => c.kind === 'api-version' && c.expect === 'reject');
      expect(refused.map((c) => c.value.apiVersion), id).toEqual([null, '1999-01-01', '2099-01-01']);
    }
  });

  it('sends an unknown name and an unknown 32-hex version of the fixture certificate, each expecting 404', () => {
    const missing = table('UpdateCertificate', '7.4').filter((c) => c.kind === 'not-found');
    expect(missing.map((c) => c.expect)).toEqual(['reject', 'reject']);
    const [name, version] = missing.map((c) => c.value.pathParams);
    expect(name?.['certificate-name']).toMatch(/^azc[0-9a-z]+$/);
    expect(version?.['certificate-version']).toMatch(/^[0-9a-f]{32}$/);
    expect(version?.['certificate-name']).toBeUndefined(); // the fixture's name: only the version is unknown
  });

  it('sends the body left out and cut short so it is no JSON (each refused by a PUT, either answer to a PATCH), and with an undeclared member (either)', () => {
    const OPS = [['SetCertificateContacts', '7.4', 'reject'], ['UpdateCertificate', '7.4', 'either'], ['Vaults_UpdateAccessPolicy', '2019-09-01', 'reject'], ['Certificate_CreateOrUpdate', '2024-05-01', 'reject']] as const;
    for (const [id, version, noBody] of OPS) {
      const cases = table(id, version);
      const missing = cases.filter((c) => c.label?.startsWith('no request body'));
      expect(missing.map((c) => [c.kind, c.expect, 'body' in c.value && c.value.body === undefined]), id).toEqual([['negative', noBody, true]]);
      const cut = cases.filter((c) => c.label?.startsWith('a body that is not JSON'));
      expect(cut.map((c) => [c.kind, c.expect, c.breaks?.id]), id).toEqual([['negative', noBody, 'json-syntax']]);
      const text = jsonText(cut[0]?.value.body);
      expect(() => JSON.parse(text), id).toThrow();
      // The realistic body, one character short.
      const whole = cases.find((c) => c.kind === 'auth')?.value.body;
      expect(text, id).toBe(jsonText(whole).slice(0, -1));
      const extra = cases.filter((c) => c.label === 'an undeclared member beside the documented ones');
      expect(extra.map((c) => [c.kind, c.expect, (c.value.body as { azconformUndeclared?: string }).azconformUndeclared]), id).toEqual([['knob', 'either', 'probe']]);
    }
  });

  it('writes a name the spec calls case-insensitive in the other case, expecting success (API Management resource group only)', () => {
    const swapped = table('Certificate_CreateOrUpdate', '2024-05-01').filter((c) => c.kind === 'positive');
    expect(swapped.map((c) => [c.expect, c.value.pathParams.resourceGroupName])).toEqual([['accept', 'RG1']]);
    // Key Vault's specs say nothing of case for their names: no such probe there.
    for (const [id, version] of [['UpdateCertificate', '7.4'], ['Vaults_UpdateAccessPolicy', '2019-09-01']] as const) {
      expect(table(id, version).filter((c) => c.kind === 'positive'), id).toEqual([]);
    }
  });
});
