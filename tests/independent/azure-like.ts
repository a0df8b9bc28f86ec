/**
 * An independent Azure-like target for the four operations: a small node:http server written from Azure's
 * reference (../shared/reference: the REST specs, their examples, REAL-CLIENTS.md) and Azure's documented
 * behaviour, NOT from the kit's specs, rules or emulator. It behaves as the real services legitimately may, and
 * every freedom the reference leaves open is a knob (see Knobs), so a property can draw combinations of them.
 *
 * It refuses what Azure documents it refuses (schema keywords of the reference swagger, documented sentences),
 * with Azure's error envelopes and codes, so a run against it is not vacuous: `flaws` switches on known-bad
 * behaviour the kit must catch.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import forge from 'node-forge';

/** Everything the reference leaves open, as knobs. */
export interface Knobs {
  /** How header names are spelt on the wire (HTTP names are case-insensitive, RFC 9110 §5.1). */
  readonly headerCase: 'lower' | 'canonical' | 'upper';
  /** The headers real Azure adds: x-ms-request-id, x-ms-keyvault-*, HSTS, x-ms-ratelimit-*, Cache-Control, Pragma, Expires: -1. */
  readonly azureHeaders: boolean;
  /** `application/json; charset=utf-8` (what Key Vault and ARM send) or plain `application/json`. */
  readonly charset: boolean;
  /** Members written in reverse order (JSON objects are unordered, RFC 8259 §4). */
  readonly reverseMembers: boolean;
  /** Whitespace in the JSON text. */
  readonly indent: boolean;
  /** Optional response members left out (x5t, cer, policy, tags when none, recoverableDays, …). */
  readonly omitOptional: boolean;
  /** Members newer versions add (preserveCertOrder, x509_props fields, hasPrivateKey, systemData, …). */
  readonly extraMembers: boolean;
  /** `null` where the reference marks a member nullable (x-nullable) or real answers carry null (details, target, identityClientId). */
  readonly nulls: boolean;
  /** Transfer-Encoding: chunked instead of Content-Length. */
  readonly chunked: boolean;
  /** Connection: close after each answer. */
  readonly close: boolean;
  /** The vault's deletion recovery level and retention days (DeletionRecoveryLevel, recoverableDays). */
  readonly recovery: readonly [level: string, days: number | undefined];
  /** API Management ETags written weak (W/"…"). */
  readonly weakEtag: boolean;
  /** Vaults_UpdateAccessPolicy answers 201 (both 200 and 201 are documented). */
  readonly accessPolicy201: boolean;
  /** The access-policy answer gives each identity its resulting permissions (REAL-CLIENTS) rather than those sent. */
  readonly resultingPermissions: boolean;
  /** A remove is answered with what is left of each identity (nothing: left out) rather than the entries sent. */
  readonly removeLeavesOut: boolean;
  /** The access-policy answer's id ends in a slash (the reference example: …/accessPolicies/). */
  readonly accessPolicyIdSlash: boolean;
  /** UpdateCertificate applies a sent policy (else it updates only the attributes, as its description says). */
  readonly policyApplied: boolean;
  /** The UpdateCertificate answer carries the policy (REAL-CLIENTS: in some answers and not in others). */
  readonly policyInAnswer: boolean;
  /** `tags: {}` clears the tags (REAL-CLIENTS) or is read as no tags sent. */
  readonly emptyTagsClear: boolean;
  /** A SetCertificateContacts answer without contacts (an empty list sent) leaves `contacts` out rather than []. */
  readonly emptyContactsAbsent: boolean;
  /** API Management refuses an update without If-Match (its description: "required when updating an entity"). */
  readonly apimRequiresIfMatch: boolean;
  /** The API Management service can read any Key Vault secret it is pointed at. */
  readonly keyVaultReadable: boolean;
  /** How date-times are written: `…Z`, `…+00:00`, or with .NET's seven fraction digits `….0000000Z` (RFC 3339 all). */
  readonly dateForm: 'Z' | 'offset' | 'fraction';
  /** The Key Vault challenge: authorization + resource (REAL-CLIENTS), authorization_uri + scope, or with a PoP challenge beside it. */
  readonly challenge: 'resource' | 'scope' | 'with-pop';
  /** Every Nth request is throttled first: 429 with Retry-After: 1 and the plane's error (0: never). */
  readonly throttleEvery: number;
  /** ARM ids written with the resource group in upper case (ARM ids compare without case). */
  readonly upperResourceGroup: boolean;
  /** The subject written as .NET writes X509Certificate2.Subject (last RDN first) rather than in DER order. */
  readonly dotnetSubject: boolean;
  /** Integers written with a fraction (1.0): the same number in JSON (RFC 8259 §6; JSON Schema integers). */
  readonly fractionalIntegers: boolean;
}

/** Known-bad behaviour, to show the kit catches this target when it misbehaves (never on in the clean test). */
export interface Flaws {
  /** Accepts lifetime_percentage 100 (the reference: maximum 99). */
  readonly acceptsLifetime100?: boolean;
  /** Answers a stale If-Match with 200. */
  readonly ignoresIfMatch?: boolean;
  /** Contacts answered in reverse order. */
  readonly reordersContacts?: boolean;
}

export const DEFAULT_KNOBS: Knobs = {
  headerCase: 'lower',
  azureHeaders: true,
  charset: true,
  reverseMembers: false,
  indent: false,
  omitOptional: false,
  extraMembers: false,
  nulls: false,
  chunked: false,
  close: false,
  recovery: ['Recoverable+Purgeable', 90],
  weakEtag: false,
  accessPolicy201: false,
  resultingPermissions: true,
  accessPolicyIdSlash: true,
  removeLeavesOut: false,
  policyApplied: true,
  policyInAnswer: true,
  emptyTagsClear: true,
  emptyContactsAbsent: false,
  apimRequiresIfMatch: false,
  keyVaultReadable: true,
  dateForm: 'Z',
  challenge: 'resource',
  throttleEvery: 0,
  upperResourceGroup: false,
  dotnetSubject: true,
  fractionalIntegers: false,
};

/**
 * The combinations the reference allows (DeletionRecoveryLevel descriptions: Recoverable* keep 90 days,
 * CustomizedRecoverable* 7 ≤ days < 90, Purgeable none; recoverableDays "otherwise 0").
 */
const RECOVERY: readonly (readonly [string, number | undefined])[] = [
  ['Purgeable', 0],
  ['Purgeable', undefined],
  ['Recoverable+Purgeable', 90],
  ['Recoverable', 90],
  ['Recoverable+ProtectedSubscription', 90],
  ['CustomizedRecoverable+Purgeable', 7],
  ['CustomizedRecoverable', 30],
  ['CustomizedRecoverable+ProtectedSubscription', 89],
];

export const knobsArbitrary: fc.Arbitrary<Knobs> = fc.record({
  headerCase: fc.constantFrom('lower', 'canonical', 'upper'),
  azureHeaders: fc.boolean(),
  charset: fc.boolean(),
  reverseMembers: fc.boolean(),
  indent: fc.boolean(),
  omitOptional: fc.boolean(),
  extraMembers: fc.boolean(),
  nulls: fc.boolean(),
  chunked: fc.boolean(),
  close: fc.boolean(),
  recovery: fc.constantFrom(...RECOVERY),
  weakEtag: fc.boolean(),
  accessPolicy201: fc.boolean(),
  resultingPermissions: fc.boolean(),
  accessPolicyIdSlash: fc.boolean(),
  removeLeavesOut: fc.boolean(),
  policyApplied: fc.boolean(),
  policyInAnswer: fc.boolean(),
  emptyTagsClear: fc.boolean(),
  emptyContactsAbsent: fc.boolean(),
  apimRequiresIfMatch: fc.boolean(),
  keyVaultReadable: fc.boolean(),
  dateForm: fc.constantFrom('Z', 'offset', 'fraction'),
  challenge: fc.constantFrom('resource', 'scope', 'with-pop'),
  // Rare enough that the run's minute of waiting for throttling is never spent.
  throttleEvery: fc.constantFrom(0, 0, 211),
  upperResourceGroup: fc.boolean(),
  dotnetSubject: fc.boolean(),
  fractionalIntegers: fc.boolean(),
});

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

// ---------------------------------------------------------------------------------------------------------------
// What the reference says each version accepts.

/**
 * Key Vault data plane versions the service answers: the stable ones from 7.0, and the two previews whose spec
 * Azure publishes and the kit has (7.6-preview.1, 7.6-preview.2), which SDK betas send.
 */
const KV_VERSIONS = new Set(['7.0', '7.1', '7.2', '7.3', '7.4', '7.5', '7.6-preview.1', '7.6-preview.2', '7.6', '2025-06-01', '2025-07-01']);
const KV_MGMT_VERSIONS = new Set(['2019-09-01', '2021-10-01', '2022-07-01', '2023-02-01', '2023-07-01', '2024-11-01']);
const APIM_VERSIONS = new Set(['2021-08-01', '2022-08-01', '2023-05-01-preview', '2024-05-01']);

/** Permissions enums of keyvault.json, per version (2021-10-01 adds `all`, 2022-07-01 release, rotate, get/setrotationpolicy). */
const PERMISSIONS_2019: { readonly [list: string]: readonly string[] } = {
  keys: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey', 'sign', 'verify', 'get', 'list', 'create', 'update', 'import', 'delete', 'backup', 'restore', 'recover', 'purge'],
  secrets: ['get', 'list', 'set', 'delete', 'backup', 'restore', 'recover', 'purge'],
  certificates: ['get', 'list', 'delete', 'create', 'import', 'update', 'managecontacts', 'getissuers', 'listissuers', 'setissuers', 'deleteissuers', 'manageissuers', 'recover', 'purge', 'backup', 'restore'],
  storage: ['get', 'list', 'delete', 'set', 'update', 'regeneratekey', 'recover', 'purge', 'backup', 'restore', 'setsas', 'listsas', 'getsas', 'deletesas'],
};
function permissionsAt(version: string): { readonly [list: string]: ReadonlySet<string> } {
  const all = version >= '2021-10-01' ? ['all'] : [];
  const rotation = version >= '2022-07-01' ? ['release', 'rotate', 'getrotationpolicy', 'setrotationpolicy'] : [];
  return Object.fromEntries(
    Object.entries(PERMISSIONS_2019).map(([list, names]) => [list, new Set([...all, ...names, ...(list === 'keys' ? rotation : [])].map((n) => n.toLowerCase()))]),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Errors, as each plane writes them.

export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { readonly headers?: { readonly [k: string]: string | string[] }; readonly target?: string } = {},
  ) {
    super(message);
  }
}

type Plane = 'vault' | 'arm' | 'apim';

/** Key Vault: {error:{code,message,innererror}}; ARM: {error:{code,message,target,details}}; API Management: ErrorResponse. */
function errorBody(plane: Plane, r: Refusal, k: Knobs): JsonObject {
  if (plane === 'vault') {
    return { error: { code: r.code, message: r.message, ...(r.status === 400 ? { innererror: { code: 'BadParameter' } } : k.nulls ? { innererror: null } : {}) } };
  }
  const details: Json = plane === 'apim' && r.extra.target ? [{ code: r.code, target: r.extra.target, message: r.message }] : k.nulls ? null : [];
  return { error: { code: r.code, message: r.message, ...(r.extra.target ? { target: r.extra.target } : k.nulls ? { target: null } : {}), details } };
}

// ---------------------------------------------------------------------------------------------------------------
// Writing answers.

function headerName(name: string, k: Knobs): string {
  if (k.headerCase === 'upper') return name.toUpperCase();
  if (k.headerCase === 'canonical') return name.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase());
  return name;
}

function serialise(value: Json, k: Knobs): string {
  const pad = (depth: number): string => (k.indent ? `\n${'  '.repeat(depth)}` : '');
  const write = (v: Json, depth: number): string => {
    // 1430344421 → 1430344421.0: the same number in JSON (RFC 8259 §6), an integer to JSON Schema.
    if (typeof v === 'number') return k.fractionalIntegers && Number.isInteger(v) && Math.abs(v) < 1e15 ? `${v}.0` : JSON.stringify(v);
    if (Array.isArray(v)) return v.length === 0 ? '[]' : `[${v.map((x) => pad(depth + 1) + write(x, depth + 1)).join(',')}${pad(depth)}]`;
    if (isObject(v)) {
      const entries = k.reverseMembers ? Object.entries(v).reverse() : Object.entries(v);
      return entries.length === 0 ? '{}' : `{${entries.map(([key, x]) => `${pad(depth + 1)}${JSON.stringify(key)}:${k.indent ? ' ' : ''}${write(x, depth + 1)}`).join(',')}${pad(depth)}}`;
    }
    return JSON.stringify(v);
  };
  return write(value, 0);
}

function azureHeaders(plane: Plane, version: string): { [k: string]: string } {
  const common = {
    'x-ms-request-id': randomUUID(),
    'strict-transport-security': 'max-age=31536000;includeSubDomains',
    'cache-control': 'no-cache',
    pragma: 'no-cache',
    expires: '-1',
    'x-content-type-options': 'nosniff',
  };
  if (plane === 'vault') {
    return { ...common, 'x-ms-keyvault-service-version': '1.9.1283.1', 'x-ms-keyvault-region': 'westeurope', 'x-ms-keyvault-network-info': 'conn_type=Ipv4;addr=127.0.0.1;act_addr_fam=InterNetwork;', 'x-ms-client-request-id': randomUUID() };
  }
  return {
    ...common,
    'x-ms-ratelimit-remaining-subscription-writes': '1199',
    'x-ms-ratelimit-remaining-subscription-global-writes': '11999',
    'x-ms-correlation-request-id': randomUUID(),
    'x-ms-routing-request-id': `WESTEUROPE:20250101T000000Z:${randomUUID()}`,
    'x-ms-apiversion': version,
  };
}

/** What went over the wire, for recordings (HAR, test-proxy) made from this target. */
export interface Recorded {
  readonly method: string;
  /** As the client sent it, on https://127.0.0.1 (recordings keep the request target, not our port). */
  readonly url: string;
  readonly requestHeaders: { readonly [name: string]: string };
  readonly requestBody: string;
  readonly status: number;
  readonly responseHeaders: { readonly [name: string]: string | string[] };
  readonly responseBody: string;
}

function send(res: ServerResponse, k: Knobs, plane: Plane, version: string, status: number, body: Json | undefined, headers: { readonly [k: string]: string | string[] } = {}): { headers: { [k: string]: string | string[] }; text: string } {
  const text = Buffer.from(body === undefined ? '' : serialise(body, k), 'utf8');
  const all: { [k: string]: string | string[] } = { ...(k.azureHeaders ? azureHeaders(plane, version) : {}), ...headers };
  if (body !== undefined) all['content-type'] = k.charset ? 'application/json; charset=utf-8' : 'application/json';
  if (k.close) all.connection = 'close';
  if (!k.chunked || text.length === 0) all['content-length'] = String(text.length);
  const wire = Object.fromEntries(Object.entries(all).map(([n, v]) => [headerName(n, k), v]));
  res.writeHead(status, wire);
  if (k.chunked && text.length > 0) {
    // Node sends chunked when no Content-Length is set; two writes make two chunks, split at a byte (which may
    // fall inside a UTF-8 sequence: chunk boundaries carry no meaning).
    const half = Math.floor(text.length / 2);
    res.write(text.subarray(0, half));
    res.end(text.subarray(half));
  } else res.end(text);
  return { headers: wire, text: text.toString('utf8') };
}

// ---------------------------------------------------------------------------------------------------------------
// Validation, from the reference swagger (each check names its definition).

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function bad(message: string, code = 'BadParameter', target?: string): Refusal {
  return new Refusal(400, code, message, target ? { target } : {});
}

type Kind = 'object' | 'array' | 'string' | 'boolean' | 'integer' | 'int32';
const INT32 = 2 ** 31;

/** `int32`: format int32 of the reference, what a .NET int binds (a larger number fails deserialisation). */
function expectType(v: unknown, type: Kind, where: string, code: string): void {
  const int = Number.isInteger(v);
  const ok = { object: isObject(v), array: Array.isArray(v), string: typeof v === 'string', boolean: typeof v === 'boolean', integer: int, int32: int && (v as number) >= -INT32 && (v as number) < INT32 }[type];
  if (!ok) throw bad(`Property ${where} has invalid value: expected ${type}.`, code, where);
}

/** Members of an object the swagger describes, each typed; unknown members are ignored (as Azure's binders do). */
function members(o: JsonObject, where: string, code: string, types: { readonly [m: string]: Kind }): void {
  for (const [m, type] of Object.entries(types)) if (o[m] !== undefined) expectType(o[m], type, `${where}.${m}`, code);
}

/** certificates.json CertificateUpdateParameters and what it references (lowkey-like.ts reuses it). */
export function validateCertificateUpdate(body: unknown, currentMonths: number | undefined, flaws: Flaws): void {
  const code = 'BadParameter';
  expectType(body, 'object', 'parameters', code);
  const b = body as JsonObject;
  members(b, 'parameters', code, { policy: 'object', attributes: 'object', tags: 'object' });
  if (isObject(b.tags)) for (const [t, v] of Object.entries(b.tags)) expectType(v, 'string', `tags.${t}`, code);
  if (isObject(b.attributes)) members(b.attributes, 'attributes', code, { enabled: 'boolean', nbf: 'integer', exp: 'integer' });
  const p = isObject(b.policy) ? b.policy : undefined;
  if (!p) return;
  members(p, 'policy', code, { key_props: 'object', secret_props: 'object', x509_props: 'object', lifetime_actions: 'array', issuer: 'object', attributes: 'object' });
  if (isObject(p.key_props)) {
    members(p.key_props, 'key_props', code, { exportable: 'boolean', kty: 'string', key_size: 'int32', reuse_key: 'boolean', crv: 'string' });
  }
  if (isObject(p.secret_props)) members(p.secret_props, 'secret_props', code, { contentType: 'string' });
  if (isObject(p.issuer)) members(p.issuer, 'issuer', code, { name: 'string', cty: 'string', cert_transparency: 'boolean' });
  if (isObject(p.attributes)) members(p.attributes, 'policy.attributes', code, { enabled: 'boolean', nbf: 'integer', exp: 'integer' });
  const x = isObject(p.x509_props) ? p.x509_props : undefined;
  if (x) {
    members(x, 'x509_props', code, { subject: 'string', ekus: 'array', sans: 'object', key_usage: 'array', validity_months: 'int32' });
    for (const e of Array.isArray(x.ekus) ? x.ekus : []) expectType(e, 'string', 'x509_props.ekus', code);
    for (const u of Array.isArray(x.key_usage) ? x.key_usage : []) expectType(u, 'string', 'x509_props.key_usage', code);
    if (isObject(x.sans)) {
      members(x.sans, 'sans', code, { emails: 'array', dns_names: 'array', upns: 'array', uris: 'array', ipAddresses: 'array' });
      for (const list of Object.values(x.sans)) for (const s of Array.isArray(list) ? list : []) expectType(s, 'string', 'sans', code);
    }
    // X509CertificateProperties.validity_months: minimum 0.
    if (typeof x.validity_months === 'number' && x.validity_months < 0) throw bad('validity_months must be at least 0.', code, 'x509_props.validity_months');
  }
  const months = x && typeof x.validity_months === 'number' ? x.validity_months : currentMonths;
  for (const a of Array.isArray(p.lifetime_actions) ? p.lifetime_actions : []) {
    expectType(a, 'object', 'lifetime_actions[]', code);
    const action = a as JsonObject;
    members(action, 'lifetime_actions[]', code, { trigger: 'object', action: 'object' });
    const t = isObject(action.trigger) ? action.trigger : {};
    members(t, 'trigger', code, { lifetime_percentage: 'int32', days_before_expiry: 'int32' });
    const pct = t.lifetime_percentage;
    // Trigger.lifetime_percentage: minimum 1, maximum 99.
    if (typeof pct === 'number' && (pct < 1 || pct > (flaws.acceptsLifetime100 ? 100 : 99))) throw bad('lifetime_percentage must be between 1 and 99.', code, 'trigger.lifetime_percentage');
    // Trigger: "A condition to be satisfied for an action to be executed" — one of the two.
    if ((t.lifetime_percentage === undefined) === (t.days_before_expiry === undefined)) throw bad('A trigger must specify exactly one of lifetime_percentage or days_before_expiry.', code, 'trigger');
    // Trigger.days_before_expiry: "between 1 and validity_in_months multiplied by 27".
    const d = t.days_before_expiry;
    if (typeof d === 'number' && (d < 1 || (months !== undefined && d > months * 27))) throw bad(`days_before_expiry must be between 1 and ${months !== undefined ? months * 27 : 'validity_months × 27'}.`, code, 'trigger.days_before_expiry');
    const act = isObject(action.action) ? action.action : {};
    members(act, 'action', code, { action_type: 'string' });
    // Action.action_type: a closed enum (modelAsString false), compared without case as Key Vault does.
    if (act.action_type !== undefined && !['emailcontacts', 'autorenew'].includes(String(act.action_type).toLowerCase())) throw bad(`action_type ${String(act.action_type)} is not valid.`, code, 'action.action_type');
  }
}

function validateContacts(body: unknown): void {
  const code = 'BadParameter';
  expectType(body, 'object', 'contacts', code);
  const b = body as JsonObject;
  members(b, 'contacts', code, { contacts: 'array' });
  for (const c of Array.isArray(b.contacts) ? b.contacts : []) {
    expectType(c, 'object', 'contacts[]', code);
    members(c as JsonObject, 'contacts[]', code, { email: 'string', name: 'string', phone: 'string' });
  }
}

/** keyvault.json VaultAccessPolicyParameters, AccessPolicyEntry, Permissions; the seed's documented sentences. */
function validateAccessPolicies(body: unknown, version: string, tenantId: string): JsonObject[] {
  const code = 'BadRequest';
  expectType(body, 'object', 'parameters', code);
  const props = (body as JsonObject).properties;
  if (props === undefined) throw bad("The request content is missing the required property 'properties'.", 'InvalidRequestContent', 'properties');
  expectType(props, 'object', 'properties', code);
  const list = (props as JsonObject).accessPolicies;
  if (list === undefined) throw bad("Required property 'accessPolicies' not found in JSON.", 'InvalidRequestContent', 'properties.accessPolicies');
  expectType(list, 'array', 'properties.accessPolicies', code);
  const entries = list as Json[];
  // VaultAccessPolicyProperties.accessPolicies: "An array of 0 to 16 identities".
  if (entries.length > 16) throw bad('The number of access policies in the request exceeds the maximum of 16.', code, 'properties.accessPolicies');
  const known = permissionsAt(version);
  const seen = new Set<string>();
  for (const e of entries) {
    expectType(e, 'object', 'accessPolicies[]', code);
    const entry = e as JsonObject;
    for (const m of ['tenantId', 'objectId', 'permissions']) if (entry[m] === undefined) throw bad(`Required property '${m}' not found in JSON.`, 'InvalidRequestContent', `accessPolicies.${m}`);
    members(entry, 'accessPolicies[]', code, { tenantId: 'string', objectId: 'string', applicationId: 'string', permissions: 'object' });
    if (!uuid.test(String(entry.tenantId))) throw bad(`The tenant ID '${String(entry.tenantId)}' is not a valid GUID.`, code, 'tenantId');
    if (entry.applicationId !== undefined && !uuid.test(String(entry.applicationId))) throw bad(`The application ID '${String(entry.applicationId)}' is not a valid GUID.`, code, 'applicationId');
    // "All identities in the array must use the same tenant ID as the key vault's tenant ID."
    if (String(entry.tenantId).toLowerCase() !== tenantId.toLowerCase()) throw bad('The tenant ID of the access policy does not match the tenant ID of the vault.', code, 'tenantId');
    // "The object ID must be unique for the list of access policies."
    const id = `${String(entry.objectId).toLowerCase()}|${String(entry.applicationId ?? '').toLowerCase()}`;
    if (seen.has(id)) throw bad(`The object ID '${String(entry.objectId)}' appears more than once.`, code, 'objectId');
    seen.add(id);
    for (const [l, names] of Object.entries(entry.permissions as JsonObject)) {
      const allowed = known[l];
      if (!allowed) continue;
      expectType(names, 'array', `permissions.${l}`, code);
      for (const n of names as Json[]) {
        expectType(n, 'string', `permissions.${l}[]`, code);
        if (!allowed.has(String(n).toLowerCase())) throw bad(`Invalid value found at accessPolicies.permissions.${l}: ${String(n)}`, code, `permissions.${l}`);
      }
    }
  }
  return entries as JsonObject[];
}

// ---------------------------------------------------------------------------------------------------------------
// State.

interface CertVersion {
  attributes: { enabled: boolean; nbf: number; exp: number; created: number; updated: number };
  tags: { [k: string]: string };
  cer: string;
}
interface KvCertificate {
  readonly name: string;
  readonly versions: Map<string, CertVersion>;
  latest: string;
  policy: JsonObject;
}
interface ApimCertificate {
  readonly id: string;
  readonly name: string;
  etag: number;
  properties: JsonObject;
}

/** The example certificate of the reference (7.4 UpdateCertificate-example.json). */
const EXAMPLE_CER =
  'MIICODCCAeagAwIBAgIQqHmpBAv+CY9IJFoUhlbziTAJBgUrDgMCHQUAMBYxFDASBgNVBAMTC1Jvb3QgQWdlbmN5MB4XDTE1MDQyOTIxNTM0MVoXDTM5MTIzMTIzNTk1OVowFzEVMBMGA1UEAxMMS2V5VmF1bHRUZXN0MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA5bVAT73zr4+N4WVv2+SvTunAw08ksS4BrJW/nNliz3S9XuzMBMXvmYzU5HJ8TtEgluBiZZYd5qsMJD+OXHSNbsLdmMhni0jYX09h3XlC2VJw2sGKeYF+xEaavXm337aZZaZyjrFBrrUl51UePaN+kVFXNlBb3N3TYpqa7KokXenJQuR+i9Gv9a77c0UsSsDSryxppYhKK7HvTZCpKrhVtulF5iPMswWe9np3uggfMamyIsK/0L7X9w9B2qN7993RR0A00nOk4H6CnkuwO77dSsD0KJsk6FyAoZBzRXDZh9+d9R76zCL506NcQy/jl0lCiQYwsUX73PG5pxOh02OwKwIDAQABo0swSTBHBgNVHQEEQDA+gBAS5AktBh0dTwCNYSHcFmRjoRgwFjEUMBIGA1UEAxMLUm9vdCBBZ2VuY3mCEAY3bACqAGSKEc+41KpcNfQwCQYFKw4DAh0FAANBAGqIjo2geVagzuzaZOe1ClGKhZeiCKfWAxklaGN+qlGUbVS4IN4V1lot3VKnzabasmkEHeNxPwLn1qvSD0cX9CE=';

export interface Options {
  readonly knobs?: Knobs;
  readonly flaws?: Flaws;
  readonly tenantId?: string;
  readonly certificate?: { readonly name: string; readonly version: string };
  readonly vault?: { readonly subscriptionId: string; readonly resourceGroup: string; readonly name: string };
  readonly apim?: { readonly subscriptionId: string; readonly resourceGroup: string; readonly serviceName: string };
  readonly record?: boolean;
}

export interface AzureLike {
  readonly url: string;
  /** Requests answered, by status (a run that sent nothing proves nothing). */
  readonly answered: Map<number, number>;
  /** Every exchange, when Options.record is set. */
  readonly recorded: Recorded[];
  close(): Promise<void>;
}

const now = (): number => Math.floor(Date.now() / 1000);

/** .NET's short names (X500DistinguishedName.Name); an attribute it has none for is written OID.<oid>. */
const DOTNET_NAMES: { readonly [oid: string]: string } = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'S',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'T',
  '1.2.840.113549.1.9.1': 'E',
  '0.9.2342.19200300.100.1.25': 'DC',
};

/** One RDN as .NET writes it: a value with a separator or quote in it is quoted, its quotes doubled. */
function dotnetRdn(a: forge.pki.CertificateField): string {
  const type = String(a.type);
  const value = String(a.value);
  const quoted = /[,+=";<>#\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  return `${DOTNET_NAMES[type] ?? `OID.${type}`}=${quoted}`;
}

export async function startAzureLike(options: Options = {}): Promise<AzureLike> {
  const k = options.knobs ?? DEFAULT_KNOBS;
  const flaws = options.flaws ?? {};
  const tenantId = options.tenantId ?? '00000000-0000-0000-0000-000000000000';
  const fixture = options.certificate ?? { name: 'updateCert01', version: 'c3d31d7b36c942ad83ef36fc0785a4fc' };
  const vault = options.vault ?? { subscriptionId: '00000000-0000-0000-0000-000000000000', resourceGroup: 'sample-group', name: 'sample-vault' };
  const apim = options.apim ?? { subscriptionId: '00000000-0000-0000-0000-000000000000', resourceGroup: 'rg1', serviceName: 'apimService1' };
  const answered = new Map<number, number>();
  const recorded: Recorded[] = [];
  const rg = (name: string): string => (k.upperResourceGroup ? name.toUpperCase() : name);

  let contacts: JsonObject[] | undefined;
  const certificates = new Map<string, KvCertificate>();
  certificates.set(fixture.name.toLowerCase(), {
    name: fixture.name,
    latest: fixture.version,
    versions: new Map([[fixture.version.toLowerCase(), { attributes: { enabled: true, nbf: 1430344421, exp: 2208988799, created: 1482188981, updated: 1482188981 }, tags: { department: 'KeyVaultTest' }, cer: EXAMPLE_CER }]]),
    policy: {
      key_props: { exportable: true, kty: 'RSA', key_size: 2048, reuse_key: false },
      secret_props: { contentType: 'application/x-pkcs12' },
      x509_props: { subject: 'CN=KeyVaultTest', ekus: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'], key_usage: ['digitalSignature', 'keyEncipherment'], validity_months: 297 },
      lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'EmailContacts' } }],
      issuer: { name: 'Unknown' },
      attributes: { enabled: true, created: 1482188981, updated: 1482188981 },
    },
  });
  const vaultPolicies: JsonObject[] = [];
  const apimCerts = new Map<string, ApimCertificate>();
  let etagCounter = 0x1000;

  const armPrefix = (sub: string, rg: string, provider: string, name: string): string => `/subscriptions/${sub}/resourcegroups/${rg}/providers/${provider}/${name}`.toLowerCase();
  const vaultPrefix = armPrefix(vault.subscriptionId, vault.resourceGroup, 'microsoft.keyvault/vaults', vault.name);
  const apimPrefix = armPrefix(apim.subscriptionId, apim.resourceGroup, 'microsoft.apimanagement/service', apim.serviceName);

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      // Servers decode query keys (REAL-CLIENTS: the Key Vault client sends api%2Dversion); URLSearchParams does.
      const version = url.searchParams.get('api-version') ?? '';
      const path = decodeURIComponent(url.pathname);
      const plane: Plane = path.toLowerCase().startsWith('/subscriptions/') ? (path.toLowerCase().includes('/microsoft.apimanagement/') ? 'apim' : 'arm') : 'vault';
      res.on('finish', () => answered.set(res.statusCode, (answered.get(res.statusCode) ?? 0) + 1));
      let sent: ReturnType<typeof send>;
      try {
        const out = handle(req, path, plane, version, raw);
        sent = send(res, k, plane, version, out.status, out.body, out.headers);
      } catch (e) {
        if (!(e instanceof Refusal)) throw e;
        sent = send(res, k, plane, version, e.status, errorBody(plane, e, k), e.extra.headers);
      }
      if (options.record) {
        const requestHeaders = Object.fromEntries(Object.entries(req.headers).flatMap(([n, v]) => (typeof v === 'string' ? [[n, v]] : Array.isArray(v) ? [[n, v.join(', ')]] : [])));
        recorded.push({ method: req.method ?? 'GET', url: `https://127.0.0.1${req.url ?? '/'}`, requestHeaders, requestBody: raw, status: res.statusCode, responseHeaders: sent.headers, responseBody: sent.text });
      }
    });
  });

  interface Out {
    readonly status: number;
    readonly body?: Json;
    readonly headers?: { readonly [k: string]: string };
  }

  function parse(raw: string, plane: Plane): unknown {
    if (raw.trim() === '') return undefined;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      throw plane === 'vault' ? bad('The request content was invalid and could not be deserialized.') : bad('The request content was invalid and could not be deserialized.', 'InvalidRequestContent');
    }
  }

  /** Key Vault's challenge; with-pop: two WWW-Authenticate fields, which a reader joins with a comma (RFC 9110 §5.3). */
  function challenge(): string | string[] {
    const authority = `https://login.windows.net/${tenantId}`;
    if (k.challenge === 'scope') return `Bearer authorization_uri="${authority}", scope="https://vault.azure.net/.default"`;
    const bearer = `Bearer authorization="${authority}", resource="https://vault.azure.net"`;
    return k.challenge === 'with-pop' ? [bearer, `PoP realm="", authorization="${authority}", nonce="${randomUUID()}"`] : bearer;
  }

  let requests = 0;

  function handle(req: IncomingMessage, path: string, plane: Plane, version: string, raw: string): Out {
    const method = req.method ?? 'GET';
    const auth = req.headers.authorization;
    // Throttling: Key Vault's 429 (code Throttled) and ARM's (TooManyRequests), each asking for a pause.
    if (k.throttleEvery > 0 && ++requests % k.throttleEvery === 0) {
      throw new Refusal(429, plane === 'vault' ? 'Throttled' : 'TooManyRequests', 'Request was not processed because too many requests were received.', { headers: { 'retry-after': '1' } });
    }
    if (plane === 'vault') {
      // Key Vault answers the token-less request with its challenge (REAL-CLIENTS: the client needs it).
      if (!auth?.startsWith('Bearer ')) {
        throw new Refusal(401, 'Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.', {
          headers: { 'www-authenticate': challenge() },
        });
      }
      if (version === '') throw bad('The api-version query parameter is required.', 'BadParameter');
      if (!KV_VERSIONS.has(version)) throw bad(`The specified version (${version}) is not recognized. Consider using the latest supported version (2025-07-01).`, 'BadParameter');
      return vaultPlane(method, path, version, raw);
    }
    if (!auth?.startsWith('Bearer ')) {
      throw new Refusal(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.", {
        headers: { 'www-authenticate': 'Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="The authentication failed because of missing \'Authorization\' header."' },
      });
    }
    if (version === '') throw bad("The api-version query parameter (?api-version=) is required for all requests.", 'MissingApiVersionParameter');
    const known = plane === 'apim' ? APIM_VERSIONS : KV_MGMT_VERSIONS;
    if (!known.has(version)) throw bad(`The resource type could not be found in the namespace for api version '${version}'.`, 'NoRegisteredProviderFound');
    return plane === 'apim' ? apimPlane(req, method, path, version, raw) : armPlane(method, path, version, raw);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Key Vault data plane. Names and versions compare without case, as Key Vault's do; a trailing slash is the
  // latest version (REAL-CLIENTS: updateCertificateProperties(name, "") sends PATCH /certificates/{name}/).

  function vaultPlane(method: string, path: string, version: string, raw: string): Out {
    const segs = path.replace(/^\/+/, '').split('/');
    const [first, name, ver, ...rest] = segs;
    if (first?.toLowerCase() !== 'certificates' || rest.length > 0) throw new Refusal(404, 'NotFound', 'The requested resource was not found.');
    if (name?.toLowerCase() === 'contacts' && ver === undefined) return contactsRoute(method, raw);
    const cert = certificates.get((name ?? '').toLowerCase());
    if (!cert) throw new Refusal(404, 'CertificateNotFound', `A certificate with (name/id) ${name ?? ''} was not found in this key vault. If you recently deleted this certificate you may be able to recover it using the correct recovery command.`);
    if (ver?.toLowerCase() === 'policy' && method === 'GET') return { status: 200, body: policyOut(cert) };
    const v = ver === undefined || ver === '' ? cert.latest : ver;
    const state = cert.versions.get(v.toLowerCase());
    if (!state) throw new Refusal(404, 'CertificateNotFound', `A certificate with (name/id) ${cert.name}/${v} was not found in this key vault.`);
    if (method === 'GET') return { status: 200, body: bundle(cert, v, state, version) };
    if (method !== 'PATCH') throw new Refusal(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`);
    const body = parse(raw, 'vault');
    const months = (cert.policy.x509_props as JsonObject).validity_months;
    validateCertificateUpdate(body, typeof months === 'number' ? months : undefined, flaws);
    const b = body as JsonObject;
    const attrs = isObject(b.attributes) ? b.attributes : {};
    // REAL-CLIENTS: read-only attributes are ignored, a requested exp (and nbf) is left as the certificate has it.
    if (typeof attrs.enabled === 'boolean') state.attributes.enabled = attrs.enabled;
    if (isObject(b.tags)) {
      const t = Object.fromEntries(Object.entries(b.tags).map(([key, val]) => [key, String(val)]));
      if (Object.keys(t).length > 0 || k.emptyTagsClear) state.tags = t;
    }
    if (isObject(b.policy) && k.policyApplied) {
      for (const [section, value] of Object.entries(b.policy)) {
        if (section === 'id') continue;
        const before = cert.policy[section];
        cert.policy[section] = isObject(value) && isObject(before) ? { ...before, ...value } : value;
      }
    }
    state.attributes.updated = Math.max(now(), state.attributes.updated);
    return { status: 200, body: bundle(cert, v, state, version) };
  }

  function policyOut(cert: KvCertificate): JsonObject {
    return { id: `https://127.0.0.1/certificates/${cert.name}/policy`, ...structuredClone(cert.policy) };
  }

  function bundle(cert: KvCertificate, v: string, s: CertVersion, version: string): JsonObject {
    const base = 'https://127.0.0.1';
    const [level, days] = k.recovery;
    const x5t = createHash('sha1').update(Buffer.from(s.cer, 'base64')).digest('base64url');
    const attributes: JsonObject = {
      enabled: s.attributes.enabled,
      nbf: s.attributes.nbf,
      exp: s.attributes.exp,
      created: s.attributes.created,
      updated: s.attributes.updated,
      // recoverableDays came with 7.1; every version here has it.
      ...(days !== undefined ? { recoverableDays: days } : {}),
      recoveryLevel: level,
      ...(k.extraMembers && version >= '7.4' ? { exportable: true } : {}),
    };
    const policy = policyOut(cert);
    if (k.extraMembers) Object.assign(policy.x509_props as JsonObject, { basic_constraints: { ca: false } });
    return {
      id: `${base}/certificates/${cert.name}/${v}`,
      // CONSTRAINTS.md (a recording): while a certificate is pending there is no kid, sid, x5t or cer.
      ...(k.omitOptional ? {} : { kid: `${base}/keys/${cert.name}/${v}`, sid: `${base}/secrets/${cert.name}/${v}`, x5t, cer: s.cer }),
      attributes,
      ...(Object.keys(s.tags).length > 0 || !k.omitOptional ? { tags: { ...s.tags } } : {}),
      ...(k.policyInAnswer ? { policy } : {}),
      ...(k.extraMembers ? { pending: { id: `${base}/certificates/${cert.name}/pending` }, preserveCertOrder: false, 'x5t#S256': createHash('sha256').update(Buffer.from(s.cer, 'base64')).digest('base64url') } : {}),
    };
  }

  function contactsRoute(method: string, raw: string): Out {
    const id = 'https://127.0.0.1/certificates/contacts';
    if (method === 'GET') {
      if (!contacts) throw new Refusal(404, 'ContactsNotFound', 'Contacts not found');
      return { status: 200, body: { id, contacts: contacts.map((c) => ({ ...c })) } };
    }
    if (method === 'DELETE') {
      if (!contacts) throw new Refusal(404, 'ContactsNotFound', 'Contacts not found');
      const was = contacts;
      contacts = undefined;
      return { status: 200, body: { id, contacts: was } };
    }
    if (method !== 'PUT') throw new Refusal(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`);
    const body = parse(raw, 'vault');
    validateContacts(body);
    const sent = ((body as JsonObject).contacts ?? []) as JsonObject[];
    // Members a contact leaves out stay out of the answer (REAL-CLIENTS: contacts with only some of name and phone).
    const stored = sent.map((c) => Object.fromEntries(Object.entries(c).filter(([m]) => ['email', 'name', 'phone'].includes(m))));
    contacts = flaws.reordersContacts ? [...stored].reverse() : stored;
    return { status: 200, body: { id, ...(contacts.length === 0 && k.emptyContactsAbsent ? {} : { contacts }) } };
  }

  // -------------------------------------------------------------------------------------------------------------
  // ARM: Key Vault management. Paths compare without case (ARM resource ids are case-insensitive).

  function armPlane(method: string, path: string, version: string, raw: string): Out {
    const p = path.toLowerCase().replace(/\/+$/, '');
    const vaultsOf = `/subscriptions/${vault.subscriptionId}/resourcegroups/${vault.resourceGroup}/providers/microsoft.keyvault/vaults/`.toLowerCase();
    if (!p.startsWith(vaultsOf)) {
      if (!p.startsWith(`/subscriptions/${vault.subscriptionId}/resourcegroups/${vault.resourceGroup}/`.toLowerCase())) throw new Refusal(404, 'ResourceGroupNotFound', "Resource group could not be found.");
      throw new Refusal(404, 'ResourceNotFound', 'The Resource was not found.');
    }
    const [name, sub, kind, ...rest] = p.slice(vaultsOf.length).split('/');
    if (`${vaultsOf}${name ?? ''}` !== vaultPrefix) throw new Refusal(404, 'ResourceNotFound', `The Resource 'Microsoft.KeyVault/vaults/${name ?? ''}' under resource group '${vault.resourceGroup}' was not found.`);
    if (sub === undefined && method === 'GET') return { status: 200, body: vaultResource(version) };
    if (sub !== 'accesspolicies' || kind === undefined || rest.length > 0 || method !== 'PUT') throw new Refusal(404, 'NotFound', 'The requested resource was not found.');
    if (!['add', 'replace', 'remove'].includes(kind)) throw bad(`The value '${kind}' is not valid for operationKind.`, 'BadRequest');
    const entries = validateAccessPolicies(parse(raw, 'arm'), version, tenantId);
    const key = (e: JsonObject): string => `${String(e.tenantId).toLowerCase()}|${String(e.objectId).toLowerCase()}|${String(e.applicationId ?? '').toLowerCase()}`;
    const answer: JsonObject[] = [];
    for (const e of entries) {
      const i = vaultPolicies.findIndex((x) => key(x) === key(e));
      const sent = e.permissions as JsonObject;
      if (kind === 'remove') {
        if (i >= 0) vaultPolicies.splice(i, 1);
        if (!k.removeLeavesOut) answer.push(e);
        continue;
      }
      const before = i >= 0 ? ((vaultPolicies[i] as JsonObject).permissions as JsonObject) : {};
      const lists = new Set([...Object.keys(before), ...Object.keys(sent)]);
      const merged = Object.fromEntries([...lists].map((l) => [l, kind === 'add' ? [...new Set([...((before[l] as string[] | undefined) ?? []), ...((sent[l] as string[] | undefined) ?? [])])] : ((sent[l] as string[] | undefined) ?? [])]));
      const next = { ...e, permissions: merged };
      if (i >= 0) vaultPolicies[i] = next;
      else vaultPolicies.push(next);
      answer.push(k.resultingPermissions ? next : e);
    }
    const id = `/subscriptions/${vault.subscriptionId}/resourceGroups/${rg(vault.resourceGroup)}/providers/Microsoft.KeyVault/vaults/${vault.name}/accessPolicies${k.accessPolicyIdSlash ? '/' : ''}`;
    // The reference examples and REAL-CLIENTS: id and type, no name, no location.
    // extraMembers: what VaultAccessPolicyParameters also allows (name, location, readOnly) and ARM's systemData.
    const extra: JsonObject = k.extraMembers ? { name: kind, location: 'westeurope', systemData: { lastModifiedBy: 'someone@example.com', lastModifiedByType: 'User', lastModifiedAt: dateText(new Date()) } } : {};
    return { status: k.accessPolicy201 ? 201 : 200, body: { id, type: 'Microsoft.KeyVault/vaults/accessPolicies', ...extra, properties: { accessPolicies: answer } } };
  }

  function vaultResource(version: string): JsonObject {
    return {
      id: `/subscriptions/${vault.subscriptionId}/resourceGroups/${rg(vault.resourceGroup)}/providers/Microsoft.KeyVault/vaults/${vault.name}`,
      name: vault.name,
      type: 'Microsoft.KeyVault/vaults',
      location: 'westeurope',
      tags: {},
      ...(version >= '2021-10-01' ? { systemData: { createdBy: 'someone@example.com', createdByType: 'User', createdAt: '2024-01-01T00:00:00Z' } } : {}),
      properties: {
        tenantId,
        sku: { family: 'A', name: 'standard' },
        accessPolicies: vaultPolicies,
        vaultUri: `https://${vault.name}.vault.azure.net/`,
        enableSoftDelete: true,
        softDeleteRetentionInDays: 90,
        provisioningState: 'Succeeded',
      },
    };
  }

  // -------------------------------------------------------------------------------------------------------------
  // ARM: API Management certificates.

  function apimPlane(req: IncomingMessage, method: string, path: string, version: string, raw: string): Out {
    const p = path.toLowerCase().replace(/\/+$/, '');
    if (!p.startsWith(`${apimPrefix}/`) && p !== apimPrefix) {
      throw new Refusal(404, 'ResourceNotFound', 'The Resource was not found.');
    }
    const rest = p.slice(apimPrefix.length).split('/').filter((s) => s !== '');
    if (rest[0] !== 'certificates') throw new Refusal(404, 'NotFound', 'The requested resource was not found.');
    if (rest.length === 1 && method === 'GET') return { status: 200, body: { value: [...apimCerts.values()].map((c) => apimOut(c, version)), count: apimCerts.size } };
    const certId = path.replace(/\/+$/, '').split('/').pop() ?? '';
    // certificateId: maxLength 80, pattern ^[^*#&+:<>?]+$ (apimanagement.json).
    if (rest.length !== 2 || certId.length > 80 || !/^[^*#&+:<>?]+$/.test(certId)) throw new Refusal(400, 'ValidationError', 'Invalid certificate identifier.', { target: 'certificateId' });
    const key = rest[1] ?? '';
    const existing = apimCerts.get(key);
    const etag = (c: ApimCertificate): string => `${k.weakEtag ? 'W/' : ''}"AAAAAAAA${c.etag.toString(16)}="`;
    if (method === 'GET' || method === 'DELETE') {
      if (!existing) throw new Refusal(404, 'ResourceNotFound', 'Certificate not found.');
      if (method === 'DELETE') {
        apimCerts.delete(key);
        return { status: 200 };
      }
      return { status: 200, body: apimOut(existing, version), headers: { etag: etag(existing) } };
    }
    if (method !== 'PUT') throw new Refusal(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`);
    const ifMatch = req.headers['if-match'];
    if (existing && typeof ifMatch === 'string' && ifMatch.trim() !== '*' && !flaws.ignoresIfMatch) {
      const bare = (t: string): string => t.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
      if (bare(ifMatch) !== bare(etag(existing))) throw new Refusal(412, 'PreconditionFailed', 'Resource was modified since last retrieval. Refresh the resource and try again.');
    }
    // "Not required when creating an entity, but required when updating an entity."
    if (existing && ifMatch === undefined && k.apimRequiresIfMatch) throw new Refusal(412, 'PreconditionFailed', 'Specify ETag in the If-Match header to update the entity.');
    const properties = apimCreate(parse(raw, 'apim'));
    const c: ApimCertificate = existing ?? { id: `/subscriptions/${apim.subscriptionId}/resourceGroups/${rg(apim.resourceGroup)}/providers/Microsoft.ApiManagement/service/${apim.serviceName}/certificates/${certId}`, name: certId, etag: 0, properties };
    c.properties = properties;
    c.etag = ++etagCounter;
    apimCerts.set(key, c);
    return { status: existing ? 200 : 201, body: apimOut(c, version), headers: { etag: etag(c) } };
  }

  function apimOut(c: ApimCertificate, version: string): JsonObject {
    const props = { ...c.properties };
    const kv = isObject(props.keyVault) ? { ...props.keyVault } : undefined;
    // 2022-08-01 and later add keyVault.identityClientId (may be null) and lastStatus (REAL-CLIENTS).
    if (kv && version >= '2022-08-01' && kv.identityClientId === undefined && k.nulls) kv.identityClientId = null;
    if (!kv) delete props.keyVault;
    else props.keyVault = kv;
    if (version < '2022-08-01' && !k.extraMembers) delete props.hasPrivateKey;
    return {
      id: c.id,
      type: 'Microsoft.ApiManagement/service/certificates',
      name: c.name,
      properties: props,
      ...(k.extraMembers ? { systemData: { createdBy: 'someone@example.com', createdByType: 'User', createdAt: '2024-01-01T00:00:00Z', lastModifiedAt: '2024-01-01T00:00:00Z' } } : {}),
    };
  }

  /** CertificateCreateOrUpdateParameters: a PKCS#12 to open, or a Key Vault secret to fetch. */
  function apimCreate(body: unknown): JsonObject {
    const code = 'ValidationError';
    expectType(body, 'object', 'parameters', code);
    const props = (body as JsonObject).properties;
    if (props === undefined) throw bad("Invalid request body: 'properties' is required.", code, 'properties');
    expectType(props, 'object', 'properties', code);
    const p = props as JsonObject;
    members(p, 'properties', code, { data: 'string', password: 'string', keyVault: 'object' });
    if (isObject(p.keyVault)) members(p.keyVault, 'keyVault', code, { secretIdentifier: 'string', identityClientId: 'string' });
    if (typeof p.data === 'string') {
      const opened = openPfx(p.data, typeof p.password === 'string' ? p.password : '');
      if (!opened) throw bad('Failed to open the certificate: invalid data or wrong password.', code, 'data');
      return { ...opened, hasPrivateKey: true };
    }
    if (isObject(p.keyVault)) {
      const id = p.keyVault.secretIdentifier;
      // secretIdentifier: "Key vault secret identifier for fetching secret".
      if (typeof id !== 'string' || !/^https:\/\/[^/\s]+\/secrets\/[^/\s]+(\/[^/\s]*)?$/i.test(id)) throw bad('Invalid Key Vault secret identifier.', code, 'keyVault.secretIdentifier');
      if (!k.keyVaultReadable) throw bad(`Failed to access KeyVault Secret ${id} using Managed Service Identity. Make sure the secret exists.`, code, 'keyVault');
      const at = dateText(new Date('2037-01-01T07:00:00Z'));
      return {
        subject: 'CN=*.msitesting.net',
        thumbprint: 'EA27B8D8A2BC1B9F4A0D9E7A9F4BC1E6C19AD690',
        expirationDate: at,
        keyVault: { secretIdentifier: id, ...(typeof p.keyVault.identityClientId === 'string' ? { identityClientId: p.keyVault.identityClientId } : {}), lastStatus: { code: 'Success', timeStampUtc: dateText(new Date()) } },
        hasPrivateKey: true,
      };
    }
    throw bad('Either certificate data or a KeyVault secret identifier must be provided.', code, 'properties');
  }

  function dateText(d: Date): string {
    const iso = d.toISOString().replace(/\.\d{3}Z$/, 'Z');
    return { Z: iso, offset: iso.replace(/Z$/, '+00:00'), fraction: iso.replace(/Z$/, '.0000000Z') }[k.dateForm];
  }

  function openPfx(data: string, password: string): JsonObject | undefined {
    try {
      const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.decode64(data)), password);
      const certBag = forge.pki.oids.certBag ?? '';
      const bag = p12.getBags({ bagType: certBag })[certBag]?.[0];
      const cert = bag?.cert;
      if (!cert) return undefined;
      const der = forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes();
      const thumbprint = createHash('sha1').update(Buffer.from(der, 'binary')).digest('hex').toUpperCase();
      const rdns = cert.subject.attributes.map((a: forge.pki.CertificateField) => (k.dotnetSubject ? dotnetRdn(a) : `${a.shortName ?? a.name ?? a.type}=${String(a.value)}`));
      const subject = (k.dotnetSubject ? [...rdns].reverse() : rdns).join(', ');
      return { subject, thumbprint, expirationDate: dateText(cert.validity.notAfter) };
    } catch {
      return undefined;
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    answered,
    recorded,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
