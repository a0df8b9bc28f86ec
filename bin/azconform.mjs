#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm run build`, which `npm ci` runs through `prepare`): compiling the
// TypeScript with tsx costs 0.3–1 s on every start. When a source is newer than the build (someone is editing),
// the TypeScript runs through tsx instead, so nobody runs stale code by accident.
import { buildState } from './build-state.mjs';

const state = buildState();
if (state === 'current') {
  await import('../dist/src/cli/main.js');
} else {
  process.stderr.write(`azconform: ${state === 'stale' ? 'dist/ is older than the sources' : 'no build in dist/'}; running the TypeScript through tsx (npm run build for a fast start)\n`);
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
