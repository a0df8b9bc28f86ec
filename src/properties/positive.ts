import { REALISTIC } from './realistic.js';
import type { PropertyDef } from './types.js';

/** Realistic, rule-keeping requests: a conforming target accepts every one (2xx), but where what it holds decides. */
export const positive: PropertyDef = {
  name: 'positive',
  arbitrary: (ctx) =>
    REALISTIC[ctx.operation.id]?.(ctx).map((r) => ({
      kind: 'positive' as const,
      expect: r.expect ?? ('accept' as const),
      label: r.label,
      value: { pathParams: r.pathParams, body: r.body },
    })),
};
