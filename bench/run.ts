// `npm run bench [-- --quick] [-- --out DIR]`: measure, write DIR/bench.json and DIR/bench.md (default reports/),
// print the tables. See bench/bench.ts for what is measured and how.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runBench } from './bench.js';
import { renderMarkdown } from './render.js';

const { values } = parseArgs({
  args: process.argv.slice(2),
  strict: true,
  options: { quick: { type: 'boolean' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help) {
  console.log('Usage: npm run bench -- [--quick] [--out DIR]\n  --quick   one iteration of the throughput measures against the trivial server only (tiny windows)\n  --out     where bench.json, bench.md and bench-kit.cpuprofile go (default reports/)');
} else {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const outDir = path.resolve(values.out ?? path.join(root, 'reports'));
  const report = await runBench({ root, outDir, quick: values.quick === true });
  process.stdout.write(renderMarkdown(report));
  process.stdout.write(`\nwritten: ${path.relative(root, path.join(outDir, 'bench.json')) || 'bench.json'}, ${path.relative(root, path.join(outDir, 'bench.md'))}\n`);
}
