/**
 * The neutral form of one recorded HTTP exchange, whatever file it came from (HAR 1.2, Azure SDK test-proxy
 * recording). Parsers produce it; `to-exchange.ts` turns it into the Case/Exchange pair the checks judge.
 */
export interface RecordedExchange {
  /** The file as the user named it and the 0-based position of the entry in it. */
  readonly source: { readonly file: string; readonly index: number };
  readonly request: {
    readonly method: string;
    readonly url: string;
    /** Lower-case names; repeated headers and array values joined with ', '. */
    readonly headers: { readonly [name: string]: string };
    /** The body as text; undefined when the recording has none. */
    readonly bodyText?: string;
  };
  readonly response: {
    /** 0 when the recording has no response (a HAR of a failed request). */
    readonly status: number;
    readonly headers: { readonly [name: string]: string };
    readonly bodyText: string;
    /** The tool that wrote the file left the body out (a HAR saved without content): nothing to judge it by. */
    readonly bodyNotCaptured?: boolean;
  };
  /** Milliseconds, when the recording says (HAR `time`). */
  readonly ms?: number;
}

export type TrafficFormat = 'har' | 'recording';

/** The input is not something we can read (not HAR, not a recording, a malformed entry): exit code 2. */
export class TrafficInputError extends Error {
  override readonly name = 'TrafficInputError';
}

export function isObject(v: unknown): v is { readonly [key: string]: unknown } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Add a header value under its lower-case name, joining repeats with ', ' as HTTP does. */
export function addHeader(headers: { [name: string]: string }, name: string, value: string): void {
  const key = name.toLowerCase();
  const prev = headers[key];
  headers[key] = prev === undefined ? value : `${prev}, ${value}`;
}

export function where(file: string, index: number): string {
  return `${file}: entry ${index + 1}`;
}
