import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The parts of a V8 .cpuprofile the analysis reads. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
    readonly children?: readonly number[];
  }[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface FunctionTime {
  readonly function: string;
  /** Project-relative (or package-relative under node_modules) script, with the line when V8 knows it. */
  readonly where: string;
  readonly ms: number;
  /** Share of the non-idle time in the window. */
  readonly pct: number;
}

export interface ProfileSummary {
  /** Time covered by the analysed samples (the measured window when the child reported one), ms. */
  readonly windowMs: number;
  readonly idleMs: number;
  readonly busyMs: number;
  /** Functions by self time. */
  readonly top: readonly FunctionTime[];
  /**
   * The kit's own functions (src/, suites/) by inclusive time: samples with the function anywhere on
   * the stack — which part of the kit the self time above is spent under.
   */
  readonly inclusive: readonly FunctionTime[];
  /** Self time grouped by where the code lives: a package, a folder of the project, node internals, GC. */
  readonly byArea: readonly { readonly area: string; readonly ms: number; readonly pct: number }[];
}

/** Project-relative or package-relative location of a script URL. */
export function shortUrl(url: string, root: string): string {
  if (!url) return '';
  let p = url.startsWith('file://') ? fileURLToPath(url) : url;
  const nm = p.lastIndexOf('/node_modules/');
  if (nm >= 0) return p.slice(nm + '/node_modules/'.length);
  if (p.startsWith(`${root}/`)) p = p.slice(root.length + 1);
  return p;
}

/** Where code lives, coarsely: `undici`, `fast-check`, `src/engine`, `generated`, `node:internal`, `(gc)`. */
export function areaOf(functionName: string, url: string, root: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const short = shortUrl(url, root);
  if (url.includes('/node_modules/')) {
    const parts = short.split('/');
    return (parts[0] ?? '').startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? short);
  }
  if (short.startsWith('node:')) return 'node:internal';
  const parts = short.split('/');
  if (parts[0] === 'src' && parts.length > 2) return `${parts[0]}/${parts[1]}`;
  return parts[0] ?? short;
}

/**
 * Self time per function from a .cpuprofile, optionally only for samples inside `[fromUs, toUs]` (V8's
 * monotonic microseconds, the clock `process.hrtime` reads). Each sample is charged the time to the next one.
 */
export function summarizeProfile(p: CpuProfile, root: string, window?: { fromUs: number; toUs: number }, topN = 10): ProfileSummary {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const own = (url: string): boolean => url.startsWith(`file://${root}/src/`) || url.startsWith(`file://${root}/suites/`);
  let t = p.startTime;
  const times = p.timeDeltas.map((d) => (t += d));
  const inside = window && times.some((x) => x >= window.fromUs && x <= window.toUs) ? window : undefined;
  const self = new Map<string, { function: string; where: string; us: number }>();
  const incl = new Map<string, { function: string; where: string; us: number }>();
  const frame = (f: { functionName: string; url: string; lineNumber: number }): { key: string; function: string; where: string } => {
    const name = f.functionName || '(anonymous)';
    // tsx hands V8 whitespace-minified code: line 1 for everything, so only real line numbers are shown.
    const where = f.url ? `${shortUrl(f.url, root)}${f.lineNumber > 0 ? `:${f.lineNumber + 1}` : ''}` : '';
    return { key: `${name}\u0000${where}`, function: name, where };
  };
  const areas = new Map<string, number>();
  let idle = 0;
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const at = times[i] as number;
    if (inside && (at < inside.fromUs || at > inside.toUs)) continue;
    const next = times[i + 1];
    const us = next === undefined ? 0 : next - at;
    const node = byId.get(p.samples[i] as number);
    if (!node) continue;
    total += us;
    const { functionName, url } = node.callFrame;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    const f = frame(node.callFrame);
    const e = self.get(f.key) ?? { function: f.function, where: f.where, us: 0 };
    e.us += us;
    self.set(f.key, e);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const cf = byId.get(id)?.callFrame;
      if (!cf || !own(cf.url)) continue;
      const g = frame(cf);
      if (seen.has(g.key)) continue;
      seen.add(g.key);
      const x = incl.get(g.key) ?? { function: g.function, where: g.where, us: 0 };
      x.us += us;
      incl.set(g.key, x);
    }
    const area = areaOf(functionName, url, root);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const busy = total - idle;
  const pct = (us: number): number => (busy > 0 ? Math.round((us / busy) * 1000) / 10 : 0);
  const ms = (us: number): number => Math.round(us / 100) / 10;
  return {
    windowMs: ms(total),
    idleMs: ms(idle),
    busyMs: ms(busy),
    top: [...self.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, topN)
      .map((e) => ({ function: e.function, where: e.where, ms: ms(e.us), pct: pct(e.us) })),
    inclusive: [...incl.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, topN)
      .map((e) => ({ function: e.function, where: e.where, ms: ms(e.us), pct: pct(e.us) })),
    byArea: [...areas.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, topN)
      .map(([area, us]) => ({ area, ms: ms(us), pct: pct(us) })),
  };
}

export interface ProfileResult extends ProfileSummary {
  readonly command: string;
  /** Where the main thread's profile was kept (open it in Chrome DevTools → Performance, or speedscope). */
  readonly file: string;
  readonly runs: number;
  readonly concurrency: number;
}

/**
 * Profile the kit against the trivial server once: `node --cpu-prof` on bench/profile-child.ts (a warm-up run,
 * then `runs` timed runs), keep the main thread's profile as `<outDir>/bench-kit.cpuprofile`, and rank self time
 * inside the timed window.
 */
export async function profileKit(root: string, outDir: string, runs: number, concurrency: number): Promise<ProfileResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'azconform-bench-prof-'));
  const args = ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '250', '--import', 'tsx', 'bench/profile-child.ts', String(runs), String(concurrency)];
  try {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => void (out += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => void (err = (err + b.toString('utf8')).slice(-4000)));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    if (code !== 0) throw new Error(`the profiled child exited with ${code}: ${err.trim()}`);
    const report = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { fromUs?: number; toUs?: number; pid?: number };
    // CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile — thread 0 is the main thread.
    const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
    const main = files.find((f) => f.split('.')[4] === '0' && (report.pid === undefined || f.split('.')[3] === String(report.pid))) ?? files[0];
    if (!main) throw new Error('node --cpu-prof wrote no profile');
    const profile = JSON.parse(await readFile(path.join(dir, main), 'utf8')) as CpuProfile;
    const kept = path.join(outDir, 'bench-kit.cpuprofile');
    await copyFile(path.join(dir, main), kept);
    const window = report.fromUs !== undefined && report.toUs !== undefined ? { fromUs: report.fromUs, toUs: report.toUs } : undefined;
    return { command: `node ${args.join(' ').replace(dir, '<tmp>')}`, file: path.relative(root, kept), runs, concurrency, ...summarizeProfile(profile, root, window) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
