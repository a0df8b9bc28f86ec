import type { Exchange } from '../http/exchange.js';
import type { Check, Finding } from './types.js';
import { openEnumNotes, schemaFindings, validateAsRead, violation } from './util.js';

/**
 * Recorded traffic only: the kit knows what it sends, but a recording shows what a real client sent. Open enums
 * are tolerated (notes); everything else the request schema forbids is a violation when the service took the
 * request, and a note when it refused it with a 4xx.
 */
export const requestSchema: Check = {
  id: 'request.schema',
  title: 'A recorded request matches the documented parameters and body',
  cites: "the operation's parameters (path, query, header) and request body schema",
  kinds: ['recorded'],
  run(ex) {
    const findings = requestFindings(ex);
    // A recording also holds requests sent to be refused (an SDK's negative tests, a client's mistake): a service
    // that refused one with a 4xx did what the schema asks of it. Only an accepted (or failed) one is a violation.
    const status = ex.response?.status ?? 0;
    if (status < 400 || status >= 500) return findings;
    return findings.map((f) => (f.severity === 'violation' ? { ...f, severity: 'note', message: `${f.message} — the service refused the request with ${status}` } : f));
  },
};

function requestFindings(ex: Exchange): Finding[] {
  const { request, operation } = ex.case;
  const url = new URL(request.url);
  const params = {
    path: ex.case.pathParams,
    query: Object.fromEntries(url.searchParams),
    header: request.headers,
  };
  // The recording tools put placeholders into the path (the JS test-proxy writes azure_subscription_id where a
  // subscription GUID was): a path segment's format is a note, its presence and pattern still count.
  const errors = operation.validators.request.params(params) ? [] : (operation.validators.request.params.errors ?? []);
  const sanitised = (e: (typeof errors)[number]): boolean => e.keyword === 'format' && e.instancePath.startsWith('/path/');
  const findings = [
    ...schemaFindings('request.schema', 'request', errors.filter((e) => !sanitised(e)), 'violation', '/parameters'),
    ...schemaFindings('request.schema', 'request', errors.filter(sanitised), 'note', '/parameters'),
  ];
  const body = operation.validators.request.body;
  const rb = operation.model.requestBody;
  if (!body || !rb) return findings;
  if (request.body === undefined) {
    return rb.required ? [...findings, violation('request.schema', 'the request body is required but missing', { direction: 'request' })] : findings;
  }
  // A null on a required member is still missing: the second reading reports it as such.
  const seen = validateAsRead(body.tolerant, request.body);
  if (!seen.ok) return [...findings, ...schemaFindings('request.schema', 'request', seen.errors)];
  return body.strict(seen.read) ? findings : [...findings, ...openEnumNotes('request.schema', 'request', body.strict.errors)];
}
