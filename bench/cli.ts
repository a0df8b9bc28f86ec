/**
 * The CLI as users run it: `node bin/azconform.mjs …` (package.json's `conform`, node flags included) as a child
 * process. Three figures:
 * - CPU per exchange: `run --target <azconform emulate>` (reports on) at two --runs, the CPU of each child
 *   (user + system over all its threads, from the kernel's account of reaped children), differenced so start-up,
 *   snapshot, restore and report set-up fall out; against raw undici's CPU per request on the same emulator;
 * - start-up: wall time of `--help` and of `validate-traffic` on one small HAR file;
 * - the build it ran (the compiled dist/, or tsx when dist/ is missing or older than the sources).
 */
import { spawn } from 'node:child_process';
import type { Dispatcher } from 'undici';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CONFORM_NODE_FLAGS, CLI_ENTRY } from './e2e.js';

/** CPU of this process's reaped children so far, ms (utime + stime of every child waited for: /proc/self/stat 16–17). */
export function reapedChildrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command: state(3) ppid(4) … utime(14) stime(15) cutime(16) cstime(17); index = field − 3.
  const ticks = Number(fields[13]) + Number(fields[14]);
  return (ticks * 1000) / CLOCK_TICKS;
}

/** USER_HZ: 100 on every Linux that node supports. */
const CLOCK_TICKS = 100;

export interface ChildRun {
  readonly code: number | null;
  readonly wallMs: number;
  /** user + system of the child (all threads), ms: 10 ms resolution. */
  readonly cpuMs: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `node [flags] bin/azconform.mjs ARGS` in root and wait for it; its CPU from the kernel once it is reaped. */
export function runCli(root: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<ChildRun> {
  return new Promise((done, fail) => {
    const cpu0 = reapedChildrenCpuMs();
    const t0 = performance.now();
    const child = spawn(process.execPath, [...CONFORM_NODE_FLAGS, CLI_ENTRY, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', VITEST: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => void (stdout = (stdout + b.toString('utf8')).slice(-8000)));
    child.stderr.on('data', (b: Buffer) => void (stderr = (stderr + b.toString('utf8')).slice(-8000)));
    child.on('error', fail);
    child.on('close', (code) => done({ code, wallMs: performance.now() - t0, cpuMs: reapedChildrenCpuMs() - cpu0, stdout, stderr }));
  });
}

/** `azconform emulate --port 0` as a child process, up once it says where it listens. */
export async function startEmulateChild(root: string): Promise<{ url: string; close(): Promise<void> }> {
  const child = spawn(process.execPath, [CLI_ENTRY, 'emulate', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`azconform emulate did not start in 30 s: ${out}`)), 30_000);
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString('utf8');
      const m = /listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    child.stderr.on('data', (b: Buffer) => void (out += b.toString('utf8')));
    child.once('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`azconform emulate exited ${code}: ${out}`));
    });
  });
  return {
    url,
    close: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** One `run --target URL --runs N` with reports in a fresh temp dir: its CPU and the cases it recorded. */
async function cliRun(root: string, url: string, runs: number, seed: number): Promise<{ cpuMs: number; wallMs: number; cases: number; code: number | null; tail: string }> {
  const reports = await mkdtemp(path.join(os.tmpdir(), 'azconform-bench-cli-'));
  try {
    const r = await runCli(root, ['run', '--target', url, '--runs', String(runs), '--seed', String(seed), '--reports', reports]);
    let cases = 0;
    try {
      const summary = JSON.parse(await readFile(path.join(reports, 'summary.json'), 'utf8')) as { totals?: { cases?: number } };
      cases = summary.totals?.cases ?? 0;
    } catch {
      // no summary: the run failed; the tail says why
    }
    return { cpuMs: r.cpuMs, wallMs: r.wallMs, cases, code: r.code, tail: `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-4).join('\n') };
  } finally {
    await rm(reports, { recursive: true, force: true });
  }
}

export interface CliCpuSample {
  readonly long: { readonly runs: number; readonly cpuMs: number; readonly cases: number; readonly wallMs: number };
  readonly short: { readonly runs: number; readonly cpuMs: number; readonly cases: number; readonly wallMs: number };
  /** (cpu long − cpu short) ÷ (cases long − cases short), µs. */
  readonly cliUsPerExchange: number;
  /** Raw undici against the same emulator, as a child at two request counts, differenced: CPU per request, µs. */
  readonly rawUsPerRequest: number;
  /** The same, replaying the kit's own requests (captureKitRequests) instead of the small PUT; absent when not measured. */
  readonly rawKitTrafficUsPerRequest?: number;
}

/** One request as bench/raw-child.ts sends it with undici's pool.request. */
export interface RawRequest {
  readonly method: Dispatcher.HttpMethod;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/**
 * The requests of one CLI run (`--runs runs`, every exchange kept) against `url`, as raw undici sends them: what the
 * bare client costs on the kit's own traffic (bodies, paths and answers as the kit's), beside the goal's small PUT.
 * Written to `file` (a JSON array) for bench/raw-child.ts; returns how many.
 */
export async function captureKitRequests(root: string, url: string, runs: number, seed: number, file: string): Promise<number> {
  const reports = await mkdtemp(path.join(os.tmpdir(), 'azconform-bench-capture-'));
  try {
    const r = await runCli(root, ['run', '--target', url, '--runs', String(runs), '--seed', String(seed), '--reports', reports, '--exchanges', 'all', '--quiet']);
    if (r.code !== 0 && r.code !== 1) throw new Error(`the CLI exited ${r.code} while capturing its requests: ${r.stderr.trim()}`);
    const requests: RawRequest[] = [];
    for (const line of (await readFile(path.join(reports, 'exchanges.jsonl'), 'utf8')).split('\n')) {
      if (!line.trim()) continue;
      const rec = JSON.parse(line) as { request?: { method: string; url: string; headers: Record<string, string>; body?: unknown } };
      if (!rec.request) continue;
      const u = new URL(rec.request.url);
      // The log redacts the token; any bearer does for the emulator, which checks only that one is there.
      const headers: Record<string, string> = { ...rec.request.headers, authorization: 'Bearer azconform-bench' };
      const body = rec.request.body === undefined ? undefined : JSON.stringify(rec.request.body);
      if (body !== undefined) headers['content-type'] ??= 'application/json';
      requests.push({ method: rec.request.method as Dispatcher.HttpMethod, path: `${u.pathname}${u.search}`, headers, ...(body !== undefined ? { body } : {}) });
    }
    await writeFile(file, JSON.stringify(requests));
    return requests.length;
  } finally {
    await rm(reports, { recursive: true, force: true });
  }
}

/** bench/raw-child.ts sending `n` requests (the small PUT, or those of `requestsFile`): its CPU (user + system, all threads), ms. */
async function rawChild(root: string, url: string, concurrency: number, n: number, requestsFile?: string): Promise<number> {
  const cpu0 = reapedChildrenCpuMs();
  const code = await new Promise<number | null>((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/raw-child.ts', url, String(concurrency), String(n), ...(requestsFile ? [requestsFile] : [])], { cwd: root, stdio: 'ignore' });
    child.on('error', fail);
    child.on('close', done);
  });
  if (code !== 0) throw new Error(`bench/raw-child.ts exited ${code}`);
  return reapedChildrenCpuMs() - cpu0;
}

/**
 * One sample of the CLI-vs-client ratio: the CLI at `long` and `short` runs (same seed), then raw undici as a
 * child at `rawLong` and `rawShort` requests against the same emulator: both sides measured the same way (a
 * child's user + system over all its threads, differenced), so start-up and a busy parent fall out alike.
 */
export async function cliCpuSample(root: string, url: string, o: { long: number; short: number; rawLong: number; rawShort: number; seed: number; concurrency: number; kitRequests?: string }): Promise<CliCpuSample | string> {
  const long = await cliRun(root, url, o.long, o.seed);
  const short = await cliRun(root, url, o.short, o.seed);
  for (const r of [long, short]) if (r.code !== 0 && r.code !== 1) return `the CLI exited ${r.code}: ${r.tail}`;
  const rawLong = await rawChild(root, url, o.concurrency, o.rawLong);
  const rawShort = await rawChild(root, url, o.concurrency, o.rawShort);
  const rawUs = ((rawLong - rawShort) * 1000) / (o.rawLong - o.rawShort);
  let kitTrafficUs: number | undefined;
  if (o.kitRequests) {
    const kitLong = await rawChild(root, url, o.concurrency, o.rawLong, o.kitRequests);
    const kitShort = await rawChild(root, url, o.concurrency, o.rawShort, o.kitRequests);
    kitTrafficUs = ((kitLong - kitShort) * 1000) / (o.rawLong - o.rawShort);
  }
  const dCases = long.cases - short.cases;
  return {
    long: { runs: o.long, cpuMs: long.cpuMs, cases: long.cases, wallMs: long.wallMs },
    short: { runs: o.short, cpuMs: short.cpuMs, cases: short.cases, wallMs: short.wallMs },
    cliUsPerExchange: dCases > 0 ? ((long.cpuMs - short.cpuMs) * 1000) / dCases : 0,
    rawUsPerRequest: rawUs,
    ...(kitTrafficUs !== undefined ? { rawKitTrafficUsPerRequest: kitTrafficUs } : {}),
  };
}

/** The CLI's CPU per exchange over a later window of the same run shape (e.g. --runs 1000 − 300): warmer code. */
export interface WindowSample {
  readonly long: { readonly runs: number; readonly cpuMs: number; readonly cases: number };
  readonly short: { readonly runs: number; readonly cpuMs: number; readonly cases: number };
  readonly usPerExchange: number;
}

/** One pair of CLI runs at `long` and `short` runs, differenced as cliCpuSample does; a string says why it failed. */
export async function cliWindow(root: string, url: string, long: number, short: number, seed: number): Promise<WindowSample | string> {
  const a = await cliRun(root, url, long, seed);
  const b = await cliRun(root, url, short, seed);
  for (const r of [a, b]) if (r.code !== 0 && r.code !== 1) return `the CLI exited ${r.code}: ${r.tail}`;
  const d = a.cases - b.cases;
  return { long: { runs: long, cpuMs: a.cpuMs, cases: a.cases }, short: { runs: short, cpuMs: b.cpuMs, cases: b.cases }, usPerExchange: d > 0 ? ((a.cpuMs - b.cpuMs) * 1000) / d : 0 };
}

/** What V8's optimising compiler did in one CLI run, read from `--trace-opt`. */
export interface CompileSample {
  readonly runs: number;
  readonly cases: number;
  /** Functions compiled (each compile counts: a function optimised again after a deopt counts twice). */
  readonly functions: number;
  /** The sum of every compile's three phases (prepare and finalise on the main thread, execute on the compiler's), ms. */
  readonly compileMs: number;
}

/** `[completed compiling … (target TURBOFAN) - took 0.015, 2.699, 0.016 ms]`: one line per optimised function. */
const COMPILED = /completed compiling .* - took ([\d.]+), ([\d.]+), ([\d.]+) ms/;

/** Sum the compile times of `--trace-opt` output (chunks may split lines); returns functions and ms. */
export function traceOptTotals(text: string): { functions: number; compileMs: number } {
  let functions = 0;
  let compileMs = 0;
  for (const line of text.split('\n')) {
    const m = COMPILED.exec(line);
    if (!m) continue;
    functions++;
    compileMs += Number(m[1]) + Number(m[2]) + Number(m[3]);
  }
  return { functions, compileMs };
}

/**
 * One CLI run (`run --target URL --runs N`, as cliRun, but --quiet: the trace is read from stdout) with
 * `--trace-opt`: how much optimising-compiler work it did. Throws when the run does not end with a summary.
 * A short run is still warming up, so the differenced window of the CPU figure carries compile work the bare
 * client's long, tight loop has long finished: this says how much.
 */
export async function compileSample(root: string, url: string, runs: number, seed: number): Promise<CompileSample> {
  const reports = await mkdtemp(path.join(os.tmpdir(), 'azconform-bench-compile-'));
  try {
    let functions = 0;
    let compileMs = 0;
    await new Promise<void>((done, fail) => {
      const child = spawn(process.execPath, [...CONFORM_NODE_FLAGS, '--trace-opt', CLI_ENTRY, 'run', '--target', url, '--runs', String(runs), '--seed', String(seed), '--reports', reports, '--quiet'], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'ignore'],
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', VITEST: '' },
      });
      let rest = '';
      const take = (text: string): void => {
        const t = traceOptTotals(text);
        functions += t.functions;
        compileMs += t.compileMs;
      };
      child.stdout.on('data', (b: Buffer) => {
        const text = rest + b.toString('utf8');
        const cut = text.lastIndexOf('\n');
        take(text.slice(0, cut + 1));
        rest = text.slice(cut + 1);
      });
      child.on('error', fail);
      child.on('close', (code) => {
        take(rest);
        if (code === 0 || code === 1) done();
        else fail(new Error(`the CLI exited ${code} under --trace-opt`));
      });
    });
    const summary = JSON.parse(await readFile(path.join(reports, 'summary.json'), 'utf8')) as { totals?: { cases?: number } };
    return { runs, cases: summary.totals?.cases ?? 0, functions, compileMs };
  } finally {
    await rm(reports, { recursive: true, force: true });
  }
}

/** A one-exchange HAR (an UpdateCertificate answered 404 with the documented error envelope): the small file. */
export async function smallHar(dir: string): Promise<string> {
  const file = path.join(dir, 'one.har');
  const entry = {
    startedDateTime: new Date(0).toISOString(),
    time: 1,
    request: {
      method: 'PATCH',
      url: 'https://myvault.vault.azure.net/certificates/c1/?api-version=7.4',
      httpVersion: 'HTTP/1.1',
      headers: [
        { name: 'Content-Type', value: 'application/json' },
        { name: 'Authorization', value: 'Bearer x' },
      ],
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: -1,
      postData: { mimeType: 'application/json', text: JSON.stringify({ tags: { a: 'b' } }) },
    },
    response: {
      status: 404,
      statusText: 'Not Found',
      httpVersion: 'HTTP/1.1',
      headers: [{ name: 'Content-Type', value: 'application/json; charset=utf-8' }],
      cookies: [],
      content: { size: 70, mimeType: 'application/json', text: JSON.stringify({ error: { code: 'CertificateNotFound', message: 'not found' } }) },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { send: 0, wait: 1, receive: 0 },
  };
  await writeFile(file, JSON.stringify({ log: { version: '1.2', creator: { name: 'azconform-bench', version: '1' }, entries: [entry] } }));
  return file;
}
