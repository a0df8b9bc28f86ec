// `npm run build` (also `prepare`, so `npm ci` builds): compile src/, suites/ and generated/ to dist/ with tsc,
// stamp the build so bin/azconform.mjs can tell a build older than the sources, and keep JSON copies of the spec
// files' YAML (src/targets/spec-cache.ts) so the first `npm run conform` does not parse it before Prism starts.
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const started = new Date();
rmSync(`${root}dist`, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', `${root}tsconfig.build.json`], { stdio: 'inherit', cwd: root });
// The stamp carries the time the build started: a source saved during the build counts as newer.
writeFileSync(`${root}dist/.built`, `${started.toISOString()}\n`);
utimesSync(`${root}dist/.built`, started, started);

const { readSpecDocument } = await import(`${root}dist/src/targets/spec-cache.js`);
// The spec files Prism may serve: specs/ and the api-versions generated from overlays (generated/…/openapi.yaml).
for (const dir of ['specs', 'generated']) {
  for (const rel of readdirSync(`${root}${dir}`, { recursive: true })) {
    if (rel.endsWith('.yaml')) await readSpecDocument(root, `${dir}/${rel}`);
  }
}

// Prism's CLI as one file with a V8 code cache (src/targets/prism-bundle.ts): the embedded mock starts in less
// CPU. The cache is written by the first start, so start the default run's Prism once here (the merged document
// of the seed operations: the code its start-up compiles is what the cache holds). Neither step is needed for a
// working CLI: without them Prism starts from node_modules, as installed.
try {
  const { buildPrismBundle } = await import(`${root}dist/src/targets/prism-bundle.js`);
  const made = await buildPrismBundle();
  const { startEmbeddedPrism } = await import(`${root}dist/src/targets/embedded.js`);
  const { loadOperations, selectOperations } = await import(`${root}dist/src/model/registry.js`);
  const { existsSync } = await import('node:fs');
  const prism = await startEmbeddedPrism(selectOperations(loadOperations(), { operations: [] }).selected, { root, prism: { verboseLevel: 'warn' } });
  const until = Date.now() + 30_000;
  while (!existsSync(made.cache) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  await prism.close();
  if (!existsSync(made.cache)) console.warn('build: Prism left no code cache (its first start will write one)');
} catch (err) {
  console.warn(`build: Prism not bundled, it starts as installed (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
}
