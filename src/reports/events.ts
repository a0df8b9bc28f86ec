import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { CaseRecord, ReportHandler, RunEvent } from '../events/types.js';

/**
 * A case without its bodies and headers: what the reports fold (operation, kind, status, outcomes), not the
 * traffic (exchanges.jsonl keeps that). The violations keep everything.
 */
function slim(c: CaseRecord): CaseRecord {
  const { request, response, ...rest } = c;
  return { ...rest, request: { method: request.method, url: request.url, headers: {} }, ...(response ? { response: { status: response.status, headers: {} } } : {}) };
}

/**
 * reports/events.jsonl: the run's event stream, one event a line, so `azconform merge` can replay the streams of
 * several shards into every report — the reports need no merge logic of their own.
 */
export class EventLogReport implements ReportHandler {
  private out?: WriteStream;

  constructor(private readonly dir: string) {}

  handle(e: RunEvent): void {
    if (!this.out) {
      mkdirSync(this.dir, { recursive: true });
      this.out = createWriteStream(path.join(this.dir, 'events.jsonl'));
    }
    const line = e.type === 'case-done' ? { ...e, case: slim(e.case) } : e;
    this.out.write(`${JSON.stringify(line)}\n`);
  }

  async close(): Promise<void> {
    const out = this.out;
    if (out) await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}
