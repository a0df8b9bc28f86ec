import { describe, expect, it } from 'vitest';
import type { Violation } from '../../src/events/types.js';
import { addDays, applyBaseline, baselineOf, parseBaseline } from '../../src/gate/baseline.js';
import { Gate } from '../../src/gate/gate.js';
import { signatureOf } from '../../src/gate/signature.js';

const v = (over: Partial<Violation>): Violation => ({
  operation: 'UpdateCertificate',
  apiVersion: '7.4',
  check: 'negative.rejected',
  rule: 'keyvault.updateCertificate.trigger-one-kind',
  message: 'invalid input was accepted with 200',
  breaks: { kind: 'rule', id: 'keyvault.updateCertificate.trigger-one-kind', path: '/policy/lifetime_actions/0/trigger', detail: 'both kinds' },
  caseId: 'UpdateCertificate@7.4/negative/3',
  kind: 'negative',
  property: 'negative',
  request: { method: 'PATCH', url: 'http://127.0.0.1:1/certificates/c/v?api-version=7.4', headers: {} },
  seed: 1,
  shrunk: true,
  curl: 'curl -X PATCH …',
  ...over,
});

const trigger = v({});
const schema = v({ check: 'response.schema', rule: undefined, breaks: undefined, direction: 'response', instancePath: '/policy/lifetime_actions/2/trigger/lifetime_percentage', message: 'must be <= 99' });
const entry = (signature: object, expires: string): unknown => ({ signature, reason: 'emulator bug #12, fix planned', owner: 'team-kv', expires });

describe('baselines', () => {
  it('the signature keeps the shape of a path, not the array index or the seed', () => {
    const other = v({ seed: 99, caseId: 'x', breaks: { kind: 'rule', id: 'keyvault.updateCertificate.trigger-one-kind', path: '/policy/lifetime_actions/7/trigger', detail: 'd' } });
    expect(signatureOf(other)).toEqual(signatureOf(trigger));
    expect(signatureOf(schema).where).toBe('response:/policy/lifetime_actions/*/trigger/lifetime_percentage');
    expect(signatureOf(v({ breaks: undefined, rule: undefined })).where).toBe('case:negative/negative');
  });

  it('a matching violation is known, the others fail', () => {
    const { baseline, errors } = parseBaseline({ entries: [entry(signatureOf(trigger), '2027-01-01')] });
    expect(errors).toEqual([]);
    const r = applyBaseline([trigger, schema], baseline, '2026-12-04');
    expect(r.known.map((k) => k.violation)).toEqual([trigger]);
    expect(r.failing).toEqual([schema]);
    expect(r.expired).toEqual([]);
    expect(r.stale).toEqual([]);
  });

  it('an entry without rule or where accepts every finding of that check', () => {
    const { baseline } = parseBaseline({ entries: [entry({ operation: 'UpdateCertificate', apiVersion: '7.4', check: 'response.schema' }, '2027-01-01')] });
    expect(applyBaseline([trigger, schema], baseline, '2026-12-04').failing).toEqual([trigger]);
  });

  it('an expired entry fails the run, named, and accepts nothing; on its last day it still holds', () => {
    const { baseline } = parseBaseline({ entries: [entry(signatureOf(trigger), '2026-12-03')] });
    const r = applyBaseline([trigger], baseline, '2026-12-04');
    expect(r.expired).toHaveLength(1);
    expect(r.failing).toEqual([trigger]);
    expect(applyBaseline([trigger], baseline, '2026-12-03').known).toHaveLength(1);
    const gate = new Gate({ baseline, today: '2026-12-04', documented: () => [] });
    gate.handle({ type: 'violation', violation: trigger });
    const verdict = gate.verdict();
    expect(verdict.failures).toContain('baseline entry expired: UpdateCertificate@7.4 negative.rejected [keyvault.updateCertificate.trigger-one-kind] at breaks:rule:keyvault.updateCertificate.trigger-one-kind@/policy/lifetime_actions/*/trigger (owner team-kv, expires 2026-12-03) — emulator bug #12, fix planned');
  });

  it('an entry that matches nothing is stale: reported, not a failure', () => {
    const { baseline } = parseBaseline({ entries: [entry(signatureOf(schema), '2027-01-01')] });
    const gate = new Gate({ baseline, today: '2026-12-04', documented: () => [] });
    const verdict = gate.verdict();
    expect(verdict.stale).toHaveLength(1);
    expect(verdict.failures).toEqual([]);
  });

  it('write then use: a written baseline accepts the same violations (another seed, another index) and expires in 90 days', () => {
    const written = baselineOf([trigger, schema, v({ seed: 5 })], '2026-12-04');
    expect(written.entries).toHaveLength(2);
    expect(written.entries.every((e) => e.expires === '2027-03-04' && e.owner.startsWith('TODO'))).toBe(true);
    const { baseline, errors } = parseBaseline(JSON.parse(JSON.stringify(written)));
    expect(errors).toEqual([]);
    const again = [v({ seed: 42, breaks: { kind: 'rule', id: 'keyvault.updateCertificate.trigger-one-kind', path: '/policy/lifetime_actions/1/trigger', detail: 'd' } }), schema];
    const r = applyBaseline(again, baseline, '2026-12-05');
    expect(r.failing).toEqual([]);
    expect(r.stale).toEqual([]);
    expect(addDays('2026-12-04', 90)).toBe('2027-03-04');
  });

  it('a broken baseline names every problem with the entry index', () => {
    const { errors } = parseBaseline({ entries: [{ signature: { operation: 'UpdateCertificate' }, owner: 'x', reason: 'y', expires: 'soon' }, entry(signatureOf(trigger), '2027-13-45')] });
    expect(errors).toEqual(['entry 0: missing signature.apiVersion, signature.check', 'entry 1: expires must be a date YYYY-MM-DD, got "2027-13-45"']);
    expect(parseBaseline([]).errors).toEqual(['a baseline is {"entries": [...]}']);
  });
});
