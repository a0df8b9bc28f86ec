// Runs Prism's CLI from the one-file bundle `npm run build` makes of it (src/targets/prism-bundle.ts), with a V8
// code cache: `node [flags] --import prism-preload.mjs prism-loader.mjs BUNDLE CACHE mock …`.
//
// Why: most of Prism's start-up is module loading, not the spec. Installed, its CLI is ~1,400 files: resolving
// and reading them, then compiling what runs. The bundle is one file, and the code cache lets V8 skip compiling
// the functions the last start compiled. Prism's own code runs unchanged (the bundle is its modules, as
// installed, concatenated); only how it is loaded differs.
//
// Node 20 has no module.enableCompileCache, and a code cache can only be handed to V8 through vm.Script: so the
// bundle (CommonJS) is compiled here in the module wrapper Node itself uses, and run as the main module would be.
import fs from 'node:fs';
import http from 'node:http';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

const [bundle, cacheFile] = process.argv.splice(2, 2);
if (!bundle || !cacheFile) {
  process.stderr.write('azconform prism-loader: usage: prism-loader.mjs BUNDLE CACHE ARGS…\n');
  process.exit(2);
}
// Prism's CLI (yargs) reads its arguments from process.argv[2…], as when it is started directly.
process.argv[1] = bundle;

let cached;
try {
  cached = fs.readFileSync(cacheFile);
} catch {
  // no cache yet: compiled from the source, and the cache is written once Prism listens
}
// The bundle is written already in Node's module wrapper, without a shebang (prism-bundle.ts): its text goes to
// V8 as read, with no copy of it (a few regular expressions are not ASCII, so V8 holds it in two bytes a character).
const script = new vm.Script(fs.readFileSync(bundle, 'utf8'), { filename: bundle, ...(cached ? { cachedData: cached } : {}) });
const rejected = !cached || script.cachedDataRejected === true;
cached = undefined; // 12 MB that V8 has copied what it needs from

// A missing cache, or one V8 rejects (another Node version or V8 flags than the run that wrote it), is written
// anew once Prism listens: by then every function of its start-up has been compiled and goes into the cache.
// Written aside and renamed, so a concurrent start never reads half a cache; a cache that cannot be written
// (read-only tree) only costs the next start its compile time.
if (rejected) {
  const listen = http.Server.prototype.listen;
  http.Server.prototype.listen = function listenThenCache(...args) {
    http.Server.prototype.listen = listen;
    this.once('listening', () =>
      setImmediate(() => {
        try {
          const part = `${cacheFile}.${process.pid}.part`;
          fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
          fs.writeFileSync(part, script.createCachedData());
          fs.renameSync(part, cacheFile);
        } catch {
          // see above: no cache, same Prism
        }
      }),
    );
    return listen.apply(this, args);
  };
}

// The bundle's own module: its require resolves from the bundle's place (Node's built-ins are all it needs).
const main = new Module(bundle, null);
main.filename = bundle;
main.paths = Module._nodeModulePaths(path.dirname(bundle));
const compiled = script.runInThisContext();
compiled.call(main.exports, main.exports, Module.createRequire(bundle), main, bundle, path.dirname(bundle));
main.loaded = true;
