/**
 * The end of a run's housekeeping, shared by the run itself and by `azconform restore JOURNAL` (a run that was
 * killed): put back what the ledger saw changed, verify it against the snapshot, and remove the certificate the
 * run imported (--provision). Never throws: a failure is an item.
 */
import type { RestoreItem } from '../events/types.js';
import { planRestore } from './plan.js';
import { removeFixture, type Provisioned } from './provision.js';
import { executePlan, verify } from './restore.js';
import type { ResourceKey, Send } from './snapshot.js';
import type { Env, Snapshot, Touched } from './types.js';

const failed = (detail: string): RestoreItem => ({ resource: 'target', subject: 'the target', action: 'keep', outcome: 'failed', detail });

/** What the run touched, less the certificate it imported itself: that one is deleted whole, not patched back. */
function withoutProvisioned(t: Touched, p: Provisioned | undefined): Touched {
  if (!p) return t;
  const name = p.name.toLowerCase();
  return { ...t, certificates: new Map([...t.certificates].filter(([, c]) => c.name.toLowerCase() !== name)) };
}

export async function putBack(env: Env, send: Send, snap: Snapshot | undefined, touched: Touched, provisioned?: Provisioned): Promise<RestoreItem[]> {
  const items: RestoreItem[] = [];
  if (snap) {
    try {
      const plans = planRestore(env, snap, withoutProvisioned(touched, provisioned));
      items.push(...(await executePlan(plans, send)));
      const sent = plans.filter((p) => p.key !== 'other' && p.steps.some((s) => s.request)).map((p) => p.key as ResourceKey);
      items.push(...(await verify(env, send, snap, sent)));
    } catch (err) {
      items.push(failed(`restore stopped: ${(err as Error).message}`));
    }
  }
  if (provisioned) {
    try {
      items.push(...(await removeFixture(env, send, provisioned)));
    } catch (err) {
      items.push(failed(`the provisioned certificate ${provisioned.name} was not removed: ${(err as Error).message}`));
    }
  }
  return items;
}
