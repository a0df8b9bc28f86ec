import type { Check } from './types.js';
import { documentedResponse, schemaFindings, validateAsRead, violation } from './util.js';

export const errorEnvelope: Check = {
  id: 'error.envelope',
  title: "An error response carries the operation's error schema (KeyVaultError, CloudError, ErrorResponse)",
  cites: "the operation's error responses (`default` and documented 4xx/5xx) and their schema",
  kinds: 'all',
  run(ex) {
    const res = ex.response;
    if (!res || res.status < 400 || res.bodyError) return [];
    const doc = documentedResponse(ex.case.operation, res.status);
    const body = doc?.validators.body;
    if (!doc || !body) return [];
    const name = schemaName(doc.model.schema);
    if (res.body === undefined) {
      return [violation('error.envelope', `status ${res.status} has no body; Azure answers errors with ${name}`, { direction: 'response' })];
    }
    // `"details": null`, `"target": null`: real APIM and ARM error bodies; a client reads them as absent.
    const seen = validateAsRead(body.tolerant, res.body);
    if (!seen.ok) {
      return schemaFindings('error.envelope', 'response', seen.errors).map((f) => ({ ...f, message: `${name}: ${f.message}` }));
    }
    // Both envelopes nest a code and a message under `error`: an empty object passes the schema but tells nothing.
    const err = (res.body as { error?: { code?: unknown; message?: unknown } | null }).error;
    if (!err || typeof err.code !== 'string' || err.code === '') {
      return [violation('error.envelope', `${name} has no error.code`, { direction: 'response', instancePath: '/error/code' })];
    }
    return [];
  },
};

function schemaName(schema: unknown): string {
  const ref = (schema as { $ref?: unknown } | undefined)?.$ref;
  return typeof ref === 'string' ? ref.split('/').pop() ?? 'the error schema' : 'the error schema';
}
