import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { freePort } from './free-port.js';

export interface PrismInstance {
  readonly specFile: string;
  readonly url: string;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);

function prismEntry(): string {
  const pkg = require.resolve('@stoplight/prism-cli/package.json');
  return path.join(path.dirname(pkg), 'dist', 'index.js');
}

/** Everything Prism printed, for the error message when it does not come up. */
function tail(lines: string[]): string {
  return lines.slice(-15).join('\n').trim();
}

/**
 * Start a real `prism mock` for one spec file on a free loopback port and wait until it listens. Start-up
 * failures (a broken spec, a port clash) reject with what Prism said.
 */
export async function startPrism(specFile: string, opts: { readyTimeoutMs?: number } = {}): Promise<PrismInstance> {
  const port = await freePort();
  const child = spawn(process.execPath, [prismEntry(), 'mock', '-h', '127.0.0.1', '-p', String(port), specFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  const output: string[] = [];
  const url = `http://127.0.0.1:${port}`;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(`Prism did not start within ${opts.readyTimeoutMs ?? 30_000} ms`), opts.readyTimeoutMs ?? 30_000);
    const onData = (buf: Buffer): void => {
      const text = buf.toString('utf8');
      output.push(...text.split('\n'));
      if (/Prism is listening on/i.test(text)) {
        clearTimeout(timer);
        resolve();
      }
    };
    function fail(why: string): void {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${why} for ${specFile}:\n${tail(output)}`));
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => fail(`Prism exited with code ${code}`));
    child.once('error', (err) => fail(`Prism could not be started (${err.message})`));
  });
  child.removeAllListeners('exit');
  // Keep draining its output so a chatty Prism never blocks on a full pipe.
  child.stdout?.removeAllListeners('data').resume();
  child.stderr?.removeAllListeners('data').resume();
  track(child);
  return { specFile, url, stop: () => stop(child) };
}

const running = new Set<ChildProcess>();

function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** On Ctrl-C or an early exit, no Prism is left behind. */
export function killAllPrism(): void {
  for (const c of running) c.kill('SIGKILL');
}
process.once('exit', killAllPrism);
