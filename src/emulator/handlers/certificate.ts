/**
 * Key Vault UpdateCertificate: PATCH /certificates/{name}/{version} as a merge. Sent attributes take the sent
 * values, unsent ones are kept, tags (when sent) replace the tag set, policy fields are merged; read-only fields a
 * client sends are ignored and `updated` moves to now, never backwards. An empty version means the latest.
 */
import { error, json } from '../errors.js';
import type { CertificateAttributes, CertificateVersion, StoredCertificate } from '../state.js';
import type { Obj } from '../types.js';
import { handler } from './handler.js';

interface Target {
  readonly cert: StoredCertificate;
  readonly version: CertificateVersion;
}

const WRITABLE_ATTRIBUTES = ['enabled', 'nbf', 'exp'] as const;
const READ_ONLY_ATTRIBUTES = ['created', 'updated', 'recoverableDays', 'recoveryLevel'] as const;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Merge `patch` into `base`: objects recursively, everything else (arrays included) replaced; `skip` keys dropped. */
function merge(base: Obj, patch: Obj, skip: ReadonlySet<string>, byIndex = false): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (skip.has(k) || v === undefined) continue;
    const old = base[k];
    // byIndex (the merge-arrays-by-index fault): arrays merged item by item, as lodash's merge does.
    if (byIndex && Array.isArray(v) && Array.isArray(old)) {
      out[k] = Array.from({ length: Math.max(v.length, old.length) }, (_, i) =>
        isObj(v[i]) && isObj(old[i]) ? merge(old[i] as Obj, v[i] as Obj, skip, true) : structuredClone(i < v.length ? (v[i] as unknown) : (old[i] as unknown)),
      );
    } else out[k] = isObj(v) && isObj(old) ? merge(old, v, skip, byIndex) : structuredClone(v);
  }
  return out;
}

const POLICY_READ_ONLY = new Set(['id', 'created', 'updated', 'recoverableDays', 'recoveryLevel']);

/**
 * The levels an api-version's DeletionRecoveryLevel may not list, with the one it can name instead: the
 * CustomizedRecoverable levels (a retention of 7 to 89 days) arrived in 7.1, so at 7.0 a vault with a custom
 * retention is answered with the level of the same protection (7.0/keyvault.json lists Purgeable,
 * Recoverable+Purgeable, Recoverable and Recoverable+ProtectedSubscription). No source says what the service
 * answers there; the emulator keeps to what the version documents.
 */
const LEVEL_BEFORE_CUSTOMIZED: { readonly [level: string]: string } = {
  'CustomizedRecoverable+Purgeable': 'Recoverable+Purgeable',
  CustomizedRecoverable: 'Recoverable',
  'CustomizedRecoverable+ProtectedSubscription': 'Recoverable+ProtectedSubscription',
};

/** What the request's api-version documents of CertificateAttributes (everything, when the version is not known). */
export interface AttributeVocabulary {
  /** The members CertificateAttributes declares (recoverableDays only from 7.1 on). */
  readonly members?: ReadonlySet<string>;
  /** The values DeletionRecoveryLevel lists. */
  readonly levels?: ReadonlySet<string>;
}

export function attributeVocabulary(schemas: { readonly [name: string]: unknown } | undefined): AttributeVocabulary {
  const props = (schemas?.CertificateAttributes as { properties?: Obj } | undefined)?.properties;
  const levels = (schemas?.DeletionRecoveryLevel as { enum?: unknown[] } | undefined)?.enum;
  return { ...(props ? { members: new Set(Object.keys(props)) } : {}), ...(levels ? { levels: new Set(levels.map(String)) } : {}) };
}

/** The attributes a response shows: the version's own plus the vault's recovery settings, as the api-version says them. */
function attributesOut(a: CertificateAttributes, cert: StoredCertificate, vocabulary: AttributeVocabulary): Obj {
  const level = a.recoveryLevel ?? cert.recoveryLevel;
  const out: Obj = {
    ...Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)),
    recoveryLevel: vocabulary.levels && !vocabulary.levels.has(level) ? (LEVEL_BEFORE_CUSTOMIZED[level] ?? level) : level,
    recoverableDays: a.recoverableDays ?? cert.recoverableDays,
  };
  for (const k of Object.keys(out)) if (vocabulary.members && !vocabulary.members.has(k)) delete out[k];
  return out;
}

/** The CertificateBundle of one version, ids under the vault URL the request came to, at the request's api-version. */
export function bundle(cert: StoredCertificate, v: CertificateVersion, vaultUrl: string, vocabulary: AttributeVocabulary = {}): Obj {
  const { attributes: policyAttributes, ...policy } = cert.policy;
  return {
    id: `${vaultUrl}/certificates/${cert.name}/${v.version}`,
    kid: `${vaultUrl}/keys/${cert.name}/${v.version}`,
    sid: `${vaultUrl}/secrets/${cert.name}/${v.version}`,
    x5t: v.x5t,
    cer: v.cer,
    attributes: attributesOut(v.attributes, cert, vocabulary),
    policy: { id: `${vaultUrl}/certificates/${cert.name}/policy`, ...policy, attributes: { ...policyAttributes } },
    tags: { ...v.tags },
  };
}

function notFound(name: string, version: string): ReturnType<typeof error> {
  return error(
    404,
    'CertificateNotFound',
    `A certificate with (name/id) ${name}${version ? `/versions/${version}` : ''} was not found in this key vault. If you recently deleted this certificate you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
  );
}

export const certificate = handler<Target>({
  service: 'keyvault-certificates',
  locate({ state, ctx, behaviour }) {
    const name = ctx.pathParams['certificate-name'] ?? '';
    const requested = ctx.pathParams['certificate-version'] ?? '';
    const cert = state.certificates.get(name.toLowerCase());
    // The ignore-version fault reads the name alone, as an emulator that routes only /certificates/{name} does.
    const version = cert?.versions.get(requested || cert.current) ?? (behaviour.quirk('ignore-version') ? cert?.versions.get(cert.current) : undefined);
    return cert && version ? { found: { cert, version } } : { reply: notFound(name, requested) };
  },
  ruleFacts: ({ cert }) => {
    const months = (cert.policy.x509_props as Obj | undefined)?.validity_months;
    return typeof months === 'number' ? { currentValidityMonths: months } : {};
  },
  apply({ cert, version }, body, { ctx, behaviour }) {
    if (behaviour.quirk('refuse-disabled') && version.attributes.enabled === false) return error(403, 'Forbidden', 'Operation update is not allowed on a disabled certificate.');
    const sent = body as { attributes?: Obj; tags?: { [k: string]: string }; policy?: Obj };
    const now = Math.floor(Date.now() / 1000);
    const a = version.attributes;
    if (sent.attributes) {
      const kept = behaviour.quirk('drop-unsent-attributes') ? { created: a.created, updated: a.updated } : { ...a };
      const writable = behaviour.quirk('apply-read-only')
        ? [...WRITABLE_ATTRIBUTES, ...READ_ONLY_ATTRIBUTES]
        : WRITABLE_ATTRIBUTES.filter((k) => k !== 'enabled' || !behaviour.quirk('ignore-enabled'));
      version.attributes = { ...kept, ...Object.fromEntries(writable.filter((k) => sent.attributes?.[k] !== undefined).map((k) => [k, sent.attributes?.[k]])) } as CertificateAttributes;
    }
    const readOnlyWins = (behaviour.quirk('apply-read-only') && sent.attributes?.updated !== undefined) || behaviour.quirk('keep-updated');
    if (!readOnlyWins) version.attributes.updated = Math.max(now, a.updated, a.created);
    if (sent.tags !== undefined) version.tags = behaviour.quirk('merge-tags') ? { ...version.tags, ...sent.tags } : { ...sent.tags };
    // The lowercase-tag-keys fault keeps tags in a store that folds names to lower case.
    if (sent.tags !== undefined && behaviour.quirk('lowercase-tag-keys')) version.tags = Object.fromEntries(Object.entries(version.tags).map(([k, v]) => [k.toLowerCase(), v]));
    if (sent.policy) {
      const merged = merge(cert.policy, sent.policy, POLICY_READ_ONLY, behaviour.quirk('merge-arrays-by-index')) as StoredCertificate['policy'];
      merged.attributes = { ...merged.attributes, updated: Math.max(now, cert.policy.attributes.updated) };
      cert.policy = merged;
    }
    const schemas = ctx.operation?.spec.schemas;
    return json(200, withVersionDefaults(bundle(cert, version, ctx.vaultUrl, attributeVocabulary(schemas)), schemas?.CertificateBundle));
  },
});

/**
 * Members a later api-version's CertificateBundle declares that the store does not keep, with the value the
 * service documents when nothing set them ("preserveCertOrder ... default value is false", 7.6). Answered only at
 * the versions whose spec declares them.
 */
const VERSION_DEFAULTS: { readonly [member: string]: unknown } = { preserveCertOrder: false };

function withVersionDefaults(out: Obj, schema: unknown): Obj {
  const declared = (schema as { properties?: Obj } | undefined)?.properties ?? {};
  for (const [k, v] of Object.entries(VERSION_DEFAULTS)) if (k in declared && !(k in out)) out[k] = v;
  return out;
}
