import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { validValue } from '../../src/arbitraries/index.js';
import { allCases, components, why } from './fixtures.js';

const RUNS = 200;

describe('validValue', () => {
  it('covers the real specs too', () => {
    expect(allCases.length).toBeGreaterThan(8);
  });

  for (const c of allCases) {
    it(`is always accepted by the strict validator: ${c.name}`, () => {
      fc.assert(
        fc.property(validValue(c.schema, c.schemas), (v) => {
          if (!c.strict(v)) throw new Error(`rejected ${JSON.stringify(v)}: ${why(c.strict)}`);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('leaves readOnly properties out by default and sends them on request', () => {
    const root = { $ref: '#/components/schemas/Root' };
    for (const v of fc.sample(validValue(root, components), { numRuns: 300, seed: 1 })) {
      expect(v).not.toHaveProperty('etag');
      expect(v).not.toHaveProperty('audit');
    }
    const withReadOnly = fc.sample(validValue(root, components, { omitReadOnly: false }), { numRuns: 300, seed: 1 });
    expect(withReadOnly.some((v) => typeof v === 'object' && v !== null && 'etag' in v)).toBe(true);
  });

  it('sends a required readOnly property (the validator demands it)', () => {
    for (const v of fc.sample(validValue({ $ref: '#/components/schemas/Resource' }, components), { numRuns: 100, seed: 2 })) {
      expect(v).toHaveProperty('id');
      expect((v as { properties?: object }).properties ?? {}).not.toHaveProperty('state');
    }
  });

  it('produces non-ASCII, astral and long strings sometimes, optional properties sometimes', () => {
    const values = fc.sample(validValue({ $ref: '#/components/schemas/Root' }, components), { numRuns: 500, seed: 3 });
    const strings = values.flatMap((v) => JSON.stringify(v).match(/"(?:[^"\\]|\\.)*"/g) ?? []);
    expect(strings.some((s) => /[^\x00-\x7f]/.test(s))).toBe(true);
    expect(strings.some((s) => /[\u{1F600}-\u{1F64F}]/u.test(s))).toBe(true);
    expect(strings.some((s) => s.length > 100)).toBe(true);
    const withTitle = values.filter((v) => 'title' in (v as object)).length;
    expect(withTitle).toBeGreaterThan(50);
    expect(withTitle).toBeLessThan(450);
  });

  it('caps unbounded arrays and maps at maxItems', () => {
    const tree = fc.sample(validValue({ $ref: '#/components/schemas/Root' }, components, { maxItems: 1 }), { numRuns: 200, seed: 4 });
    for (const v of tree) {
      const r = v as { tags?: object; scores?: unknown[] };
      expect(Object.keys(r.tags ?? {}).length).toBeLessThanOrEqual(1);
      expect((r.scores ?? []).length).toBeLessThanOrEqual(1);
    }
  });

  it('terminates on recursive schemas', () => {
    const depth = (t: unknown): number => {
      const kids = (t as { children?: unknown[] }).children ?? [];
      return 1 + Math.max(0, ...kids.map(depth));
    };
    const trees = fc.sample(validValue({ $ref: '#/components/schemas/Tree' }, components), { numRuns: 100, seed: 5 });
    expect(Math.max(...trees.map(depth))).toBeLessThanOrEqual(8);
  });
});
