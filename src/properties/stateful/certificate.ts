import fc from 'fast-check';
import { certificateView, type CertificateView } from '../../rules/state-rules.js';
import type { PropertyContext, SequenceDef, Step } from '../types.js';
import { isSuccess, step } from './step.js';

/** The model of the fixture certificate: what the last answer said (undefined until the first answer). */
interface CertificateModel {
  view?: CertificateView;
}

const RECOVERY_LEVELS = ['Purgeable', 'Recoverable+Purgeable', 'Recoverable', 'Recoverable+ProtectedSubscription', 'CustomizedRecoverable+Purgeable', 'CustomizedRecoverable', 'CustomizedRecoverable+ProtectedSubscription'];
/** Tag names as people write them (Department, costCenter): the case of a name is the client's, kept as sent. */
const word = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'), minLength: 1, maxLength: 10 });
const tagSet = fc.dictionary(word, fc.string({ maxLength: 16 }), { maxKeys: 3 });

/** Every step judges its answer against the model and then takes the answer as the new model. */
const patch = (label: string, body: (v: CertificateView) => unknown, expect: 'accept' | 'either' = 'accept'): Step<CertificateModel> =>
  step<CertificateModel>(label, {
    applies: (m) => m.view !== undefined,
    input: (m) => {
      const before = m.view ?? { tags: {} };
      return { value: { pathParams: {}, body: body(before) }, state: { kind: 'certificate', before }, expect };
    },
    next: (m, ex) => {
      if (isSuccess(ex.response?.status)) m.view = certificateView(ex.response?.body);
    },
  });

/**
 * A trigger inside the validity a step knows: the sent one, else the certificate's current one (from answers). When
 * no day fits (a validity of 0 months, which a boundary case may have set: 1 to 0×27 days) or the answers never
 * showed the validity, a days trigger could break rule days-before-expiry-range: a percentage goes instead.
 */
const trigger = fc.oneof(
  fc.integer({ min: 1, max: 99 }).map((p) => () => ({ lifetime_percentage: p })),
  fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }).map((f) => (validity: number | undefined) =>
    validity !== undefined && validity >= 1 ? { days_before_expiry: 1 + Math.floor(f * (validity * 27)) } : { lifetime_percentage: 1 + Math.floor(f * 99) },
  ),
);
const action = fc.constantFrom('EmailContacts', 'AutoRenew');

const steps = (): fc.Arbitrary<Step<CertificateModel>>[] => [
  fc.boolean().map((enabled) => patch(`enabled=${String(enabled)}`, () => ({ attributes: { enabled } }))),
  tagSet.map((tags) => patch(`tags=${JSON.stringify(tags)}`, () => ({ tags }))),
  fc.tuple(fc.boolean(), tagSet).map(([enabled, tags]) => patch(`enabled=${String(enabled)} + tags=${JSON.stringify(tags)}`, () => ({ attributes: { enabled }, tags }))),
  // attributes without `enabled` ("attributes that are not specified in the request are left unchanged"): a binder
  // whose `enabled` defaults to true (lowkey-vault's primitive boolean) enables a disabled certificate here. Empty,
  // as the JS client sends them when only tags change, or with the validity the certificate has now.
  fc.boolean().map((withValidity) =>
    patch(`attributes without enabled (${withValidity ? 'the current nbf and exp' : 'empty'})`, (v) => ({
      attributes: withValidity ? { ...(v.nbf !== undefined ? { nbf: v.nbf } : {}), ...(v.exp !== undefined ? { exp: v.exp } : {}) } : {},
    })),
  ),
  fc.tuple(fc.integer({ min: 1, max: 120 }), trigger, action).map(([months, t, a]) =>
    patch(`policy validity_months=${months} + lifetime action ${a}`, () => ({ policy: { x509_props: { validity_months: months }, lifetime_actions: [{ trigger: t(months), action: { action_type: a } }] } })),
  ),
  // No validity sent: the trigger must fit the validity the certificate has now, which earlier steps may have set.
  fc.tuple(trigger, action).map(([t, a]) => patch(`lifetime action ${a} within the current validity`, (v) => ({ policy: { lifetime_actions: [{ trigger: t(v.validityMonths), action: { action_type: a } }] } }))),
  fc.boolean().map((enabled) =>
    patch(`enabled=${String(enabled)} + read-only attributes`, (v) => ({
      attributes: {
        enabled,
        created: 1_000_000_000,
        updated: 1_000_000_001,
        recoverableDays: v.recoverableDays === 90 ? 7 : 90,
        recoveryLevel: RECOVERY_LEVELS.find((l) => l !== v.recoveryLevel) ?? 'Purgeable',
      },
    }), 'either'), // a service may refuse read-only fields outright; if it accepts them, it must ignore them
  ),
  fc.constant(patch('empty body', () => ({}))),
];

/**
 * Successive PATCHes of the fixture certificate against a model of it: sent attributes applied, unsent kept,
 * tags replaced, read-only attributes ignored, `updated` never backwards, policy validity tracked from answers.
 */
export function certificateSequence(ctx: PropertyContext): SequenceDef<CertificateModel> | undefined {
  if (!ctx.operation.model.requestBody) return undefined;
  return {
    init: () => ({}),
    // Read the certificate first: an empty PATCH changes nothing a model predicts and answers the whole bundle.
    prologue: [
      step<CertificateModel>('read the certificate (PATCH {})', {
        input: () => ({ value: { pathParams: {}, body: {} } }),
        next: (m, ex) => {
          if (isSuccess(ex.response?.status)) m.view = certificateView(ex.response?.body);
        },
      }),
    ],
    steps: steps(),
    maxSteps: 6,
  };
}
