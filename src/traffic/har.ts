/**
 * HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) → RecordedExchange. Only what validation needs is
 * read: method, url, headers, postData.text, status, headers, content.text (base64 when content.encoding says so).
 */
import { addHeader, isObject, TrafficInputError, where, type RecordedExchange } from './recorded.js';

export function isHar(doc: unknown): boolean {
  return isObject(doc) && isObject(doc.log) && Array.isArray(doc.log.entries);
}

export function parseHar(file: string, doc: unknown): RecordedExchange[] {
  if (!isHar(doc)) throw new TrafficInputError(`${file}: not a HAR file (no log.entries)`);
  const entries = (doc as { log: { entries: unknown[] } }).log.entries;
  return entries.map((entry, index) => parseEntry(file, index, entry));
}

function parseEntry(file: string, index: number, entry: unknown): RecordedExchange {
  const at = where(file, index);
  if (!isObject(entry)) throw new TrafficInputError(`${at}: not an object`);
  const { request, response } = entry;
  if (!isObject(request)) throw new TrafficInputError(`${at}: request is missing`);
  if (!isObject(response)) throw new TrafficInputError(`${at}: response is missing`);
  if (typeof request.method !== 'string' || request.method === '') throw new TrafficInputError(`${at}: request.method is missing`);
  if (typeof request.url !== 'string' || request.url === '') throw new TrafficInputError(`${at}: request.url is missing`);
  if (typeof response.status !== 'number' || !Number.isInteger(response.status)) {
    throw new TrafficInputError(`${at}: response.status is not a number`);
  }
  const bodyText = requestBody(at, request.postData);
  return {
    source: { file, index },
    request: {
      method: request.method.toUpperCase(),
      url: request.url,
      headers: headers(at, 'request', request.headers),
      ...(bodyText !== undefined ? { bodyText } : {}),
    },
    response: {
      status: response.status,
      headers: headers(at, 'response', response.headers),
      bodyText: responseBody(at, response.content),
      ...(notCaptured(response.content) ? { bodyNotCaptured: true } : {}),
    },
    ...(typeof entry.time === 'number' && entry.time >= 0 ? { ms: entry.time } : {}),
  };
}

/** `[{name, value}]` → lower-case map; HTTP/2 pseudo-headers (`:authority`, …) are not headers and are dropped. */
function headers(at: string, side: string, list: unknown): { [name: string]: string } {
  const out: { [name: string]: string } = {};
  if (list === undefined) return out;
  if (!Array.isArray(list)) throw new TrafficInputError(`${at}: ${side}.headers is not a list`);
  for (const h of list) {
    if (!isObject(h) || typeof h.name !== 'string') throw new TrafficInputError(`${at}: ${side}.headers has an entry without a name`);
    if (h.name.startsWith(':')) continue;
    addHeader(out, h.name, h.value === undefined || h.value === null ? '' : String(h.value));
  }
  return out;
}

function requestBody(at: string, postData: unknown): string | undefined {
  if (postData === undefined || postData === null) return undefined;
  if (!isObject(postData)) throw new TrafficInputError(`${at}: request.postData is not an object`);
  if (typeof postData.text === 'string') return decode(postData.text, postData.encoding);
  // Form posts may carry params instead of text; rebuild the urlencoded body (not JSON, so the checks will say so).
  if (Array.isArray(postData.params)) {
    return new URLSearchParams(
      postData.params.filter(isObject).map((p) => [String(p.name ?? ''), String(p.value ?? '')] as [string, string]),
    ).toString();
  }
  return undefined;
}

/** content without text although it had bytes (size > 0): the HAR was saved without response bodies. */
function notCaptured(content: unknown): boolean {
  return isObject(content) && typeof content.text !== 'string' && typeof content.size === 'number' && content.size > 0;
}

function responseBody(at: string, content: unknown): string {
  if (content === undefined || content === null) return '';
  if (!isObject(content)) throw new TrafficInputError(`${at}: response.content is not an object`);
  return typeof content.text === 'string' ? decode(content.text, content.encoding) : '';
}

function decode(text: string, encoding: unknown): string {
  return typeof encoding === 'string' && encoding.toLowerCase() === 'base64' ? Buffer.from(text, 'base64').toString('utf8') : text;
}
