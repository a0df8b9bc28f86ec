import type { Check } from './types.js';
import { violation } from './util.js';

export const serverError: Check = {
  id: 'server.error',
  title: 'No 5xx: whatever the input, the server answers it',
  cites: 'Azure REST API guidelines: client mistakes are 4xx; a 5xx is a server bug',
  kinds: 'all',
  run(ex) {
    const s = ex.response?.status;
    return s !== undefined && s >= 500 ? [violation('server.error', `status ${s}`, { direction: 'response' })] : [];
  },
};
