import { describe, expect, it } from 'vitest';
import { isHar, parseHar } from '../../src/traffic/har.js';
import { TrafficInputError } from '../../src/traffic/recorded.js';
import { isRecording, parseRecording } from '../../src/traffic/recording.js';

const URL_ = 'https://myvault.vault.azure.net/certificates/contacts?api%2Dversion=2025-07-01';

describe('parseHar', () => {
  const entry = (over: object = {}) => ({
    time: 7,
    request: {
      method: 'put',
      url: URL_,
      headers: [
        { name: 'Content-Type', value: 'application/json' },
        { name: 'X-Multi', value: 'a' },
        { name: 'x-multi', value: 'b' },
        { name: ':authority', value: 'myvault.vault.azure.net' },
      ],
      postData: { mimeType: 'application/json', text: '{"contacts":[]}' },
    },
    response: {
      status: 200,
      headers: [{ name: 'Content-Type', value: 'application/json' }],
      content: { mimeType: 'application/json', text: Buffer.from('{"id":"x"}').toString('base64'), encoding: 'base64' },
    },
    ...over,
  });

  it('reads method, url, lower-case headers, postData.text and base64 content.text', () => {
    const [ex] = parseHar('a.har', { log: { version: '1.2', entries: [entry()] } });
    expect(ex).toEqual({
      source: { file: 'a.har', index: 0 },
      request: {
        method: 'PUT',
        url: URL_,
        headers: { 'content-type': 'application/json', 'x-multi': 'a, b' },
        bodyText: '{"contacts":[]}',
      },
      response: { status: 200, headers: { 'content-type': 'application/json' }, bodyText: '{"id":"x"}' },
      ms: 7,
    });
  });

  it('leaves the request body undefined without postData and the response body empty without text', () => {
    const e = entry();
    const [ex] = parseHar('a.har', {
      log: { entries: [{ ...e, request: { ...e.request, postData: undefined }, response: { status: 204, headers: [], content: { size: 0, mimeType: '' } } }] },
    });
    expect(ex?.request.bodyText).toBeUndefined();
    expect(ex?.response).toEqual({ status: 204, headers: {}, bodyText: '' });
  });

  it('keeps plain content.text as it is', () => {
    const e = entry();
    const [ex] = parseHar('a.har', { log: { entries: [{ ...e, response: { ...e.response, content: { text: '<html>' } } }] } });
    expect(ex?.response.bodyText).toBe('<html>');
  });

  it('refuses files and entries it cannot read, naming the file and entry', () => {
    expect(isHar({ log: { entries: [] } })).toBe(true);
    expect(isHar({ Entries: [] })).toBe(false);
    expect(() => parseHar('a.har', { log: {} })).toThrow(TrafficInputError);
    expect(() => parseHar('a.har', { log: { entries: [entry(), { request: { method: 'GET' }, response: { status: 200 } }] } })).toThrow(
      'a.har: entry 2: request.url is missing',
    );
    expect(() => parseHar('a.har', { log: { entries: [{ ...entry(), response: { status: '200' } }] } })).toThrow('a.har: entry 1: response.status is not a number');
    expect(() => parseHar('a.har', { log: { entries: [{ ...entry(), request: { method: 'GET', url: URL_, headers: {} } }] } })).toThrow(
      'a.har: entry 1: request.headers is not a list',
    );
  });
});

describe('parseRecording', () => {
  const base = {
    RequestUri: URL_,
    RequestMethod: 'PUT',
    RequestHeaders: { Authorization: 'Sanitized', 'Content-Type': ['application/json'], 'X-Multi': ['a', 'b'] },
    RequestBody: { contacts: [{ email: 'admin@contoso.com' }] },
    StatusCode: 200,
    ResponseHeaders: { 'Content-Type': 'application/json; charset=utf-8' },
    ResponseBody: { id: 'https://myvault.vault.azure.net/certificates/contacts', contacts: [] },
  };

  it('reads string and array header values, JSON object bodies, and ignores Variables', () => {
    const [ex] = parseRecording('r.json', { Entries: [base], Variables: { RandomSeed: '1' } });
    expect(ex).toEqual({
      source: { file: 'r.json', index: 0 },
      request: {
        method: 'PUT',
        url: URL_,
        headers: { authorization: 'Sanitized', 'content-type': 'application/json', 'x-multi': 'a, b' },
        bodyText: '{"contacts":[{"email":"admin@contoso.com"}]}',
      },
      response: {
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        bodyText: '{"id":"https://myvault.vault.azure.net/certificates/contacts","contacts":[]}',
      },
    });
  });

  it('reads null, [] (empty), string, array-of-lines and base64 bodies as the test-proxy writes them', () => {
    const one = (over: object) => parseRecording('r.json', { Entries: [{ ...base, ...over }] })[0];
    const none = one({ RequestBody: null, ResponseBody: null });
    expect(none?.request.bodyText).toBeUndefined();
    expect(none?.response.bodyText).toBe('');
    expect(one({ RequestBody: [], ResponseBody: [] })).toMatchObject({ request: { bodyText: '' }, response: { bodyText: '' } });
    expect(one({ ResponseBody: 'not json' })?.response.bodyText).toBe('not json');
    expect(one({ ResponseBody: ['line one\n', 'line two'] })?.response.bodyText).toBe('line one\nline two');
    expect(one({ ResponseBody: true })?.response.bodyText).toBe('true');
    // A body whose content-type is not text is stored base64; one without a content-type too.
    const b64 = Buffer.from('{"id":"x"}').toString('base64');
    expect(one({ ResponseHeaders: {}, ResponseBody: b64 })?.response.bodyText).toBe('{"id":"x"}');
    expect(one({ ResponseHeaders: { 'Content-Type': 'application/octet-stream' }, ResponseBody: b64 })?.response.bodyText).toBe('{"id":"x"}');
    // Under a text content-type a base64-looking string stays as it is.
    expect(one({ ResponseBody: b64 })?.response.bodyText).toBe(b64);
    const { RequestBody: _rb, ResponseBody: _sb, ...noBodies } = base;
    const absent = parseRecording('r.json', { Entries: [noBodies] })[0];
    expect(absent?.request.bodyText).toBeUndefined();
    expect(absent?.response.bodyText).toBe('');
  });

  it('decodes the api%2Dversion key through URL (routing reads it from there)', () => {
    const [ex] = parseRecording('r.json', { Entries: [base] });
    expect(new URL(ex?.request.url ?? '').searchParams.get('api-version')).toBe('2025-07-01');
  });

  it('refuses what is not a recording and entries it cannot read', () => {
    expect(isRecording({ Entries: [] })).toBe(true);
    expect(isRecording({ entries: [] })).toBe(false);
    expect(() => parseRecording('r.json', { Variables: {} })).toThrow(TrafficInputError);
    expect(() => parseRecording('r.json', { Entries: [{ ...base, StatusCode: undefined }] })).toThrow('r.json: entry 1: StatusCode is not a number');
    expect(() => parseRecording('r.json', { Entries: [base, { ...base, RequestUri: 3 }] })).toThrow('r.json: entry 2: RequestUri is missing');
    expect(() => parseRecording('r.json', { Entries: ['x'] })).toThrow('r.json: entry 1: not an object');
  });
});
