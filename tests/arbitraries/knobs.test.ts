import { describe, it, expect } from 'vitest';
import type { Tagged } from '../../src/cases/tagged.js';
import type { JsonSchema } from '../../src/model/spec-model.js';
import {
  DAYS_RANGE,
  KNOBS,
  MAX_POLICIES,
  ONE_KIND,
  PERMISSION_KNOWN,
  POLICY_COUNT,
  DATA_AND_KEYVAULT,
  DATA_XOR_KEYVAULT,
  certificateSourceKnobs,
  contactKnobs,
  knobsFor,
  permissionKnobs,
  policyCountKnobs,
  triggerKnobs,
} from '../../src/arbitraries/index.js';
import { specs } from '../../generated/index.js';
import { why } from './fixtures.js';

const TENANT = '11111111-2222-4333-8444-555555555555';
const fixtures = { tenantId: TENANT, validityMonths: 12 };

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => v as Obj;
const policiesOf = (v: unknown): Obj[] => obj(obj(v).properties).accessPolicies as Obj[];
const triggerOf = (v: unknown): Obj => obj(((obj(obj(v).policy).lifetime_actions as Obj[])[0] ?? {}).trigger);

/** Each operation that has knobs, in every api-version of the generated specs. */
const ops = specs.flatMap((s) =>
  s.model.operations
    .filter((op) => op.id in KNOBS && op.requestBody)
    .map((op) => ({ s, op, strict: s.validators[op.id]?.request.body?.strict, name: `${s.model.service} ${s.model.apiVersion} ${op.id}` })),
);

describe('knobs', () => {
  it('find all four operations in the generated specs', () => {
    expect(new Set(ops.map((o) => o.op.id))).toEqual(new Set(Object.keys(KNOBS)));
  });

  for (const { s, op, strict, name } of ops) {
    describe(name, () => {
      const table = knobsFor(op.id, s.model.schemas, { ...fixtures, apiVersion: s.model.apiVersion });

      it('has entries, each with a label', () => {
        expect(table.length).toBeGreaterThan(3);
        for (const t of table) expect(t.label).toBeTruthy();
      });

      it("schema-kind tags and every 'accept' agree with the strict validator", () => {
        if (!strict) throw new Error('no strict validator');
        for (const t of table) {
          const ok = strict(t.value);
          if (t.expect === 'accept') expect(ok, `${t.label}: ${why(strict)}`).toBe(true);
          if (t.expect === 'reject' && t.breaks?.kind === 'schema') expect(ok, t.label).toBe(false);
        }
      });

      it('names only rule ids the spec declares', () => {
        const declared = new Set(op.rules.map((r) => r.id));
        for (const t of table) if (t.breaks?.kind === 'rule') expect(declared, t.label).toContain(t.breaks.id);
      });
    });
  }

  const access = ops.filter((o) => o.op.id === 'Vaults_UpdateAccessPolicy');
  for (const { s, strict, name } of access) {
    it(`permissions: read from the schema, per list: ${name}`, () => {
      const perms = s.model.schemas.Permissions as { properties: Record<string, { items: { enum: string[] } }> };
      const table = permissionKnobs(s.model.schemas, fixtures);
      for (const [list, schema] of Object.entries(perms.properties)) {
        const mine = table.filter((t) => t.label?.startsWith(`permissions.${list}:`));
        for (const t of mine) if (t.breaks) expect(t.breaks.path).toBe(`/properties/accessPolicies/0/permissions/${list}`);
        const names = (t: Tagged<unknown>): unknown => obj(policiesOf(t.value)[0]?.permissions)[list];
        expect(mine.filter((t) => t.label?.includes('empty')).map(names)).toEqual([[]]);
        expect(mine.filter((t) => t.label?.includes('every value')).map(names)).toEqual([schema.items.enum]);
        const dup = mine.filter((t) => t.label?.includes('duplicate'));
        expect(dup).toHaveLength(1);
        expect(dup[0]?.expect).toBe('either');
        const cases = mine.filter((t) => t.label?.includes('case variants'));
        expect(cases.map((t) => t.expect)).toEqual(['either']);
        for (const n of names(cases[0] as Tagged<unknown>) as string[]) {
          expect(schema.items.enum).not.toContain(n);
          expect(schema.items.enum.map((e) => e.toLowerCase())).toContain(n.toLowerCase());
        }
        const unknown = mine.filter((t) => t.label?.includes('unknown name'));
        const later = mine.filter((t) => t.label?.includes('later name'));
        expect(unknown.length).toBeGreaterThanOrEqual(2);
        // `all`, which later api-versions list, may be taken by a service whatever the api-version.
        expect(later.map((t) => t.label?.replace(/ \(api-version .*\)$/, ''))).toEqual(schema.items.enum.includes('all') ? [] : [`permissions.${list}: later name all`]);
        const lower = schema.items.enum.map((e) => e.toLowerCase());
        for (const t of [...unknown, ...later]) {
          expect(t.expect).toBe(later.includes(t) ? 'either' : 'reject');
          expect(t.breaks).toMatchObject(later.includes(t) ? { kind: 'schema', id: 'enum' } : { kind: 'rule', id: PERMISSION_KNOWN });
          expect((names(t) as string[]).some((n) => !lower.includes(n.toLowerCase()))).toBe(true);
          expect(strict?.(t.value)).toBe(false);
        }
      }
      for (const t of table) for (const p of policiesOf(t.value)) expect(p.tenantId).toBe(TENANT);
    });

    it(`policy counts 0, 1, 16 accept and 17 rejects by rule: ${name}`, () => {
      const table = policyCountKnobs(s.model.schemas, fixtures);
      expect(table.map((t) => [policiesOf(t.value).length, t.expect])).toEqual([
        [0, 'accept'],
        [1, 'accept'],
        [MAX_POLICIES, 'accept'],
        [MAX_POLICIES + 1, 'reject'],
      ]);
      const over = table[3];
      expect(over?.breaks).toMatchObject({ kind: 'rule', id: POLICY_COUNT, path: '/properties/accessPolicies' });
      // Only the rule is broken: the schema itself has no maxItems.
      expect(strict?.(over?.value)).toBe(true);
      for (const t of table) {
        const ps = policiesOf(t.value);
        expect(new Set(ps.map((p) => p.objectId)).size).toBe(ps.length);
        for (const p of ps) expect(p.tenantId).toBe(TENANT);
      }
    });
  }

  for (const { s, name } of ops.filter((o) => o.op.id === 'UpdateCertificate')) {
    it(`triggers: percentage bounds by schema, days by rule with validity in the same policy, one kind: ${name}`, () => {
      const table = triggerKnobs(s.model.schemas, fixtures);
      const pct = table.filter((t) => t.label?.startsWith('lifetime_percentage'));
      expect(pct.map((t) => [triggerOf(t.value).lifetime_percentage, t.expect, t.breaks?.kind, t.breaks?.id])).toEqual([
        [0, 'reject', 'schema', 'minimum'],
        [1, 'accept', 'schema', 'minimum'],
        [99, 'accept', 'schema', 'maximum'],
        [100, 'reject', 'schema', 'maximum'],
      ]);
      const days = table.filter((t) => t.label?.startsWith('days_before_expiry'));
      expect(days.map((t) => [triggerOf(t.value).days_before_expiry, t.expect, t.breaks?.id])).toEqual([
        [0, 'reject', DAYS_RANGE],
        [1, 'accept', DAYS_RANGE],
        [12 * 27, 'accept', DAYS_RANGE],
        [12 * 27 + 1, 'reject', DAYS_RANGE],
      ]);
      for (const t of days) expect(obj(obj(obj(t.value).policy).x509_props).validity_months).toBe(12);
      const both = table.find((t) => t.label === 'trigger with both kinds');
      expect(both?.breaks).toMatchObject({ kind: 'rule', id: ONE_KIND });
      expect(Object.keys(triggerOf(both?.value)).sort()).toEqual(['days_before_expiry', 'lifetime_percentage']);
      const neither = table.find((t) => t.label === 'trigger with neither kind');
      expect([both?.expect, neither?.expect]).toEqual(['either', 'either']);
      expect(Object.keys(triggerOf(neither?.value))).toEqual([]);
      for (const t of [...days, both, neither]) expect(t?.breaks?.path).toMatch(/^\/policy\/lifetime_actions\/0\/trigger/);
    });
  }

  for (const { s, name } of ops.filter((o) => o.op.id === 'SetCertificateContacts')) {
    it(`contacts: 0, 1, many, a shared e-mail, long and non-ASCII: ${name}`, () => {
      const table = contactKnobs(s.model.schemas);
      const lists = table.map((t) => obj(t.value).contacts as Obj[]);
      expect(lists.slice(0, 4).map((l) => l.length)).toEqual([0, 1, 10, 2]);
      // Two contacts with one address: the real service took them (REAL-CLIENTS.md).
      const [a, b] = lists[3] ?? [];
      expect([a?.email === b?.email, a?.name === b?.name]).toEqual([true, false]);
      // One and many contacts are what the example shows; none, 300 characters or an internationalised
      // address are only what the schema allows: either answer.
      expect(table.map((t) => t.expect)).toEqual(['either', 'accept', 'accept', 'accept', 'either', ...table.slice(5).map(() => 'either')]);
      const flat = JSON.stringify(lists);
      expect(flat).toMatch(/[^\x00-\x7f]/);
      expect(lists.flat().some((c) => String(c.name).length >= 200 && String(c.email).length >= 200)).toBe(true);
      expect(lists.flat().some((c) => /[^\x00-\x7f]/.test(String(c.email)))).toBe(true);
    });
  }

  for (const { s, name } of ops.filter((o) => o.op.id === 'Certificate_CreateOrUpdate')) {
    it(`certificate source: neither data nor keyVault is refused, both is either: ${name}`, () => {
      const table = certificateSourceKnobs(s.model.schemas);
      const props = (t: Tagged<unknown> | undefined): Obj => obj(obj(t?.value).properties);
      const neither = table.find((t) => t.label === 'neither data nor keyVault');
      const both = table.find((t) => t.label === 'both data and keyVault');
      expect(neither?.expect).toBe('reject');
      expect(neither?.breaks?.id).toBe(DATA_XOR_KEYVAULT);
      expect(props(neither)).toEqual({});
      // No source says the pair is refused or which one wins: either answer.
      expect(both?.expect).toBe('either');
      expect(both?.breaks?.id).toBe(DATA_AND_KEYVAULT);
      expect(Object.keys(props(both))).toEqual(expect.arrayContaining(['data', 'keyVault']));
      const withPfx = certificateSourceKnobs(s.model.schemas, { pfx: { data: 'MIIB', password: 'pw' } });
      expect(withPfx.filter((t) => t.expect === 'accept' && 'data' in props(t) && !('keyVault' in props(t)))).toHaveLength(1);
      // A reference to a secret nobody said exists may be refused (the service fetches it): only the configured one is an accept.
      expect(table.filter((t) => 'keyVault' in props(t) && !('data' in props(t)) && t.breaks?.id === DATA_XOR_KEYVAULT).map((t) => t.expect)).toEqual(['either', 'either']);
      const secret = { secretIdentifier: 'https://mine.vault.azure.net/secrets/apim-cert', identityClientId: '11111111-2222-4333-8444-555555555555' };
      const withSecret = certificateSourceKnobs(s.model.schemas, { keyVaultSecret: secret });
      expect(withSecret.filter((t) => t.expect === 'accept').map((t) => props(t).keyVault)).toEqual([secret]);
    });
  }

  it('return nothing when their schemas are absent', () => {
    const none: Record<string, JsonSchema> = {};
    for (const knob of Object.values(KNOBS).flat()) expect(knob(none, fixtures)).toEqual([]);
    expect(knobsFor('Unknown_Operation', none)).toEqual([]);
  });
});
