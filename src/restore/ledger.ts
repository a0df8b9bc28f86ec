/**
 * The ledger: records what a run may have changed on the target. Pure: it reads paths, bodies and statuses —
 * never a token, never certificate data — and never sends anything. It takes exchanges from two sources:
 *
 * - the event stream: as a report handler of `case-done` events (the redacted case records);
 * - the HTTP client: `exchange(request, result)` for every request the run sends. The Restorer uses this one,
 *   because a run also writes what never becomes a `case-done` event: the inputs fast-check re-sends while it
 *   shrinks a failing property, and the steps of a shrinking sequence. The operation is then known from the method
 *   and path alone.
 *
 * A write "may have been applied" when it was answered 2xx, 5xx (a server error may come after the write) or not
 * at all (timeout, reset); a 4xx is a refusal. Restoring to a snapshot is idempotent, so an uncertain write costs at
 * most one needless request — but an API Management certificate is only ever deleted when the kit knows it created it.
 */
import type { HttpRequest } from '../cases/case.js';
import type { CaseRecord, ReportHandler, RunEvent } from '../events/types.js';
import type { SendResult } from '../http/client.js';
import type { Identity, JournaledEntry, Obj, Touched, TouchedApimCertificate, TouchedVault } from './types.js';

export { identityKey } from '../rules/identity.js';
import { identityKey } from '../rules/identity.js';
import { arr } from '../rules/json.js';

/** One write as the ledger needs it: the request and its status (undefined: no answer). */
interface Seen {
  readonly operation: string;
  readonly request: HttpRequest;
  readonly status?: number;
}

const mayHaveApplied = (s: Seen): boolean => s.status === undefined || s.status < 400 || s.status >= 500;
const accepted = (s: Seen): boolean => s.status !== undefined && s.status >= 200 && s.status < 300;
const str = (v: unknown): v is string => typeof v === 'string';
const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

const PATHS = {
  contacts: /\/certificates\/contacts\/?$/i,
  // Segments may be empty: a lax target may accept a probe with an empty name, and that write is restored too.
  certificate: /\/certificates\/([^/]*)\/([^/]*)$/,
  accessPolicy: /\/subscriptions\/([^/]*)\/resourceGroups\/([^/]*)\/providers\/Microsoft\.KeyVault\/vaults\/([^/]*)\/accessPolicies\/([^/]*)\/?$/i,
  apim: /(\/subscriptions\/[^/]*\/resourceGroups\/[^/]*\/providers\/Microsoft\.ApiManagement\/service\/[^/]*)\/certificates\/([^/]+)\/?$/i,
};

/** Which operation a request is, from its method and path (for exchanges seen at the HTTP client). */
const OPERATION_OF: readonly (readonly [method: string, path: RegExp, operation: string])[] = [
  ['PUT', PATHS.contacts, 'SetCertificateContacts'],
  ['PATCH', PATHS.certificate, 'UpdateCertificate'],
  ['PUT', PATHS.accessPolicy, 'Vaults_UpdateAccessPolicy'],
  ['PUT', PATHS.apim, 'Certificate_CreateOrUpdate'],
];

/**
 * The operation a request writes with, from its method and path; undefined for reads and other paths. Worked out
 * once per request: the journal asks before it is sent, the ledger when it is answered.
 */
const OPERATIONS_OF = new WeakMap<object, string | null>();
export function writeOperation(request: Pick<HttpRequest, 'method' | 'url'>): string | undefined {
  let operation = OPERATIONS_OF.get(request);
  if (operation === undefined) {
    const method = request.method.toUpperCase();
    operation = method === 'GET' ? null : (OPERATION_OF.find(([m, re]) => m === method && re.test(requestPath(request)))?.[2] ?? null);
    OPERATIONS_OF.set(request, operation);
  }
  return operation ?? undefined;
}

/**
 * What a journal keeps of a write: where it went and, for access policies, whose entries with the permission names
 * they were sent (a removal names them again; names are no secret), never other data.
 */
export function writeRecord(request: HttpRequest): { readonly method: string; readonly url: string; readonly identities?: readonly JournaledEntry[] } | undefined {
  const operation = writeOperation(request);
  if (!operation) return undefined;
  return { method: request.method, url: request.url, ...(operation === 'Vaults_UpdateAccessPolicy' ? { identities: journaledEntries(request.body) } : {}) };
}

function journaledEntries(body: unknown): JournaledEntry[] {
  return policyEntries(body).flatMap((e): JournaledEntry[] => {
    const id = entryIdentity(e);
    if (!id) return [];
    const p = (e as { permissions?: unknown }).permissions;
    const lists = typeof p === 'object' && p !== null && !Array.isArray(p) ? Object.entries(p).flatMap(([l, names]) => (Array.isArray(names) ? [[l, names.filter(str)] as const] : [])) : [];
    return [lists.length > 0 ? { ...id, permissions: Object.fromEntries(lists) } : id];
  });
}

type Mutable = {
  contacts: number;
  certificates: Map<string, { name: string; version: string; writes: number }>;
  vaults: Map<string, TouchedVault & { identities: Map<string, Identity & { kinds: Set<string>; granted: Map<string, Set<string>> }>; certain: boolean }>;
  apim: Map<string, TouchedApimCertificate & { statuses: number[]; uncertain: number }>;
  unrecognised: { operation: string; url: string }[];
};

/** The identity an access-policy entry names, when it names one (tenantId and objectId strings). */
const entryIdentity = (e: unknown): Identity | undefined => {
  const o = (e ?? {}) as Obj;
  return typeof e === 'object' && e !== null && str(o.tenantId) && str(o.objectId)
    ? { tenantId: o.tenantId, objectId: o.objectId, ...(str(o.applicationId) ? { applicationId: o.applicationId } : {}) }
    : undefined;
};
const policyEntries = (body: unknown): readonly unknown[] => arr((body as { properties?: { accessPolicies?: unknown } } | undefined)?.properties?.accessPolicies);

/** Add the permission names of one entry's `permissions` (list → names) to `granted`. */
function grant(granted: Map<string, Set<string>>, permissions: unknown): void {
  if (typeof permissions !== 'object' || permissions === null || Array.isArray(permissions)) return;
  for (const [list, names] of Object.entries(permissions)) {
    const set = granted.get(list) ?? new Set<string>();
    for (const n of arr(names)) if (str(n)) set.add(n);
    if (set.size > 0) granted.set(list, set);
  }
}

/** What each operation's write may have changed, as data: one observer per operation id (false: path unknown). */
const OBSERVERS: { readonly [operationId: string]: (s: Seen, path: string, t: Mutable) => boolean } = {
  SetCertificateContacts: (_s, path, t) => {
    if (!PATHS.contacts.test(path)) return false;
    t.contacts++;
    return true;
  },
  UpdateCertificate: (_s, path, t) => {
    const m = PATHS.certificate.exec(path);
    if (!m) return false;
    const name = decode(m[1] ?? '');
    const version = decode(m[2] ?? '');
    const key = `${name}/${version}`.toLowerCase();
    const cur = t.certificates.get(key) ?? { name, version, writes: 0 };
    cur.writes++;
    t.certificates.set(key, cur);
    return true;
  },
  Vaults_UpdateAccessPolicy: (s, path, t) => {
    const m = PATHS.accessPolicy.exec(path);
    if (!m) return false;
    const [subscriptionId = '', resourceGroup = '', name = '', kind = ''] = m.slice(1).map((x) => decode(x ?? ''));
    const key = [subscriptionId, resourceGroup, name].join('/').toLowerCase();
    const vault = t.vaults.get(key) ?? { subscriptionId, resourceGroup, name, identities: new Map(), certain: false };
    // A 2xx proves the write landed; no answer or a 5xx only that it may have.
    vault.certain ||= accepted(s);
    t.vaults.set(key, vault);
    for (const e of policyEntries(s.request.body)) {
      const id = entryIdentity(e);
      if (!id) continue;
      const k = identityKey(id);
      const cur = vault.identities.get(k) ?? { ...id, kinds: new Set<string>(), granted: new Map<string, Set<string>>() };
      cur.kinds.add(kind.toLowerCase());
      // Only a write the target took: a name it refused would make it refuse the whole removal batch.
      if (accepted(s) && kind.toLowerCase() !== 'remove') grant(cur.granted, (e as { permissions?: unknown }).permissions);
      vault.identities.set(k, cur);
    }
    return true;
  },
  Certificate_CreateOrUpdate: (s, path, t) => {
    const m = PATHS.apim.exec(path);
    if (!m) return false;
    const service = decode(m[1] ?? '').toLowerCase();
    const certificateId = decode(m[2] ?? '');
    const key = `${service}/certificates/${certificateId.toLowerCase()}`;
    const cur = t.apim.get(key) ?? { url: withoutQuery(s.request.url), service, certificateId, statuses: [], uncertain: 0 };
    if (accepted(s)) cur.statuses.push(s.status ?? 0);
    else cur.uncertain++;
    t.apim.set(key, cur);
    return true;
  },
};

const withoutQuery = (raw: string): string => {
  const url = new URL(raw);
  url.search = '';
  return url.toString();
};

const pathOf = (url: string): string => {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
};

/**
 * The path of a request, parsed once: the journal and the ledger each ask which operation a request writes, and the
 * ledger then asks its observer (three URL parses per write otherwise). Requests never change once built.
 */
const PATHS_OF = new WeakMap<object, string>();
function requestPath(request: Pick<HttpRequest, 'url'>): string {
  let path = PATHS_OF.get(request);
  if (path === undefined) PATHS_OF.set(request, (path = pathOf(request.url)));
  return path;
}

export class Ledger implements ReportHandler {
  private readonly t: Mutable = { contacts: 0, certificates: new Map(), vaults: new Map(), apim: new Map(), unrecognised: [] };
  private count = 0;

  handle(e: RunEvent): void {
    if (e.type === 'case-done') this.observe(e.case);
  }

  /** Record one case of the run (from the event stream). */
  observe(r: CaseRecord): void {
    this.record({ operation: r.operation.id, request: r.request, ...(r.response ? { status: r.response.status } : {}) });
  }

  /** Record one exchange seen at the HTTP client; requests of no known write (reads, other paths) are ignored. */
  exchange(request: HttpRequest, result: SendResult): void {
    this.written(request, result.response?.status);
  }

  /** Record one write by its request and status (undefined: no answer), as a journal replays it. */
  written(request: HttpRequest, status: number | undefined): void {
    const operation = writeOperation(request);
    if (operation) this.record({ operation, request, ...(status !== undefined ? { status } : {}) });
  }

  private record(s: Seen): void {
    this.count++;
    const observer = OBSERVERS[s.operation];
    if (!observer || !mayHaveApplied(s)) return;
    if (!observer(s, requestPath(s.request), this.t)) this.t.unrecognised.push({ operation: s.operation, url: s.request.url });
  }

  /** How many writes of the four operations the ledger has seen (refused or not). */
  get seen(): number {
    return this.count;
  }

  get touched(): Touched {
    return this.t;
  }
}
