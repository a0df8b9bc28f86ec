import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { eachObject, locations } from '../../src/arbitraries/locate.js';
import { pointer } from '../../src/arbitraries/pointer.js';
import { isRecord, type Node } from '../../src/arbitraries/schema.js';
import { validValue } from '../../src/arbitraries/index.js';
import { loadOperations } from '../../src/model/registry.js';

// Every documented response body of every operation at every api-version: the bodies the respelled-member check walks.
const bodies = loadOperations().flatMap((op) =>
  op.model.responses.flatMap((r) => (r.schema ? [{ name: `${op.id}@${op.apiVersion} ${r.status}`, schema: r.schema, schemas: op.spec.schemas }] : [])),
);

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
});
