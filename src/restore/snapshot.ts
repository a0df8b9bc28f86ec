/**
 * The snapshot: before a run against a live target, GET every resource the run's operations will write — the
 * vault's certificate contacts, the fixture certificate (version and policy), the fixture vault's access policies
 * and the fixture API Management service's certificates. One row per resource kind: where it lives, how it is
 * read, and the form in which before and after are compared.
 */
import type { HttpRequest } from '../cases/case.js';
import type { RestoreItem } from '../events/types.js';
import type { HttpResponse } from '../http/exchange.js';
import type { SendResult } from '../http/client.js';
import { identityKey } from './ledger.js';
import { describeAnswer, describeRequest, errorCode, request, URLS } from './requests.js';
import type { AccessPolicyEntry, ApimCertificate, CertificateState, Contact, Env, Obj, Snapshot, Taken } from './types.js';
import { writable } from './writable.js';

export type Send = (req: HttpRequest) => Promise<SendResult>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): v is string => typeof v === 'string';
/** API Management lists page with nextLink; a service with more pages than this is not read to the end. */
const MAX_PAGES = 100;

/** GET a JSON body (200), or null when `absent` says the answer means "there is none"; anything else throws. */
async function getJson(env: Env, send: Send, url: string, absent?: (res: HttpResponse) => boolean): Promise<unknown> {
  const req = request(env, 'GET', url);
  const r = await send(req);
  if (r.response && absent?.(r.response)) return null;
  if (r.response?.status === 200 && r.response.body !== undefined) return r.response.body;
  throw new Error(`${describeRequest(req)} answered ${describeAnswer(r)}`);
}

const need = (url: string | undefined): string => {
  if (!url) throw new Error('the run does not include the operation that writes it');
  return url;
};

const contactOf = (c: Obj): Contact => Object.fromEntries(['email', 'name', 'phone'].filter((k) => str(c[k])).map((k) => [k, c[k]])) as Contact;

const entryOf = (e: unknown): AccessPolicyEntry[] =>
  isObj(e) && str(e.tenantId) && str(e.objectId) && isObj(e.permissions)
    ? [
        {
          tenantId: e.tenantId,
          objectId: e.objectId,
          ...(str(e.applicationId) ? { applicationId: e.applicationId } : {}),
          permissions: Object.fromEntries(Object.entries(e.permissions).filter(([, v]) => Array.isArray(v)).map(([l, v]) => [l, (v as unknown[]).filter(str)])),
        },
      ]
    : [];

/** The fixture certificate's writable state: the UpdateCertificate body that puts it back (schema-driven). */
export function certificateBody(env: Env, s: CertificateState): Obj {
  const op = env.ops.get('UpdateCertificate')?.operation;
  const value = { attributes: s.attributes, tags: s.tags, policy: s.policy };
  return (op?.model.requestBody ? writable(value, op.model.requestBody.schema, op.spec.schemas) : value) as Obj;
}

const sortedPermissions = (p: AccessPolicyEntry['permissions']): Obj =>
  Object.fromEntries(
    Object.entries(p)
      .filter(([, names]) => names.length > 0)
      .map(([l, names]) => [l.toLowerCase(), [...new Set(names.map((n) => n.toLowerCase()))].sort()]),
  );

interface Resource<T> {
  readonly resource: RestoreItem['resource'];
  /** The run operation that writes this resource: no operation, no snapshot. */
  readonly operation: string;
  subject(env: Env): string;
  read(env: Env, send: Send): Promise<T>;
  /** What before and after are compared in: order-free where the service keeps no order, read-only parts left out. */
  normalise(value: T, env: Env): unknown;
  /** A short account of what was read, for the snapshot line. */
  describe(value: T): string;
}

const CONTACTS: Resource<readonly Contact[] | null> = {
  resource: 'contacts',
  operation: 'SetCertificateContacts',
  subject: () => 'certificate contacts',
  async read(env, send) {
    // Key Vault answers 404 ContactsNotFound when a vault has no contacts; any other 404 is a target without the GET.
    const body = await getJson(env, send, need(URLS.contacts(env)), (res) => res.status === 404 && errorCode(res.body) === 'ContactsNotFound');
    if (body === null) return null;
    const list = (body as { contacts?: unknown }).contacts;
    return Array.isArray(list) ? list.filter(isObj).map(contactOf) : [];
  },
  normalise: (v) => v,
  describe: (v) => (v === null ? 'none' : `${v.length} contact(s)`),
};

const CERTIFICATE: Resource<CertificateState> = {
  resource: 'certificate',
  operation: 'UpdateCertificate',
  subject: (env) => `certificate ${env.fixtures.certificate.name}/${env.fixtures.certificate.version}`,
  async read(env, send) {
    const bundle = (await getJson(env, send, need(URLS.certificate(env)))) as Obj;
    let policy: unknown;
    try {
      policy = await getJson(env, send, need(URLS.policy(env)));
    } catch (err) {
      // The bundle carries the policy too; the policy resource is only preferred.
      if (!isObj(bundle.policy)) throw err;
      policy = bundle.policy;
    }
    // Which version is the latest: the run's PATCHes with an empty version segment change that one.
    const latest = await getJson(env, send, need(URLS.latestCertificate(env))).catch(() => undefined);
    const latestId = isObj(latest) && str(latest.id) ? latest.id : undefined;
    return {
      attributes: isObj(bundle.attributes) ? bundle.attributes : {},
      tags: (isObj(bundle.tags) ? bundle.tags : {}) as CertificateState['tags'],
      policy: isObj(policy) ? policy : {},
      ...(latestId ? { latestVersion: decodeURIComponent(latestId.replace(/\/+$/, '').split('/').pop() ?? '') } : {}),
    };
  },
  normalise: (v, env) => certificateBody(env, v),
  describe: (v) => `enabled ${String(v.attributes.enabled ?? '-')}, ${Object.keys(v.tags).length} tag(s), policy`,
};

const VAULT: Resource<readonly AccessPolicyEntry[]> = {
  resource: 'access-policies',
  operation: 'Vaults_UpdateAccessPolicy',
  subject: (env) => `vault ${env.fixtures.vault.name}`,
  async read(env, send) {
    const body = (await getJson(env, send, need(URLS.vault(env)))) as { properties?: { accessPolicies?: unknown } };
    const list = body.properties?.accessPolicies;
    if (!Array.isArray(list)) throw new Error('the vault has no properties.accessPolicies list');
    return list.flatMap(entryOf);
  },
  normalise: (v) => Object.fromEntries([...v].sort((a, b) => identityKey(a).localeCompare(identityKey(b))).map((e) => [identityKey(e), sortedPermissions(e.permissions)])),
  describe: (v) => `${v.length} access polic${v.length === 1 ? 'y' : 'ies'}`,
};

const APIM: Resource<ReadonlyMap<string, ApimCertificate>> = {
  resource: 'apim-certificate',
  operation: 'Certificate_CreateOrUpdate',
  subject: (env) => `API Management service ${env.fixtures.apiManagement.serviceName}`,
  async read(env, send) {
    const out = new Map<string, ApimCertificate>();
    let url: string | undefined = need(URLS.apimCertificates(env));
    for (let page = 0; url && page < MAX_PAGES; page++) {
      const body = (await getJson(env, send, url)) as { value?: unknown; nextLink?: unknown };
      if (!Array.isArray(body.value)) throw new Error('the certificate list has no value array');
      for (const c of body.value) if (isObj(c) && str(c.name)) out.set(c.name.toLowerCase(), { name: c.name, properties: isObj(c.properties) ? c.properties : {} });
      url = str(body.nextLink) && body.nextLink !== '' ? body.nextLink : undefined;
    }
    if (url) throw new Error(`the certificate list has more than ${MAX_PAGES} pages`);
    return out;
  },
  normalise: (v) =>
    Object.fromEntries(
      [...v.keys()].sort().map((k) => {
        const p = v.get(k)?.properties ?? {};
        return [k, { thumbprint: p.thumbprint, secretIdentifier: (p.keyVault as Obj | undefined)?.secretIdentifier }];
      }),
    ),
  describe: (v) => `${v.size} certificate(s)`,
};

/** Every resource kind, keyed as in Snapshot. */
export const RESOURCES = { contacts: CONTACTS, certificate: CERTIFICATE, vault: VAULT, apim: APIM } as const;
export type ResourceKey = keyof typeof RESOURCES;
export const RESOURCE_KEYS = Object.keys(RESOURCES) as ResourceKey[];

async function take<T>(r: Resource<T>, env: Env, send: Send): Promise<Taken<T>> {
  try {
    return { ok: true, value: await r.read(env, send) };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

/** Read every resource the run's operations write (in parallel); a failed read is recorded, never thrown. */
export async function takeSnapshot(env: Env, send: Send, keys: readonly ResourceKey[] = RESOURCE_KEYS): Promise<Snapshot> {
  const wanted = keys.filter((k) => env.ops.has(RESOURCES[k].operation));
  const taken = await Promise.all(wanted.map(async (k) => [k, await take(RESOURCES[k] as Resource<unknown>, env, send)] as const));
  return Object.fromEntries(taken) as Snapshot;
}

/** The snapshot as report items: what was read, or "could not snapshot X: …; X will not be restored". */
export function snapshotItems(env: Env, snap: Snapshot): RestoreItem[] {
  return RESOURCE_KEYS.flatMap((k): RestoreItem[] => {
    const r = RESOURCES[k] as Resource<unknown>;
    const t = snap[k] as Taken<unknown> | undefined;
    if (!t) return [];
    const subject = r.subject(env);
    return [
      t.ok
        ? { resource: r.resource, subject, action: 'snapshot', outcome: 'ok', detail: r.describe(t.value) }
        : { resource: r.resource, subject, action: 'snapshot', outcome: 'failed', detail: `could not snapshot ${subject}: ${t.error}; ${subject} will not be restored` },
    ];
  });
}
