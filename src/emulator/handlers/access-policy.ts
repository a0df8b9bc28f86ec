/**
 * Key Vault resource provider Vaults_UpdateAccessPolicy: `add` merges permissions into an identity's entry (or adds
 * the entry), `replace` replaces the identity's permissions, `remove` takes the given permissions away (the whole
 * entry when none are given or none are left). The answer names the vault's accessPolicies resource and carries
 * the request's entries, as the reference example shows.
 */
import { permissionNames } from '../../rules/request-rules.js';
import { ARM_NOT_FOUND, json } from '../errors.js';
import { armKey, identityKey, type AccessPolicyEntry, type Vault } from '../state.js';
import type { Issue, Obj } from '../types.js';
import { handler, type HandlerEnv } from './handler.js';

const LISTS = ['keys', 'secrets', 'certificates', 'storage'] as const;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The request's entries (only well-formed ones: a fault may let a malformed body through). */
const entriesOf = (body: unknown): AccessPolicyEntry[] => {
  const list = (body as { properties?: { accessPolicies?: unknown } } | undefined)?.properties?.accessPolicies;
  return (Array.isArray(list) ? list : []).filter((e): e is AccessPolicyEntry => typeof e === 'object' && e !== null && typeof (e as Obj).permissions === 'object' && (e as Obj).permissions !== null);
};

/** Union of two permission lists, compared case-insensitively, first spelling kept. */
const union = (a: readonly string[], b: readonly string[]): string[] => {
  const out = [...a];
  const seen = new Set(a.map((x) => x.toLowerCase()));
  for (const x of b) {
    if (seen.has(x.toLowerCase())) continue;
    seen.add(x.toLowerCase());
    out.push(x);
  }
  return out;
};
const minus = (a: readonly string[], b: readonly string[]): string[] => {
  const drop = new Set(b.map((x) => x.toLowerCase()));
  return a.filter((x) => !drop.has(x.toLowerCase()));
};
const isEmpty = (p: AccessPolicyEntry['permissions']): boolean => LISTS.every((l) => (p[l]?.length ?? 0) === 0);
const lists = (p: AccessPolicyEntry['permissions'], f: (l: string) => string[] | undefined): AccessPolicyEntry['permissions'] =>
  Object.fromEntries(LISTS.flatMap((l) => {
    const v = f(l);
    return v === undefined ? [] : [[l, v]];
  }));

/** One table row per operationKind: how the vault's entries change for one entry of the request. */
type Change = (policies: Map<string, AccessPolicyEntry>, sent: AccessPolicyEntry) => void;
const KINDS: { readonly add: Change; readonly [kind: string]: Change | undefined } = {
  add: (policies, sent) => {
    const key = identityKey(sent);
    const cur = policies.get(key);
    const permissions = cur ? lists(cur.permissions, (l) => (cur.permissions[l] || sent.permissions[l] ? union(cur.permissions[l] ?? [], sent.permissions[l] ?? []) : undefined)) : sent.permissions;
    policies.set(key, structuredClone({ ...(cur ?? sent), permissions }));
  },
  replace: (policies, sent) => void policies.set(identityKey(sent), structuredClone(sent)),
  remove: (policies, sent) => {
    const key = identityKey(sent);
    const cur = policies.get(key);
    if (!cur) return;
    const permissions = lists(cur.permissions, (l) => (cur.permissions[l] ? minus(cur.permissions[l] ?? [], sent.permissions[l] ?? []) : undefined));
    if (isEmpty(sent.permissions) || isEmpty(permissions)) policies.delete(key);
    else policies.set(key, { ...cur, permissions });
  },
};

const CANONICAL = new WeakMap<object, { [list: string]: Map<string, string> }>();

/** lower-case → documented spelling of every permission name, per list, at the operation's api-version. */
function canonicalNames(env: HandlerEnv): { [list: string]: Map<string, string> } {
  const op = env.ctx.operation;
  let names = CANONICAL.get(op);
  if (!names) {
    const rc = { operation: op, fixtures: env.state.fixtures };
    names = Object.fromEntries(LISTS.map((l) => [l, new Map(permissionNames(rc, l).map((n) => [n.toLowerCase(), n]))]));
    CANONICAL.set(op, names);
  }
  return names;
}

/** Permission names as documented at the request's api-version (Azure compares them case-insensitively). */
function canonicalPermissions(body: unknown, env: HandlerEnv): unknown {
  const props = (body as { properties?: Obj } | undefined)?.properties;
  if (!props || !Array.isArray(props.accessPolicies)) return body;
  const canon = canonicalNames(env);
  const fix = (e: unknown): unknown => {
    const perms = (e as { permissions?: Obj } | null)?.permissions;
    // Only an object is a permission set: an array (typeof 'object' too) stays as sent, for the schema to refuse.
    if (typeof perms !== 'object' || perms === null || Array.isArray(perms)) return e;
    const out = Object.fromEntries(
      Object.entries(perms).map(([list, names]) => [list, Array.isArray(names) ? names.map((n) => (typeof n === 'string' ? (canon[list]?.get(n.toLowerCase()) ?? n) : n)) : names]),
    );
    return { ...(e as Obj), permissions: out };
  };
  return { ...(body as Obj), properties: { ...props, accessPolicies: props.accessPolicies.map(fix) } };
}

const entryOut = (e: AccessPolicyEntry): Obj => ({
  tenantId: e.tenantId,
  objectId: e.objectId,
  ...(e.applicationId !== undefined ? { applicationId: e.applicationId } : {}),
  permissions: Object.fromEntries(LISTS.filter((l) => e.permissions[l] !== undefined).map((l) => [l, [...(e.permissions[l] ?? [])]])),
});

export const accessPolicy = handler<Vault>({
  service: 'keyvault-management',
  locate({ state, ctx }) {
    const { subscriptionId = '', resourceGroupName = '', vaultName = '' } = ctx.pathParams;
    if (!state.subscriptions.has(subscriptionId.toLowerCase())) return { reply: ARM_NOT_FOUND.subscription(subscriptionId) };
    if (!state.resourceGroups.has(armKey(subscriptionId, resourceGroupName))) return { reply: ARM_NOT_FOUND.resourceGroup(resourceGroupName) };
    const vault = state.vaults.get(armKey(subscriptionId, resourceGroupName, vaultName));
    return vault ? { found: vault } : { reply: ARM_NOT_FOUND.resource('Microsoft.KeyVault/vaults', vaultName, resourceGroupName) };
  },
  normalise: canonicalPermissions,
  /** The service resolves objectId in the tenant's directory: a value that is not a GUID names no object. */
  issues: (body) =>
    entriesOf(body).flatMap((e, i): Issue[] =>
      typeof e.objectId === 'string' && !GUID.test(e.objectId)
        ? [{ stage: 'rule', id: 'emulator.directory-object', path: `/properties/accessPolicies/${i}/objectId`, value: e.objectId, message: `objectId '${e.objectId}' is not an object in the directory of tenant ${e.tenantId}` }]
        : [],
    ),
  apply(vault, body, { ctx, behaviour }) {
    const kind = (ctx.pathParams.operationKind ?? '').toLowerCase();
    const sent = entriesOf(body);
    // An unlisted kind never gets here (the enum refuses it) unless a fault lets it through: then it acts as add.
    // The replace-merges fault takes a replace as an add and answers what each identity has now, as Azure may.
    const merges = kind === 'replace' && behaviour.quirk('replace-merges');
    const change = merges ? KINDS.add : (KINDS[kind] ?? KINDS.add);
    for (const e of sent) change(vault.accessPolicies, e);
    const resulting = (e: AccessPolicyEntry): AccessPolicyEntry => vault.accessPolicies.get(identityKey(e)) ?? e;
    const answered = behaviour.quirk('answer-vault-state') ? [...vault.accessPolicies.values()] : merges ? sent.map(resulting) : sent;
    return json(200, {
      id: `/subscriptions/${vault.subscriptionId}/resourceGroups/${vault.resourceGroup}/providers/Microsoft.KeyVault/vaults/${vault.name}/accessPolicies/`,
      type: 'Microsoft.KeyVault/vaults/accessPolicies',
      properties: { accessPolicies: answered.map(entryOut) },
    });
  },
});
