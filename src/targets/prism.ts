import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';
import { installedPrismEntry, prismBundle } from './prism-bundle.js';

export interface PrismInstance {
  readonly specFile: string;
  readonly url: string;
  stop(): Promise<void>;
}

export interface PrismOptions {
  readonly readyTimeoutMs?: number;
  /** What to call the document in messages (default: the spec file path). */
  readonly label?: string;
  /**
   * Prism's `--verboseLevel`. `info` (Prism's default) logs several lines per request, which Prism's CLI
   * parses again (split2 + jsonrepair + signale) in the same process: CPU taken from the mock on a small box.
   * `warn` and `error` still log a line for every request-validation violation, so every negative case (measured:
   * 0.5 s of Prism's CPU in the default run at `warn`). Readiness does not depend on it (prism-preload.mjs
   * announces it); start-up failures are logged at `fatal` and stay visible at every level offered here.
   */
  readonly verboseLevel?: 'info' | 'warn' | 'error' | 'fatal';
}

/** Runs the bundled Prism CLI with its V8 code cache (see the file). */
const LOADER = fileURLToPath(new URL('./prism-loader.mjs', import.meta.url));

/**
 * The node arguments that start Prism's CLI: its one-file bundle through the loader when `npm run build` made one
 * for the installed tree (0.3–0.5 s less CPU to start, src/targets/prism-bundle.ts), else Prism as installed.
 */
export function prismCommand(): string[] {
  const bundled = prismBundle();
  return bundled ? [LOADER, bundled.bundle, bundled.cache] : [installedPrismEntry()];
}

/** Set for Prism: its stdin is this process's pipe, and Prism ends when it closes (prism-preload.mjs). */
const PARENT_PIPE_ENV = 'AZCONFORM_PRISM_PARENT_PIPE';

/** Preloaded into Prism: announces that it listens, and keeps one bug of Prism 5.14 from taking it down. */
const PRELOAD = new URL('./prism-preload.mjs', import.meta.url).href;

/** What Prism said when it did not come up: its fatal lines when there are any, else the last lines. */
function explain(lines: string[]): string {
  const fatal = lines.flatMap((l) => {
    const m = /\bfatal\s+(.*)$/.exec(l);
    return m ? [(m[1] as string).trim()] : [];
  });
  if (fatal.length > 0) return fatal.join('\n');
  return lines.slice(-15).join('\n').trim();
}

/**
 * Start a real `prism mock` for one spec file on a free loopback port and wait until it listens. Start-up
 * failures (a broken spec, a port clash) reject with what Prism said.
 */
export async function startPrism(specFile: string, opts: PrismOptions = {}): Promise<PrismInstance> {
  const port = await freePort();
  const level = opts.verboseLevel ?? 'info';
  const label = opts.label ?? specFile;
  const readyTimeoutMs = opts.readyTimeoutMs ?? 30_000;
  // --no-multiprocess: under NODE_ENV=production Prism would otherwise fork a second process (cluster) for the
  // server, doubling its memory. Everything else as Prism's defaults: static examples, CORS on, --errors off.
  // A small young generation: a mock's live heap is a few MB, and V8's default 16 MB semi-spaces only hold garbage
  // between scavenges (measured: ~30 MB less peak RSS, no slower).
  const args = ['--max-semi-space-size=1', '--import', PRELOAD, ...prismCommand(), 'mock', '-h', '127.0.0.1', '-p', String(port), '-v', level, '--no-multiprocess', specFile];
  // stdin is a pipe from this process that Prism never reads: when this process ends in any way (a crash,
  // SIGKILL, a signal nobody handled), the pipe closes and Prism exits (prism-preload.mjs), so no Prism is left.
  const child = spawn(process.execPath, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', [PARENT_PIPE_ENV]: '1' },
  });
  // Tracked from the start: an exit (Ctrl-C) while Prism is still starting must not leave it behind.
  track(child);
  const output: string[] = [];
  const url = `http://127.0.0.1:${port}`;
  let settled = false;
  let onExit: (code: number | null, signal: NodeJS.Signals | null) => void = () => undefined;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(`Prism did not start within ${readyTimeoutMs} ms`), readyTimeoutMs);
    const ready = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve();
    };
    let seen = '';
    const onData = (buf: Buffer): void => {
      const text = buf.toString('utf8');
      output.push(...text.split('\n'));
      seen = (seen + text).slice(-4_000);
      // The preload's line (at every level), from this very process and for this port; Prism's own at `info`.
      if (new RegExp(`^azconform: Prism listening on port ${port}$|Prism is listening on ${url}`, 'm').test(seen)) ready();
    };
    function fail(why: string): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${why} for ${label}:\n${explain(output)}`));
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    onExit = (code: number | null, signal: NodeJS.Signals | null) => fail(`Prism exited with ${code === null ? `signal ${signal}` : `code ${code}`}`);
    child.once('exit', onExit);
    child.once('error', (err) => fail(`Prism could not be started (${err.message})`));
  });
  child.off('exit', onExit);
  // Keep draining its output so a chatty Prism never blocks on a full pipe.
  child.stdout?.removeAllListeners('data').resume();
  child.stderr?.removeAllListeners('data').resume();
  return { specFile, url, stop: () => stop(child) };
}

const running = new Set<ChildProcess>();

function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
}

/**
 * A mock holds nothing to save, and the run's reports are written before its target is closed: Prism is killed
 * outright rather than asked to end (a graceful SIGTERM took 40–80 ms of the default run's wall time).
 */
function stop(child: ChildProcess): Promise<void> {
  child.stdin?.destroy();
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** On Ctrl-C or an early exit, no Prism is left behind. */
export function killAllPrism(): void {
  for (const c of running) c.kill('SIGKILL');
}
process.once('exit', killAllPrism);
