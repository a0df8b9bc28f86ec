/**
 * The HTTP layer: node:http, keep-alive, whole bodies handed to the pipeline, replies written with their
 * canonical header names — and the transport misbehaviours robustness faults ask for (hang, reset, drip, raw).
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { error } from './errors.js';
import type { Pipeline } from './pipeline.js';
import type { Reply } from './types.js';

/** Larger bodies are refused (413): every valid body of the four operations is far smaller. */
const MAX_BODY = 4 * 1024 * 1024;
/** A drip sends one byte this often, after this much padding: far slower than any client's timeout. */
const DRIP_MS = 250;
const DRIP_PADDING = 240;

const CANONICAL: { readonly [lower: string]: string } = {
  'content-type': 'Content-Type',
  'content-length': 'Content-Length',
  etag: 'ETag',
  'www-authenticate': 'WWW-Authenticate',
  allow: 'Allow',
};

/** Azure's own headers (a request id; the client's request id echoed, as Azure does) plus the reply's. */
function headersOut(req: http.IncomingMessage, reply: Reply, withLength?: number): { [k: string]: string | number } {
  const out: { [k: string]: string | number } = { 'x-ms-request-id': randomUUID(), 'Cache-Control': 'no-cache' };
  const client = req.headers['x-ms-client-request-id'];
  if (typeof client === 'string') out['x-ms-client-request-id'] = client;
  for (const [k, v] of Object.entries(reply.headers)) out[CANONICAL[k] ?? k] = v;
  if (withLength !== undefined) out['Content-Length'] = withLength;
  return out;
}

function write(req: http.IncomingMessage, res: http.ServerResponse, reply: Reply): void {
  switch (reply.transport) {
    case 'hang':
      return; // never answer; the socket stays open until the client gives up or the emulator closes
    case 'reset':
      req.socket.destroy();
      return;
    case 'drip': {
      const text = ' '.repeat(DRIP_PADDING) + JSON.stringify(reply.body ?? {});
      res.writeHead(reply.status, headersOut(req, reply));
      res.flushHeaders();
      let i = 0;
      const timer = setInterval(() => {
        if (i < text.length) res.write(text.charAt(i++));
        else {
          clearInterval(timer);
          res.end();
        }
      }, DRIP_MS);
      res.on('close', () => clearInterval(timer));
      return;
    }
    default: {
      const text = reply.transport === 'raw' ? (reply.text ?? '') : reply.body === undefined ? '' : JSON.stringify(reply.body);
      res.writeHead(reply.status, headersOut(req, reply, Buffer.byteLength(text)));
      res.end(text);
    }
  }
}

const single = (h: http.IncomingHttpHeaders): { [k: string]: string } => {
  const out: { [k: string]: string } = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
};

export interface Listening {
  readonly server: http.Server;
  readonly port: number;
  close(): Promise<void>;
}

/** With `tls`, HTTPS with that certificate and key; else plain HTTP. */
export function listen(pipeline: Pipeline, port: number, host: string, tls?: { readonly cert: string; readonly key: string }): Promise<Listening> {
  const sockets = new Set<Socket>();
  const handler: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      let reply: Reply;
      try {
        if (size > MAX_BODY) reply = error(413, 'RequestEntityTooLarge', `The request body exceeds ${MAX_BODY} bytes.`);
        else {
          const url = new URL(req.url ?? '/', 'http://emulator.invalid');
          reply = pipeline.handle({ method: req.method ?? 'GET', url, headers: single(req.headers), bodyText: Buffer.concat(chunks).toString('utf8') });
        }
      } catch (err) {
        reply = error(500, 'InternalServerError', `emulator error: ${(err as Error).message}`);
      }
      write(req, res, reply);
    });
  };
  const server: http.Server = tls ? https.createServer({ keepAlive: true, cert: tls.cert, key: tls.key }, handler) : http.createServer({ keepAlive: true }, handler);
  server.keepAliveTimeout = 30_000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve({
        server,
        port: typeof address === 'object' && address ? address.port : port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const s of sockets) s.destroy();
          }),
      });
    });
  });
}
