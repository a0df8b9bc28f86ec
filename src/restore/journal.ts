/**
 * The restore journal (reports/restore-journal.jsonl): what a restore needs, written as the run goes, so that a run
 * killed outright (SIGKILL, a cancelled CI job) can still be cleaned up by `azconform restore JOURNAL`. One JSON
 * object a line, appended with a synchronous write (the bytes are in the kernel when the call returns, so they
 * outlive the process) and fsynced at the few lines that matter most (the run, the snapshot, the end).
 *
 *   {t:'run', operations:[{id, apiVersion, baseUrl}], fixtures, startedAt}   first
 *   {t:'provision', name}                        before the import of a --provision certificate is sent
 *   {t:'provisioned', name, version}             after it was imported
 *   {t:'snapshot', fixtures, snapshot}           the state before the first write
 *   {t:'w', n, method, url, identities?}         each write, before it is sent (never a body but access-policy ids
 *                                                 and the permission names sent them)
 *   {t:'a', n, status?}                          its answer (no status: no answer), written with the next line or
 *                                                once the event loop's turn is over (a lost one counts as applied)
 *   {t:'done', at}                               the run restored (or nothing was left to restore)
 *
 * Reads are not journaled, and no line carries a token, a password or a PKCS#12.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Fixtures } from '../targets/fixtures.js';
import type { ApimCertificate, JournaledEntry, Snapshot, Taken } from './types.js';

export const JOURNAL_FILE = 'restore-journal.jsonl';

export interface JournalOperation {
  readonly id: string;
  readonly apiVersion: string;
  readonly baseUrl: string;
}

export type JournalLine =
  | { readonly t: 'run'; readonly operations: readonly JournalOperation[]; readonly fixtures: Fixtures; readonly startedAt: string }
  | { readonly t: 'provision'; readonly name: string }
  | { readonly t: 'provisioned'; readonly name: string; readonly version: string }
  | { readonly t: 'snapshot'; readonly fixtures: Fixtures; readonly snapshot: unknown }
  | { readonly t: 'w'; readonly n: number; readonly method: string; readonly url: string; readonly identities?: readonly JournaledEntry[] }
  | { readonly t: 'a'; readonly n: number; readonly status?: number }
  | { readonly t: 'done'; readonly at: string };

/** The snapshot as JSON: the API Management map as entries. */
export function encodeSnapshot(s: Snapshot): unknown {
  return { ...s, ...(s.apim ? { apim: s.apim.ok ? { ok: true, value: [...s.apim.value] } : s.apim } : {}) };
}

export function decodeSnapshot(v: unknown): Snapshot {
  const o = (v ?? {}) as { apim?: { ok: boolean; value?: [string, ApimCertificate][]; error?: string } } & Omit<Snapshot, 'apim'>;
  const apim: Taken<ReadonlyMap<string, ApimCertificate>> | undefined = o.apim ? (o.apim.ok ? { ok: true, value: new Map(o.apim.value ?? []) } : { ok: false, error: o.apim.error ?? '' }) : undefined;
  return { ...o, ...(apim ? { apim } : {}) } as Snapshot;
}

/** An open journal; every method is synchronous and never throws into the run (a full disk only costs the journal). */
export class Journal {
  private fd: number | undefined;
  private broken?: string;

  private constructor(
    readonly file: string,
    /** An earlier run's unfinished journal, kept under this name instead of being overwritten. */
    readonly keptEarlier?: string,
    flags: 'w' | 'a' = 'w',
  ) {
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      this.fd = openSync(file, flags);
    } catch (err) {
      this.broken = (err as Error).message;
    }
  }

  /** Start the journal `file`; an unfinished one already there (a killed run) is renamed, never lost. */
  static open(file: string): Journal {
    let kept: string | undefined;
    if (existsSync(file) && !isDone(file)) {
      const stamp = statSync(file).mtime.toISOString().replace(/[:.]/g, '-');
      kept = path.join(path.dirname(file), `restore-journal.${stamp}.jsonl`);
      try {
        renameSync(file, kept);
      } catch {
        kept = undefined;
      }
    }
    return new Journal(file, kept);
  }

  /** Go on with an existing journal (`azconform restore` marks it done). */
  static append(file: string): Journal {
    return new Journal(file, undefined, 'a');
  }

  /** Why the journal could not be written, if it could not. */
  get problem(): string | undefined {
    return this.broken;
  }

  append(line: JournalLine, sync = false): void {
    this.write(`${this.takePending()}${JSON.stringify(line)}\n`, sync);
  }

  /**
   * A line that may reach the file a moment later: with the next line, or once this turn of the event loop is over.
   * For answers: a write whose answer a kill loses counts as one that may have been applied, which a restore puts
   * back anyway (one needless request at most), and one system call per write is saved.
   */
  later(line: JournalLine): void {
    if (this.fd === undefined) return;
    this.pending += `${JSON.stringify(line)}\n`;
    this.flushing ??= setImmediate(() => this.flush());
  }

  /** Write what `later` holds. */
  flush(): void {
    if (this.pending) this.write(this.takePending(), false);
  }

  private pending = '';
  private flushing: NodeJS.Immediate | undefined;

  /** The lines `later` holds, no longer scheduled: the caller writes them. */
  private takePending(): string {
    if (this.flushing) clearImmediate(this.flushing);
    this.flushing = undefined;
    const text = this.pending;
    this.pending = '';
    return text;
  }

  private write(text: string, sync: boolean): void {
    if (this.fd === undefined) return;
    try {
      writeSync(this.fd, text);
      if (sync) fsyncSync(this.fd);
    } catch (err) {
      this.broken = (err as Error).message;
      this.close();
    }
  }

  close(): void {
    this.flush();
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch {
      // closing is best effort: every line was already written
    }
  }
}

/** The lines of a journal; a last line cut short by a kill is dropped. Throws when the file is not a journal. */
export function readJournal(file: string): JournalLine[] {
  const text = readFileSync(file, 'utf8');
  const lines: JournalLine[] = [];
  const raw = text.split('\n').filter((l) => l.trim() !== '');
  raw.forEach((l, i) => {
    try {
      const v = JSON.parse(l) as JournalLine;
      if (typeof v === 'object' && v !== null && typeof v.t === 'string') lines.push(v);
    } catch (err) {
      if (i < raw.length - 1) throw new Error(`line ${i + 1} is not JSON (${(err as Error).message})`);
    }
  });
  // Nothing but a first line cut short: the run was killed before its run line was whole, and writes are journaled
  // only after it, so no write was sent.
  if (lines.length === 0 && raw.length <= 1) return [];
  if (lines[0]?.t !== 'run') throw new Error('it does not start with the run line of a restore journal');
  return lines;
}

function isDone(file: string): boolean {
  try {
    return readJournal(file).some((l) => l.t === 'done');
  } catch {
    // not a journal of ours (or unreadable): keep it rather than overwrite it
    return false;
  }
}
