// Is dist/ (the compiled CLI, `npm run build`) at least as new as every source it was built from?
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Written by scripts/build.mjs after tsc, with the time the build started. */
export const STAMP = `${ROOT}dist/.built`;
const SOURCES = ['src', 'suites', 'generated'];

/** 'current', 'missing' (never built) or 'stale' (a source changed after the build): a few ms for ~200 files. */
export function buildState() {
  let stamp;
  try {
    stamp = statSync(STAMP).mtimeMs;
  } catch {
    return 'missing';
  }
  for (const dir of SOURCES) {
    for (const rel of readdirSync(`${ROOT}${dir}`, { recursive: true })) {
      if (statSync(`${ROOT}${dir}/${rel}`).mtimeMs > stamp) return 'stale';
    }
  }
  return 'current';
}
