/**
 * The restore plan: from the snapshot and what the ledger saw, the requests that put the target back. Pure: it
 * builds requests and never sends them. One planner per resource kind:
 *
 *   contacts          PUT the snapshot's contacts back, or DELETE them when the vault had none
 *   certificate       PATCH the fixture version back: attributes, tags ({} when none), the policy's writable parts
 *   access policies   identities in the snapshot → `replace` with their snapshot entry; identities the run added →
 *                     `remove` with every permission; 16 identities a request (the service's limit)
 *   API Management    certificates the run created → DELETE with If-Match: *; certificates that existed → re-PUT
 *                     when they reference Key Vault, else a warning (a PKCS#12 upload cannot be read back)
 *
 * What cannot be restored (not snapshotted, outside the fixtures) becomes a step without a request: reported, never
 * silently dropped.
 */
import type { HttpResponse } from '../http/exchange.js';
import { permissionNames } from '../rules/request-rules.js';
import { identityKey } from './ledger.js';
import { errorCode, fixtureApimService, fixtureCertificateKey, fixtureVaultKey, request, URLS } from './requests.js';
import { certificateBody, type ResourceKey } from './snapshot.js';
import type { AccessPolicyEntry, Env, Identity, Obj, Snapshot, Step, Taken, Touched } from './types.js';

/** The service takes 0 to 16 identities per access-policy update. */
const BATCH = 16;
const PERMISSION_LISTS = ['keys', 'secrets', 'certificates', 'storage'] as const;

const statusIn =
  (...ok: number[]) =>
  (res: HttpResponse): boolean =>
    ok.includes(res.status);

const chunks = <T>(xs: readonly T[], n: number): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

const notSnapshotted = (t: Taken<unknown> | undefined): string => `it was not snapshotted${t && !t.ok ? ` (${t.error})` : ''}`;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An identity the service cannot have added: a tenant other than the vault's, or an object or application that is
 * no GUID (no directory names it). Only a write whose answer never came (a killed or timed-out run) brings one
 * here; naming it in a `remove` would make the service refuse the whole batch, and the real identities with it.
 */
function couldHaveBeenAdded(id: Identity, env: Env): boolean {
  const tenant = String(id.tenantId ?? '');
  return (
    GUID.test(tenant) &&
    tenant.toLowerCase() === env.fixtures.vault.tenantId.toLowerCase() &&
    GUID.test(String(id.objectId ?? '')) &&
    (id.applicationId === undefined || GUID.test(String(id.applicationId)))
  );
}

/** Every permission the run's api-version knows, per list: removing them all removes the identity's entry. */
function allPermissions(env: Env): AccessPolicyEntry['permissions'] {
  const op = env.ops.get('Vaults_UpdateAccessPolicy')?.operation;
  if (!op) return {};
  return Object.fromEntries(PERMISSION_LISTS.map((l) => [l, permissionNames({ operation: op, fixtures: env.fixtures }, l)] as const).filter(([, names]) => names.length > 0));
}

/**
 * Every permission of the api-version and every name the run granted the identity (a name a later api-version
 * documents, `all` say, that the target took): a removal that leaves one behind leaves the entry behind.
 */
function withGranted(all: AccessPolicyEntry['permissions'], granted: ReadonlyMap<string, ReadonlySet<string>> | undefined): AccessPolicyEntry['permissions'] {
  if (!granted || granted.size === 0) return all;
  const out: { [list: string]: string[] } = Object.fromEntries(Object.entries(all).map(([l, names]) => [l, [...names]]));
  for (const [list, names] of granted) {
    if (!(list in out) && !PERMISSION_LISTS.includes(list as (typeof PERMISSION_LISTS)[number])) continue;
    const have = new Set((out[list] ?? []).map((n) => n.toLowerCase()));
    out[list] = [...(out[list] ?? []), ...[...names].filter((n) => !have.has(n.toLowerCase()))];
  }
  return out;
}

const identityOf = (i: Identity): Identity => ({ tenantId: i.tenantId, objectId: i.objectId, ...(i.applicationId !== undefined ? { applicationId: i.applicationId } : {}) });

type Planner = (env: Env, snap: Snapshot, t: Touched) => Step[];

/** Touched certificates with `name/` (the latest version) counted as the fixture when the fixture is the latest. */
function latestResolved(env: Env, snap: Snapshot, t: Touched): Map<string, { name: string; version: string; writes: number }> {
  const fixture = env.fixtures.certificate;
  const latest = snap.certificate?.ok ? snap.certificate.value.latestVersion : undefined;
  const out = new Map<string, { name: string; version: string; writes: number }>();
  for (const [key, c] of t.certificates) {
    const isFixture = c.version === '' && c.name.toLowerCase() === fixture.name.toLowerCase() && latest?.toLowerCase() === fixture.version.toLowerCase();
    const k = isFixture ? fixtureCertificateKey(env) : key;
    const named = k === fixtureCertificateKey(env) ? { name: fixture.name, version: fixture.version } : { name: c.name, version: c.version };
    out.set(k, { ...named, writes: (out.get(k)?.writes ?? 0) + c.writes });
  }
  return out;
}

const PLANNERS: { readonly [k in ResourceKey]: Planner } = {
  contacts: (env, snap, t) => {
    if (t.contacts === 0) return [];
    const item = { resource: 'contacts', subject: 'certificate contacts' } as const;
    const s = snap.contacts;
    const url = URLS.contacts(env);
    if (!s?.ok || !url) {
      return [{ item: { ...item, action: 'keep' }, outcome: 'failed', detail: `${t.contacts} write(s) may have changed them, but ${notSnapshotted(s)}; not restored` }];
    }
    return s.value === null
      ? [
          {
            item: { ...item, action: 'delete' },
            request: request(env, 'DELETE', url),
            // none before, none now: Key Vault's 404 ContactsNotFound is the state wanted
            accept: (res) => statusIn(200, 204)(res) || (res.status === 404 && errorCode(res.body) === 'ContactsNotFound'),
          },
        ]
      : [{ item: { ...item, action: 'put' }, request: request(env, 'PUT', url, { contacts: s.value }), accept: statusIn(200) }];
  },

  certificate: (env, snap, t) =>
    [...latestResolved(env, snap, t)].map(([key, c]): Step => {
      const item = { resource: 'certificate', subject: `certificate ${c.name}/${c.version || '(latest)'}` } as const;
      const s = snap.certificate;
      const url = URLS.certificate(env);
      if (key !== fixtureCertificateKey(env)) {
        return { item: { ...item, action: 'keep' }, outcome: 'failed', detail: 'the run may have changed it, but only the fixture certificate is snapshotted; not restored' };
      }
      if (!s?.ok || !url) return { item: { ...item, action: 'keep' }, outcome: 'failed', detail: `${c.writes} write(s) may have changed it, but ${notSnapshotted(s)}; not restored` };
      return { item: { ...item, action: 'patch' }, request: request(env, 'PATCH', url, certificateBody(env, s.value)), accept: statusIn(200) };
    }),

  vault: (env, snap, t) =>
    [...t.vaults].flatMap(([key, v]): Step[] => {
      const subject = `vault ${v.name}`;
      if (v.identities.size === 0) return [];
      const keep = (why: string, outcome: 'failed' | 'warning' = 'failed'): Step[] => [{ item: { resource: 'access-policies', subject, action: 'keep', count: v.identities.size }, outcome, detail: `the run may have written access policies to it, but ${why}; not restored` }];
      // Another vault no write of the run was seen to land in (no answer came: a run cut off, or a vault the kit
      // named as missing on purpose) is a warning: nothing says it exists.
      if (key !== fixtureVaultKey(env)) return keep(`only the fixture vault is snapshotted${v.certain ? '' : ', and no write to it was answered'}`, v.certain ? 'failed' : 'warning');
      const s = snap.vault;
      if (!s?.ok) return keep(notSnapshotted(s));
      const before = new Map(s.value.map((e) => [identityKey(e), e]));
      const ids = [...v.identities];
      const replace = ids.flatMap(([k]) => before.get(k) ?? []);
      const permissions = allPermissions(env);
      const remove = ids
        .filter(([k, id]) => !before.has(k) && [...id.kinds].some((kind) => kind !== 'remove') && couldHaveBeenAdded(id, env))
        .map(([, id]): AccessPolicyEntry => ({ ...identityOf(id), permissions: withGranted(permissions, id.granted) }));
      const batches = [...chunks(replace, BATCH).map((b) => ['replace', b] as const), ...chunks(remove, BATCH).map((b) => ['remove', b] as const)];
      return batches.map(([kind, batch]): Step => {
        const url = URLS.accessPolicies(env, kind);
        return {
          item: { resource: 'access-policies', subject, action: kind, count: batch.length },
          ...(url ? { request: request(env, 'PUT', url, { properties: { accessPolicies: batch } }), accept: statusIn(200, 201) } : { outcome: 'failed', detail: 'no URL for the access policies' }),
        };
      });
    }),

  apim: (env, snap, t) =>
    [...t.apim.values()].flatMap((c): Step[] => {
      const item = { resource: 'apim-certificate', subject: `API Management certificate ${c.certificateId}` } as const;
      const listed = c.service === fixtureApimService(env) && snap.apim?.ok ? snap.apim.value : undefined;
      // The snapshot's list decides; without one, a 201 proves the kit created it and a 200 that it existed.
      const existed = listed ? listed.has(c.certificateId.toLowerCase()) : c.statuses.includes(201) ? false : c.statuses.length > 0 ? true : undefined;
      const url = URLS.apimCertificate(env, c.url);
      if (existed === false && url) {
        return [{ item: { ...item, action: 'delete' }, request: request(env, 'DELETE', url, undefined, { 'if-match': '*' }), accept: statusIn(200, 204) }];
      }
      if (existed === undefined) {
        return [{ item: { ...item, action: 'keep' }, outcome: 'warning', detail: `a write got no answer and may have created it; without a snapshot of the service's certificates the kit cannot tell whether it existed, so it is left in place` }];
      }
      const keyVault = listed?.get(c.certificateId.toLowerCase())?.properties.keyVault as Obj | undefined;
      if (keyVault && typeof keyVault.secretIdentifier === 'string' && url) {
        const ref = { secretIdentifier: keyVault.secretIdentifier, ...(typeof keyVault.identityClientId === 'string' ? { identityClientId: keyVault.identityClientId } : {}) };
        return [{ item: { ...item, action: 'put' }, request: request(env, 'PUT', url, { properties: { keyVault: ref } }, { 'if-match': '*' }), accept: statusIn(200, 201) }];
      }
      return [
        {
          item: { ...item, action: 'keep' },
          outcome: 'warning',
          detail: 'it existed before the run and may have been overwritten; the service never returns an uploaded PKCS#12, so the kit cannot put it back: upload it again if it mattered',
        },
      ];
    }),
};

const RESOURCE_OF: { readonly [operationId: string]: Step['item']['resource'] } = {
  SetCertificateContacts: 'contacts',
  UpdateCertificate: 'certificate',
  Vaults_UpdateAccessPolicy: 'access-policies',
  Certificate_CreateOrUpdate: 'apim-certificate',
};

/** Writes whose URL the ledger could not attribute: one warning per operation, with an example. */
function unrecognised(t: Touched): Step[] {
  const byOp = new Map<string, (typeof t.unrecognised)[number][]>();
  for (const u of t.unrecognised) byOp.set(u.operation, [...(byOp.get(u.operation) ?? []), u]);
  return [...byOp].map(([op, us]) => ({
    item: { resource: RESOURCE_OF[op] ?? 'target', subject: `${us.length} write(s) of ${op}`, action: 'keep' },
    outcome: 'warning',
    detail: `their URL names no resource the kit restores (e.g. ${us[0]?.url ?? '?'}); not restored`,
  }));
}

export interface Plan {
  readonly key: ResourceKey | 'other';
  readonly steps: readonly Step[];
}

export function planRestore(env: Env, snap: Snapshot, t: Touched): Plan[] {
  const plans: Plan[] = (Object.keys(PLANNERS) as ResourceKey[]).map((key) => ({ key, steps: PLANNERS[key](env, snap, t) }));
  const other: Plan = { key: 'other', steps: unrecognised(t) };
  return [...plans, other].filter((p) => p.steps.length > 0);
}
