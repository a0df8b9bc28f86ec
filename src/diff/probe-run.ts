/**
 * The target side of `diff --target`: a client, the snapshot before the probes and the restore after them (the
 * probes write to the fixtures as a run does), and a guard that keeps probes off live targets unless allowed.
 */
import { fixedTokens } from '../auth/tokens.js';
import type { RestoreItem } from '../events/types.js';
import { HttpClient } from '../http/client.js';
import type { Operation } from '../model/registry.js';
import { Restorer, problemLines, restoreLine, snapshotLine } from '../restore/index.js';
import type { Fixtures } from '../targets/fixtures.js';
import type { Change } from './changes.js';
import { probeChanges, type Probed } from './probe.js';

export interface ProbeRunOptions {
  readonly from: Operation;
  readonly to: Operation;
  readonly target: string;
  readonly token: string;
  readonly fixtures: Fixtures;
  readonly timeoutMs: number;
  readonly restore: boolean;
  readonly seed: number;
  readonly log: (line: string) => void;
}

export async function probeOnTarget(changes: readonly Change[], o: ProbeRunOptions): Promise<Probed[]> {
  const client = new HttpClient({ timeoutMs: o.timeoutMs, connections: 2 });
  const restorer = new Restorer({ operations: [o.from, o.to], fixtures: o.fixtures, restore: o.restore });
  const report = (phase: 'snapshot' | 'restore', items: readonly RestoreItem[]): void => {
    o.log(phase === 'snapshot' ? snapshotLine(items) : restoreLine(items));
    for (const l of problemLines(items)) o.log(`  ! ${l}`);
  };
  try {
    await restorer.snapshot({ profile: 'service', client, baseUrl: () => o.target, token: fixedTokens(o.token), emit: (e) => (e.type === 'restore' ? report(e.phase, e.items) : undefined) });
    return await probeChanges(changes, { from: o.from, to: o.to, baseUrl: o.target, token: o.token, fixtures: o.fixtures, send: (r) => client.send(r), seed: o.seed });
  } finally {
    await restorer.restore();
    await client.close();
  }
}
