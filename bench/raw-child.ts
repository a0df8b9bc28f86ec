// `node --import tsx bench/raw-child.ts URL CONCURRENCY N [REQUESTS.json]`: N requests with raw undici, pooled as
// HttpClient pools, CONCURRENCY in flight, then exit: the limit's small PUT, or the requests of REQUESTS.json
// (bench/cli.ts captureKitRequests: one kit run's own requests) round-robin. Run as a child at two N, so its CPU
// is measured and differenced exactly as the CLI's is (bench/cli.ts): start-up falls out, every thread counts.
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';
import { poolConnections } from '../src/http/client.js';
import type { RawRequest } from './cli.js';
import { RAW_BODY, RAW_HEADERS, RAW_PATH } from './limit.js';

const [url, c, n, file] = process.argv.slice(2);
const concurrency = Number(c);
const total = Number(n);
const requests: readonly RawRequest[] = file ? (JSON.parse(readFileSync(file, 'utf8')) as RawRequest[]) : [{ method: 'PUT', path: RAW_PATH, headers: RAW_HEADERS, body: RAW_BODY }];
const pool = new Pool(new URL(url as string).origin, { connections: poolConnections(concurrency), keepAliveTimeout: 10_000, pipelining: 1 });
let sent = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (sent < total) {
      const r = requests[sent++ % requests.length] as RawRequest;
      const res = await pool.request(r);
      await res.body.text();
    }
  }),
);
await pool.destroy();
