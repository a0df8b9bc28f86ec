/**
 * A recorded exchange, once routed to one of our operations, becomes the Case and Exchange pair the checks judge:
 * the same shapes the live runner produces, so every check works unchanged on traffic.
 */
import type { Case } from '../cases/case.js';
import { parseBody, type Exchange } from '../http/exchange.js';
import type { RouteMatch } from '../model/route.js';
import type { RecordedExchange } from './recorded.js';

export interface Converted {
  readonly case: Case;
  readonly exchange: Exchange;
  /** Why the recorded request body could not be read as JSON, when it was not empty. */
  readonly requestBodyError?: string;
}

/**
 * The Key Vault client's first request (REAL-CLIENTS.md, "Challenge first"): no Authorization, no body, answered
 * 401. It is a probe for the Bearer challenge, not an attempt at the operation, so it is judged as an `auth` case
 * (auth.required checks the challenge; request.schema does not ask for the body the probe never carries).
 */
export function isAuthHandshake(rec: RecordedExchange): boolean {
  return rec.response.status === 401 && rec.request.headers.authorization === undefined && (rec.request.bodyText ?? '').trim() === '';
}

export function toExchange(rec: RecordedExchange, match: RouteMatch): Converted {
  const op = match.operation;
  const kind = isAuthHandshake(rec) ? 'auth' : 'recorded';
  const { body, error } = requestBody(rec.request.bodyText);
  const c: Case = {
    id: `${op.id}@${op.apiVersion}/${kind}/${rec.source.file}#${rec.source.index + 1}`,
    operation: op,
    kind,
    expect: 'either',
    label: kind === 'auth' ? 'the client’s unauthenticated, body-less challenge probe' : `recorded in ${rec.source.file}, entry ${rec.source.index + 1}`,
    request: {
      method: rec.request.method,
      url: rec.request.url,
      headers: rec.request.headers,
      ...(body !== undefined ? { body } : {}),
    },
    pathParams: match.pathParams,
  };
  const ms = rec.ms ?? 0;
  // HAR writes status 0 for a request that never got an answer (aborted, refused, blocked).
  const exchange: Exchange =
    rec.response.status === 0
      ? { case: c, transportError: { kind: 'other', message: 'the recording has no response (status 0)' }, ms }
      : {
          case: c,
          response: { status: rec.response.status, headers: rec.response.headers, bodyText: rec.response.bodyText, ...parseBody(rec.response.bodyText) },
          ms,
        };
  return { case: c, exchange, ...(error !== undefined ? { requestBodyError: error } : {}) };
}

function requestBody(text: string | undefined): { body?: unknown; error?: string } {
  if (text === undefined || text.trim() === '') return {};
  try {
    return { body: JSON.parse(text) as unknown };
  } catch (err) {
    return { error: `the request body is not JSON (${(err as Error).message})` };
  }
}
