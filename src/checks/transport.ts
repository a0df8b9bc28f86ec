import type { Check } from './types.js';
import { violation } from './util.js';

export const transport: Check = {
  id: 'transport',
  title: 'The exchange completed: no timeout, reset or refused connection, and a readable JSON body',
  cites: 'Azure REST API guidelines: every response body is JSON (application/json)',
  kinds: 'all',
  run(ex) {
    if (ex.transportError) {
      return [violation('transport', `${ex.transportError.kind}: ${ex.transportError.message}`)];
    }
    if (ex.response?.bodyError) return [violation('transport', ex.response.bodyError, { direction: 'response' })];
    return [];
  },
};
