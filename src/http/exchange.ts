import type { Case } from '../cases/case.js';

export interface HttpResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: { readonly [name: string]: string };
  readonly bodyText: string;
  /** The parsed JSON body; undefined when the body is empty or not JSON (see `bodyError`). */
  readonly body?: unknown;
  /** Why the body could not be read as JSON, when it was not empty. */
  readonly bodyError?: string;
}

export type TransportErrorKind = 'timeout' | 'reset' | 'refused' | 'unreadable' | 'other';

/** One request and what came back: a response, or a transport error. Never both. */
export interface Exchange {
  readonly case: Case;
  readonly response?: HttpResponse;
  readonly transportError?: { readonly kind: TransportErrorKind; readonly message: string };
  readonly ms: number;
}

/** Parse a response body the way the checks expect: JSON when there is text, else nothing. */
export function parseBody(bodyText: string): Pick<HttpResponse, 'body' | 'bodyError'> {
  if (!/\S/.test(bodyText)) return {};
  try {
    return { body: JSON.parse(bodyText) as unknown };
  } catch (err) {
    return { bodyError: `body is not JSON (${(err as Error).message})` };
  }
}
