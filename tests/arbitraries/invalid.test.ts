import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { invalidValue, validValue } from '../../src/arbitraries/index.js';
import { mutationsOf, pick } from '../../src/arbitraries/invalid.js';
import { context } from '../../src/arbitraries/valid.js';
import { allCases, components, why } from './fixtures.js';

const RUNS = 200;

describe('invalidValue', () => {
  for (const c of allCases) {
    it(`is always rejected by the strict validator: ${c.name}`, () => {
      fc.assert(
        fc.property(invalidValue(c.schema, c.schemas), (t) => {
          expect(t.expect).toBe('reject');
          expect(t.breaks?.kind).toBe('schema');
          if (c.strict(t.value)) throw new Error(`accepted ${t.label}: ${JSON.stringify(t.value)}`);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('reaches every kind of mutation of the inline Root schema', () => {
    const root = { $ref: '#/components/schemas/Root' };
    const strict = allCases.find((c) => c.name === 'inline Root')?.strict;
    const ids = new Set<string>();
    for (const t of fc.sample(invalidValue(root, components), { numRuns: 1500, seed: 11 })) {
      ids.add(t.breaks?.id ?? '');
      // The validator agrees about the keyword (it may report others too, e.g. type next to format).
      if (strict && !strict(t.value)) expect(why(strict)).toContain(t.breaks?.id === 'const' ? 'const' : (t.breaks?.id ?? ''));
    }
    for (const id of ['type', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'required', 'enum', 'const', 'pattern', 'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems', 'format', 'additionalProperties', 'minProperties', 'maxProperties']) {
      expect(ids, id).toContain(id);
    }
  });

  it('never mutates readOnly locations, open enums or inside a oneOf/anyOf choice', () => {
    for (const t of fc.sample(invalidValue({ $ref: '#/components/schemas/Root' }, components), { numRuns: 1000, seed: 12 })) {
      const path = t.breaks?.path ?? '';
      expect(path.startsWith('/etag') || path.startsWith('/audit')).toBe(false);
      expect(path.startsWith('/shape/') || path.startsWith('/contact/')).toBe(false);
      if (path === '/flavor') expect(t.breaks?.id).toBe('type');
    }
  });

  it('sends wrong types no lenient binder converts, and null only for a required property', () => {
    const schema = {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' }, note: { type: 'string' }, size: { type: 'integer' }, on: { type: 'boolean' }, tags: { type: 'array', items: { type: 'string' } } },
    };
    const seen = new Map<string, Set<string>>();
    for (const t of fc.sample(invalidValue(schema, {}), { numRuns: 2000, seed: 21 })) {
      const top = /^\/(\w+)$/.exec(t.breaks?.path ?? '');
      if (t.breaks?.id !== 'type' || !top) continue;
      const key = top[1] as string;
      const v = (t.value as Record<string, unknown>)[key];
      seen.set(key, (seen.get(key) ?? new Set()).add(JSON.stringify(v)));
    }
    // Json.NET and Jackson turn 7 into "7", "42" into 42, 1.5 into 1 and 1 into true: none of those is sent.
    expect([...(seen.get('note') ?? [])].sort()).toEqual(['[]', '{}']);
    expect([...(seen.get('name') ?? [])].sort()).toEqual(['[]', 'null', '{}']);
    expect([...(seen.get('size') ?? [])].sort()).toEqual(['"text"', '[]', '{}']);
    expect([...(seen.get('on') ?? [])].sort()).toEqual(['"text"', '[]', '{}']);
    expect([...(seen.get('tags') ?? [])].sort()).toEqual(['"text"', '7', 'true', '{}']);
  });

  it('never removes a required readOnly property', () => {
    for (const t of fc.sample(invalidValue({ $ref: '#/components/schemas/Resource' }, components), { numRuns: 300, seed: 13 })) {
      expect(t.breaks?.path).not.toBe('/id');
    }
  });

  it('pick draws what one oneof per keyword inside a oneof of keywords draws, seed for seed, and shrinks as it', () => {
    for (const c of allCases) {
      const ctx = context(c.schemas);
      for (const body of fc.sample(validValue(c.schema, c.schemas), { numRuns: 5, seed: 21 })) {
        const found = mutationsOf(c.schema, ctx, body);
        if (found.length === 0) continue;
        const byId = new Map<string, fc.Arbitrary<unknown>[]>();
        for (const m of found) byId.set(m.id, [...(byId.get(m.id) ?? []), m.arb]);
        const nested = fc.oneof(...[...byId.values()].map((arbs) => fc.oneof(...arbs)));
        for (const seed of [1, 2, 3]) {
          expect(fc.sample(pick(found), { seed, numRuns: 20 }), c.name).toEqual(fc.sample(nested, { seed, numRuns: 20 }));
        }
        // A failure at the first drawn value shrinks along the same path either way.
        const shrunk = (arb: fc.Arbitrary<unknown>): unknown => fc.check(fc.property(arb, () => false), { seed: 5, numRuns: 1 }).counterexample;
        expect(shrunk(pick(found)), c.name).toEqual(shrunk(nested));
      }
    }
  });
});
