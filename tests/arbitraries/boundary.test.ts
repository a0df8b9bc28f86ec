import { describe, it, expect } from 'vitest';
import { boundaryValues } from '../../src/arbitraries/index.js';
import { specs } from '../../generated/index.js';
import { allCases, components, why } from './fixtures.js';

describe('boundaryValues', () => {
  for (const c of allCases) {
    it(`every schema-kind entry's expect matches the strict validator: ${c.name}`, () => {
      const table = boundaryValues(c.schema, c.schemas);
      for (const t of table) {
        expect(t.breaks?.kind).toBe('schema');
        if (t.expect === 'either') continue;
        const ok = c.strict(t.value);
        expect(ok, `${t.label} → ${ok ? 'accepted' : `rejected ${why(c.strict)}`}`).toBe(t.expect === 'accept');
      }
    });
  }

  it("probes from a given base: each spec's valid request examples", () => {
    let bases = 0;
    for (const s of specs) {
      for (const op of s.model.operations) {
        const strict = s.validators[op.id]?.request.body?.strict;
        if (!op.requestBody || !strict) continue;
        for (const example of Object.values(op.requestBody.examples)) {
          if (!strict(example)) continue; // examples of bad requests are not a base
          bases++;
          for (const t of boundaryValues(op.requestBody.schema, s.model.schemas, { base: example })) {
            if (t.expect === 'either') continue;
            expect(strict(t.value), `${op.id} ${t.label}`).toBe(t.expect === 'accept');
          }
        }
      }
    }
    expect(bases).toBeGreaterThanOrEqual(5);
  });

  it('claims no accept where the schema is silent: at the int32 edge, or an empty array without minItems', () => {
    const schema = { type: 'object', properties: { n: { type: 'integer', format: 'int32' }, list: { type: 'array', items: { type: 'string' } } } };
    const table = boundaryValues(schema, {}, { base: { n: 1, list: ['a'] } });
    const at = (label: RegExp) => table.filter((t) => label.test(t.label ?? '')).map((t) => t.expect);
    expect(at(/int32 (minimum|maximum)\)/)).toEqual(['either', 'either']);
    expect(at(/(below|above) int32/)).toEqual(['reject', 'reject']);
    expect(at(/empty array \(no minItems\)/)).toEqual(['either']);
  });

  it('is deterministic', () => {
    for (const c of allCases) expect(boundaryValues(c.schema, c.schemas)).toEqual(boundaryValues(c.schema, c.schemas));
  });

  const root = boundaryValues({ $ref: '#/components/schemas/Root' }, components);
  const at = (path: string, id: string, expectation: string): unknown[] =>
    root.filter((t) => t.breaks?.path === path && t.breaks.id === id && t.expect === expectation).map((t) => (t.value as Record<string, unknown>)[path.split('/')[1] ?? '']);

  it('probes numeric bounds at the bound and one step beyond', () => {
    expect(at('/count', 'minimum', 'accept')).toEqual([1]);
    expect(at('/count', 'minimum', 'reject')).toEqual([0]);
    expect(at('/count', 'maximum', 'accept')).toEqual([99]);
    expect(at('/count', 'maximum', 'reject')).toEqual([100]);
    expect(at('/legacy', 'exclusiveMinimum', 'accept')).toEqual([11]);
    expect(at('/legacy', 'exclusiveMinimum', 'reject')).toEqual([10]);
    expect(at('/size', 'format', 'reject')).toEqual([-(2 ** 31) - 1, 2 ** 31]);
    expect(at('/step', 'maximum', 'accept')).toEqual([100]);
    // multipleOf moves the edge to the nearest multiple inside, and "beyond" to the next multiple outside.
    expect(at('/even', 'minimum', 'accept')).toEqual([4]);
    expect(at('/even', 'minimum', 'reject')).toEqual([2]);
    expect(at('/even', 'exclusiveMaximum', 'accept')).toEqual([8]);
    expect(at('/even', 'exclusiveMaximum', 'reject')).toEqual([10]);
    expect(at('/quarter', 'minimum', 'reject')).toEqual([-1.25]);
    // Doubles: the closest representable value past an exclusive bound.
    expect(at('/ratio', 'exclusiveMinimum', 'accept')).toEqual([Number.MIN_VALUE]);
    expect(at('/ratio', 'exclusiveMaximum', 'accept')).toEqual([1 - Number.EPSILON / 2]);
  });

  it('probes map entry counts', () => {
    const sizes = (id: string, e: string): number[] => at('/counters', id, e).map((m) => Object.keys(m as object).length);
    expect(sizes('minProperties', 'accept')).toEqual([1]);
    expect(sizes('minProperties', 'reject')).toEqual([0]);
    expect(sizes('maxProperties', 'accept')).toEqual([2]);
    expect(sizes('maxProperties', 'reject')).toEqual([3]);
  });

  it('probes string lengths (in code points), patterns, item counts and every enum value', () => {
    expect(at('/name', 'maxLength', 'accept').map((s) => [...(s as string)].length)).toEqual([24]);
    expect(at('/name', 'maxLength', 'reject').map((s) => [...(s as string)].length)).toEqual([25]);
    expect(at('/title', 'maxLength', 'accept')).toContain('😀'.repeat(40));
    expect(at('/name', 'pattern', 'accept')).toHaveLength(1);
    expect(at('/name', 'pattern', 'reject')).toHaveLength(1);
    expect(at('/labels', 'maxItems', 'accept').map((a) => (a as unknown[]).length)).toEqual([3]);
    expect(at('/labels', 'maxItems', 'reject').map((a) => (a as unknown[]).length)).toEqual([4]);
    expect(at('/kind', 'enum', 'accept')).toEqual(['Alpha', 'Beta', 'Gamma']);
    // An open enum: every listed value is accepted, an unlisted one is 'either' for a tolerant server.
    expect(at('/flavor', 'enum', 'accept')).toEqual(['vanilla', 'chocolate']);
    expect(root.filter((t) => t.breaks?.path === '/flavor' && t.expect === 'either')).toHaveLength(1);
  });

  it('never probes readOnly locations', () => {
    expect(root.some((t) => t.breaks?.path.startsWith('/etag') || t.breaks?.path.startsWith('/audit'))).toBe(false);
  });
});
