import type { Check } from './types.js';
import { documentedResponse, openEnumNotes, schemaFindings, validateResponseBody, violation } from './util.js';

export const responseSchema: Check = {
  id: 'response.schema',
  title: 'A success response body matches its documented schema',
  cites: "the operation's documented response schema for that status (readOnly, required, types, formats, closed enums); a property set to null counts as absent, as Azure's clients read it",
  kinds: 'all',
  run(ex) {
    const res = ex.response;
    if (!res || res.status >= 400 || res.bodyError) return [];
    const doc = documentedResponse(ex.case.operation, res.status);
    const body = doc?.validators.body;
    if (!doc?.exact || !body) return [];
    if (res.body === undefined) {
      return [violation('response.schema', `status ${res.status} documents a ${doc.model.schema ? 'JSON body' : 'body'} but the response has none`, { direction: 'response' })];
    }
    const seen = validateResponseBody(body.tolerant, res.body);
    if (!seen.ok) return schemaFindings('response.schema', 'response', seen.errors);
    return body.strict(seen.read) ? [] : openEnumNotes('response.schema', 'response', body.strict.errors);
  },
};
