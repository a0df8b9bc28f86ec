import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient, splitUrl } from '../../src/http/client.js';
import { Deadlines } from '../../src/http/deadline.js';
import { jsonText } from '../../src/http/json-text.js';
import { listen, type TestServer } from '../engine/servers.js';

// Real loopback servers: each one misbehaves in one way a target can, and the client must turn it into a value.
const open: TestServer[] = [];
const clients: HttpClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function serve(handler: Parameters<typeof listen>[0]): Promise<string> {
  const s = await listen(handler);
  open.push(s);
  return s.url;
}

function client(timeoutMs = 2_000): HttpClient {
  const c = new HttpClient({ timeoutMs, connections: 2 });
  clients.push(c);
  return c;
}

const put = (url: string, body?: unknown) => ({ method: 'PUT', url, headers: { authorization: 'Bearer t' }, ...(body === undefined ? {} : { body }) });

describe('HttpClient', () => {
  it('sends method, path, query, headers and a JSON body, and returns status, lower-case headers and the parsed body', async () => {
    let seen: { method?: string; url?: string; type?: string; auth?: string; body?: string } = {};
    const url = await serve((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen = { method: req.method, url: req.url, type: req.headers['content-type'], auth: req.headers.authorization, body: Buffer.concat(chunks).toString() };
        res.writeHead(201, { 'Content-Type': 'application/json', ETag: '"abc"', 'Set-Cookie': ['a=1', 'b=2'] });
        res.end(JSON.stringify({ ok: true, name: 'zürich' }));
      });
    });
    const r = await client().send(put(`${url}/certificates/contacts?api-version=7.4`, { contacts: [{ email: 'a@b.c' }] }));
    expect(seen).toEqual({ method: 'PUT', url: '/certificates/contacts?api-version=7.4', type: 'application/json', auth: 'Bearer t', body: '{"contacts":[{"email":"a@b.c"}]}' });
    expect(r.transportError).toBeUndefined();
    expect(r.response?.status).toBe(201);
    expect(r.response?.headers.etag).toBe('"abc"');
    expect(r.response?.headers['set-cookie']).toBe('a=1, b=2');
    expect(r.response?.body).toEqual({ ok: true, name: 'zürich' });
    expect(r.ms).toBeGreaterThanOrEqual(0);
  });

  it('joins a body that arrives in many chunks, multi-byte characters split across them', async () => {
    const text = JSON.stringify({ value: 'ü'.repeat(5_000) });
    const bytes = Buffer.from(text);
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // Odd-sized slices split two-byte characters between writes.
      for (let i = 0; i < bytes.length; i += 333) res.write(bytes.subarray(i, i + 333));
      res.end();
    });
    const r = await client().send(put(url));
    expect(r.response?.bodyText).toBe(text);
  });

  it('drops a UTF-8 byte order mark before the JSON, as body.text() of undici does', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"id":"x"}')]));
    });
    const r = await client().send(put(url));
    expect(r.response?.bodyError).toBeUndefined();
    expect(r.response?.body).toEqual({ id: 'x' });
  });

  it('turns a body that cannot be written as JSON into a transport error, never a throw', async () => {
    const r = await client().send(put('http://127.0.0.1:1/x', { n: 1n }));
    expect(r.transportError?.kind).toBe('other');
    expect(r.transportError?.message).toMatch(/cannot be written as JSON/);
  });

  it('keeps a non-JSON body as text with the reason, and an empty body as no body', async () => {
    const url = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(req.url === '/empty' ? '' : '<html>oops</html>');
    });
    const c = client();
    const html = await c.send(put(`${url}/html`));
    expect(html.response?.bodyText).toBe('<html>oops</html>');
    expect(html.response?.body).toBeUndefined();
    expect(html.response?.bodyError).toMatch(/not JSON/);
    const empty = await c.send(put(`${url}/empty`));
    expect(empty.response?.bodyText).toBe('');
    expect(empty.response?.bodyError).toBeUndefined();
  });

  it('times out on a server that never answers', async () => {
    const url = await serve(() => undefined);
    const r = await client(300).send(put(url, { a: 1 }));
    expect(r.transportError?.kind).toBe('timeout');
    expect(r.ms).toBeGreaterThanOrEqual(290);
  });

  it('times out on a slow drip: headers at once, then a byte every 100 ms for longer than the limit', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const t = setInterval(() => res.write(' '), 100);
      res.on('close', () => clearInterval(t));
    });
    const r = await client(500).send(put(url));
    // Each byte arrives well inside undici's idle timeout: only the whole-exchange deadline can end this.
    expect(r.transportError?.kind).toBe('timeout');
    expect(r.ms).toBeGreaterThanOrEqual(490);
    expect(r.ms).toBeLessThan(5_000);
  });

  it('reports a refused connection and a reset one, and a URL it cannot parse, as values', async () => {
    const free = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const c = client();
    expect((await c.send(put(`http://127.0.0.1:${free}/x`))).transportError?.kind).toBe('refused');

    const resetter = net.createServer((sock) => sock.once('data', () => sock.destroy()));
    await new Promise<void>((resolve) => resetter.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = resetter.address() as net.AddressInfo;
      expect((await c.send(put(`http://127.0.0.1:${port}/x`, { a: 1 }))).transportError?.kind).toBe('reset');
    } finally {
      resetter.close();
    }
    expect((await c.send(put('not a url'))).transportError).toEqual({ kind: 'other', message: 'not a URL: not a url' });
  });

  it('reports garbage that is not HTTP as a transport error, not a throw', async () => {
    const garbage = net.createServer((sock) => sock.once('data', () => sock.end('SSH-2.0-OpenSSH_9.6\r\n\r\n')));
    await new Promise<void>((resolve) => garbage.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = garbage.address() as net.AddressInfo;
      const r = await client().send(put(`http://127.0.0.1:${port}/x`));
      expect(r.response).toBeUndefined();
      expect(r.transportError?.kind).toMatch(/other|reset/);
    } finally {
      garbage.close();
    }
  });

  it('shows observers every exchange sent with send, none sent with sendUnobserved', async () => {
    const url = await serve((req, res) => res.end(JSON.stringify({ path: req.url })));
    const c = client();
    const seen: string[] = [];
    const stop = c.observe((req, r) => seen.push(`${req.url.slice(url.length)} ${r.response?.status ?? '-'}`));
    await c.send(put(`${url}/run`));
    await c.sendUnobserved(put(`${url}/bookkeeping`));
    stop();
    await c.send(put(`${url}/after`));
    expect(seen).toEqual(['/run 200']);
  });

  it('reuses its connections: many sequential exchanges, one socket', async () => {
    const sockets = new Set<unknown>();
    const url = await serve((req, res) => {
      sockets.add(req.socket);
      res.end('{}');
    });
    const c = new HttpClient({ timeoutMs: 2_000, connections: 1 });
    clients.push(c);
    for (let i = 0; i < 20; i++) expect((await c.send(put(url))).response?.status).toBe(200);
    expect(sockets.size).toBe(1);
  });
});

describe('Deadlines', () => {
  it('cancels what passes its deadline, never what finished first, and stops sweeping when nothing is left', async () => {
    const d = new Deadlines(5);
    const cancelled: string[] = [];
    d.watch(20, () => cancelled.push('late'));
    const done = d.watch(20, () => cancelled.push('finished'));
    done();
    d.watch(10_000, () => cancelled.push('far'));
    await new Promise((r) => setTimeout(r, 80));
    expect(cancelled).toEqual(['late']);
    d.close();
    await new Promise((r) => setTimeout(r, 20));
    expect(cancelled).toEqual(['late']);
  });
});

describe('splitUrl', () => {
  it('gives the origin and path the URL parser gives (a regex for canonical URLs, the parser for the rest)', () => {
    for (const u of [
      'http://127.0.0.1:4010/certificates/contacts?api-version=7.4',
      'https://contoso.vault.azure.net/certificates/a%20b/?api-version=7.4&x=%2F',
      'HTTP://Example.COM/a b',
      'http://h/a#frag',
      'http://h',
      'http://h?x=1',
      'http://[::1]:8080/p',
      'http://h/ä',
      'http://h/a/../b',
      'http://h/a/./b',
      'http://h/a/%2e%2e/b',
      'http://h//0a=?',
      'http://h/a\\b',
      'http://h/{x}',
      'http://h/.well-known/x',
    ]) {
      const x = new URL(u);
      expect(splitUrl(u), u).toEqual({ origin: x.origin, path: `${x.pathname}${x.search}` });
    }
    expect(splitUrl('not a url')).toBeUndefined();
  });
});

describe('jsonText', () => {
  it('is JSON.stringify, worked out once per object: the sent body and its curl share the text', () => {
    const body = { contacts: [{ email: 'a@b.c' }] };
    expect(jsonText(body)).toBe(JSON.stringify(body));
    expect(jsonText(body)).toBe(jsonText(body));
    expect(jsonText('x')).toBe('"x"');
    expect(jsonText(null)).toBe('null');
    expect(() => jsonText({ n: 1n })).toThrow();
  });
});
