/**
 * Carry out a restore plan, then verify it: read every restored resource again and compare it with the snapshot
 * (in each resource's normalised form). A difference is reported with its JSON pointers; it never changes the
 * run's exit code.
 */
import type { RestoreItem } from '../events/types.js';
import { describeDiff, diff } from './diff.js';
import type { Plan } from './plan.js';
import { describeAnswer, describeRequest, shortAnswer } from './requests.js';
import { RESOURCES, takeSnapshot, type ResourceKey, type Send } from './snapshot.js';
import type { Env, Snapshot, Step, Taken } from './types.js';

/** Why a difference that remains may be expected, per resource, when everything that differs was added by the run. */
const ADDITIONS_EXPLAINED: { readonly [k in ResourceKey]?: string } = {
  certificate:
    "members the run added to the policy cannot be removed through the API (Key Vault merges policy updates: 'Set specified members in the certificate policy. Leave others as null.'), so they stay: remove them by hand if they matter",
};

async function execute(step: Step, send: Send): Promise<RestoreItem> {
  if (!step.request) return { ...step.item, outcome: step.outcome ?? 'failed', ...(step.detail ? { detail: step.detail } : {}) };
  const r = await send(step.request);
  const ok = r.response !== undefined && (step.accept?.(r.response) ?? (r.response.status >= 200 && r.response.status < 300));
  return ok ? { ...step.item, outcome: 'ok' } : { ...step.item, outcome: 'failed', answer: shortAnswer(r), detail: `${describeRequest(step.request)} answered ${describeAnswer(r)}` };
}

/**
 * Send every step's request: one resource's steps one after another (concurrent updates of one vault conflict on
 * ARM), the resources side by side. One item per step, in plan order.
 */
export async function executePlan(plans: readonly Plan[], send: Send): Promise<RestoreItem[]> {
  const perPlan = await Promise.all(
    plans.map(async (p) => {
      const out: RestoreItem[] = [];
      for (const s of p.steps) out.push(await execute(s, send));
      return out;
    }),
  );
  return perPlan.flat();
}

/** Read the given resources again and compare each with its snapshot. */
export async function verify(env: Env, send: Send, before: Snapshot, keys: readonly ResourceKey[]): Promise<RestoreItem[]> {
  const wanted = keys.filter((k) => before[k]?.ok);
  if (wanted.length === 0) return [];
  const after = await takeSnapshot(env, send, wanted);
  return wanted.map((k): RestoreItem => {
    const r = RESOURCES[k] as { resource: RestoreItem['resource']; subject(env: Env): string; normalise(v: unknown, env: Env): unknown };
    const item = { resource: r.resource, subject: r.subject(env), action: 'verify' } as const;
    const b = before[k] as Taken<unknown>;
    const a = after[k] as Taken<unknown> | undefined;
    if (!b.ok) return { ...item, outcome: 'warning', detail: 'not snapshotted' };
    if (!a?.ok) return { ...item, outcome: 'warning', detail: `could not read it again to verify: ${a?.error ?? 'not read'}` };
    const ds = diff(r.normalise(b.value, env), r.normalise(a.value, env));
    if (ds.length === 0) return { ...item, outcome: 'ok', detail: 'equals the snapshot' };
    const why = ds.every((d) => d.op === '+') ? ADDITIONS_EXPLAINED[k] : undefined;
    return { ...item, outcome: 'warning', detail: `differs from the snapshot at ${describeDiff(ds, 24)}${why ? ` — ${why}` : ''}` };
  });
}
