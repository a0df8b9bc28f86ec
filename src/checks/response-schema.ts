import { respelledMembers } from './respelled.js';
import type { Check, Finding } from './types.js';
import { documentedResponse, openEnumNotes, schemaFindings, validateAsRead, violation } from './util.js';

export const responseSchema: Check = {
  id: 'response.schema',
  title: 'A success response body matches its documented schema',
  cites:
    "the operation's documented response schema for that status (readOnly, required, types, formats, closed enums, member names: a member spelt as a declared one in another case or style, with the declared one absent, is a violation); a property set to null counts as absent, as Azure's clients read it",
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
    const seen = validateAsRead(body.tolerant, res.body);
    if (!seen.ok) return schemaFindings('response.schema', 'response', seen.errors);
    const respelled = (doc.model.schema ? respelledMembers(seen.read, doc.model.schema, ex.case.operation.spec.schemas) : []).map(
      (r): Finding =>
        violation('response.schema', `${r.path} is not a member of the schema, which declares ${r.declared} there (absent): member names are exact, so a client reading ${r.declared} finds nothing`, {
          direction: 'response',
          instancePath: r.path,
        }),
    );
    if (respelled.length > 0) return respelled;
    return body.strict(seen.read) ? [] : openEnumNotes('response.schema', 'response', body.strict.errors);
  },
};
