import { refusedForMissingIfMatch } from '../rules/if-match.js';
import type { Check } from './types.js';
import { isSuccess, violation } from './util.js';

export const positiveAccepted: Check = {
  id: 'positive.accepted',
  title: 'Valid input is accepted (2xx)',
  cites: 'the request schema and rules of the operation: a request that keeps them all must succeed',
  kinds: ['example', 'positive', 'boundary', 'knob', 'sequence'],
  run(ex) {
    const { case: c, response: res } = ex;
    if (c.expect !== 'accept' || !res || isSuccess(res.status) || res.status >= 500) return [];
    const why = c.label ? ` (${c.label})` : '';
    // The entity may exist already (see refusedForMissingIfMatch): a documented refusal, not a failure.
    if (refusedForMissingIfMatch(res.status, c.request.headers, c.operation.model.parameters, res.body)) {
      return [{ check: 'positive.accepted', severity: 'note', direction: 'response', message: `valid input${why} without If-Match was refused with ${res.status}: the entity may exist already, and the operation documents If-Match as required when updating one` }];
    }
    const code = (res.body as { error?: { code?: unknown } } | undefined)?.error?.code;
    return [
      violation('positive.accepted', `valid input${why} was refused with ${res.status}${typeof code === 'string' ? ` ${code}` : ''}`, {
        direction: 'response',
        ...(c.breaks?.kind === 'rule' ? { rule: c.breaks.id } : {}),
      }),
    ];
  },
};
