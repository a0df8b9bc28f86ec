import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { invalidValue } from '../../src/arbitraries/index.js';
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

  it('never removes a required readOnly property', () => {
    for (const t of fc.sample(invalidValue({ $ref: '#/components/schemas/Resource' }, components), { numRuns: 300, seed: 13 })) {
      expect(t.breaks?.path).not.toBe('/id');
    }
  });
});
