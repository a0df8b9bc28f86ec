import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { eachObject, locations } from '../../src/arbitraries/locate.js';
import { pointer } from '../../src/arbitraries/pointer.js';
import { isRecord, type Node } from '../../src/arbitraries/schema.js';
import { validValue } from '../../src/arbitraries/index.js';
import type { JsonSchema } from '../../src/model/spec-model.js';
import { loadOperations } from '../../src/model/registry.js';
import { allCases } from './fixtures.js';

/** A map and a list of oneOf objects: the alternative chosen per value, and undeclared (map) members, are walked. */
const PET: JsonSchema = { $ref: '#/components/schemas/Pet' };
const pets = {
  Pet: {
    oneOf: [
      { type: 'object', required: ['kind', 'bark'], properties: { kind: { enum: ['dog'] }, bark: { type: 'boolean' } } },
      { type: 'object', required: ['kind', 'meow'], properties: { kind: { enum: ['cat'] }, meow: { type: 'object', required: ['loud'], properties: { loud: { type: 'boolean' } } } } },
    ],
  },
  Home: { type: 'object', properties: { byName: { type: 'object', additionalProperties: PET }, list: { type: 'array', items: PET } } },
} satisfies { [name: string]: JsonSchema };

// Every documented response body of every operation at every api-version (the bodies the respelled-member check
// walks), the arbitraries' inline and spec schemas, and the map of oneOf objects above.
const bodies = [
  ...loadOperations().flatMap((op) =>
    op.model.responses.flatMap((r) => (r.schema ? [{ name: `${op.id}@${op.apiVersion} ${r.status}`, schema: r.schema, schemas: op.spec.schemas }] : [])),
  ),
  ...allCases.map((c) => ({ name: c.name, schema: c.schema, schemas: c.schemas })),
  { name: 'a map and a list of oneOf objects', schema: { $ref: '#/components/schemas/Home' } as JsonSchema, schemas: pets },
];

describe('eachObject', () => {
  it.each(bodies.map((b) => [b.name, b] as const))('visits the objects locations() finds, with the same node, for %s', (_name, b) => {
    fc.assert(
      fc.property(validValue(b.schema, b.schemas), (value) => {
        const seen: { at: string; node: Node }[] = [];
        eachObject(b.schema, b.schemas, value, (node, _members, at) => seen.push({ at: pointer(at), node }));
        const expected = locations(b.schema, b.schemas, value, { firstOnly: false })
          .filter((l) => isRecord(l.value))
          .map((l) => ({ at: pointer(l.path), node: l.node }));
        expect(seen.map((s) => s.at)).toEqual(expected.map((e) => e.at));
        seen.forEach((s, i) => expect(s.node).toBe(expected[i]?.node));
      }),
      { numRuns: 30, seed: 4242 },
    );
  });

  it('chooses the oneOf alternative each value was built from, in maps and lists alike', () => {
    const home = { byName: { rex: { kind: 'dog', bark: true }, tom: { kind: 'cat', meow: { loud: false } } }, list: [{ kind: 'cat', meow: { loud: true } }] };
    const seen: { at: string; declares: string[] }[] = [];
    eachObject({ $ref: '#/components/schemas/Home' }, pets, home, (node, _m, at) => seen.push({ at: pointer(at), declares: Object.keys(node.properties) }));
    expect(seen).toEqual([
      { at: '', declares: ['byName', 'list'] },
      { at: '/byName', declares: [] },
      { at: '/byName/rex', declares: ['kind', 'bark'] },
      { at: '/byName/tom', declares: ['kind', 'meow'] },
      { at: '/byName/tom/meow', declares: ['loud'] },
      { at: '/list/0', declares: ['kind', 'meow'] },
      { at: '/list/0/meow', declares: ['loud'] },
    ]);
  });
});
