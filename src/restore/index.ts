/**
 * Never lose a user's data: against a live target (profile `service`), snapshot what the run will write before the
 * first case, keep a ledger of what the run may have changed, and put it back after the last case — also after a
 * failing run. Everything is reported as `restore` events; nothing here changes the run's exit code.
 *
 *   const restorer = new Restorer(opts);
 *   await restorer.snapshot({ profile, client, baseUrl, emit });   // after run-started, before any case
 *   await restorer.restore();                            // before run-done; idempotent; a no-op without a snapshot
 *
 * The ledger watches the run's HTTP client (every request the run sends, shrinking steps included — they never
 * become case-done events); the restorer's own requests bypass it.
 *
 * A resource that cannot be snapshotted (a target without the GET, a token without read permission) is reported
 * loudly and the run still goes on: the kit exists to test targets, and many emulators lack the housekeeping
 * requests. Writes to it are then reported as not restored. `--no-restore` turns all of this off.
 */
import type { TokenOf } from '../auth/tokens.js';
import type { Profile } from '../checks/types.js';
import type { RestoreItem, RunEvent } from '../events/types.js';
import type { HttpClient } from '../http/client.js';
import type { Operation } from '../model/registry.js';
import type { Fixtures } from '../targets/fixtures.js';
import { Ledger } from './ledger.js';
import { planRestore } from './plan.js';
import { executePlan, verify } from './restore.js';
import { retrying } from '../http/retry.js';
import { HOUSEKEEPING } from './retry.js';
import { snapshotItems, takeSnapshot, type ResourceKey, type Send } from './snapshot.js';
import type { Env, Snapshot } from './types.js';

export { Ledger, identityKey } from './ledger.js';
export { planRestore } from './plan.js';
export { problemLines, restoreLine, snapshotLine } from './summary.js';
export type { Env, Snapshot, Touched } from './types.js';

export interface RestorerOptions {
  readonly operations: readonly Operation[];
  readonly fixtures: Fixtures;
  /** undefined: on under profile service, off under mock (a stateless mock has nothing to restore). */
  readonly restore?: boolean;
}

export interface RestoreRun {
  readonly profile: Profile;
  /** The run's client: the ledger observes every exchange it sends; the restorer's own go unobserved. */
  readonly client: Pick<HttpClient, 'observe' | 'sendUnobserved'>;
  readonly baseUrl: (op: Operation) => string;
  /** Each plane's token: the snapshot and restore go with the run's own. */
  readonly token: TokenOf;
  readonly emit: (e: RunEvent) => void;
}

const targetItem = (outcome: RestoreItem['outcome'], detail: string): RestoreItem => ({ resource: 'target', subject: 'the target', action: 'keep', outcome, detail });

export class Restorer {
  readonly ledger = new Ledger();
  private taken?: { readonly env: Env; readonly snap: Snapshot; readonly send: Send; readonly emit: (e: RunEvent) => void };
  private restoring?: Promise<void>;

  constructor(private readonly opts: RestorerOptions) {}

  /** Whether a run under `profile` restores (the flag wins over the profile's default). */
  enabled(profile: Profile): boolean {
    return this.opts.restore ?? profile === 'service';
  }

  async snapshot(run: RestoreRun): Promise<void> {
    if (!this.enabled(run.profile)) {
      if (run.profile === 'service') run.emit({ type: 'restore', phase: 'snapshot', items: [targetItem('warning', 'restore is off (--no-restore): what the run changes on the target stays changed')] });
      return;
    }
    const env: Env = { token: run.token, fixtures: this.opts.fixtures, ops: new Map(this.opts.operations.map((op) => [op.id, { operation: op, baseUrl: run.baseUrl(op) }])) };
    const client = run.client;
    // The kit's own reads and writes stay out of the ledger; every exchange of the run goes in.
    const send: Send = retrying((req) => client.sendUnobserved(req), HOUSEKEEPING);
    client.observe((req, result) => this.ledger.exchange(req, result));
    let snap: Snapshot = {};
    let items: RestoreItem[];
    try {
      snap = await takeSnapshot(env, send);
      items = snapshotItems(env, snap);
    } catch (err) {
      items = [targetItem('failed', `could not snapshot the target: ${(err as Error).message}; nothing will be restored`)];
    }
    this.taken = { env, snap, send, emit: run.emit };
    run.emit({ type: 'restore', phase: 'snapshot', items });
  }

  /** Put back what the run changed; every caller (normal end, Ctrl-C during it) waits for the one restore. */
  restore(): Promise<void> {
    return (this.restoring ??= this.doRestore());
  }

  private async doRestore(): Promise<void> {
    if (!this.taken) return;
    const { env, snap, send, emit } = this.taken;
    let items: RestoreItem[];
    try {
      const plans = planRestore(env, snap, this.ledger.touched);
      items = await executePlan(plans, send);
      const sent = plans.filter((p) => p.key !== 'other' && p.steps.some((s) => s.request)).map((p) => p.key as ResourceKey);
      items.push(...(await verify(env, send, snap, sent)));
    } catch (err) {
      items = [targetItem('failed', `restore stopped: ${(err as Error).message}`)];
    }
    emit({ type: 'restore', phase: 'restore', items });
  }
}
