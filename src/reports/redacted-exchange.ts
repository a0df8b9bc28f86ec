import type { HttpRequest } from '../cases/case.js';
import type { Exchange } from '../http/exchange.js';
import { toCurl } from './curl.js';
import { redactBody, redactHeaders, redactRequest, redactText } from './redact.js';

/** What reports keep of an exchange: the request and the response, secrets redacted, body text cut to 2,000 chars. */
export interface RedactedExchange {
  readonly request: HttpRequest;
  readonly response?: { readonly status: number; readonly headers: { readonly [k: string]: string }; readonly body?: unknown; readonly bodyText?: string };
  /** The curl that replays the request (token from the environment). */
  readonly curl: string;
}

const REDACTED_EXCHANGES = new WeakMap<Exchange, RedactedExchange>();

/** One redaction per exchange, whichever report record (case, violation) asks first; the walk over a body is not free. */
export function redactExchange(ex: Exchange): RedactedExchange {
  let r = REDACTED_EXCHANGES.get(ex);
  if (r) return r;
  const request = redactRequest(ex.case.request);
  let curl: string | undefined;
  const res = ex.response;
  r = {
    request,
    ...(res
      ? {
          response: {
            status: res.status,
            headers: redactHeaders(res.headers),
            ...(res.body !== undefined ? { body: redactBody(res.body) } : { bodyText: redactText(res.bodyText).slice(0, 2000) }),
          },
        }
      : {}),
    // Built on first read: most cases never fail, and only a violation carries its curl.
    get curl() {
      return (curl ??= toCurl(request, ex.case.operation.plane));
    },
  };
  REDACTED_EXCHANGES.set(ex, r);
  return r;
}
