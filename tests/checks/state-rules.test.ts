import { describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/run.js';
import type { Exchange } from '../../src/http/exchange.js';
import { certificateView, type Prediction } from '../../src/rules/state-rules.js';
import { exampleBody, exchange, op, response } from './fixtures.js';

const update = op('UpdateCertificate', '7.4');
const apim = op('Certificate_CreateOrUpdate', '2024-05-01');
// The spec example, plus the recovery attributes and policy a real answer carries.
const example = exampleBody(update, '200', 'UpdateCertificate') as { attributes: { exp: number; [k: string]: unknown } };
const bundle = {
  ...example,
  attributes: { ...example.attributes, recoveryLevel: 'Recoverable+Purgeable', recoverableDays: 90 },
  policy: { id: 'https://myvault.vault.azure.net/certificates/updateCert01/policy', x509_props: { subject: 'CN=KeyVaultTest', validity_months: 297 } },
};

/** One sequence step: the request body sent, the answer, and the model's prediction. */
function step(o: typeof update, sent: unknown, res: ReturnType<typeof response>, state: Prediction, headers: { [k: string]: string } = {}): Exchange {
  const ex = exchange(o, res, { kind: 'sequence', request: { method: o.model.method, url: `https://myvault.vault.azure.net/x?api-version=${o.apiVersion}`, headers, body: sent } });
  return { ...ex, case: { ...ex.case, state } };
}
const judge = (ex: Exchange, profile: 'mock' | 'service' = 'service') => {
  const outcome = runChecks(ex, { profile }).find((o) => o.check === 'response.state');
  return { status: outcome?.status, rules: (outcome?.findings ?? []).map((f) => f.rule), messages: (outcome?.findings ?? []).map((f) => f.message) };
};

describe('certificate PATCH against the model', () => {
  const before = certificateView({ ...bundle, tags: { team: 'a' } });
  const answer = (attributes: object, tags: object, policy: object = bundle.policy) => response(200, { ...bundle, attributes: { ...bundle.attributes, ...attributes }, tags, policy });
  const certificate: Prediction = { kind: 'certificate', before };

  it('keeps the rules when sent attributes apply, unsent ones stay, tags are replaced', () => {
    const ok = judge(step(update, { attributes: { enabled: !before.enabled }, tags: { env: 'x' } }, answer({ enabled: !before.enabled, updated: (before.updated ?? 0) + 5 }, { env: 'x' }), certificate));
    expect(ok).toMatchObject({ status: 'passed', rules: [] });
    expect(judge(step(update, {}, answer({}, { team: 'a' }), certificate)).status).toBe('passed');
  });
  it('patch-merge: an empty tag map may clear the tags or leave them', () => {
    expect(judge(step(update, { tags: {} }, answer({}, {}), certificate)).status).toBe('passed');
    expect(judge(step(update, { tags: {} }, answer({}, { team: 'a' }), certificate)).status).toBe('passed');
    expect(judge(step(update, { tags: {} }, answer({}, { team: 'b' }), certificate)).rules).toEqual(['keyvault.updateCertificate.patch-merge']);
  });
  it('patch-merge: unsent enabled flipped, tags merged instead of replaced, unsent tags dropped', () => {
    expect(judge(step(update, { tags: { x: '1' } }, answer({ enabled: !before.enabled }, { x: '1' }), certificate)).rules).toEqual(['keyvault.updateCertificate.patch-merge']);
    expect(judge(step(update, { tags: { env: 'x' } }, answer({}, { team: 'a', env: 'x' }), certificate)).rules).toEqual(['keyvault.updateCertificate.patch-merge']);
    expect(judge(step(update, { attributes: { enabled: true } }, answer({ enabled: true }, {}), certificate)).rules).toEqual(['keyvault.updateCertificate.patch-merge']);
    const { exp: _exp, ...withoutExp } = bundle.attributes;
    const dropped = response(200, { ...bundle, attributes: withoutExp, tags: { team: 'a' } });
    expect(judge(step(update, { attributes: { enabled: true } }, dropped, certificate)).messages.join()).toMatch(/attributes.exp changed/);
  });
  it('patch-merge: a sent policy is applied or left alone, never changed to a third value; an unsent validity is kept', () => {
    const sent = { policy: { x509_props: { validity_months: 7 }, lifetime_actions: [{ trigger: { days_before_expiry: 30 }, action: { action_type: 'EmailContacts' } }] } };
    const policy = { ...bundle.policy, x509_props: { ...bundle.policy.x509_props, validity_months: 7 }, lifetime_actions: sent.policy.lifetime_actions };
    expect(judge(step(update, sent, answer({}, { team: 'a' }, policy), certificate)).status).toBe('passed');
    // The operation's description says only attributes are updated: a policy left as it was is Azure-like.
    expect(judge(step(update, sent, answer({}, { team: 'a' }), certificate)).status).toBe('passed');
    const third = { ...policy, x509_props: { ...bundle.policy.x509_props, validity_months: 8 } };
    expect(judge(step(update, sent, answer({}, { team: 'a' }, third), certificate)).rules).toEqual(['keyvault.updateCertificate.patch-merge']);
    const otherAction = { ...policy, lifetime_actions: [{ trigger: { days_before_expiry: 31 }, action: { action_type: 'EmailContacts' } }] };
    expect(judge(step(update, sent, answer({}, { team: 'a' }, otherAction), certificate)).rules).toEqual(['keyvault.updateCertificate.patch-merge']);
    expect(judge(step(update, { tags: { team: 'a' } }, answer({}, { team: 'a' }, policy), certificate)).rules).toEqual(['keyvault.updateCertificate.patch-merge']);
    // An answer without its policy says nothing about it: no verdict either way.
    const { policy: _p, ...noPolicy } = bundle;
    expect(judge(step(update, sent, response(200, { ...noPolicy, tags: { team: 'a' } }), certificate)).status).toBe('passed');
  });
  it('patch-merge: a policy section the request did not send stays in an answer that carries the policy', () => {
    const full = {
      ...bundle.policy,
      key_props: { exportable: true, kty: 'RSA', key_size: 2048, reuse_key: false },
      secret_props: { contentType: 'application/x-pkcs12' },
      issuer: { name: 'Self' },
      lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'EmailContacts' } }],
    };
    const known: Prediction = { kind: 'certificate', before: certificateView({ ...bundle, tags: { team: 'a' }, policy: full }) };
    const without = (k: string): object => Object.fromEntries(Object.entries(full).filter(([n]) => n !== k));
    const sent = { policy: { x509_props: { validity_months: 297 } } };
    expect(judge(step(update, sent, answer({}, { team: 'a' }, full), known)).status).toBe('passed');
    // The section sent may change; every other one must still be there.
    expect(judge(step(update, sent, answer({}, { team: 'a' }, without('x509_props')), known)).status).toBe('passed');
    for (const k of ['key_props', 'secret_props', 'issuer', 'lifetime_actions']) {
      expect(judge(step(update, sent, answer({}, { team: 'a' }, without(k)), known)).messages.join(), k).toMatch(new RegExp(`policy\\.${k} is gone`));
    }
    // A section sent as null is sent: taking it away is what was asked.
    expect(judge(step(update, { policy: { issuer: null } }, answer({}, { team: 'a' }, without('issuer')), known)).status).toBe('passed');
    // Known only from an answer without its policy: nothing to compare.
    const { policy: _p, ...noPolicy } = bundle;
    const unknown: Prediction = { kind: 'certificate', before: certificateView({ ...noPolicy, tags: { team: 'a' } }) };
    expect(judge(step(update, sent, answer({}, { team: 'a' }, without('issuer')), unknown)).status).toBe('passed');
  });
  it('readonly-ignored: created, recoverableDays and recoveryLevel kept, updated never backwards', () => {
    const sent = { attributes: { created: 1_000_000_000, recoverableDays: 7 } };
    expect(judge(step(update, sent, answer({}, { team: 'a' }), certificate)).status).toBe('passed');
    expect(judge(step(update, sent, answer({ created: 1_000_000_000 }, { team: 'a' }), certificate)).rules).toEqual(['keyvault.updateCertificate.readonly-ignored']);
    expect(judge(step(update, sent, answer({ recoveryLevel: 'Purgeable' }, { team: 'a' }), certificate)).rules).toEqual(['keyvault.updateCertificate.readonly-ignored']);
    expect(judge(step(update, {}, answer({ updated: (before.updated ?? 10) - 10 }, { team: 'a' }), certificate)).rules).toEqual(['keyvault.updateCertificate.readonly-ignored']);
  });
  it('is skipped, with the reason, under the mock profile', () => {
    const j = runChecks(step(update, { tags: {} }, answer({ enabled: !before.enabled }, {}), certificate), { profile: 'mock' }).find((o) => o.check === 'response.state');
    expect(j?.status).toBe('skipped');
    expect(j?.skipReason).toMatch(/stateless mock/);
  });
});

describe('API Management writes against the model', () => {
  const body = exampleBody(apim, '201') as object;
  const put = (status: number, etag: string | undefined, p: Prediction, ifMatch?: string) =>
    step(apim, { properties: { keyVault: { secretIdentifier: 'https://v.vault.azure.net/secrets/s' } } }, response(status, status === 412 ? { error: { code: 'PreconditionFailed', message: 'stale' } } : body, etag ? { etag } : {}), p, ifMatch ? { 'if-match': ifMatch } : {});
  const fresh: Prediction = { kind: 'apim', existed: false, etags: [], ifMatch: 'none' };
  const again: Prediction = { kind: 'apim', existed: true, etags: ['"a"', '"b"'], ifMatch: 'none' };

  it('created-or-updated: 201 for a new id, 200 for an existing one', () => {
    expect(judge(put(201, '"a"', fresh)).status).toBe('passed');
    expect(judge(put(200, '"c"', again)).status).toBe('passed');
    expect(judge(put(201, '"c"', again)).rules).toEqual(['apimanagement.certificateCreateOrUpdate.created-or-updated']);
    expect(judge(put(200, '"a"', fresh)).rules).toEqual(['apimanagement.certificateCreateOrUpdate.created-or-updated']);
  });
  it('etag-changes: another content, another ETag than the current one (weak or quoted forms compare equal)', () => {
    expect(judge(put(200, '"b"', again)).rules).toEqual(['apimanagement.certificateCreateOrUpdate.etag-changes']);
    expect(judge(put(200, 'W/"b"', again)).rules).toEqual(['apimanagement.certificateCreateOrUpdate.etag-changes']);
    // An earlier ETag back with an earlier content: an ETag computed from the content does that.
    expect(judge(put(200, 'W/"a"', again)).status).toBe('passed');
    expect(judge(put(200, undefined, again)).rules).toEqual(['apimanagement.certificateCreateOrUpdate.etag-changes']);
    // Rewriting the very same body: an ETag computed from content may stay (still present, though).
    expect(judge(put(200, '"b"', { ...again, sameBody: true })).status).toBe('passed');
    expect(judge(put(200, undefined, { ...again, sameBody: true })).rules).toEqual(['apimanagement.certificateCreateOrUpdate.etag-changes']);
  });
  it('if-match: a create needs none, so a refusal about the missing If-Match is the defect', () => {
    const refuse = (status: number, error: object) =>
      judge(step(apim, { properties: { keyVault: { secretIdentifier: 'https://v.vault.azure.net/secrets/s' } } }, response(status, { error }), fresh));
    expect(refuse(400, { code: 'IfMatchRequired', message: 'If-Match header is required' }).rules).toEqual(['apimanagement.certificateCreateOrUpdate.if-match']);
    expect(refuse(428, { code: 'PreconditionRequired', message: 'x' }).rules).toEqual(['apimanagement.certificateCreateOrUpdate.if-match']);
    // Refused for something else: not this rule's (positive.accepted judges it).
    expect(refuse(400, { code: 'ValidationError', message: 'subject' }).rules).toEqual([]);
  });
  it('if-match: a stale ETag is 412; * and the current ETag are not refused', () => {
    expect(judge(put(412, undefined, { ...again, ifMatch: 'stale' }, '"a"')).status).toBe('passed');
    expect(judge(put(200, '"c"', { ...again, ifMatch: 'stale' }, '"a"')).rules).toEqual(['apimanagement.certificateCreateOrUpdate.if-match']);
    expect(judge(put(200, '"c"', { ...again, ifMatch: 'star' }, '*')).status).toBe('passed');
    expect(judge(put(412, undefined, { ...again, ifMatch: 'star' }, '*')).rules).toEqual(['apimanagement.certificateCreateOrUpdate.if-match']);
    expect(judge(put(412, undefined, { ...again, ifMatch: 'current' }, '"b"')).rules).toEqual(['apimanagement.certificateCreateOrUpdate.if-match']);
  });
  it('if-match: an update without If-Match may be refused (the spec requires it for updates) or taken with 200', () => {
    expect(judge(put(412, undefined, again)).status).toBe('passed');
    expect(judge(put(200, '"c"', again)).status).toBe('passed');
    expect(judge(put(404, undefined, again)).rules).toEqual(['apimanagement.certificateCreateOrUpdate.if-match']);
    // Creating needs none: refusing a create for the lack of it is a fault.
    expect(judge(put(412, undefined, fresh)).rules).toEqual(['apimanagement.certificateCreateOrUpdate.if-match']);
  });
});
