import type { CertificateView, Prediction } from '../cases/prediction.js';
import { isSuccess as ok } from '../http/status.js';
import type { Exchange } from '../http/exchange.js';
import { bareEtag as bareTag } from '../http/etag.js';
import { refusalForIfMatch } from './if-match.js';
import { arr, obj, type Obj } from './json.js';

export type { CertificateView, Prediction } from '../cases/prediction.js';

/** Views already worked out, per answer body: the model and every state rule read the same answer. */
const VIEWS = new WeakMap<object, CertificateView>();

/** A CertificateBundle as the model sees it (fields it cannot read stay undefined). */
export function certificateView(body: unknown): CertificateView {
  const b = obj(body);
  const known = b && VIEWS.get(b);
  if (known) return known;
  const a = obj(b?.attributes) ?? {};
  const policy = obj(b?.policy);
  const months = obj(policy?.x509_props)?.validity_months;
  // Built by assignment, members only when present: spreads of `{}` cost on every step of a sequence.
  const tagMap: { [k: string]: string } = {};
  const v: { -readonly [K in keyof CertificateView]: CertificateView[K] } = { tags: tagMap };
  if (typeof a.enabled === 'boolean') v.enabled = a.enabled;
  for (const k of NUMBERS) {
    const n = a[k];
    if (typeof n === 'number') v[k] = n;
  }
  if (typeof a.recoveryLevel === 'string') v.recoveryLevel = a.recoveryLevel;
  const tags = obj(b?.tags);
  if (tags) for (const k of Object.keys(tags)) tagMap[k] = String(tags[k]);
  if (typeof months === 'number') v.validityMonths = months;
  if (Array.isArray(policy?.lifetime_actions)) v.lifetimeActions = policy.lifetime_actions as unknown[];
  if (policy) v.policySections = POLICY_SECTIONS.filter((k) => policy[k] !== undefined && policy[k] !== null);
  if (b) VIEWS.set(b, v);
  return v;
}

const NUMBERS = ['nbf', 'exp', 'created', 'updated', 'recoverableDays'] as const;
/** CertificatePolicy's sections a client writes (id and attributes are the service's). */
const POLICY_SECTIONS = ['key_props', 'secret_props', 'x509_props', 'issuer', 'lifetime_actions'] as const;

/** A stateful rule: judges one step's answer against the model's prediction. */
export interface StateRule {
  readonly id: string;
  readonly operationId: string;
  readonly broken: (ex: Exchange, p: Prediction) => string | undefined;
}

const sameTags = (a: { readonly [k: string]: string }, b: { readonly [k: string]: string }): boolean => {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
};
/** A tag set for a message: whole when short, else its start and its size (fuzzed sets can be long). */
const show = (t: { readonly [k: string]: string }): string => {
  const text = JSON.stringify(t);
  return text.length <= 160 ? text : `${text.slice(0, 150)}… (${Object.keys(t).length} tags)`;
};

/** The certificate answer of a successful PATCH, read against the state before it. */
function certificateStep(ex: Exchange, p: Prediction): { before: CertificateView; after: CertificateView; sent: Obj } | undefined {
  if (p.kind !== 'certificate' || !ex.response || !ok(ex.response.status) || !obj(ex.response.body)) return undefined;
  return { before: p.before, after: certificateView(ex.response.body), sent: obj(ex.case.request.body) ?? {} };
}

function apimStep(ex: Exchange, p: Prediction): { p: Extract<Prediction, { kind: 'apim' }>; status: number; etag?: string } | undefined {
  if (p.kind !== 'apim' || !ex.response) return undefined;
  const etag = ex.response.headers.etag;
  return { p, status: ex.response.status, ...(etag !== undefined ? { etag } : {}) };
}

export const STATE_RULES: readonly StateRule[] = [
  {
    id: 'keyvault.updateCertificate.patch-merge',
    operationId: 'UpdateCertificate',
    broken: (ex, p) => {
      const s = certificateStep(ex, p);
      if (!s) return undefined;
      const { before, after, sent } = s;
      const attrs = obj(sent.attributes) ?? {};
      // enabled: the sent value, else the value before. nbf/exp: kept when unsent (what a sent one becomes is the
      // service's business: certificates take validity from the X.509 certificate).
      const enabled = typeof attrs.enabled === 'boolean' ? attrs.enabled : before.enabled;
      if (enabled !== undefined && after.enabled !== enabled) {
        return `attributes.enabled is ${String(after.enabled)}, expected ${String(enabled)} (${typeof attrs.enabled === 'boolean' ? 'sent' : 'not sent: kept from before'})`;
      }
      for (const k of ['nbf', 'exp'] as const) {
        if (attrs[k] === undefined && before[k] !== undefined && after[k] !== before[k]) return `attributes.${k} changed from ${String(before[k])} to ${String(after[k])} though the request did not send it`;
      }
      const sentTags = obj(sent.tags);
      const tags = sentTags ? Object.fromEntries(Object.entries(sentTags).map(([k, v]) => [k, String(v)])) : before.tags;
      // An empty tag map may be read as "no tags sent": cleared or kept are both Azure-like.
      const emptySent = sentTags !== undefined && Object.keys(sentTags).length === 0 && sameTags(after.tags, before.tags);
      if (!emptySent && !sameTags(after.tags, tags)) {
        return sentTags ? `tags ${show(after.tags)} are not the tag set sent ${show(tags)} (sent tags replace the whole set)` : `tags changed from ${show(before.tags)} to ${show(after.tags)} though the request sent none`;
      }
      // The policy: what was sent, or what it was before (the operation's description says only the attributes
      // are updated, so a service may leave the policy alone); never a third value.
      const months = obj(obj(sent.policy)?.x509_props)?.validity_months;
      const allowedMonths = [before.validityMonths, ...(typeof months === 'number' ? [months] : [])];
      if (before.validityMonths !== undefined && after.validityMonths !== undefined && !allowedMonths.includes(after.validityMonths)) {
        return `policy.x509_props.validity_months is ${after.validityMonths}, expected ${allowedMonths.join(' (before) or ')}${typeof months === 'number' ? ' (sent)' : ' (not sent: kept from before)'}`;
      }
      // A section the request did not send is not taken away: at most the sections sent change (a PATCH that
      // replaced the whole policy with the one sent drops key_props, secret_props and issuer).
      const sentPolicy = obj(sent.policy) ?? {};
      const lost = after.policySections && before.policySections?.find((k) => sentPolicy[k] === undefined && !after.policySections?.includes(k));
      if (lost) return `policy.${lost} is gone from the answer though the request did not send it (only the sections sent may change)`;
      const sentActions = arr(obj(sent.policy)?.lifetime_actions);
      const answeredPolicy = obj(obj(ex.response?.body)?.policy);
      // The bundle need not carry its policy (the spec example has none): judge only what the answer shows.
      if (sentActions.length > 0 && answeredPolicy?.lifetime_actions !== undefined) {
        const norm = (list: readonly unknown[]): string =>
          JSON.stringify(list.map((a) => [obj(obj(a)?.trigger)?.lifetime_percentage ?? null, obj(obj(a)?.trigger)?.days_before_expiry ?? null, String(obj(obj(a)?.action)?.action_type ?? '').toLowerCase()]));
        const got = arr(answeredPolicy.lifetime_actions);
        const kept = before.lifetimeActions !== undefined && norm(got) === norm(before.lifetimeActions);
        if (norm(got) !== norm(sentActions) && !kept) return `policy.lifetime_actions ${JSON.stringify(got)} are neither the ones sent ${JSON.stringify(sentActions)} nor the ones before`;
      }
      return undefined;
    },
  },
  {
    id: 'keyvault.updateCertificate.readonly-ignored',
    operationId: 'UpdateCertificate',
    broken: (ex, p) => {
      const s = certificateStep(ex, p);
      if (!s) return undefined;
      const { before, after } = s;
      for (const k of ['created', 'recoverableDays', 'recoveryLevel'] as const) {
        if (before[k] !== undefined && after[k] !== before[k]) return `attributes.${k} changed from ${String(before[k])} to ${String(after[k])}: it is read-only (a sent value must be ignored)`;
      }
      if (after.updated !== undefined) {
        if (before.updated !== undefined && after.updated < before.updated) return `attributes.updated went backwards from ${before.updated} to ${after.updated}`;
        if (after.created !== undefined && after.updated < after.created) return `attributes.updated ${after.updated} is before created ${after.created}`;
      }
      return undefined;
    },
  },
  {
    id: 'apimanagement.certificateCreateOrUpdate.created-or-updated',
    operationId: 'Certificate_CreateOrUpdate',
    broken: (ex, p) => {
      const s = apimStep(ex, p);
      if (!s || !ok(s.status)) return undefined;
      const want = s.p.existed ? 200 : 201;
      return s.status === want ? undefined : `answered ${s.status} for a certificateId that ${s.p.existed ? 'already existed (expected 200)' : 'did not exist (expected 201)'}`;
    },
  },
  {
    id: 'apimanagement.certificateCreateOrUpdate.etag-changes',
    operationId: 'Certificate_CreateOrUpdate',
    broken: (ex, p) => {
      const s = apimStep(ex, p);
      if (!s || !ok(s.status)) return undefined;
      if (s.etag === undefined) return 'a successful write carries no ETag header';
      if (s.p.sameBody) return undefined;
      // Against the current ETag only: one computed from the content may come back when an earlier content does.
      const current = s.p.etags[s.p.etags.length - 1];
      return current !== undefined && bareTag(current) === bareTag(s.etag) ? `the ETag ${s.etag} did not change though another certificate was written: the entity state version must` : undefined;
    },
  },
  {
    id: 'apimanagement.certificateCreateOrUpdate.if-match',
    operationId: 'Certificate_CreateOrUpdate',
    broken: (ex, p) => {
      const s = apimStep(ex, p);
      if (!s) return undefined;
      const sent = ex.case.request.headers['if-match'] ?? '';
      if (s.p.ifMatch === 'stale') return s.status === 412 ? undefined : `a stale If-Match ${sent} was answered ${s.status}, not 412 Precondition Failed`;
      // "Not required when creating an entity, but required when updating an entity": an update without it may be
      // refused for that (400 'Specify ETag', 412, 428 Precondition Required), but for nothing else.
      if (s.p.ifMatch === 'none' && s.p.existed) {
        return ok(s.status) || [400, 412, 428].includes(s.status) ? undefined : `an update without If-Match was answered ${s.status}, neither a success nor a refusal for the missing If-Match (400, 412, 428)`;
      }
      // A create needs none: a refusal about the missing If-Match (the positives excuse it, not knowing whether the
      // certificateId exists; the model knows) is the defect.
      if (s.p.ifMatch === 'none' && !s.p.existed && refusalForIfMatch(s.status, ex.response?.body)) {
        return `a create without If-Match was refused with ${s.status}: If-Match is "Not required when creating an entity"`;
      }
      if (s.status === 412) {
        const what = { none: 'no If-Match was sent', star: `If-Match ${sent} names the existing certificate`, current: `If-Match ${sent} names the current ETag` }[s.p.ifMatch];
        return `${what}, yet the write was refused with 412`;
      }
      return undefined;
    },
  },
];
