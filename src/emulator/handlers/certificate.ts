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
function merge(base: Obj, patch: Obj, skip: ReadonlySet<string>): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (skip.has(k) || v === undefined) continue;
    out[k] = isObj(v) && isObj(base[k]) ? merge(base[k] as Obj, v, skip) : structuredClone(v);
  }
  return out;
}

const POLICY_READ_ONLY = new Set(['id', 'created', 'updated', 'recoverableDays', 'recoveryLevel']);

/** The attributes a response shows: the version's own plus the vault's recovery settings. */
function attributesOut(a: CertificateAttributes, cert: StoredCertificate): Obj {
  return {
    ...Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)),
    recoveryLevel: a.recoveryLevel ?? cert.recoveryLevel,
    recoverableDays: a.recoverableDays ?? cert.recoverableDays,
  };
}

/** The CertificateBundle of one version, ids under the vault URL the request came to. */
export function bundle(cert: StoredCertificate, v: CertificateVersion, vaultUrl: string): Obj {
  const { attributes: policyAttributes, ...policy } = cert.policy;
  return {
    id: `${vaultUrl}/certificates/${cert.name}/${v.version}`,
    kid: `${vaultUrl}/keys/${cert.name}/${v.version}`,
    sid: `${vaultUrl}/secrets/${cert.name}/${v.version}`,
    x5t: v.x5t,
    cer: v.cer,
    attributes: attributesOut(v.attributes, cert),
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
      const writable = behaviour.quirk('apply-read-only') ? [...WRITABLE_ATTRIBUTES, ...READ_ONLY_ATTRIBUTES] : WRITABLE_ATTRIBUTES;
      version.attributes = { ...kept, ...Object.fromEntries(writable.filter((k) => sent.attributes?.[k] !== undefined).map((k) => [k, sent.attributes?.[k]])) } as CertificateAttributes;
    }
    const readOnlyWins = (behaviour.quirk('apply-read-only') && sent.attributes?.updated !== undefined) || behaviour.quirk('keep-updated');
    if (!readOnlyWins) version.attributes.updated = Math.max(now, a.updated, a.created);
    if (sent.tags !== undefined) version.tags = behaviour.quirk('merge-tags') ? { ...version.tags, ...sent.tags } : { ...sent.tags };
    if (sent.policy) {
      const merged = merge(cert.policy, sent.policy, POLICY_READ_ONLY) as StoredCertificate['policy'];
      merged.attributes = { ...merged.attributes, updated: Math.max(now, cert.policy.attributes.updated) };
      cert.policy = merged;
    }
    return json(200, withVersionDefaults(bundle(cert, version, ctx.vaultUrl), ctx.operation?.spec.schemas.CertificateBundle));
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
