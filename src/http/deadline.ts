/**
 * Whole-exchange deadlines without a timer or an AbortSignal per request: one sweep, every `tick` ms, cancels
 * what is past its deadline. `AbortSignal.timeout` per request cost more CPU than the rest of the client
 * together (a timer, a signal and undici's abort listener each time); a Set insert and delete costs nearly nothing.
 * A deadline fires at most `tick` ms late.
 */
export class Deadlines {
  private readonly live = new Set<Entry>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly tick: number) {}

  /** Call `cancel` once `ms` have passed, unless the returned `done` is called first. */
  watch(ms: number, cancel: () => void): () => void {
    const entry: Entry = { at: performance.now() + ms, cancel };
    this.live.add(entry);
    // unref: a pending deadline must not keep the process alive on its own.
    this.timer ??= setInterval(() => this.sweep(), this.tick).unref();
    return () => {
      this.live.delete(entry);
    };
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.live.clear();
  }

  private sweep(): void {
    const now = performance.now();
    for (const e of this.live) {
      if (e.at > now) continue;
      this.live.delete(e);
      e.cancel();
    }
    if (this.live.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}

interface Entry {
  readonly at: number;
  readonly cancel: () => void;
}
