import type { Check } from './types.js';
import { documentedResponse, schemaFindings } from './util.js';

export const responseHeaders: Check = {
  id: 'response.headers',
  title: 'Documented response headers are present and well-formed (e.g. ETag on API Management 200/201)',
  cites: "the headers of the operation's documented response for that status",
  kinds: 'all',
  run(ex) {
    const res = ex.response;
    if (!res) return [];
    const doc = documentedResponse(ex.case.operation, res.status);
    if (!doc?.exact) return [];
    return doc.validators.headers(res.headers)
      ? []
      : schemaFindings('response.headers', 'response', doc.validators.headers.errors, 'violation', '/headers');
  },
};
