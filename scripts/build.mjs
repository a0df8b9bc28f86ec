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
