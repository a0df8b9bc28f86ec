/**
 * The most the kit could reach on this machine, from three CPU costs per exchange measured apart: the kit's own
 * work (no sockets), the HTTP client's (raw undici sending the kit's requests) and the server's. Pure arithmetic,
 * so a test can hold it; bench.ts feeds it the measured figures.
 *
 * Three bounds, each at the same concurrency c as the limit L (requests/s), with s the goal's share:
 * - serial: each of the c requests in flight waits for the kit's work on the answer before the next one goes out
 *   (as at concurrency 1, where undici reuses a connection only on the next turn of the event loop): a slot turns
 *   once per round trip (c / L) plus the kit's work, so the rate is c / (c / L + kit). For c = 1 and s = 0.6 the
 *   goal needs kit ≤ (1/s − 1) × the round trip = 0.67×: the "under ~0.7× a loopback round trip";
 * - one thread: the kit's work and its client share one event loop, one exchange per (kit + client) µs of CPU;
 * - all cores: even with the kit's work spread over every core, `cores` exchanges per (kit + client + server) µs;
 * - all cores as measured: the same, with the kit's work at the CPU it takes next to real sockets (the kit's busy
 *   time per exchange in a real run, less the client's), which is more than in memory.
 * No bound is above the limit itself: the kit sends what raw undici sends, and more work on top.
 */
export interface CeilingInput {
  readonly concurrency: number;
  readonly cores: number;
  /** Raw undici's requests/s at this concurrency (the goal's limit). */
  readonly limitPerSec: number;
  /** The kit's own main-thread CPU per exchange with no sockets, µs. */
  readonly kitUs: number;
  /** Raw undici's main-thread CPU per request, µs (sending the kit's own requests). */
  readonly clientUs: number;
  /** The trivial server's CPU per request, µs. */
  readonly serverUs: number;
  /** The kit's own CPU per exchange next to real sockets, µs: its busy time per exchange in a real run less clientUs. */
  readonly kitNearSocketsUs?: number;
  /** The goal: kit ≥ share × limit. */
  readonly share: number;
}

export interface Bound {
  /** Exchanges/s at most. */
  readonly perSec: number;
  /** perSec ÷ the limit. */
  readonly share: number;
  /** The kit's own CPU per exchange, µs, at which this bound would reach the goal (≤ 0: not even a free kit). */
  readonly kitBudgetUs: number;
}

export interface Ceiling {
  readonly concurrency: number;
  readonly kitUs: number;
  readonly clientUs: number;
  readonly serverUs: number;
  readonly serial: Bound;
  readonly oneThread: Bound;
  readonly allCores: Bound;
  readonly kitNearSocketsUs?: number;
  readonly allCoresAsMeasured?: Bound;
}

export function ceiling(i: CeilingInput): Ceiling {
  const L = i.limitPerSec;
  const c = i.concurrency;
  const goalUs = 1e6 / (i.share * L);
  const bound = (perSec: number, kitBudgetUs: number): Bound => {
    const capped = Math.min(perSec, L);
    return { perSec: capped, share: capped / L, kitBudgetUs };
  };
  const oneThread = bound(1e6 / (i.kitUs + i.clientUs), goalUs - i.clientUs);
  return {
    concurrency: c,
    kitUs: i.kitUs,
    clientUs: i.clientUs,
    serverUs: i.serverUs,
    serial: bound(Math.min(oneThread.perSec, (c * 1e6) / ((c * 1e6) / L + i.kitUs)), Math.min(c * goalUs - (c * 1e6) / L, oneThread.kitBudgetUs)),
    oneThread,
    allCores: bound((i.cores * 1e6) / (i.kitUs + i.clientUs + i.serverUs), i.cores * goalUs - i.clientUs - i.serverUs),
    ...(i.kitNearSocketsUs === undefined
      ? {}
      : {
          kitNearSocketsUs: i.kitNearSocketsUs,
          allCoresAsMeasured: bound((i.cores * 1e6) / (i.kitNearSocketsUs + i.clientUs + i.serverUs), i.cores * goalUs - i.clientUs - i.serverUs),
        }),
  };
}

/** The least CPU per exchange an ideal CLI could spend on the kit's own traffic, and that against the goal's yardstick. */
export interface CliFloor {
  /** Raw undici sending the kit's own requests, µs of CPU each. */
  readonly clientUs: number;
  /** The kit's own work with no sockets, warm, no report or restore, µs an exchange. */
  readonly kitUs: number;
  readonly us: number;
  /** us ÷ raw undici's small PUT (the goal's denominator). */
  readonly ratio: number;
}

/**
 * The issue-16 ratio's floor: a CLI must at least send its requests (the bare client on them) and do its own work
 * (generate, serialise, validate, judge): their sum over the small PUT's CPU. An estimate, not a bound: the
 * in-memory run judges the trivial server's answers, not a target's, and its main thread only is counted.
 */
export function cliFloor(p: { readonly clientUs: number; readonly kitUs: number; readonly smallPutUs: number }): CliFloor {
  const us = p.clientUs + p.kitUs;
  return { clientUs: p.clientUs, kitUs: p.kitUs, us, ratio: p.smallPutUs > 0 ? us / p.smallPutUs : 0 };
}
