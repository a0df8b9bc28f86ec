import { createHash } from 'node:crypto';
import type { Exchange } from '../http/exchange.js';
import { openCached as openPkcs12 } from '../pki/pkcs12-cache.js';
import { arr, obj, type Obj } from './json.js';

const pathOf = (u: unknown): string | undefined => {
  try {
    return typeof u === 'string' ? new URL(u, 'https://x').pathname.replace(/\/+$/, '') : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The ARM resource id a request names: the operation's path template up to `end` with the path parameters as the
 * router decoded them, in lower case (ARM compares ids so). Built from the template, not the URL: a target under a
 * path prefix, a trailing or doubled slash and an undecodable `%` in a recorded URL all leave it the same.
 */
function armId(ex: Exchange, end: RegExp = /$/): string {
  const template = ex.case.operation.model.path;
  const cut = template.search(end);
  return template.slice(0, cut < 0 ? template.length : cut).replace(/\{([^}]+)\}/g, (_m, name: string) => ex.case.pathParams[name] ?? '').toLowerCase();
}

/** Is `got` (an answer's `id`) the resource id `want`? Without regard to case or a trailing slash; raw or decoded. */
function isArmId(got: unknown, want: string): boolean {
  const id = String(got).replace(/\/+$/, '').toLowerCase();
  if (id === want) return true;
  try {
    return decodeURIComponent(id) === want;
  } catch {
    return false;
  }
}

/**
 * Attribute types by the names writers give them, as OIDs. API Management reports X509Certificate2.Subject, which
 * .NET writes with its own short names (S=, E=, SERIALNUMBER=) and every attribute it has no name for as
 * OID.<oid>= (an EV certificate's businessCategory OID.2.5.4.15, jurisdictionCountry OID.1.3.6.1.4.1.311.60.2.1.3);
 * forge writes ST=, E= and long names (businessCategory). Both sides become OIDs, so neither spelling counts.
 */
const ATTRIBUTE_OIDS: { readonly [name: string]: string } = {
  CN: '2.5.4.3',
  COMMONNAME: '2.5.4.3',
  SN: '2.5.4.4',
  SURNAME: '2.5.4.4',
  SERIALNUMBER: '2.5.4.5',
  C: '2.5.4.6',
  COUNTRYNAME: '2.5.4.6',
  L: '2.5.4.7',
  LOCALITYNAME: '2.5.4.7',
  S: '2.5.4.8',
  ST: '2.5.4.8',
  STATEORPROVINCENAME: '2.5.4.8',
  STREET: '2.5.4.9',
  O: '2.5.4.10',
  ORGANIZATIONNAME: '2.5.4.10',
  OU: '2.5.4.11',
  ORGANIZATIONALUNITNAME: '2.5.4.11',
  T: '2.5.4.12',
  TITLE: '2.5.4.12',
  BUSINESSCATEGORY: '2.5.4.15',
  POSTALCODE: '2.5.4.17',
  G: '2.5.4.42',
  GN: '2.5.4.42',
  GIVENNAME: '2.5.4.42',
  I: '2.5.4.43',
  INITIALS: '2.5.4.43',
  E: '1.2.840.113549.1.9.1',
  EMAIL: '1.2.840.113549.1.9.1',
  EMAILADDRESS: '1.2.840.113549.1.9.1',
  DC: '0.9.2342.19200300.100.1.25',
  UID: '0.9.2342.19200300.100.1.1',
  JURISDICTIONOFINCORPORATIONLOCALITYNAME: '1.3.6.1.4.1.311.60.2.1.1',
  JURISDICTIONOFINCORPORATIONSTATEORPROVINCENAME: '1.3.6.1.4.1.311.60.2.1.2',
  JURISDICTIONOFINCORPORATIONCOUNTRYNAME: '1.3.6.1.4.1.311.60.2.1.3',
};

const attributeType = (name: string): string => {
  const upper = name.toUpperCase();
  return upper.startsWith('OID.') ? upper.slice(4) : (ATTRIBUTE_OIDS[upper] ?? upper);
};

/**
 * A distinguished name as a sorted list of type=value pairs (a multi-valued RDN, a+b, gives one pair each). The
 * order differs between writers (.NET writes the RDNs last first, forge in DER order) and so do names (see
 * ATTRIBUTE_OIDS), so neither counts; values compare without case and with runs of spaces as one, and a value .NET
 * quotes (one with a comma) without its quotes ("" inside is one ").
 */
function rdns(dn: unknown): string {
  return String(dn)
    .split(/\s*[,+]\s*(?=(?:OID\.)?[A-Za-z0-9][\w.]*\s*=)/)
    .map((part) => {
      const at = part.indexOf('=');
      const key = attributeType(part.slice(0, at).trim());
      const raw = part.slice(at + 1).trim();
      const value = /^".*"$/.test(raw) ? raw.slice(1, -1).replace(/""/g, '"') : raw;
      return `${key}=${value.replace(/\s+/g, ' ').toLowerCase()}`;
    })
    .sort()
    .join(',');
}

const sameName = (a: unknown, b: unknown): boolean => rdns(a) === rdns(b);

const UNIX_TIMES = ['created', 'updated', 'nbf', 'exp'] as const;
/** 9999-12-31T23:59:59Z: the last second .NET's DateTimeOffset.FromUnixTimeSeconds (the Key Vault client) accepts. */
const MAX_UNIX_SECONDS = 253_402_300_799;
/** How long before its answer a service may say an update happened (a slow write, a Date header rounded down). */
const UPDATED_LAG_S = 3_600;
/** How far ahead of the kit's clock a target's clock may be before a creation time counts as the future. */
const CLOCK_SKEW_S = 86_400;

/**
 * A response-side rule: judges a success response against the request that caused it. `stateless` rules hold
 * for any answer (a mock's example too); the others need a target that really processed the request.
 */
export interface ResponseRule {
  readonly id: string;
  readonly operationId: string;
  readonly stateless: boolean;
  readonly broken: (ex: Exchange, body: Obj) => string | undefined;
}

/**
 * After an add or a replace, the answer gives each identity the permissions sent (the reference example) or its
 * resulting ones (REAL-CLIENTS): after an add a superset of those sent, after a replace exactly those sent (what
 * the identity has now). Either way every permission sent is there, and a replace adds none; names compare without
 * case, and a list that names `all` (sent or answered) is not compared name by name.
 */
function permissionsDiffer(kind: 'add' | 'replace', sent: readonly unknown[], answered: readonly unknown[], key: (e: unknown) => string): string | undefined {
  // Per identity, the union of its entries' lists: a request may name one identity twice, and an answer may echo
  // both entries or merge them into one.
  const byIdentity = (entries: readonly unknown[]): Map<string, Map<string, Set<string>>> => {
    const out = new Map<string, Map<string, Set<string>>>();
    for (const e of entries) {
      const lists = out.get(key(e)) ?? new Map<string, Set<string>>();
      out.set(key(e), lists);
      for (const [list, names] of Object.entries(obj(obj(e)?.permissions) ?? {})) {
        const set = lists.get(list) ?? new Set<string>();
        lists.set(list, set);
        for (const n of arr(names)) set.add(String(n).toLowerCase());
      }
    }
    return out;
  };
  const got = byIdentity(answered);
  for (const [k, want] of byIdentity(sent)) {
    const have = got.get(k);
    if (have === undefined) continue;
    const lists = new Set([...want.keys(), ...(kind === 'replace' ? have.keys() : [])]);
    for (const list of lists) {
      const w = want.get(list) ?? new Set<string>();
      const h = have.get(list) ?? new Set<string>();
      if (w.has('all') || h.has('all')) continue;
      const lost = [...w].filter((n) => !h.has(n));
      if (lost.length > 0) return `the response gives the identity ${k} no ${list} permission ${lost.join(', ')}, though the request granted it (the answer carries the permissions sent or the resulting ones)`;
      const added = kind === 'replace' ? [...h].filter((n) => !w.has(n)) : [];
      if (added.length > 0) return `after a replace the response gives the identity ${k} the ${list} permission ${added.join(', ')}, which the request did not send (a replace leaves the identity exactly the permissions sent)`;
    }
  }
  return undefined;
}

export const RESPONSE_RULES: readonly ResponseRule[] = [
  {
    id: 'keyvault.updateCertificate.x5t-thumbprint',
    operationId: 'UpdateCertificate',
    stateless: true,
    broken: (_ex, b) => {
      if (typeof b.cer !== 'string' || typeof b.x5t !== 'string') return undefined;
      const want = createHash('sha1').update(Buffer.from(b.cer, 'base64')).digest('base64url');
      return b.x5t === want ? undefined : `x5t ${b.x5t} is not base64url(SHA-1(cer)) = ${want}`;
    },
  },
  {
    id: 'keyvault.updateCertificate.recoverable-days',
    operationId: 'UpdateCertificate',
    stateless: true,
    broken: (_ex, b) => {
      const a = obj(b.attributes);
      const level = a?.recoveryLevel;
      const days = a?.recoverableDays;
      if (typeof level !== 'string' || typeof days !== 'number') return undefined;
      if (level.startsWith('CustomizedRecoverable')) return days >= 7 && days <= 90 ? undefined : `recoverableDays ${days} must be 7–90 for ${level}`;
      if (level.startsWith('Recoverable')) return days === 90 ? undefined : `recoverableDays ${days} must be 90 for ${level}`;
      if (level === 'Purgeable') return days === 0 ? undefined : `recoverableDays ${days} must be 0 for Purgeable`;
      return undefined;
    },
  },
  {
    id: 'keyvault.updateCertificate.unix-seconds',
    operationId: 'UpdateCertificate',
    stateless: true,
    broken: (_ex, b) => {
      // An emulator that writes milliseconds (james-gould/azure-keyvault-emulator#400) still writes integers, which
      // the unixtime format takes; only the size tells: 2026 in milliseconds is the year 57,000 in seconds.
      const now = Date.now() / 1000;
      for (const [where, a] of [['attributes', obj(b.attributes)], ['policy.attributes', obj(obj(b.policy)?.attributes)]] as const) {
        for (const k of UNIX_TIMES) {
          const v = a?.[k];
          if (typeof v !== 'number') continue;
          if (Math.abs(v) > MAX_UNIX_SECONDS) return `${where}.${k} ${v} is no date in seconds since 1970 (after 9999-12-31): milliseconds?`;
          if ((k === 'created' || k === 'updated') && v > now + CLOCK_SKEW_S) return `${where}.${k} ${v} (${new Date(v * 1000).toISOString()}) is later than the answer itself`;
        }
      }
      return undefined;
    },
  },
  {
    id: 'keyvault.updateCertificate.updated-moves',
    operationId: 'UpdateCertificate',
    stateless: false,
    broken: (ex, b) => {
      // Judged on the target's own clock (its Date header), so the kit's clock and the skew between them never count.
      const date = Date.parse(ex.response?.headers.date ?? '');
      const sent = obj(ex.case.request.body) ?? {};
      const updated = obj(b.attributes)?.updated;
      // Only a PATCH that sets something: whether an empty attributes or tags object is an update at all, the
      // sources do not say (the sequences send `attributes: {}` to test that unsent attributes are kept).
      const sets = (v: unknown): boolean => Object.keys(obj(v) ?? {}).length > 0;
      if (Number.isNaN(date) || typeof updated !== 'number' || !(sets(sent.attributes) || sets(sent.tags))) return undefined;
      const lag = date / 1000 - updated;
      return lag > UPDATED_LAG_S ? `attributes.updated ${updated} (${new Date(updated * 1000).toISOString()}) is not the time of this update (the answer is dated ${ex.response?.headers.date ?? ''})` : undefined;
    },
  },
  {
    id: 'keyvault.updateCertificate.ids-agree',
    operationId: 'UpdateCertificate',
    stateless: false,
    broken: (ex, b) => {
      const name = ex.case.pathParams['certificate-name'] ?? '';
      const version = ex.case.pathParams['certificate-version'] ?? '';
      for (const [field, kind] of [['id', 'certificates'], ['kid', 'keys'], ['sid', 'secrets']] as const) {
        const p = pathOf(b[field]);
        if (p === undefined) continue;
        const [, k, n, v] = p.split('/');
        if (k !== kind || n?.toLowerCase() !== name.toLowerCase() || (version !== '' && v?.toLowerCase() !== version.toLowerCase())) {
          return `${field} ${String(b[field])} is not {vault}/${kind}/${name}/${version || '{version}'}`;
        }
      }
      return undefined;
    },
  },
  {
    id: 'keyvault.updateCertificate.policy-id',
    operationId: 'UpdateCertificate',
    stateless: false,
    broken: (ex, b) => {
      const id = obj(b.policy)?.id;
      if (id === undefined) return undefined;
      const want = `/certificates/${ex.case.pathParams['certificate-name'] ?? ''}/policy`.toLowerCase();
      return pathOf(id)?.toLowerCase() === want ? undefined : `policy.id ${String(id)} is not {vault}${want}`;
    },
  },
  {
    id: 'keyvault.setCertificateContacts.echo',
    operationId: 'SetCertificateContacts',
    stateless: false,
    broken: (ex, b) => {
      const sent = arr(obj(ex.case.request.body)?.contacts);
      const got = arr(b.contacts);
      if (sent.length === 0 && b.contacts === undefined) return undefined;
      const norm = (c: unknown): string => JSON.stringify(['email', 'name', 'phone'].map((k) => obj(c)?.[k] ?? null));
      const same = sent.length === got.length && sent.every((c, i) => norm(c) === norm(got[i]));
      return same ? undefined : `contacts answered ${JSON.stringify(got)} differ from those sent ${JSON.stringify(sent)} (fields and order must match)`;
    },
  },
  {
    id: 'keyvault.setCertificateContacts.id',
    operationId: 'SetCertificateContacts',
    stateless: false,
    broken: (_ex, b) => (b.id === undefined || pathOf(b.id) === '/certificates/contacts' ? undefined : `id ${String(b.id)} is not {vault}/certificates/contacts`),
  },
  {
    id: 'keyvault.updateAccessPolicy.response-agrees',
    operationId: 'Vaults_UpdateAccessPolicy',
    stateless: false,
    broken: (ex, b) => {
      if (b.type !== undefined && String(b.type).toLowerCase() !== 'microsoft.keyvault/vaults/accesspolicies') return `type ${String(b.type)} is not Microsoft.KeyVault/vaults/accessPolicies`;
      // The id is the request's resource path without the operationKind (updateAccessPoliciesAdd.json:
      // …/vaults/sample-vault/accessPolicies/): the request's vault, under its subscription and resource group.
      const want = armId(ex, /\/\{operationKind\}$/);
      if (b.id !== undefined && !isArmId(b.id, want)) return `id ${String(b.id)} is not ${want.replace(/accesspolicies$/, 'accessPolicies')}/ (the request's vault, under its subscription and resource group)`;
      // An identity is (tenantId, objectId, applicationId), as rule unique-identity counts it: an entry answered
      // without the applicationId sent names the user itself, not the user through that application.
      const key = (e: unknown): string => `${String(obj(e)?.tenantId).toLowerCase()}|${String(obj(e)?.objectId).toLowerCase()}|${String(obj(e)?.applicationId ?? '').toLowerCase()}`;
      const answered = arr(obj(b.properties)?.accessPolicies).map(key);
      const sent = arr(obj(obj(ex.case.request.body)?.properties)?.accessPolicies).map(key);
      // Both ways: the answer carries the request's entries (the reference example), not the vault's whole list.
      // The one example is an add, and REAL-CLIENTS saw an add answered with each identity's *resulting*
      // permissions: after a remove an identity may have none left, so a remove's answer may leave it out.
      const removed = ex.case.pathParams.operationKind?.toLowerCase() === 'remove';
      const missing = removed ? undefined : sent.find((k) => !answered.includes(k));
      if (missing) return `the response's accessPolicies lack the identity ${missing} the request named`;
      const extra = answered.find((k) => !sent.includes(k));
      if (extra) return `the response's accessPolicies name the identity ${extra}, which the request did not (the answer carries the request's entries, not the vault's list)`;
      if (removed) return undefined;
      const kind = ex.case.pathParams.operationKind?.toLowerCase() === 'replace' ? 'replace' : 'add';
      return permissionsDiffer(kind, arr(obj(obj(ex.case.request.body)?.properties)?.accessPolicies), arr(obj(b.properties)?.accessPolicies), key);
    },
  },
  {
    id: 'apimanagement.certificateCreateOrUpdate.secrets-not-echoed',
    operationId: 'Certificate_CreateOrUpdate',
    stateless: true,
    broken: (_ex, b) => {
      const p = obj(b.properties) ?? {};
      const leaked = ['data', 'password'].filter((k) => p[k] !== undefined && p[k] !== null);
      return leaked.length > 0 ? `the response echoes properties.${leaked.join(' and ')}` : undefined;
    },
  },
  {
    id: 'apimanagement.certificateCreateOrUpdate.resource-identity',
    operationId: 'Certificate_CreateOrUpdate',
    stateless: false,
    broken: (ex, b) => {
      const certId = ex.case.pathParams.certificateId ?? '';
      // ARM names compare case-insensitively, as the id does below.
      if (b.name !== undefined && String(b.name).toLowerCase() !== certId.toLowerCase()) return `name ${String(b.name)} is not the certificateId ${certId}`;
      if (b.type !== undefined && String(b.type).toLowerCase() !== 'microsoft.apimanagement/service/certificates') return `type ${String(b.type)} is not Microsoft.ApiManagement/service/certificates`;
      const want = armId(ex);
      return b.id === undefined || isArmId(b.id, want) ? undefined : `id ${String(b.id)} is not the request path ${want}`;
    },
  },
  {
    id: 'apimanagement.certificateCreateOrUpdate.certificate-described',
    operationId: 'Certificate_CreateOrUpdate',
    stateless: false,
    broken: (ex, b) => {
      const sent = obj(obj(ex.case.request.body)?.properties);
      // A certificate fetched from Key Vault names its secret, as ApiManagementCreateCertificateWithKeyVault.json answers.
      const kv = obj(sent?.keyVault);
      if (sent && sent.data === undefined && kv && typeof kv.secretIdentifier === 'string') {
        const got = obj(obj(b.properties)?.keyVault)?.secretIdentifier;
        return typeof got === 'string' && got.toLowerCase() === kv.secretIdentifier.toLowerCase()
          ? undefined
          : `properties.keyVault.secretIdentifier is ${got === undefined ? 'missing' : JSON.stringify(got)}, not the secret the certificate was fetched from (${kv.secretIdentifier})`;
      }
      // With keyVault too, no source says which of the two the service takes (rule data-and-keyvault): nothing to hold.
      if (!sent || typeof sent.data !== 'string' || (sent.keyVault !== undefined && sent.keyVault !== null)) return undefined;
      const cert = openPkcs12(sent.data, typeof sent.password === 'string' ? sent.password : '');
      if (!cert.ok) return undefined;
      const p = obj(b.properties) ?? {};
      if (String(p.thumbprint ?? '').toUpperCase() !== cert.thumbprint) return `thumbprint ${String(p.thumbprint)} is not the uploaded certificate's SHA-1 ${cert.thumbprint}`;
      if (!sameName(p.subject, cert.subject)) return `subject ${String(p.subject)} is not the uploaded certificate's ${cert.subject}`;
      const exp = Date.parse(String(p.expirationDate));
      return Math.abs(exp - cert.notAfter.getTime()) < 1000 ? undefined : `expirationDate ${String(p.expirationDate)} is not the certificate's notAfter ${cert.notAfter.toISOString()}`;
    },
  },
];
