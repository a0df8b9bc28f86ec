import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ReportHandler, RunEvent, Violation } from '../events/types.js';
import { baselineOf } from '../gate/baseline.js';

/** --write-baseline FILE: today's violations as a starting baseline (owner and reason to fill in, 90 days). */
export class BaselineWriter implements ReportHandler {
  private readonly violations: Violation[] = [];
  private ended = false;

  constructor(
    private readonly file: string,
    private readonly today: string = new Date().toISOString().slice(0, 10),
  ) {}

  handle(e: RunEvent): void {
    if (e.type === 'violation') this.violations.push(e.violation);
    // A run that never judged its target (exit 2) has nothing to accept: the file is left alone.
    else if (e.type === 'run-done') this.ended = e.exitCode === 0 || e.exitCode === 1;
  }

  async close(): Promise<void> {
    if (!this.ended) return;
    await mkdir(path.dirname(this.file), { recursive: true });
    await writeFile(this.file, `${JSON.stringify(baselineOf(this.violations, this.today), null, 2)}\n`);
  }
}
