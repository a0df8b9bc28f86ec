/** At most `n` tasks at once; the rest wait in order. */
export function limiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  const next = (): void => {
    active--;
    queue.shift()?.();
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      next();
    }
  };
}

/** A meeting point for `n` parties: each call waits until all `n` have called. */
export function barrier(n: number): () => Promise<void> {
  let waiting = n;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  if (n <= 0) open();
  return () => {
    if (--waiting <= 0) open();
    return opened;
  };
}

/** A stable 31-bit seed per property, so `--seed` replays each property whatever else is selected. */
export function deriveSeed(seed: number, ...parts: string[]): number {
  let h = seed >>> 0;
  for (const ch of parts.join('/')) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h & 0x7fffffff;
}
