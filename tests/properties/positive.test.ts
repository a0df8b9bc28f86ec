// The positives: realistic, rule-keeping requests a conforming target accepts, but where what it holds decides.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadOperations } from '../../src/model/registry.js';
import { positive } from '../../src/properties/index.js';
import type { CaseInput, PropertyContext } from '../../src/properties/types.js';
import { DEFAULT_FIXTURES } from '../../src/targets/fixtures.js';

const sample = (id: string, version: string): CaseInput[] => {
  const operation = loadOperations().find((o) => o.id === id && o.apiVersion === version);
  if (!operation) throw new Error(`no ${id}@${version}`);
  const ctx: PropertyContext = { operation, fixtures: DEFAULT_FIXTURES, profile: 'service', certificates: [] };
  const arb = 'arbitrary' in positive ? positive.arbitrary?.(ctx) : undefined;
  if (!arb) throw new Error('no positive arbitrary');
  return fc.sample(arb, { seed: 5, numRuns: 300 });
};

describe('positive', () => {
  it('claims either answer for a policy validity sent without its lifetime actions (the triggers the certificate holds decide), accept otherwise', () => {
    const cases = sample('UpdateCertificate', '7.4');
    const policyOf = (c: CaseInput): { lifetime_actions?: unknown } | undefined => (c.value.body as { policy?: { lifetime_actions?: unknown } }).policy;
    const alone = cases.filter((c) => policyOf(c) !== undefined && policyOf(c)?.lifetime_actions === undefined);
    const rest = cases.filter((c) => !alone.includes(c));
    expect(alone.length).toBeGreaterThan(10);
    expect(rest.length).toBeGreaterThan(10);
    expect(new Set(alone.map((c) => c.expect))).toEqual(new Set(['either']));
    expect(new Set(rest.map((c) => c.expect))).toEqual(new Set(['accept']));
  });

  it('sends contact names and phones as people write them, punctuation included', () => {
    const cases = sample('SetCertificateContacts', '7.4');
    const values = cases.flatMap((c) => (c.value.body as { contacts: { name?: string; phone?: string }[] }).contacts.flatMap((x) => [x.name ?? '', x.phone ?? '']));
    for (const ch of ["'", '"', '\\', ',', '&', '+', '(']) expect(values.some((v) => v.includes(ch)), ch).toBe(true);
    expect(new Set(cases.map((c) => c.expect))).toEqual(new Set(['accept']));
  });
});
