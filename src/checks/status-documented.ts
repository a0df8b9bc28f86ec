import type { Check } from './types.js';
import { documentedStatuses, violation } from './util.js';

export const statusDocumented: Check = {
  id: 'status.documented',
  title: 'The response status is one the operation documents',
  cites: "OpenAPI responses of the operation; `default` covers error statuses (>= 400) only, as Azure's specs use it",
  kinds: 'all',
  run(ex) {
    const res = ex.response;
    if (!res) return [];
    const documented = documentedStatuses(ex.case.operation);
    if (documented.includes(String(res.status))) return [];
    if (res.status >= 400 && documented.includes('default')) return [];
    return [
      violation('status.documented', `status ${res.status} is not documented (documented: ${documented.join(', ')})${redirect(res.status, res.headers.location)}`, {
        direction: 'response',
      }),
    ];
  },
};

/** A redirect is never followed (the kit would send the token elsewhere): the message says where it pointed. */
function redirect(status: number, location: string | undefined): string {
  if (status < 300 || status >= 400) return '';
  return location ? `; a redirect to ${location}, not followed` : '; a redirect without a Location header, not followed';
}
