import fc from 'fast-check';
import { permissionNames } from '../../rules/request-rules.js';
import type { PropertyContext, SequenceDef, Step } from '../types.js';
import { isSuccess, step } from './step.js';

const LISTS = ['keys', 'secrets', 'certificates', 'storage'] as const;
type Permissions = { [list: string]: string[] };

/** The identities this run added to the vault (fresh objectIds: a user's own identities are never touched). */
interface AccessPolicyModel {
  readonly identities: { objectId: string; permissions: Permissions }[];
}

type Kind = 'add' | 'replace' | 'remove';

/**
 * add / replace / remove sequences over identities the run itself added, so replace and remove name identities
 * that exist and must succeed. Each answer must carry exactly the request's entries (response.agrees).
 */
export function accessPolicySequence(ctx: PropertyContext): SequenceDef<AccessPolicyModel> | undefined {
  if (!ctx.operation.model.requestBody) return undefined;
  const tenantId = ctx.fixtures.vault.tenantId;
  const perms: fc.Arbitrary<Permissions> = fc.record(
    Object.fromEntries(LISTS.map((l) => [l, fc.subarray(permissionNames(ctx, l).filter((n) => n !== 'all'), { minLength: 1 })])) as { [l: string]: fc.Arbitrary<string[]> },
    { requiredKeys: ['secrets'] },
  );
  const entry = (objectId: string, permissions: Permissions): unknown => ({ tenantId, objectId, permissions });
  const send = (kind: Kind, label: string, parts: { applies?: (m: AccessPolicyModel) => boolean; entry: (m: AccessPolicyModel) => { objectId: string; permissions: Permissions } }): Step<AccessPolicyModel> =>
    step<AccessPolicyModel>(label, {
      ...(parts.applies ? { applies: parts.applies } : {}),
      input: (m) => {
        const e = parts.entry(m);
        return { value: { pathParams: { operationKind: kind }, body: { properties: { accessPolicies: [entry(e.objectId, e.permissions)] } } } };
      },
      next: (m, ex) => {
        if (!isSuccess(ex.response?.status)) return;
        const e = parts.entry(m);
        const i = m.identities.findIndex((x) => x.objectId === e.objectId);
        // add merges permissions into the identity's entry, replace replaces them (what restore has to undo).
        const merged = (cur: Permissions): Permissions =>
          Object.fromEntries(LISTS.flatMap((l) => {
            const names = [...new Set([...(cur[l] ?? []), ...(e.permissions[l] ?? [])])];
            return names.length > 0 ? [[l, names]] : [];
          }));
        if (kind === 'remove') {
          if (i >= 0) m.identities.splice(i, 1);
        } else if (i < 0) m.identities.push({ objectId: e.objectId, permissions: e.permissions });
        else m.identities[i] = { objectId: e.objectId, permissions: kind === 'add' ? merged(m.identities[i]?.permissions ?? {}) : e.permissions };
      },
    });
  const known = (m: AccessPolicyModel): boolean => m.identities.length > 0;
  const pick = (m: AccessPolicyModel, i: number): { objectId: string; permissions: Permissions } => m.identities[i % m.identities.length] ?? { objectId: '', permissions: {} };
  return {
    init: () => ({ identities: [] }),
    prologue: [],
    steps: [
      fc.tuple(fc.uuid({ version: 4 }), perms).map(([id, p]) => send('add', 'add a new identity', { entry: () => ({ objectId: id, permissions: p }) })),
      fc.tuple(fc.nat(), perms).map(([i, p]) => send('add', 'add permissions to an identity added before', { applies: known, entry: (m) => ({ objectId: pick(m, i).objectId, permissions: p }) })),
      fc.tuple(fc.nat(), perms).map(([i, p]) => send('replace', 'replace the permissions of an identity added before', { applies: known, entry: (m) => ({ objectId: pick(m, i).objectId, permissions: p }) })),
      fc.nat().map((i) => send('remove', 'remove an identity added before', { applies: known, entry: (m) => pick(m, i) })),
    ],
    maxSteps: 6,
  };
}
