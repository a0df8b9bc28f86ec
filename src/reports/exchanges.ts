import { createWriteStream, mkdirSync, rmSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { CheckOutcome } from '../checks/run.js';
import type { CaseRecord, ReportHandler, RunEvent } from '../events/types.js';

/** Lines are written in batches of about this many characters: one write per case costs more than the JSON. */
const BATCH_CHARS = 64 * 1024;
const FLUSH_MS = 200;

/**
 * What exchanges.jsonl keeps: `all` every exchange sent (cases and shrink steps; ~11 MB for --runs 300),
 * `failing` (the default) those of failing cases — a sequence's failing step with the steps of its run before it —
 * and every shrink step, `none` no file.
 */
export const EXCHANGE_MODES = ['all', 'failing', 'none'] as const;
export type ExchangeMode = (typeof EXCHANGE_MODES)[number];

export const isExchangeMode = (v: unknown): v is ExchangeMode => (EXCHANGE_MODES as readonly unknown[]).includes(v);

/** reports/exchanges.jsonl: one JSON line per exchange kept (already redacted by the engine). */
export class ExchangeLogReport implements ReportHandler {
  private out?: WriteStream;
  private batch: string[] = [];
  private chars = 0;
  private timer: NodeJS.Timeout | undefined;
  /**
   * `failing`: per sequence property, the steps of its current run, written only if a step of it fails. Kept as
   * records, not lines: most runs pass, and a line is JSON text built for nothing unless it is written.
   */
  private readonly runs = new Map<string, { run: number; steps: { readonly c: CaseRecord; readonly failed: readonly string[] }[] }>();

  constructor(
    private readonly dir: string,
    private readonly mode: ExchangeMode = 'failing',
  ) {}

  handle(e: RunEvent): void {
    if (this.mode === 'none') return;
    if (e.type === 'property-done') {
      this.runs.delete(`${e.operation.id}@${e.operation.apiVersion}/${e.property}`);
      return;
    }
    if (e.type !== 'case-done' && e.type !== 'shrink-step') return;
    const failed = failedChecks(e.outcomes);
    // Every shrink step belongs to a failure: fast-check only shrinks a property that failed.
    if (e.type === 'shrink-step') return this.add(`${JSON.stringify({ ...e.case, shrinkStep: true, failed })}\n`);
    if (this.mode === 'all') return this.add(line(e.case, failed));
    if (e.case.run === undefined) {
      if (failed.length > 0) this.add(line(e.case, failed));
      return;
    }
    const steps = this.sequenceRun(e.case);
    steps.push({ c: e.case, failed });
    if (failed.length > 0) {
      for (const s of steps) this.add(line(s.c, s.failed));
      steps.length = 0;
    }
  }

  close(): Promise<void> {
    if (this.mode === 'none') {
      // No file, and not a stale one from an earlier run in the same folder either.
      rmSync(path.join(this.dir, 'exchanges.jsonl'), { force: true });
      return Promise.resolve();
    }
    this.flush(true);
    const out = this.out;
    return out ? new Promise((resolve) => out.end(resolve)) : Promise.resolve();
  }

  /** The steps so far of the run of the sequence `c` is a step of (a new run drops the last one's). */
  private sequenceRun(c: CaseRecord): { readonly c: CaseRecord; readonly failed: readonly string[] }[] {
    const key = `${c.operation.id}@${c.operation.apiVersion}/${c.property}`;
    let cur = this.runs.get(key);
    if (!cur || cur.run !== c.run) this.runs.set(key, (cur = { run: c.run ?? 0, steps: [] }));
    return cur.steps;
  }

  private add(line: string): void {
    this.batch.push(line);
    this.chars += line.length;
    if (this.chars >= BATCH_CHARS) this.flush();
    // A slow run still reaches the file soon (tail -f, a crash): at most FLUSH_MS behind.
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS).unref();
  }

  /** `open`: create the file even with nothing to write, so a run with no failure leaves an empty one. */
  private flush(open = false): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.batch.length === 0 && !open) return;
    if (!this.out) {
      mkdirSync(this.dir, { recursive: true });
      this.out = createWriteStream(path.join(this.dir, 'exchanges.jsonl'));
    }
    if (this.batch.length > 0) this.out.write(this.batch.join(''));
    this.batch = [];
    this.chars = 0;
  }
}

/** The line of a case: the record and the checks it failed. */
const line = (c: CaseRecord, failed: readonly string[]): string => `${JSON.stringify({ ...c, failed })}\n`;

/** The checks an exchange failed, in order; a shared empty list for the common case (no array per passing case). */
function failedChecks(outcomes: readonly CheckOutcome[]): readonly string[] {
  let out: string[] | undefined;
  for (const o of outcomes) if (o.status === 'failed') (out ??= []).push(o.check);
  return out ?? NONE;
}

const NONE: readonly string[] = [];
