/**
 * Traffic built in the tests from the specs' own examples: one scenario of one operation becomes a request URL,
 * a request body and a documented response, written out as HAR 1.2 or as a test-proxy recording.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOperations, type Operation } from '../../src/model/registry.js';

export interface Call {
  method: string;
  url: string;
  requestHeaders: { [name: string]: string };
  requestBody?: unknown;
  status: number;
  responseHeaders: { [name: string]: string };
  /** An object is sent as JSON; a string verbatim; undefined: no body. */
  responseBody?: unknown;
}

const OPS = loadOperations();

export function op(id: string, apiVersion: string): Operation {
  const found = OPS.find((o) => o.id === id && o.apiVersion === apiVersion);
  if (!found) throw new Error(`no spec for ${id}@${apiVersion}`);
  return found;
}

/** The request and answer a spec example documents (status: which documented response to take). */
export function exampleCall(id: string, apiVersion: string, scenario: string, status: number, queryKey = 'api-version'): Call {
  const o = op(id, apiVersion);
  let path = o.model.path;
  let query = '';
  const headers: { [name: string]: string } = { authorization: 'Bearer eyJ0eXAi.test.token', accept: 'application/json' };
  for (const p of o.model.parameters) {
    const v = p.examples[scenario];
    if (v === undefined) continue;
    if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeURIComponent(String(v)));
    else if (p.in === 'query') query += `${query ? '&' : '?'}${p.name === 'api-version' ? queryKey : p.name}=${encodeURIComponent(String(v))}`;
    else headers[p.name.toLowerCase()] = String(v);
  }
  const base = o.spec.server.url.replace(/\{(\w+)\}/g, (_m, n: string) => o.spec.server.variables[n] ?? '');
  const res = o.model.responses.find((r) => r.status === String(status));
  if (!res) throw new Error(`${id}@${apiVersion} documents no ${status}`);
  const responseHeaders: { [name: string]: string } = { 'content-type': 'application/json; charset=utf-8', 'x-ms-request-id': 'b0d3b0f3-0000-0000-0000-000000000000' };
  for (const h of res.headers) {
    const v = h.examples[scenario];
    if (v !== undefined) responseHeaders[h.name] = String(v);
  }
  const body = o.model.requestBody?.examples[scenario];
  if (body !== undefined) headers['content-type'] = 'application/json';
  return {
    method: o.model.method,
    url: `${base}${path}${query}`,
    requestHeaders: headers,
    ...(body !== undefined ? { requestBody: structuredClone(body) } : {}),
    status,
    responseHeaders,
    ...(res.examples[scenario] !== undefined ? { responseBody: structuredClone(res.examples[scenario]) } : {}),
  };
}

const text = (body: unknown): string | undefined => (body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));

export function har(calls: readonly Call[]): unknown {
  return {
    log: {
      version: '1.2',
      creator: { name: 'azconform-tests', version: '1' },
      entries: calls.map((c) => {
        const reqText = text(c.requestBody);
        const resText = text(c.responseBody);
        return {
          startedDateTime: '2025-01-01T00:00:00.000Z',
          time: 12.5,
          request: {
            method: c.method,
            url: c.url,
            httpVersion: 'HTTP/1.1',
            cookies: [],
            headers: Object.entries(c.requestHeaders).map(([name, value]) => ({ name, value })),
            queryString: [],
            ...(reqText !== undefined ? { postData: { mimeType: 'application/json', text: reqText } } : {}),
            headersSize: -1,
            bodySize: reqText?.length ?? 0,
          },
          response: {
            status: c.status,
            statusText: '',
            httpVersion: 'HTTP/1.1',
            cookies: [],
            headers: Object.entries(c.responseHeaders).map(([name, value]) => ({ name, value })),
            content: { size: resText?.length ?? 0, mimeType: c.responseHeaders['content-type'] ?? '', ...(resText !== undefined ? { text: resText } : {}) },
            redirectURL: '',
            headersSize: -1,
            bodySize: resText?.length ?? 0,
          },
          cache: {},
          timings: { send: 0, wait: 12.5, receive: 0 },
        };
      }),
    },
  };
}

/** A test-proxy recording: header values as arrays (as older recordings) or strings, JSON bodies as objects. */
export function recording(calls: readonly Call[], headerArrays = true): unknown {
  const hdrs = (h: { [name: string]: string }) =>
    Object.fromEntries(Object.entries(h).map(([k, v]) => [k.replace(/(^|-)(\w)/g, (_m, d: string, c: string) => d + c.toUpperCase()), headerArrays ? [v] : v]));
  return {
    Entries: calls.map((c) => ({
      RequestUri: c.url,
      RequestMethod: c.method,
      RequestHeaders: hdrs(c.requestHeaders),
      RequestBody: c.requestBody ?? null,
      StatusCode: c.status,
      ResponseHeaders: hdrs(c.responseHeaders),
      ResponseBody: c.responseBody ?? null,
    })),
    Variables: { RandomSeed: '1234' },
  };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'azconform-traffic-'));
}

export function writeJson(dir: string, name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

/** The Key Vault client's first request: no Authorization, no body, answered 401 with the challenge. */
export function challengeProbe(call: Call): Call {
  const { authorization: _a, 'content-type': _ct, ...requestHeaders } = call.requestHeaders;
  return {
    method: call.method,
    url: call.url,
    requestHeaders: { ...requestHeaders, 'content-length': '0' },
    status: 401,
    responseHeaders: {
      'content-type': 'application/json; charset=utf-8',
      'www-authenticate': 'Bearer authorization="https://login.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47", resource="https://vault.azure.net"',
    },
    responseBody: { error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } },
  };
}
