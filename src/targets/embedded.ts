import { mkdtempSync, rmSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Operation } from '../model/registry.js';
import { groupParts, mergeSpecs, type SpecPart } from './merge.js';
import { startPrism, type PrismInstance, type PrismOptions } from './prism.js';
import { readSpecDocument } from './spec-cache.js';

/** The embedded Prism mock(s) serving a set of operations. */
export interface EmbeddedPrism {
  /** Prism processes running. */
  readonly processes: number;
  /** Spec files they serve. */
  readonly files: number;
  /** Why spec files are served one process each although merging was asked for (undefined otherwise). */
  readonly fallback?: string;
  /** The merged documents the processes serve (temp files, removed on close). */
  readonly documents: readonly string[];
  /** The base URL serving an operation. */
  urlOf(op: Operation): string;
  close(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Project root: operations name their spec file relative to it. */
  readonly root: string;
  /** Serve the spec files from as few processes as merging allows (default true); false: one process a file. */
  readonly merge?: boolean;
  readonly prism?: Pick<PrismOptions, 'readyTimeoutMs' | 'verboseLevel'>;
}

/** One Prism process to start: the document it serves and the spec files behind it. */
interface Unit {
  readonly files: readonly string[];
  readonly document: string;
  /** How messages name it. */
  readonly label: string;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] as string;
}

/** Temp dirs of merged documents still in use: removed on close, and on exit if close never came. */
const tempDirs = new Set<string>();
process.once('exit', () => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

async function loadParts(ops: readonly Operation[], root: string): Promise<SpecPart[]> {
  const files = [...new Set(ops.map((o) => o.spec.file))];
  return Promise.all(
    files.map(async (file) => {
      const doc = await readSpecDocument(root, file);
      const paths = [...new Set(ops.filter((o) => o.spec.file === file).map((o) => o.model.path))];
      return { file, doc, paths };
    }),
  );
}

/**
 * Start the Prism mock(s) for the spec files of `ops`. By default the files are grouped (no two files of a group
 * with paths one request could match) and each group is served by one Prism from a merged document written to
 * a temp dir (src/targets/merge.ts); a group of one file is served from the file itself. When the files cannot
 * be read or merged, or a merged Prism does not come up, those files get one Prism each, as without merging;
 * only a file whose own Prism does not start is an error (rejects with what Prism said).
 */
export async function startEmbeddedPrism(ops: readonly Operation[], opts: EmbeddedOptions): Promise<EmbeddedPrism> {
  const files = [...new Set(ops.map((o) => o.spec.file))];
  const alone = (file: string): Unit => ({ files: [file], document: path.join(opts.root, file), label: file });
  let tmp: string | undefined;
  const removeTmp = async (): Promise<void> => {
    if (!tmp) return;
    const dir = tmp;
    tmp = undefined;
    await rm(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  };

  // What to start: merged documents (one per group of files) or the files themselves.
  let plan: Unit[] = files.map(alone);
  let fallback: string | undefined;
  if (opts.merge !== false && files.length > 1) {
    try {
      const groups = groupParts(await loadParts(ops, opts.root));
      plan = [];
      for (const [i, group] of groups.entries()) {
        if (group.length === 1) {
          plan.push(alone((group[0] as SpecPart).file));
          continue;
        }
        const doc = mergeSpecs(group);
        tmp ??= mkdtempSync(path.join(os.tmpdir(), 'azconform-prism-'));
        tempDirs.add(tmp);
        const document = path.join(tmp, `merged-${i + 1}.json`);
        await writeFile(document, JSON.stringify(doc));
        plan.push({ files: group.map((p) => p.file), document, label: `merged ${group.map((p) => p.file).join(' + ')}` });
      }
    } catch (err) {
      fallback = `merging failed: ${firstLine(err)}`;
      plan = files.map(alone);
    }
  }

  const instances: PrismInstance[] = [];
  const byFile = new Map<string, PrismInstance>();
  const close = async (): Promise<void> => {
    await Promise.all(instances.map((p) => p.stop()));
    await removeTmp();
  };
  const start = async (units: readonly Unit[]): Promise<{ unit: Unit; error: unknown }[]> => {
    const settled = await Promise.allSettled(units.map((u) => startPrism(u.document, { ...opts.prism, label: u.label })));
    return settled.flatMap((s, i) => {
      const unit = units[i] as Unit;
      if (s.status === 'rejected') return [{ unit, error: s.reason as unknown }];
      instances.push(s.value);
      for (const f of unit.files) byFile.set(f, s.value);
      return [];
    });
  };

  const fail = async (error: unknown): Promise<never> => {
    await close();
    throw error;
  };
  const failed = await start(plan);
  const alonesFailed = failed.filter((f) => f.unit.files.length === 1);
  if (alonesFailed.length > 0) await fail(alonesFailed[0]?.error);
  // A merged document that did not come up: its files get a process each, which names a broken file.
  const merged = failed.filter((f) => f.unit.files.length > 1);
  if (merged.length > 0) {
    fallback = `the merged document did not start (${firstLine(merged[0]?.error)})`;
    const again = await start(merged.flatMap((f) => f.unit.files.map(alone)));
    if (again.length > 0) await fail(again[0]?.error);
  }
  const documents = plan.filter((u) => u.files.length > 1 && !merged.some((f) => f.unit === u)).map((u) => u.document);
  if (documents.length === 0) await removeTmp();
  return {
    processes: instances.length,
    files: files.length,
    ...(fallback ? { fallback } : {}),
    documents,
    urlOf: (op) => {
      const p = byFile.get(op.spec.file);
      if (!p) throw new Error(`no embedded Prism serves ${op.spec.file}`);
      return p.url;
    },
    close,
  };
}
