/**
 * Finish the clean-up of a run that was killed, from its journal: the same restore the run would have done at
 * its end (src/restore/finish.ts), with the snapshot and the writes the journal holds. A write journaled without
 * an answer counts as one that may have been applied, as a write without an answer does in the run itself.
 */
import type { TokenOf } from '../auth/tokens.js';
import type { RestoreItem } from '../events/types.js';
import type { Operation } from '../model/registry.js';
import { putBack } from './finish.js';
import { decodeSnapshot, type JournalLine } from './journal.js';
import { Ledger } from './ledger.js';
import type { Provisioned } from './provision.js';
import type { Send } from './snapshot.js';
import type { Env, Snapshot } from './types.js';

export type Resumed = { readonly kind: 'done'; readonly at: string } | { readonly kind: 'nothing'; readonly why: string } | { readonly kind: 'restored'; readonly items: readonly RestoreItem[]; readonly writes: number };

/** The run's state as its journal left it. */
export interface Journaled {
  readonly env: Env;
  readonly snapshot?: Snapshot;
  readonly provisioned?: Provisioned;
  readonly ledger: Ledger;
  readonly writes: number;
  readonly doneAt?: string;
}

/** Rebuild the run's environment and ledger; `operation` finds the kit's operation for a journaled id and version. */
export function replay(lines: readonly JournalLine[], token: TokenOf, operation: (id: string, apiVersion: string) => Operation | undefined): Journaled {
  const run = lines[0];
  if (run?.t !== 'run') throw new Error('the journal has no run line');
  const ops = new Map<string, { operation: Operation; baseUrl: string }>();
  for (const o of run.operations) {
    const op = operation(o.id, o.apiVersion);
    if (!op) throw new Error(`the journal names ${o.id} at api-version ${o.apiVersion}, which this version of the kit does not have`);
    ops.set(o.id, { operation: op, baseUrl: o.baseUrl });
  }
  let fixtures = run.fixtures;
  let snapshot: Snapshot | undefined;
  let provisioned: Provisioned | undefined;
  let doneAt: string | undefined;
  const writes = new Map<number, { method: string; url: string; body?: unknown; status?: number }>();
  for (const l of lines) {
    if (l.t === 'provision') provisioned = { name: l.name };
    else if (l.t === 'provisioned') {
      provisioned = { name: l.name, version: l.version };
      fixtures = { ...fixtures, certificate: { name: l.name, version: l.version } };
    } else if (l.t === 'snapshot') {
      snapshot = decodeSnapshot(l.snapshot);
      fixtures = l.fixtures;
    } else if (l.t === 'w') writes.set(l.n, { method: l.method, url: l.url, ...(l.identities ? { body: { properties: { accessPolicies: l.identities } } } : {}) });
    else if (l.t === 'a') {
      const w = writes.get(l.n);
      if (w && l.status !== undefined) w.status = l.status;
    } else if (l.t === 'done') doneAt = l.at;
  }
  const ledger = new Ledger();
  for (const w of writes.values()) ledger.written({ method: w.method, url: w.url, headers: {}, ...(w.body !== undefined ? { body: w.body } : {}) }, w.status);
  return { env: { token, fixtures, ops }, ...(snapshot ? { snapshot } : {}), ...(provisioned ? { provisioned } : {}), ledger, writes: writes.size, ...(doneAt ? { doneAt } : {}) };
}

export async function resume(j: Journaled, send: Send): Promise<Resumed> {
  if (j.doneAt) return { kind: 'done', at: j.doneAt };
  if (!j.snapshot && !j.provisioned) return { kind: 'nothing', why: 'the run was stopped before its snapshot, so before its first write' };
  return { kind: 'restored', items: await putBack(j.env, send, j.snapshot, j.ledger.touched, j.provisioned), writes: j.writes };
}
