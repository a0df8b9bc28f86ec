// `node --import tsx bench/raw-child.ts URL CONCURRENCY N`: N requests with raw undici (the limit's small PUT,
// pooled as HttpClient pools), CONCURRENCY in flight, then exit. Run as a child at two N, so its CPU is measured
// and differenced exactly as the CLI's is (bench/cli.ts): start-up falls out, every thread counts.
import { Pool } from 'undici';
import { poolConnections } from '../src/http/client.js';
import { RAW_BODY, RAW_HEADERS, RAW_PATH } from './limit.js';

const [url, c, n] = process.argv.slice(2);
const concurrency = Number(c);
const total = Number(n);
const pool = new Pool(new URL(url as string).origin, { connections: poolConnections(concurrency), keepAliveTimeout: 10_000, pipelining: 1 });
let sent = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (sent < total) {
      sent++;
      const res = await pool.request({ method: 'PUT', path: RAW_PATH, headers: RAW_HEADERS, body: RAW_BODY });
      await res.body.text();
    }
  }),
);
await pool.destroy();
