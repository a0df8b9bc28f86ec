import { Worker } from 'node:worker_threads';

/**
 * The trivial target: a node:http server that reads the request and answers every request 200 with the same
 * small JSON body. It runs in a worker thread of this process (in-process, its own event loop), so the client
 * side — raw undici or the kit — has the main thread to itself: the limit measured is the client's, not the sum
 * of client and server work on one thread. A shared counter tells how many requests it answered.
 */
export interface TrivialServer {
  readonly url: string;
  readonly body: string;
  /** Requests answered so far. */
  count(): number;
  /** The server thread's busy time so far, ms (its event-loop utilisation): what answering costs in CPU. */
  busyMs(): Promise<number>;
  close(): Promise<void>;
}

export const TRIVIAL_BODY = JSON.stringify({ id: 'azconform-bench', status: 'ok' });

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const counter = new Int32Array(workerData.counter);
const body = Buffer.from(workerData.body);
const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length) };
const server = http.createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    Atomics.add(counter, 0, 1);
    res.writeHead(200, headers);
    res.end(body);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (m) => {
  if (m === 'busy') return parentPort.postMessage({ busyMs: performance.eventLoopUtilization().active });
  if (m !== 'close') return;
  server.closeAllConnections();
  server.close(() => parentPort.postMessage({ closed: true }));
});
`;

export async function startTrivialServer(body: string = TRIVIAL_BODY): Promise<TrivialServer> {
  const shared = new SharedArrayBuffer(4);
  const counter = new Int32Array(shared);
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { counter: shared, body } });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (m: { port: number }) => resolve(m.port));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    body,
    count: () => Atomics.load(counter, 0),
    busyMs: () =>
      new Promise<number>((resolve) => {
        const on = (m: { busyMs?: number }): void => {
          if (m.busyMs === undefined) return;
          worker.off('message', on);
          resolve(m.busyMs);
        };
        worker.on('message', on);
        worker.postMessage('busy');
      }),
    close: async () => {
      const closed = new Promise<void>((resolve) => worker.on('message', (m: { closed?: boolean }) => m.closed && resolve()));
      worker.postMessage('close');
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1_000))]);
      await worker.terminate();
    },
  };
}
