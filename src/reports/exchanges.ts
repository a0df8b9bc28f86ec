import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { ReportHandler, RunEvent } from '../events/types.js';

/** Lines are written in batches of about this many characters: one write per case costs more than the JSON. */
const BATCH_CHARS = 64 * 1024;
const FLUSH_MS = 200;

/** reports/exchanges.jsonl: every case sent, one JSON line each (already redacted by the engine). */
export class ExchangeLogReport implements ReportHandler {
  private out?: WriteStream;
  private batch: string[] = [];
  private chars = 0;
  private timer: NodeJS.Timeout | undefined;
  constructor(private readonly dir: string) {}

  handle(e: RunEvent): void {
    if (e.type !== 'case-done') return;
    const failed = e.outcomes.filter((o) => o.status === 'failed').map((o) => o.check);
    const line = `${JSON.stringify({ ...e.case, failed })}\n`;
    this.batch.push(line);
    this.chars += line.length;
    if (this.chars >= BATCH_CHARS) this.flush();
    // A slow run still reaches the file soon (tail -f, a crash): at most FLUSH_MS behind.
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS).unref();
  }

  close(): Promise<void> {
    this.flush();
    const out = this.out;
    return out ? new Promise((resolve) => out.end(resolve)) : Promise.resolve();
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.batch.length === 0) return;
    if (!this.out) {
      mkdirSync(this.dir, { recursive: true });
      this.out = createWriteStream(path.join(this.dir, 'exchanges.jsonl'));
    }
    this.out.write(this.batch.join(''));
    this.batch = [];
    this.chars = 0;
  }
}
