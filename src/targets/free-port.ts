import net from 'node:net';
import tls from 'node:tls';
import { tlsConnectOptions, tlsProblem, type TlsTrust } from '../http/tls.js';

/** A free loopback port (the OS picks it; tiny race accepted, the caller retries on EADDRINUSE). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Can a connection be opened? (Not an HTTP request: a hung server must still count as reachable.) For https the
 * TLS handshake is made too, with the run's trust, so an untrusted certificate is one clear line before any case.
 */
export function canConnect(url: string, timeoutMs: number, trust?: TlsTrust): Promise<true | string> {
  return new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      resolve(`not a URL: ${url}`);
      return;
    }
    const secure = u.protocol === 'https:';
    const port = Number(u.port || (secure ? 443 : 80));
    const host = u.hostname.replace(/^\[|\]$/g, '');
    // servername: SNI only for names, never for IP literals (RFC 6066).
    const sock = secure ? tls.connect({ host, port, ...(net.isIP(host) ? {} : { servername: host }), ...tlsConnectOptions(trust) }) : net.connect({ host, port });
    const done = (r: true | string): void => {
      sock.destroy();
      resolve(r);
    };
    sock.setTimeout(timeoutMs, () => done(`no ${secure ? 'TLS' : 'TCP'} connection to ${u.host} within ${timeoutMs} ms`));
    sock.once(secure ? 'secureConnect' : 'connect', () => done(true));
    sock.once('error', (err: NodeJS.ErrnoException) => done(tlsProblem(err, u.host, trust) ?? `cannot connect to ${u.host}: ${err.code ?? err.message}`));
  });
}
