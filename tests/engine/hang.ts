import http from 'node:http';
import { listen, type TestServer } from './servers.js';

/**
 * A target that answers as `upstream` does (the kit's clean emulator) except that it never answers a request
 * `hangs` picks: a correct target with one hang on a class of inputs.
 */
export function hangingProxy(upstream: string, hangs: (method: string, body: unknown) => boolean): Promise<TestServer> {
  const up = new URL(upstream);
  return listen((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      let body: unknown;
      try {
        body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
      } catch {
        body = undefined;
      }
      if (hangs(req.method ?? 'GET', body)) return; // never answered; closed with the server
      const out = http.request({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      out.on('error', () => res.destroy());
      out.end(raw);
    });
  });
}
