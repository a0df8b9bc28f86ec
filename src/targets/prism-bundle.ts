/**
 * Prism's CLI as one file, for a faster start of the embedded mock (src/targets/prism-loader.mjs runs it with a
 * V8 code cache). Measured on Prism 5.14.2: of its ~1.2 s of CPU to start on the merged default document, ~0.9 s is
 * loading its ~1,400 modules (resolving, reading, compiling), the rest reading the spec and starting the server.
 *
 * `npm run build` bundles the installed Prism with esbuild into node_modules/.cache/azconform/prism/ (next to the
 * spec cache: `npm ci` empties it, the build fills it). The manifest names what was bundled: a hash of npm's record
 * of the installed tree (node_modules/.package-lock.json), so after any change of node_modules the bundle is not
 * used (Prism runs as installed, as before the build) until the next build. The code cache is per Node version
 * and architecture, next to the bundle; the loader writes it when it is missing.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** Prism's CLI as installed (its package's dist/index.js). */
export function installedPrismEntry(): string {
  return path.join(path.dirname(require.resolve('@stoplight/prism-cli/package.json')), 'dist', 'index.js');
}

/** The node_modules directory Prism is installed in: the bundle and its cache live under its .cache. */
function nodeModulesOf(): string {
  const pkg = require.resolve('@stoplight/prism-cli/package.json');
  // …/node_modules/@stoplight/prism-cli/package.json
  return path.dirname(path.dirname(path.dirname(pkg)));
}

export function prismBundleDir(): string {
  return path.join(nodeModulesOf(), '.cache', 'azconform', 'prism');
}

/** Node's CommonJS module wrapper (Module.wrap), the same parameters in the same order. */
const WRAPPER = ['(function (exports, require, module, __filename, __dirname) { ', '\n});'] as const;

const MANIFEST = 'manifest.json';
const BUNDLE = 'prism-cli.cjs';

interface Manifest {
  readonly key: string;
  readonly prism: string;
}

/**
 * What the installed tree is: npm's own record of it (rewritten by every install) and Prism's version. A
 * bundle made from another tree is not used.
 */
function installKey(): string {
  const nodeModules = nodeModulesOf();
  const hash = createHash('sha256');
  hash.update(readFileSync(path.join(nodeModules, '@stoplight', 'prism-cli', 'package.json')));
  try {
    hash.update(readFileSync(path.join(nodeModules, '.package-lock.json')));
  } catch {
    // no record of the tree (another package manager): Prism's version alone
  }
  return hash.digest('hex').slice(0, 32);
}

export interface PrismBundle {
  /** The bundled CLI. */
  readonly bundle: string;
  /** Its V8 code cache for this Node (written by the loader when missing). */
  readonly cache: string;
}

/**
 * The bundle of the installed Prism, when the build made one for this very tree; undefined otherwise (or when
 * AZCONFORM_PRISM_BUNDLE=0 asks for Prism as installed), and Prism then starts from node_modules.
 */
export function prismBundle(): PrismBundle | undefined {
  if (process.env.AZCONFORM_PRISM_BUNDLE === '0') return undefined;
  return current();
}

function current(): PrismBundle | undefined {
  const dir = prismBundleDir();
  try {
    const manifest = JSON.parse(readFileSync(path.join(dir, MANIFEST), 'utf8')) as Partial<Manifest>;
    if (manifest.key !== installKey()) return undefined;
  } catch {
    return undefined;
  }
  // V8 rejects a cache of another V8 (Node version) or architecture: one file each, none overwritten by another.
  return { bundle: path.join(dir, BUNDLE), cache: path.join(dir, `${BUNDLE}.${process.version}-${process.arch}.v8`) };
}

/**
 * Bundle the installed Prism CLI (called by scripts/build.mjs). Throws when esbuild is missing or fails; the
 * build then goes on without a bundle.
 */
export async function buildPrismBundle(): Promise<PrismBundle> {
  const { build } = await import('esbuild');
  const dir = prismBundleDir();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const nodeModules = nodeModulesOf();
  const bundle = path.join(dir, BUNDLE);
  const { outputFiles } = await build({
    entryPoints: [installedPrismEntry()],
    write: false,
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    // The oldest Node the kit supports (package.json engines): a bundle built on a newer one still runs there.
    target: 'node20',
    // Prism's modules as they are (names kept: its stack traces and messages read the same).
    minify: false,
    logLevel: 'error',
    // jsonc-parser's `main` is a UMD build whose inner require('./impl/…') calls esbuild cannot follow; its ESM
    // build is the same code.
    alias: { 'jsonc-parser': path.join(nodeModules, 'jsonc-parser', 'lib', 'esm', 'main.js') },
  });
  // Written as the loader compiles it: inside Node's CommonJS wrapper, without the entry's shebang line. The
  // loader then hands the file's text to V8 as it is read; wrapping or stripping it there made two more copies
  // of 12 MB of text, which showed in Prism's peak RSS.
  const text = (outputFiles[0] as { text: string }).text.replace(/^#!.*/, '');
  writeFileSync(bundle, `${WRAPPER[0]}${text}${WRAPPER[1]}`);
  const manifest: Manifest = { key: installKey(), prism: (require('@stoplight/prism-cli/package.json') as { version: string }).version };
  // The manifest last, written aside and renamed: a bundle is only ever used complete.
  writeFileSync(path.join(dir, `${MANIFEST}.part`), JSON.stringify(manifest));
  renameSync(path.join(dir, `${MANIFEST}.part`), path.join(dir, MANIFEST));
  const made = current();
  if (!made) throw new Error('the bundle just made does not match the installed tree');
  return made;
}
