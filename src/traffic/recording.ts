/**
 * Azure SDK test-proxy recordings (`{"Entries": [...], "Variables": {...}}`) → RecordedExchange.
 *
 * How the test-proxy writes bodies (Azure.Sdk.Tools.TestProxy RecordEntry.SerializeBody): `null` for no body, `[]`
 * for an empty one; a text body (content-type text/json/xml…) that parses as a JSON object (or number, boolean)
 * is written as that JSON; other text as a string, split into an array of lines (each keeping its line break)
 * when it has several; a non-text body as a base64 string. Header values are a string, or an array of strings
 * for repeated headers.
 */
import { addHeader, isObject, TrafficInputError, where, type RecordedExchange } from './recorded.js';

export function isRecording(doc: unknown): boolean {
  return isObject(doc) && Array.isArray(doc.Entries);
}

export function parseRecording(file: string, doc: unknown): RecordedExchange[] {
  if (!isRecording(doc)) throw new TrafficInputError(`${file}: not a test-proxy recording (no Entries)`);
  const entries = (doc as { Entries: unknown[] }).Entries;
  return entries.map((entry, index) => parseEntry(file, index, entry));
}

function parseEntry(file: string, index: number, entry: unknown): RecordedExchange {
  const at = where(file, index);
  if (!isObject(entry)) throw new TrafficInputError(`${at}: not an object`);
  if (typeof entry.RequestUri !== 'string' || entry.RequestUri === '') throw new TrafficInputError(`${at}: RequestUri is missing`);
  if (typeof entry.RequestMethod !== 'string' || entry.RequestMethod === '') throw new TrafficInputError(`${at}: RequestMethod is missing`);
  if (typeof entry.StatusCode !== 'number' || !Number.isInteger(entry.StatusCode)) {
    throw new TrafficInputError(`${at}: StatusCode is not a number`);
  }
  const reqHeaders = headers(at, 'RequestHeaders', entry.RequestHeaders);
  const resHeaders = headers(at, 'ResponseHeaders', entry.ResponseHeaders);
  const bodyText = body(entry.RequestBody, reqHeaders);
  return {
    source: { file, index },
    request: {
      method: entry.RequestMethod.toUpperCase(),
      url: entry.RequestUri,
      headers: reqHeaders,
      ...(bodyText !== undefined ? { bodyText } : {}),
    },
    response: { status: entry.StatusCode, headers: resHeaders, bodyText: body(entry.ResponseBody, resHeaders) ?? '' },
  };
}

function headers(at: string, name: string, value: unknown): { [name: string]: string } {
  const out: { [name: string]: string } = {};
  if (value === undefined || value === null) return out;
  if (!isObject(value)) throw new TrafficInputError(`${at}: ${name} is not an object`);
  for (const [key, v] of Object.entries(value)) {
    if (Array.isArray(v)) addHeader(out, key, v.map(String).join(', '));
    else if (v !== null && v !== undefined) addHeader(out, key, String(v));
  }
  return out;
}

function body(value: unknown, headers: { readonly [name: string]: string }): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) {
    // Lines of a text body (each with its own line break), or [] for an empty body.
    return value.every((x) => typeof x === 'string') ? value.join('') : JSON.stringify(value);
  }
  if (typeof value !== 'string') return JSON.stringify(value);
  if (!isTextContentType(headers['content-type']) && looksBase64(value)) {
    // Bytes the test-proxy did not take for text: decode them when they are readable text (a body without a
    // content-type is stored this way), else keep the string as it stands.
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    if (!/[\uFFFD\u0000-\u0008\u000E-\u001F]/.test(decoded)) return decoded;
  }
  return value;
}

/** What the test-proxy treats as text (stored verbatim) rather than bytes (stored base64). */
function isTextContentType(ct: string | undefined): boolean {
  if (!ct) return false;
  return /^\s*(text\/|application\/([\w.-]+\+)?(json|xml)\b|application\/(x-www-form-urlencoded|javascript)\b)/i.test(ct);
}

function looksBase64(s: string): boolean {
  return s.length > 0 && s.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(s);
}
