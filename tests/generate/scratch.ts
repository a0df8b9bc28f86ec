/**
 * Scratch copies of the project for tests that run the generator or the spec linter on changed specs: specs/,
 * scripts/, src/model/, package.json, tsconfig.json and redocly.yaml are copied, node_modules is symlinked.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const COPIED = ['specs', 'scripts', 'src/model', 'package.json', 'tsconfig.json', 'redocly.yaml'] as const;
const made: string[] = [];

export async function makeScratch(label: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `azconform-${label}-`));
  made.push(dir);
  for (const entry of COPIED) {
    await cp(path.join(ROOT, entry), path.join(dir, entry), { recursive: true }).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }
  await symlink(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

export async function removeScratches(): Promise<void> {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/** Replace text in one file of a scratch copy; fails loudly when the text is not there (a stale test). */
export async function edit(dir: string, rel: string, from: string | RegExp, to: string): Promise<void> {
  const file = path.join(dir, rel);
  const text = await readFile(file, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${rel}: ${String(from)} not found`);
  await writeFile(file, next);
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stderr without npm's own configuration warnings and blank lines. */
  readonly errorLines: readonly string[];
}

export function run(command: string, args: readonly string[], cwd: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const errorLines = stderr.split('\n').filter((l) => l.trim() !== '' && !/^npm (warn|notice)/i.test(l));
      resolve({ code, stdout, stderr, errorLines });
    });
  });
}

/** Every file under `dir` (relative path → bytes); empty when the folder does not exist. */
export async function snapshot(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const visit = async (rel: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(path.join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await visit(r);
      else out.set(r, await readFile(path.join(dir, r)));
    }
  };
  await visit('');
  return new Map([...out.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** Paths whose bytes differ between two snapshots (or exist in only one). */
export function differences(a: Map<string, Buffer>, b: Map<string, Buffer>): string[] {
  const names = new Set([...a.keys(), ...b.keys()]);
  return [...names].filter((n) => {
    const x = a.get(n);
    const y = b.get(n);
    return !x || !y || !x.equals(y);
  });
}
