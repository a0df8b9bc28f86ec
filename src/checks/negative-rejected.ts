import type { Check } from './types.js';
import { violation } from './util.js';

export const negativeRejected: Check = {
  id: 'negative.rejected',
  title: 'Invalid input is rejected with a 4xx (the error envelope is judged by error.envelope)',
  cites: 'the request schema and rules of the operation: a request that breaks one must fail as a client error',
  kinds: ['negative', 'boundary', 'knob', 'sequence'],
  skip: (ctx, ex) =>
    ctx.profile === 'mock' && ex.case.breaks?.kind === 'rule'
      ? `a stateless mock cannot know rule ${ex.case.breaks.id}`
      : undefined,
  run(ex) {
    const { case: c, response: res } = ex;
    if (c.expect !== 'reject' || !res || res.status >= 500) return [];
    const what = c.breaks ? `${c.breaks.kind === 'rule' ? 'rule' : 'schema keyword'} ${c.breaks.id} at ${c.breaks.path || '/'}: ${c.breaks.detail}` : (c.label ?? 'invalid input');
    const rule = c.breaks?.kind === 'rule' ? { rule: c.breaks.id } : {};
    // ARM authorises on the URL before it validates it: with rights scoped to a resource group, a malformed path
    // segment (another resource group, in effect) is refused with 403 AuthorizationFailed, which is a refusal too.
    const pathProbe = c.breaks?.path.startsWith('/path/') === true && res.status === 403;
    if (res.status >= 400 && res.status < 500 && (pathProbe || (res.status !== 401 && res.status !== 403))) return [];
    return [
      violation(
        'negative.rejected',
        res.status < 400 ? `invalid input was accepted with ${res.status} (${what})` : `invalid input got ${res.status}, not a validation error (${what})`,
        { direction: 'response', ...rule },
      ),
    ];
  },
};
