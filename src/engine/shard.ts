/** `--shard i/n`: which share of a run's work this process does (1-based i). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

export function parseShard(raw: string): Shard | string {
  const m = /^(\d+)\/(\d+)$/.exec(raw.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) return `--shard must be i/n with 1 ≤ i ≤ n, got ${JSON.stringify(raw)}`;
  return { index, count };
}

export interface WorkUnit {
  /** `operation@apiVersion/property`: the unit a shard takes whole. */
  readonly key: string;
  /** Expected cases (runs of a property, rows of a table). */
  readonly weight: number;
}

/**
 * Pure and deterministic: units by weight (heaviest first, then by key) each to the least-loaded shard (the
 * lowest index on a tie). Every shard computes the same table from the same selection, so the shards together
 * do each unit exactly once; seeds derive per unit, so a unit's cases do not depend on its shard.
 */
export function assignShards(units: readonly WorkUnit[], count: number): Map<string, number> {
  const load = Array.from({ length: count }, () => 0);
  const out = new Map<string, number>();
  const sorted = [...units].sort((a, b) => b.weight - a.weight || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const u of sorted) {
    let best = 0;
    for (let i = 1; i < count; i++) if ((load[i] ?? 0) < (load[best] ?? 0)) best = i;
    load[best] = (load[best] ?? 0) + u.weight;
    out.set(u.key, best + 1);
  }
  return out;
}
