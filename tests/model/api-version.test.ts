import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareApiVersions } from '../../src/model/api-version.js';
import { loadOperations, selectOperations } from '../../src/model/registry.js';

describe('api-version order', () => {
  it('numbered before dated, numerically, a preview before its release', () => {
    const shuffled = ['2025-07-01', '7.6', '7.10', '2024-05-01', '7.6-preview.2', '7.0', '2023-05-01-preview', '7.6-preview.1', '7.2', '2023-05-01'];
    expect([...shuffled].sort(compareApiVersions)).toEqual([
      '7.0', '7.2', '7.6-preview.1', '7.6-preview.2', '7.6', '7.10', '2023-05-01-preview', '2023-05-01', '2024-05-01', '2025-07-01',
    ]);
  });

  it('is a total order: antisymmetric and 0 only for the same text', () => {
    const version = fc.oneof(
      fc.tuple(fc.nat(9), fc.nat(12)).map(([a, b]) => `${a}.${b}`),
      fc.tuple(fc.integer({ min: 2014, max: 2030 }), fc.integer({ min: 1, max: 12 })).map(([y, m]) => `${y}-${String(m).padStart(2, '0')}-01`),
    );
    const any = fc.tuple(version, fc.option(fc.nat(3))).map(([v, p]) => (p === null ? v : `${v}-preview${p === 0 ? '' : `.${p}`}`));
    fc.assert(
      fc.property(any, any, (a, b) => {
        // == on purpose: sign(0) and -sign(0) are +0 and -0, which toBe (Object.is) tells apart.
        expect(Math.sign(compareApiVersions(a, b)) === -Math.sign(compareApiVersions(b, a))).toBe(true);
        expect(compareApiVersions(a, b) === 0).toBe(a === b);
      }),
    );
  });

  it('--api-versions all runs Key Vault 7.6-preview.1 and .2 between 7.5 and 7.6', () => {
    const { selected } = selectOperations(loadOperations(), { operations: ['UpdateCertificate'], apiVersions: 'all' });
    const order = selected.map((o) => o.apiVersion);
    expect(order.indexOf('7.5')).toBeLessThan(order.indexOf('7.6-preview.1'));
    expect(order.indexOf('7.6-preview.2')).toBeLessThan(order.indexOf('7.6'));
    expect(order.at(-1)).toBe('2025-07-01');
  });
});
