// npm run selftest: the kit's mutation score against the reference emulator's fault catalog (src/selftest/).
// `--worker` is internal: a forked child that runs the jobs its parent selftest sends over IPC.
import { serveWorker } from '../src/selftest/pool.js';
import { selftest } from '../src/selftest/main.js';

const argv = process.argv.slice(2);
if (argv[0] === '--worker') serveWorker();
else process.exitCode = await selftest(argv);
