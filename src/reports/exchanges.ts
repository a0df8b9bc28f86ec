import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { ReportHandler, RunEvent } from '../events/types.js';

/** reports/exchanges.jsonl: every case sent, one JSON line each (already redacted by the engine). */
export class ExchangeLogReport implements ReportHandler {
  private out?: WriteStream;
  constructor(private readonly dir: string) {}

  handle(e: RunEvent): void {
    if (e.type !== 'case-done') return;
    if (!this.out) {
      mkdirSync(this.dir, { recursive: true });
      this.out = createWriteStream(path.join(this.dir, 'exchanges.jsonl'));
    }
    const failed = e.outcomes.filter((o) => o.status === 'failed').map((o) => o.check);
    this.out.write(`${JSON.stringify({ ...e.case, failed })}\n`);
  }

  close(): Promise<void> {
    const out = this.out;
    return out ? new Promise((resolve) => out.end(resolve)) : Promise.resolve();
  }
}
