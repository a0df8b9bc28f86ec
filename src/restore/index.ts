/**
 * Never lose a user's data: against a live target (profile `service`), snapshot what the run will write before the
 * first case, keep a ledger of what the run may have changed, and put it back after the last case — also after a
 * failing run. Everything is reported as `restore` events; nothing here changes the run's exit code.
 *
 *   const restorer = new Restorer(opts);
 *   const ready = await restorer.prepare(run);            // fixtures exist? (--provision: import the certificate)
 *   await restorer.snapshot(run);                         // after run-started, before any case
 *   await restorer.restore();                             // before run-done; idempotent; a no-op without a snapshot
 *
 * Against a live target every write is journaled before it is sent (src/restore/journal.ts), so that
 * `azconform restore JOURNAL` can finish the clean-up of a run that was killed.
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
import { putBack } from './finish.js';
import { missingFixtures } from './fixtures.js';
import { encodeSnapshot, Journal } from './journal.js';
import { Ledger, writeRecord } from './ledger.js';
import { importFixture, ProvisionError, type Provisioned } from './provision.js';
import { retrying } from '../http/retry.js';
import { HOUSEKEEPING } from './retry.js';
import { snapshotItems, takeSnapshot, type Send } from './snapshot.js';
import type { Env, Snapshot } from './types.js';

export { Ledger, identityKey } from './ledger.js';
export { planRestore } from './plan.js';
export { problemLines, restoreLine, snapshotLine } from './summary.js';
export { JOURNAL_FILE } from './journal.js';
export type { Env, Snapshot, Touched } from './types.js';

export interface RestorerOptions {
  readonly operations: readonly Operation[];
  readonly fixtures: Fixtures;
  /** undefined: on under profile service, off under mock (a stateless mock has nothing to restore). */
  readonly restore?: boolean;
  /** Import a fixture certificate that does not exist, and remove it after the run. */
  readonly provision?: boolean;
  /** The restore journal's path (reports/restore-journal.jsonl); none: no journal. */
  readonly journal?: string;
}

export interface RestoreRun {
  readonly profile: Profile;
  /** The run's client: the ledger observes every exchange it sends; the restorer's own go unobserved. */
  readonly client: Pick<HttpClient, 'observe' | 'beforeSend' | 'sendUnobserved'>;
  readonly baseUrl: (op: Operation) => string;
  /** Each plane's token: the snapshot and restore go with the run's own. */
  readonly token: TokenOf;
  readonly emit: (e: RunEvent) => void;
}

/** The fixtures the run uses (the provisioned certificate's version, when one was imported), or why it cannot run. */
export type Prepared = { readonly ok: true; readonly fixtures: Fixtures } | { readonly ok: false; readonly messages: readonly string[] };

const targetItem = (outcome: RestoreItem['outcome'], detail: string): RestoreItem => ({ resource: 'target', subject: 'the target', action: 'keep', outcome, detail });

export class Restorer {
  readonly ledger = new Ledger();
  private env?: Env;
  private send?: Send;
  private emit?: (e: RunEvent) => void;
  private journal?: Journal;
  private preparing?: Promise<Prepared>;
  private provisioned?: Provisioned;
  private imported?: RestoreItem;
  private taken?: Snapshot;
  private restoring?: Promise<void>;

  constructor(private readonly opts: RestorerOptions) {}

  /** Whether a run under `profile` restores (the flag wins over the profile's default). */
  enabled(profile: Profile): boolean {
    return this.opts.restore ?? profile === 'service';
  }

  /**
   * Before the first case against a live target (profile service): check the fixtures exist, import a missing
   * certificate under --provision, start the journal. Under profile mock nothing is read or changed.
   */
  prepare(run: RestoreRun): Promise<Prepared> {
    return (this.preparing ??= this.doPrepare(run));
  }

  private setUp(run: RestoreRun): Env {
    if (this.env) return this.env;
    const env: Env = { token: run.token, fixtures: this.opts.fixtures, ops: new Map(this.opts.operations.map((op) => [op.id, { operation: op, baseUrl: run.baseUrl(op) }])) };
    const client = run.client;
    // The kit's own reads and writes stay out of the ledger; every exchange of the run goes in.
    this.send = retrying((req) => client.sendUnobserved(req), HOUSEKEEPING);
    this.emit = run.emit;
    this.env = env;
    return env;
  }

  private startJournal(run: RestoreRun, env: Env): void {
    const file = this.opts.journal;
    if (!file || this.journal || run.profile !== 'service' || !(this.enabled(run.profile) || this.opts.provision)) return;
    const journal = Journal.open(file);
    this.journal = journal;
    if (journal.keptEarlier) run.emit({ type: 'run-error', message: `an unfinished restore journal of an earlier run was kept as ${journal.keptEarlier}: finish that run's clean-up with azconform restore ${journal.keptEarlier}` });
    if (journal.problem) run.emit({ type: 'run-error', message: `cannot write the restore journal ${file} (${journal.problem}): a run killed now cannot be cleaned up with azconform restore` });
    const operations = [...env.ops.values()].map(({ operation, baseUrl }) => ({ id: operation.id, apiVersion: operation.apiVersion, baseUrl }));
    journal.append({ t: 'run', operations, fixtures: env.fixtures, startedAt: new Date().toISOString() }, true);
    // Each write before it is sent (a run killed while it is on the wire may have applied it), then its answer.
    const numbers = new WeakMap<object, number>();
    let n = 0;
    run.client.beforeSend((req) => {
      const w = writeRecord(req);
      if (!w) return;
      numbers.set(req, ++n);
      journal.append({ t: 'w', n, ...w });
    });
    run.client.observe((req, result) => {
      const k = numbers.get(req);
      if (k !== undefined) journal.later({ t: 'a', n: k, ...(result.response ? { status: result.response.status } : {}) });
    });
  }

  private async doPrepare(run: RestoreRun): Promise<Prepared> {
    if (run.profile !== 'service') return { ok: true, fixtures: this.opts.fixtures };
    const env = this.setUp(run);
    const send = this.send as Send;
    const missing = await missingFixtures(env, send);
    const blocking = missing.filter((m) => !(m.fixture === 'certificate' && this.opts.provision));
    if (blocking.length > 0) return { ok: false, messages: blocking.map((m) => m.message) };
    this.startJournal(run, env);
    if (!missing.some((m) => m.fixture === 'certificate')) return { ok: true, fixtures: env.fixtures };
    try {
      const p = await importFixture(env, send, (name) => {
        this.provisioned = { name };
        this.journal?.append({ t: 'provision', name }, true);
      });
      this.provisioned = p;
      this.journal?.append({ t: 'provisioned', name: p.name, version: p.version ?? '' }, true);
      this.env = { ...env, fixtures: { ...env.fixtures, certificate: { name: p.name, version: p.version ?? '' } } };
      this.imported = { resource: 'provisioned', subject: `certificate ${p.name}`, action: 'import', outcome: 'ok', detail: `imported by the kit (--provision) as version ${p.version ?? '?'}; removed after the run` };
      return { ok: true, fixtures: this.env.fixtures };
    } catch (err) {
      // Refused: nothing was created. No answer: it may exist, so it is deleted by name at the end.
      this.provisioned = err instanceof ProvisionError ? err.left : undefined;
      return { ok: false, messages: [(err as Error).message] };
    }
  }

  async snapshot(run: RestoreRun): Promise<void> {
    await this.prepare(run);
    const imported = this.imported ? [this.imported] : [];
    if (!this.enabled(run.profile)) {
      if (run.profile === 'service') run.emit({ type: 'restore', phase: 'snapshot', items: [...imported, targetItem('warning', 'restore is off (--no-restore): what the run changes on the target stays changed')] });
      return;
    }
    const env = this.setUp(run);
    run.client.observe((req, result) => this.ledger.exchange(req, result));
    let snap: Snapshot = {};
    let items: RestoreItem[];
    try {
      snap = await takeSnapshot(env, this.send as Send);
      items = snapshotItems(env, snap);
    } catch (err) {
      items = [targetItem('failed', `could not snapshot the target: ${(err as Error).message}; nothing will be restored`)];
    }
    this.taken = snap;
    this.journal?.append({ t: 'snapshot', fixtures: env.fixtures, snapshot: encodeSnapshot(snap) }, true);
    run.emit({ type: 'restore', phase: 'snapshot', items: [...imported, ...items] });
  }

  /** Put back what the run changed; every caller (normal end, Ctrl-C during it) waits for the one restore. */
  restore(): Promise<void> {
    return (this.restoring ??= this.doRestore());
  }

  private async doRestore(): Promise<void> {
    // A Ctrl-C while the fixtures are checked or the certificate is imported: wait for that first.
    await this.preparing?.catch(() => undefined);
    const { env, send, emit } = this;
    if (env && send && emit && (this.taken || this.provisioned)) {
      emit({ type: 'restore', phase: 'restore', items: await putBack(env, send, this.taken, this.ledger.touched, this.provisioned) });
    }
    this.journal?.append({ t: 'done', at: new Date().toISOString() }, true);
    this.journal?.close();
  }
}
