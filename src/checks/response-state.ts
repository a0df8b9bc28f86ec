import { carriedRules } from '../rules/carried.js';
import { STATE_RULES } from '../rules/state-rules.js';
import type { Check } from './types.js';
import { violation } from './util.js';

/**
 * A step of a stateful property answered as the model of the resource predicts: 201 then 200, a new ETag per
 * write, stale If-Match refused, PATCH merged, read-only attributes kept. The model lives in the property
 * (src/properties/stateful); this check only compares one answer with the prediction the step carries.
 */
export const responseState: Check = {
  id: 'response.state',
  title: 'A step of a request sequence is answered as the model of the resource predicts (201/200, ETag, If-Match, PATCH merge)',
  cites: 'x-azconform-rules of the operation (src/rules/state-rules.ts); each finding names its rule id',
  kinds: ['sequence'],
  skip: (ctx, ex) =>
    ctx.profile === 'mock'
      ? `a stateless mock keeps no state between requests, so it cannot keep ${STATE_RULES.filter((r) => r.operationId === ex.case.operation.id).map((r) => r.id).join(', ') || 'stateful rules'}`
      : undefined,
  run(ex) {
    const p = ex.case.state;
    if (!p || !ex.response) return [];
    const { model } = ex.case.operation;
    return carriedRules(STATE_RULES, model).flatMap((r) => {
      const why = r.broken(ex, p);
      return why ? [violation('response.state', why, { rule: r.id, direction: 'response' })] : [];
    });
  },
};
