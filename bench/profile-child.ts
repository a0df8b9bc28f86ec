// The profiled process of `npm run bench` (run under `node --cpu-prof`): the kit against the trivial server,
// one warm-up run, then the timed runs; prints the timed window in V8's monotonic microseconds as a JSON line.
import { BENCH_SEED, CLI_DEFAULT_RUNS, defaultOperations, runKit, sessionCertificates } from './kit.js';
import { startTrivialServer } from './trivial-server.js';

const runs = Number(process.argv[2] ?? 3);
const concurrency = Number(process.argv[3] ?? 4);
const server = await startTrivialServer();
const operations = defaultOperations();
const certificates = await sessionCertificates();
const once = (): ReturnType<typeof runKit> =>
  runKit({ baseUrl: () => server.url, profile: 'service', concurrency, runs: CLI_DEFAULT_RUNS, seed: BENCH_SEED, operations, certificates, handlers: 'no-op' });
await once();
const fromUs = Number(process.hrtime.bigint() / 1000n);
let exchanges = 0;
for (let i = 0; i < runs; i++) exchanges += (await once()).exchanges;
const toUs = Number(process.hrtime.bigint() / 1000n);
await server.close();
process.stdout.write(`${JSON.stringify({ pid: process.pid, fromUs, toUs, exchanges })}\n`);
