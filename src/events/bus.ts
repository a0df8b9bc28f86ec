import type { ReportHandler, RunEvent } from './types.js';

/** Fan events out to every handler; a failing handler is reported once and never stops the run. */
export class EventBus {
  private readonly broken = new Set<ReportHandler>();

  constructor(private readonly handlers: readonly ReportHandler[]) {}

  emit(event: RunEvent): void {
    for (const h of this.handlers) {
      if (this.broken.has(h)) continue;
      try {
        h.handle(event);
      } catch (err) {
        this.broken.add(h);
        process.stderr.write(`azconform: a report handler failed and was disabled: ${(err as Error).message}\n`);
      }
    }
  }

  async close(): Promise<void> {
    for (const h of this.handlers) {
      try {
        await h.close?.();
      } catch (err) {
        process.stderr.write(`azconform: a report could not be written: ${(err as Error).message}\n`);
      }
    }
  }
}
