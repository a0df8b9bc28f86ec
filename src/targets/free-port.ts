import net from 'node:net';

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

/** Can a TCP connection be opened? (Not an HTTP request: a hung server must still count as reachable.) */
export function canConnect(url: string, timeoutMs: number): Promise<true | string> {
  return new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      resolve(`not a URL: ${url}`);
      return;
    }
    const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
    const sock = net.connect({ host: u.hostname.replace(/^\[|\]$/g, ''), port });
    const done = (r: true | string): void => {
      sock.destroy();
      resolve(r);
    };
    sock.setTimeout(timeoutMs, () => done(`no TCP connection to ${u.host} within ${timeoutMs} ms`));
    sock.once('connect', () => done(true));
    sock.once('error', (err: NodeJS.ErrnoException) => done(`cannot connect to ${u.host}: ${err.code ?? err.message}`));
  });
}
