import { describe, expect, it } from 'vitest';
import { formatJson, formatTable, toJsonReport } from '../../src/traffic/format.js';
import { TrafficInputError } from '../../src/traffic/recorded.js';
import { detectFormat, validateTraffic } from '../../src/traffic/validate.js';
import { challengeProbe, exampleCall, har, recording, type Call } from './fixtures.js';

const updateCert = (): Call => exampleCall('UpdateCertificate', '7.4', 'UpdateCertificate', 200);
const contacts = (key = 'api%2Dversion'): Call => exampleCall('SetCertificateContacts', '2025-07-01', 'SetCertificateContacts', 200, key);
const apim = (status = 201): Call => exampleCall('Certificate_CreateOrUpdate', '2024-05-01', 'ApiManagementCreateCertificate', status);
const accessPolicy = (): Call => exampleCall('Vaults_UpdateAccessPolicy', '2019-09-01', 'AddAccessPolicy', 200);

function validateOne(calls: readonly Call[], format: 'har' | 'recording' = 'har') {
  return validateTraffic([{ file: `t.${format === 'har' ? 'har' : 'json'}`, content: format === 'har' ? har(calls) : recording(calls) }]);
}

const violations = (r: ReturnType<typeof validateTraffic>) => r.exchanges.flatMap((e) => e.findings.filter((f) => f.severity === 'violation'));

describe('validateTraffic', () => {
  it('passes the spec examples of all four operations, in both formats', () => {
    for (const format of ['har', 'recording'] as const) {
      const r = validateOne([updateCert(), contacts(), apim(201), apim(200), accessPolicy()], format);
      expect(violations(r), format).toEqual([]);
      expect(r.totals).toMatchObject({ exchanges: 5, covered: 5, notCovered: 0, passed: 5, failed: 0, violations: 0 });
      expect(r.exchanges.map((e) => `${e.operation?.id}@${e.operation?.apiVersion}`)).toEqual([
        'UpdateCertificate@7.4',
        'SetCertificateContacts@2025-07-01',
        'Certificate_CreateOrUpdate@2024-05-01',
        'Certificate_CreateOrUpdate@2024-05-01',
        'Vaults_UpdateAccessPolicy@2019-09-01',
      ]);
      expect(r.exchanges.every((e) => e.checks.some((c) => c.id === 'request.schema'))).toBe(true);
    }
  });

  it('reads the api-version from an encoded query key (api%2Dversion): URL decodes it', () => {
    expect(new URL('https://v.vault.azure.net/certificates/contacts?api%2Dversion=2025-07-01').searchParams.get('api-version')).toBe('2025-07-01');
    const r = validateOne([contacts('api%2Dversion')]);
    expect(r.exchanges[0]).toMatchObject({ result: 'passed', operation: { id: 'SetCertificateContacts', apiVersion: '2025-07-01' } });
    // The same request with the key spelled plainly routes the same way.
    expect(validateOne([contacts('api-version')]).exchanges[0]?.operation?.apiVersion).toBe('2025-07-01');
  });

  it('routes by api-version across every spec, not only the seed version', () => {
    const v2025 = exampleCall('UpdateCertificate', '2025-07-01', 'UpdateCertificate', 200);
    const v2024 = exampleCall('Vaults_UpdateAccessPolicy', '2024-11-01', 'AddAccessPolicy', 200);
    const r = validateOne([v2025, v2024]);
    expect(r.exchanges.map((e) => e.operation?.apiVersion)).toEqual(['2025-07-01', '2024-11-01']);
  });

  it('judges recorded traffic at every version an overlay makes, and passes their examples', () => {
    const calls = [
      exampleCall('UpdateCertificate', '7.5', 'UpdateCertificate', 200),
      exampleCall('UpdateCertificate', '7.6', 'UpdateCertificate', 200),
      exampleCall('SetCertificateContacts', '2025-06-01', 'SetCertificateContacts', 200),
      exampleCall('Vaults_UpdateAccessPolicy', '2021-10-01', 'AddAccessPolicy', 200),
      exampleCall('Vaults_UpdateAccessPolicy', '2023-07-01', 'AddAccessPolicy', 201),
      exampleCall('Certificate_CreateOrUpdate', '2021-08-01', 'ApiManagementCreateCertificate', 201),
    ];
    const r = validateOne(calls);
    expect(r.exchanges.map((e) => e.operation?.apiVersion)).toEqual(['7.5', '7.6', '2025-06-01', '2021-10-01', '2023-07-01', '2021-08-01']);
    expect(r.totals).toMatchObject({ covered: 6, notCovered: 0, violations: 0 });
    // 7.5 has no preserveCertOrder, 7.6 no sans.uris: an answer carrying them is still fine (answers are open).
    const later = exampleCall('UpdateCertificate', '7.5', 'UpdateCertificate', 200);
    (later.responseBody as { preserveCertOrder?: boolean }).preserveCertOrder = false;
    expect(validateOne([later]).totals).toMatchObject({ violations: 0 });
  });

  it('judges recorded traffic at 7.0–7.3 (the Python SDK\u2019s tests still run at 7.0 and 7.3), each by its own version', () => {
    const old = ['7.0', '7.1', '7.2', '7.3'];
    const calls = old.flatMap((v) => [exampleCall('UpdateCertificate', v, 'UpdateCertificate', 200), exampleCall('SetCertificateContacts', v, 'SetCertificateContacts', 200)]);
    const r = validateOne(calls);
    expect(r.exchanges.map((e) => `${e.operation?.id}@${e.operation?.apiVersion}`)).toEqual(old.flatMap((v) => [`UpdateCertificate@${v}`, `SetCertificateContacts@${v}`]));
    expect(r.totals).toMatchObject({ covered: 8, notCovered: 0, passed: 8, violations: 0 });

    // A 7.3 answer whose recoverableDays does not fit its level breaks recoverable-days, a rule 7.3 carries.
    const answer = (v: string): Call => {
      const c = exampleCall('UpdateCertificate', v, 'UpdateCertificate', 200);
      Object.assign((c.responseBody as { attributes: object }).attributes, { recoveryLevel: 'CustomizedRecoverable+Purgeable', recoverableDays: 100 });
      return c;
    };
    const at73 = validateOne([answer('7.3')]);
    expect(at73.exchanges[0]?.result).toBe('failed');
    expect(violations(at73)).toEqual([expect.objectContaining({ check: 'response.rules', rule: 'keyvault.updateCertificate.recoverable-days', message: 'recoverableDays 100 must be 7–90 for CustomizedRecoverable+Purgeable' })]);
    // 7.0 has neither recoverableDays nor the CustomizedRecoverable levels, so not the rule: the level is only a
    // value outside 7.0's open enum (a note), the undeclared member is tolerated (answers are open).
    const at70 = validateOne([answer('7.0')]);
    expect(violations(at70)).toEqual([]);
    expect(at70.exchanges[0]?.findings).toEqual([expect.objectContaining({ severity: 'note', check: 'response.schema', instancePath: '/attributes/recoveryLevel' })]);
  });

  it('judges recorded traffic at the published previews 7.6-preview.1 and 7.6-preview.2', () => {
    const calls = ['7.6-preview.1', '7.6-preview.2'].flatMap((v) => [exampleCall('UpdateCertificate', v, 'UpdateCertificate', 200), exampleCall('SetCertificateContacts', v, 'SetCertificateContacts', 200)]);
    const r = validateOne(calls);
    expect(r.exchanges.map((e) => e.operation?.apiVersion)).toEqual(['7.6-preview.1', '7.6-preview.1', '7.6-preview.2', '7.6-preview.2']);
    expect(r.totals).toMatchObject({ covered: 4, notCovered: 0, violations: 0 });
  });

  it('judges the body-less, unauthenticated 401 probe as the auth handshake', () => {
    const r = validateOne([challengeProbe(contacts()), contacts()]);
    const [probe, call] = r.exchanges;
    expect(probe).toMatchObject({ kind: 'auth', result: 'passed', status: 401 });
    expect(probe?.checks.map((c) => c.id)).toContain('auth.required');
    expect(probe?.checks.map((c) => c.id)).not.toContain('request.schema');
    expect(call).toMatchObject({ kind: 'recorded', result: 'passed' });
  });

  it('fails a probe whose challenge Key Vault clients cannot use', () => {
    const probe = challengeProbe(updateCert());
    probe.responseHeaders['www-authenticate'] = 'Bearer';
    const r = validateOne([probe]);
    expect(r.exchanges[0]?.result).toBe('failed');
    expect(violations(r)).toContainEqual(
      expect.objectContaining({ check: 'auth.required', direction: 'response', instancePath: '/headers/www-authenticate' }),
    );
  });

  it('treats a body-less request that was not refused as an ordinary call (its body is missing)', () => {
    const probe = challengeProbe(contacts());
    probe.status = 200;
    probe.responseBody = contacts().responseBody;
    const r = validateOne([probe]);
    expect(r.exchanges[0]?.kind).toBe('recorded');
    expect(violations(r)).toContainEqual(
      expect.objectContaining({ check: 'request.schema', direction: 'request', message: 'the request body is required but missing' }),
    );
  });

  it('says a recorded request body is not JSON instead of calling it missing', () => {
    const c = updateCert();
    c.requestBody = 'attributes=enabled';
    const f = violations(validateOne([c]));
    expect(f).toEqual([expect.objectContaining({ check: 'request.schema', direction: 'request', instancePath: '' })]);
    expect(f[0]?.message).toMatch(/^the request body is not JSON/);
  });

  it('reports request violations with direction request', () => {
    const c = updateCert();
    (c.requestBody as { attributes: { exp: unknown } }).attributes.exp = 'next year';
    expect(violations(validateOne([c]))).toEqual([
      expect.objectContaining({ check: 'request.schema', direction: 'request', instancePath: '/attributes/exp', message: '/attributes/exp must be integer (type)' }),
    ]);
  });

  it('counts exchanges of other operations as not covered, with the reason', () => {
    const get = { ...updateCert(), method: 'GET', url: 'https://myvault.vault.azure.net/certificates/x?api-version=7.4' };
    const del = { ...updateCert(), method: 'DELETE' };
    // 2016-10-01: a Key Vault api-version older than any the kit has a spec of.
    const old = { ...updateCert(), url: updateCert().url.replace('api-version=7.4', 'api-version=2016-10-01') };
    const r = validateOne([get, del, old, updateCert()]);
    expect(r.exchanges.map((e) => [e.result, e.notCovered?.reason])).toEqual([
      ['not-covered', 'path'],
      ['not-covered', 'method'],
      ['not-covered', 'api-version'],
      ['passed', undefined],
    ]);
    expect(r.totals).toMatchObject({ exchanges: 4, covered: 1, notCovered: 3, passed: 1, failed: 0, violations: 0 });
  });

  it('does not take the PATCHes of a certificate policy, a pending operation or an issuer for UpdateCertificate', () => {
    const base = updateCert();
    const at = (path: string): Call => ({ ...base, url: `https://myvault.vault.azure.net${path}?api-version=7.4` });
    const r = validateOne([at('/certificates/updateCert01/policy'), at('/certificates/updateCert01/Pending'), at('/certificates/issuers/issuer01'), at('/certificates/updateCert01/c3d31d7b36c942ad83ef36fc0785a4fc')]);
    expect(r.exchanges.map((e) => [e.result, e.notCovered?.reason ?? e.operation?.id])).toEqual([
      ['not-covered', 'path'],
      ['not-covered', 'path'],
      ['not-covered', 'path'],
      ['passed', 'UpdateCertificate'],
    ]);
  });

  it('takes a sanitised subscription in a recorded path (azure_subscription_id) as a note, not a violation', () => {
    const c = apim(201);
    // The test-proxy sanitises the subscription everywhere: in the path and in the answer's id.
    const sanitise = (u: string): string => u.replace(/\/subscriptions\/[^/]+\//, '/subscriptions/azure_subscription_id/');
    c.url = sanitise(c.url);
    const body = c.responseBody as { id: string };
    c.responseBody = { ...body, id: sanitise(body.id) };
    const r = validateOne([c], 'recording');
    expect(violations(r)).toEqual([]);
    const notes = r.exchanges.flatMap((e) => e.findings.filter((f) => f.severity === 'note'));
    expect(notes).toEqual([expect.objectContaining({ check: 'request.schema', instancePath: '/parameters/path/subscriptionId' })]);
  });

  it('takes a 503 or 429 the client retried with success as a note; one never retried, or retried in vain, still fails', () => {
    const ok = contacts();
    const busy: Call = { ...ok, status: 503, responseHeaders: { 'content-type': 'application/json', 'retry-after': '1' }, responseBody: { error: { code: 'ServiceUnavailable', message: 'busy' } } };
    const retried = validateOne([busy, ok]);
    expect(violations(retried)).toEqual([]);
    expect(retried.exchanges[0]?.findings).toEqual([expect.objectContaining({ check: 'server.error', severity: 'note', message: expect.stringMatching(/retried it and got 200 \(entry 2\)/) })]);
    expect(retried.totals).toMatchObject({ passed: 2, failed: 0 });
    // Alone, or followed by another 503: the service's answer.
    expect(violations(validateOne([busy])).map((f) => f.check)).toEqual(['server.error']);
    expect(violations(validateOne([busy, busy])).map((f) => f.check)).toEqual(['server.error', 'server.error']);
    // A different request afterwards is no retry.
    const other = { ...ok, requestBody: { contacts: [] } };
    expect(violations(validateOne([busy, other])).map((f) => f.check)).toContain('server.error');
  });

  it('does not judge a response body a HAR left out (content with a size, no text): those checks are skipped', () => {
    const doc = har([contacts(), apim(201)]) as { log: { entries: { response: { content: { text?: string; size: number } } }[] } };
    for (const e of doc.log.entries) delete e.response.content.text;
    const r = validateTraffic([{ file: 'no-bodies.har', content: doc }]);
    expect(violations(r)).toEqual([]);
    for (const e of r.exchanges) {
      expect(e.checks.find((c) => c.id === 'response.schema')).toMatchObject({ status: 'skipped', skipReason: 'the recording did not capture the response body' });
      // What does not need the body is still judged.
      expect(e.checks.find((c) => c.id === 'status.documented')?.status).toBe('passed');
    }
    // A body that is really empty (size 0) is still one: a documented body is missing.
    const empty = har([contacts()]) as typeof doc;
    for (const e of empty.log.entries) e.response.content = { size: 0 };
    expect(violations(validateTraffic([{ file: 'empty.har', content: empty }])).map((f) => f.check)).toContain('response.schema');
  });

  it('accepts the SDK’s empty version segment (PATCH /certificates/{name}/)', () => {
    const c = updateCert();
    c.url = 'https://myvault.vault.azure.net/certificates/updateCert01/?api-version=7.4';
    const r = validateOne([c]);
    expect(r.exchanges[0]?.operation?.id).toBe('UpdateCertificate');
    expect(r.exchanges[0]?.findings.filter((f) => f.check === 'request.schema')).toEqual([]);
  });

  it('turns a HAR entry without a response (status 0) into a transport violation', () => {
    const c = updateCert();
    c.status = 0;
    const r = validateTraffic([{ file: 'a.har', content: har([c]) }]);
    expect(r.exchanges[0]?.findings).toEqual([expect.objectContaining({ check: 'transport', severity: 'violation' })]);
  });

  it('rejects input that is neither format, and entries with a relative URL', () => {
    expect(detectFormat({ log: { entries: [] } })).toBe('har');
    expect(detectFormat({ Entries: [] })).toBe('recording');
    expect(detectFormat({ entries: [] })).toBeUndefined();
    expect(() => validateTraffic([{ file: 'x.json', content: [1, 2] }])).toThrow(TrafficInputError);
    const c = updateCert();
    c.url = '/certificates/a/b?api-version=7.4';
    expect(() => validateTraffic([{ file: 'r.har', content: har([c]) }])).toThrow(/r\.har: entry 1: request URL .* is not an absolute URL/);
  });

  it('numbers exchanges across files and gives a stable JSON document', () => {
    const inputs = [
      { file: 'a.har', content: har([updateCert()]) },
      { file: 'b.json', content: recording([accessPolicy(), apim()]) },
    ];
    const r = validateTraffic(inputs);
    expect(r.files).toEqual([
      { file: 'a.har', format: 'har', exchanges: 1 },
      { file: 'b.json', format: 'recording', exchanges: 2 },
    ]);
    expect(r.exchanges.map((e) => [e.n, e.file, e.entry])).toEqual([
      [1, 'a.har', 1],
      [2, 'b.json', 1],
      [3, 'b.json', 2],
    ]);
    expect(formatJson(validateTraffic(inputs))).toBe(formatJson(r));
    const doc = toJsonReport(r);
    expect(Object.keys(doc)).toEqual(['command', 'version', 'ok', 'files', 'totals', 'exchanges', 'violations', 'notes']);
    expect(formatTable(r)).toMatch(/exchanges 3, covered 3, not covered 0, passed 3, failed 0, violations 0, notes 0/);
  });
});
