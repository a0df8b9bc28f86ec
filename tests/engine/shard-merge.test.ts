import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { assignShards, parseShard } from '../../src/engine/shard.js';
import type { RunEvent } from '../../src/events/types.js';
import { cli, type CliResult } from './cli.js';

const ARGS = ['--operations', 'UpdateCertificate,Certificate_CreateOrUpdate', '--runs', '10', '--seed', '9', '--no-restore'];

/** A run against its own fresh emulator (with one fault), so no run sees another's writes. */
async function runOn(...extra: string[]): Promise<CliResult> {
  const emu = await startEmulator({ fault: 'accepts-lifetime-percentage-100' });
  try {
    return await cli(['run', '--target', emu.url, ...ARGS, ...extra]);
  } finally {
    await emu.close();
  }
}

const events = async (dir: string): Promise<RunEvent[]> =>
  (await readFile(path.join(dir, 'events.jsonl'), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as RunEvent);

/** A shard's cases (from its events.jsonl): id → its checks' verdicts. */
async function verdicts(dir: string): Promise<{ cases: Map<string, string> }> {
  const cases = new Map<string, string>();
  for (const e of await events(dir)) if (e.type === 'case-done') cases.set(e.case.id, e.outcomes.map((o) => `${o.check}:${o.status}`).sort().join(' '));
  return { cases };
}

describe('shards', () => {
  it('the split is deterministic, complete and balanced by expected cases', () => {
    const units = [
      { key: 'A@1/fuzz', weight: 50 },
      { key: 'A@1/examples', weight: 3 },
      { key: 'B@1/positive', weight: 50 },
      { key: 'B@1/negative', weight: 40 },
      { key: 'B@1/sequence', weight: 10 },
    ];
    const a = assignShards(units, 2);
    expect(assignShards([...units].reverse(), 2)).toEqual(a);
    expect([...a.keys()].sort()).toEqual(units.map((u) => u.key).sort());
    const load = [1, 2].map((i) => units.filter((u) => a.get(u.key) === i).reduce((n, u) => n + u.weight, 0));
    // Heaviest first, each to the lighter shard: 50→1, 50→2, 40→1, 10→2, 3→2; no shard over the other by more than the heaviest unit.
    expect(load).toEqual([90, 63]);
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(parseShard('4/3')).toMatch(/--shard must be i\/n/);
  });

  it('two shards merged equal the unsharded run with the same seed: same cases, same verdicts, same exit code', async () => {
    const whole = await runOn();
    const one = await runOn('--shard', '1/2');
    const two = await runOn('--shard', '2/2');
    expect(whole.code).toBe(1);
    const [v1, v2] = [await verdicts(one.reports), await verdicts(two.reports)];
    expect(v1.cases.size).toBeGreaterThan(0);
    expect(v2.cases.size).toBeGreaterThan(0);
    // Every shard of an operation first sends its operation.served probe; nothing else is sent by both.
    const both = [...v1.cases.keys()].filter((k) => v2.cases.has(k));
    expect(both.every((k) => k.endsWith('/served/0'))).toBe(true);

    const merged = await cli(['merge', one.reports, two.reports, '--quiet']);
    expect(merged.code).toBe(whole.code);
    interface Doc {
      exitCode: number;
      totals: object;
      operations: { id: string; cases: number; violations: number; checks: object }[];
      violations: { caseId: string; check: string; rule?: string }[];
      coverage?: { constraints?: unknown };
    }
    const doc = async (dir: string): Promise<Doc> => JSON.parse(await readFile(path.join(dir, 'summary.json'), 'utf8')) as Doc;
    const [w, m] = [await doc(whole.reports), await doc(merged.reports)];
    // Same cases and verdicts: per operation every check's passed/failed/skipped counts, and each violation by case.
    expect(m.totals).toEqual(w.totals);
    // The constraint coverage survives the merge (the constraints ride on operation-started).
    expect(m.coverage?.constraints).toEqual(w.coverage?.constraints);
    expect(w.coverage?.constraints).toBeDefined();
    expect(m.operations.map(({ id, cases, violations, checks }) => ({ id, cases, violations, checks }))).toEqual(w.operations.map(({ id, cases, violations, checks }) => ({ id, cases, violations, checks })));
    const byCase = (d: Doc): string[] => d.violations.map((v) => `${v.caseId} ${v.check} ${v.rule ?? ''}`).sort();
    expect(byCase(m)).toEqual(byCase(w));
    expect(byCase(w).length).toBeGreaterThan(0);
    expect(m.exitCode).toBe(1);
    // The cases of the merged run are the shards' cases, each once (a probe both shards sent counts once).
    expect(new Set([...v1.cases.keys(), ...v2.cases.keys()]).size).toBe((w.totals as { cases: number }).cases);
    for (const f of ['junit.xml', 'summary.md', 'report.html', 'azconform.sarif']) expect((await readFile(path.join(merged.reports, f), 'utf8')).length).toBeGreaterThan(100);
  });

  it('merge refuses shards of different runs, naming the difference', async () => {
    const a = await runOn('--shard', '1/2');
    const emu = await startEmulator();
    try {
      const b = await cli(['run', '--target', emu.url, '--operations', 'UpdateCertificate,Certificate_CreateOrUpdate', '--runs', '10', '--seed', '10', '--no-restore', '--shard', '2/2']);
      const merged = await cli(['merge', a.reports, b.reports]);
      expect(merged.code).toBe(2);
      expect(merged.stderr).toMatch(/the shards are not of one run: seed 10 vs 9/);
    } finally {
      await emu.close();
    }
  });
});
