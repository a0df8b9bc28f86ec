import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { loadOperations } from '../../src/model/registry.js';
import { Router, isMiss } from '../../src/model/route.js';

export interface TestServer {
  readonly url: string;
  close(): Promise<void>;
}

export function listen(handler: http.RequestListener): Promise<TestServer> {
  const server = http.createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

const ops = loadOperations();
const router = new Router(ops);

/** The first documented success example body of an operation. */
function successExample(id: string): { status: number; body: unknown } {
  const op = ops.find((o) => o.id === id);
  const r = op?.model.responses.find((x) => x.status.startsWith('2') && Object.keys(x.examples).length > 0);
  return { status: Number(r?.status ?? 200), body: Object.values(r?.examples ?? {})[0] };
}

export type Breakage = (operationId: string, status: number, body: unknown, headers: { [k: string]: string }) => { status: number; body: unknown; headers: { [k: string]: string } };

/**
 * A tiny stand-in that answers each operation with its spec example (401 without a token, 400 without an
 * api-version) — plus one deliberate breakage per operation, so a run must name exactly that.
 */
export function exampleServer(breakage: Breakage): Promise<TestServer> {
  return listen((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const m = router.match(req.method ?? 'GET', url);
      const send = (status: number, body: unknown, headers: { [k: string]: string } = {}): void => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body));
      };
      if (!req.headers.authorization) return send(401, { error: { code: 'Unauthorized', message: 'no token' } }, { 'www-authenticate': 'Bearer' });
      if (!url.searchParams.get('api-version')) return send(400, { error: { code: 'BadParameter', message: 'api-version' } });
      if (isMiss(m)) return send(404, { error: { code: 'NotFound', message: m.detail } });
      const ex = successExample(m.operation.id);
      const out = breakage(m.operation.id, ex.status, ex.body, m.operation.id === 'Certificate_CreateOrUpdate' ? { etag: '"AAAA"' } : {});
      send(out.status, out.body, out.headers);
    });
  });
}
