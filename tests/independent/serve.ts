/**
 * Start the independent target by hand: `npx tsx tests/independent/serve.ts [knobs-json]` prints its URL and
 * serves until killed (for `azconform run --target …` and recordings while auditing).
 */
import { DEFAULT_KNOBS, startAzureLike, type Knobs } from './azure-like.js';

const over = JSON.parse(process.argv[2] ?? '{}') as Partial<Knobs>;
const t = await startAzureLike({ knobs: { ...DEFAULT_KNOBS, ...over } });
console.log(t.url);
