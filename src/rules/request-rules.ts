import { openCached as openPkcs12 } from '../pki/pkcs12-cache.js';
import type { JsonSchema } from '../model/spec-model.js';
import type { RequestRule, RuleContext } from './types.js';
import { carriedRules } from './carried.js';
import { identityKey } from './identity.js';
import { arr, obj, type Obj } from './json.js';


/** Key sizes of the curves JsonWebKeyCurveName lists (P-256K is a 256-bit curve too). */
const CURVE_SIZES: { readonly [crv: string]: number } = { 'P-256': 256, 'P-384': 384, 'P-521': 521, 'P-256K': 256 };
const EC_SIZES: readonly number[] = [256, 384, 521];

/** Triggers of every lifetime action in an UpdateCertificate body. */
const triggers = (body: unknown): Obj[] =>
  arr(obj(obj(body)?.policy)?.lifetime_actions).flatMap((a) => {
    const t = obj(obj(a)?.trigger);
    return t ? [t] : [];
  });

/** Sent, as ARM reads a request: a member set to null is one left out. */
const given = (v: unknown): boolean => v !== undefined && v !== null;

const entries = (body: unknown): Obj[] => arr(obj(obj(body)?.properties)?.accessPolicies).flatMap((e) => (obj(e) ? [obj(e) as Obj] : []));

interface PermissionList {
  /** Documented by this api-version. */
  readonly names: readonly string[];
  /** These and LATER_PERMISSIONS, lower-cased, for the case-insensitive comparison Key Vault makes. */
  readonly known: ReadonlySet<string>;
}

/**
 * Permission names that later api-versions document, per list (2021-10-01: 'all' in every list; 2022-07-01: four key
 * rotation permissions). One resource provider serves every api-version and checks names against what it knows
 * today: clients sent 'all' long before 2021-10-01 listed it. So at an earlier version such a name is no name the
 * service must refuse (either answer), while a name no api-version documents is.
 */
export const LATER_PERMISSIONS: { readonly [list: string]: readonly string[] } = {
  keys: ['all', 'release', 'rotate', 'getrotationpolicy', 'setrotationpolicy'],
  secrets: ['all'],
  certificates: ['all'],
  storage: ['all'],
};

/** Permission lists by name, per spec document: the rule runs on every generated body, the enums never change. */
const PERMISSION_LISTS = new WeakMap<object, Map<string, PermissionList>>();

function permissionList(ctx: RuleContext, list: string): PermissionList {
  const schemas = ctx.operation.spec.schemas;
  let byList = PERMISSION_LISTS.get(schemas);
  if (!byList) PERMISSION_LISTS.set(schemas, (byList = new Map()));
  let found = byList.get(list);
  if (!found) {
    const names = readPermissionNames(schemas, list);
    byList.set(list, (found = { names, known: new Set([...names, ...(LATER_PERMISSIONS[list] ?? [])].map((n) => n.toLowerCase())) }));
  }
  return found;
}

/** The documented permission names of one list, read from the operation's own spec (so per api-version). */
export function permissionNames(ctx: RuleContext, list: string): readonly string[] {
  return permissionList(ctx, list).names;
}

function readPermissionNames(schemas: { readonly [name: string]: JsonSchema }, list: string): string[] {
  const deref = (s: unknown): JsonSchema | undefined => {
    const ref = obj(s)?.$ref;
    return typeof ref === 'string' ? schemas[ref.split('/').pop() ?? ''] : (obj(s) as JsonSchema | undefined);
  };
  const perms = deref(schemas.Permissions);
  const items = deref(obj(deref(obj(perms?.properties)?.[list])?.items));
  return arr(items?.enum).map(String);
}

/**
 * Rules JSON Schema cannot say, request side, as data: id → predicate. The same table decides which generated
 * requests are valid (positives keep every rule) and builds the rule-breaking negatives.
 */
export const REQUEST_RULES: readonly RequestRule[] = [
  {
    // Either answer: Trigger declares two optional members, no oneOf and no required, and its one sentence ("A
    // condition to be satisfied for an action to be executed") rules on neither pair nor none. A service may take both.
    id: 'keyvault.updateCertificate.trigger-one-kind',
    operationId: 'UpdateCertificate',
    verdict: 'either',
    broken: (body) => {
      const bad = triggers(body).find((t) => (t.lifetime_percentage !== undefined) === (t.days_before_expiry !== undefined));
      return bad ? `a trigger must set exactly one of lifetime_percentage and days_before_expiry (got ${JSON.stringify(bad)})` : undefined;
    },
  },
  {
    id: 'keyvault.updateCertificate.days-before-expiry-range',
    operationId: 'UpdateCertificate',
    broken: (body, _p, ctx) => {
      const sent = obj(obj(obj(body)?.policy)?.x509_props)?.validity_months;
      const validity = typeof sent === 'number' ? sent : ctx.currentValidityMonths;
      for (const t of triggers(body)) {
        const d = t.days_before_expiry;
        if (typeof d !== 'number') continue;
        if (d < 1) return `days_before_expiry ${d} is below 1`;
        if (validity !== undefined && d > validity * 27) return `days_before_expiry ${d} exceeds validity_months × 27 = ${validity * 27}`;
      }
      return undefined;
    },
  },
  {
    // The sizes are an example ("For example: 2048, 3072, or 4096 for RSA"), no rule, and UpdateCertificate
    // updates only the certificate's attributes: a service may take any size or never read the policy.
    id: 'keyvault.updateCertificate.rsa-key-size',
    operationId: 'UpdateCertificate',
    verdict: 'either',
    broken: (body) => {
      const kp = obj(obj(obj(body)?.policy)?.key_props);
      if (!kp || kp.key_size === undefined || !/^RSA/.test(String(kp.kty ?? 'RSA'))) return undefined;
      return [2048, 3072, 4096].includes(kp.key_size as number) ? undefined : `RSA key_size ${String(kp.key_size)} is not 2048, 3072 or 4096`;
    },
  },
  {
    id: 'keyvault.updateCertificate.key-pair-coherent',
    operationId: 'UpdateCertificate',
    verdict: 'either',
    broken: (body) => {
      const kp = obj(obj(obj(body)?.policy)?.key_props);
      const kty = typeof kp?.kty === 'string' ? kp.kty : undefined;
      if (!kp || kty === undefined) return undefined;
      if (/^oct/i.test(kty)) return `kty ${kty} is a symmetric key, not the key pair of a certificate`;
      if (/-HSM$/i.test(kty)) return `kty ${kty} keeps the key in an HSM, which a Standard vault refuses`;
      const size = kp.key_size;
      if (/^EC/i.test(kty)) {
        if (size !== undefined && !EC_SIZES.includes(size as number)) return `EC key_size ${String(size)} is no curve's (256, 384 or 521)`;
        const curve = typeof kp.crv === 'string' ? CURVE_SIZES[kp.crv] : undefined;
        if (curve !== undefined && size !== undefined && curve !== size) return `crv ${String(kp.crv)} is not a ${String(size)}-bit curve`;
      } else if (kp.crv !== undefined) return `an ${kty} key has no curve (crv ${String(kp.crv)})`;
      return undefined;
    },
  },
  {
    id: 'keyvault.updateAccessPolicy.policy-count',
    operationId: 'Vaults_UpdateAccessPolicy',
    broken: (body) => (entries(body).length > 16 ? `${entries(body).length} access policies; at most 16 per request` : undefined),
  },
  {
    id: 'keyvault.updateAccessPolicy.same-tenant',
    operationId: 'Vaults_UpdateAccessPolicy',
    broken: (body, _p, ctx) => {
      const other = entries(body).find((e) => String(e.tenantId).toLowerCase() !== ctx.fixtures.vault.tenantId.toLowerCase());
      return other ? `tenantId ${String(other.tenantId)} is not the vault's tenant ${ctx.fixtures.vault.tenantId}` : undefined;
    },
  },
  {
    id: 'keyvault.updateAccessPolicy.unique-identity',
    operationId: 'Vaults_UpdateAccessPolicy',
    broken: (body) => {
      const keys = entries(body).map((e) => identityKey({ tenantId: e.tenantId, objectId: e.objectId, applicationId: e.applicationId }));
      const dup = keys.find((k, i) => keys.indexOf(k) !== i);
      return dup ? `identity ${dup} appears twice` : undefined;
    },
  },
  {
    id: 'keyvault.updateAccessPolicy.permission-known',
    operationId: 'Vaults_UpdateAccessPolicy',
    broken: (body, _p, ctx) => {
      for (const e of entries(body)) {
        for (const [list, names] of Object.entries(obj(e.permissions) ?? {})) {
          const { known } = permissionList(ctx, list);
          const unknown = arr(names).find((n) => typeof n === 'string' && !known.has(n.toLowerCase()));
          if (unknown !== undefined) return `"${String(unknown)}" is a ${list} permission of no api-version`;
        }
      }
      return undefined;
    },
  },
  {
    // Neither: the body names no certificate, and a success must describe one (CertificateContractProperties
    // requires subject, thumbprint and expirationDate).
    id: 'apimanagement.certificateCreateOrUpdate.data-xor-keyvault',
    operationId: 'Certificate_CreateOrUpdate',
    broken: (body) => {
      const p = obj(obj(body)?.properties) ?? {};
      return !given(p.data) && !given(p.keyVault) ? 'one of properties.data and properties.keyVault must be given (neither names a certificate)' : undefined;
    },
  },
  {
    // Both: no source says which one wins or that the pair is refused.
    id: 'apimanagement.certificateCreateOrUpdate.data-and-keyvault',
    operationId: 'Certificate_CreateOrUpdate',
    verdict: 'either',
    broken: (body) => {
      const p = obj(obj(body)?.properties) ?? {};
      return given(p.data) && given(p.keyVault) ? 'both properties.data and properties.keyVault are given; the sources do not say which the service takes' : undefined;
    },
  },
  {
    id: 'apimanagement.certificateCreateOrUpdate.secret-identifier',
    operationId: 'Certificate_CreateOrUpdate',
    broken: (body) => {
      const kv = obj(obj(obj(body)?.properties)?.keyVault);
      if (!kv) return undefined;
      const id = kv.secretIdentifier;
      return typeof id === 'string' && /^https:\/\/[^/\s]+\/secrets\/[^/\s]+(\/[^/\s]*)?$/.test(id)
        ? undefined
        : `keyVault.secretIdentifier ${JSON.stringify(id)} is not https://{vault}/secrets/{name}[/{version}]`;
    },
  },
  {
    id: 'apimanagement.certificateCreateOrUpdate.pkcs12-opens',
    operationId: 'Certificate_CreateOrUpdate',
    broken: (body) => {
      const p = obj(obj(body)?.properties);
      if (!p || typeof p.data !== 'string') return undefined;
      const opened = openPkcs12(p.data, typeof p.password === 'string' ? p.password : '');
      return opened.ok ? undefined : `properties.data: ${opened.reason}`;
    },
  },
];

/** Every request rule of an operation that the body breaks, with the verdict each allows (see RequestRule). */
export function brokenRequestRules(
  body: unknown,
  pathParams: { readonly [k: string]: string },
  ctx: RuleContext,
): { id: string; why: string; verdict: 'reject' | 'either' }[] {
  return carriedRules(REQUEST_RULES, ctx.operation.model).flatMap((r) => {
    const why = r.broken(body, pathParams, ctx);
    return why ? [{ id: r.id, why, verdict: r.verdict ?? 'reject' }] : [];
  });
}
