/**
 * The false alarms the independent target (azure-like.ts) showed, one focused test each: every one fails on the
 * code before its fix. Each names the source that shows the old verdict wrong.
 */
import { createHash } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { positiveAccepted } from '../../src/checks/positive-accepted.js';
import { runChecks } from '../../src/checks/run.js';
import type { RunEvent } from '../../src/events/types.js';
import { CrossVersionTally } from '../../src/gate/cross-version.js';
import type { Obj } from '../../src/rules/json.js';
import { RESPONSE_RULES } from '../../src/rules/response-rules.js';
import { validateTraffic } from '../../src/traffic/validate.js';
import { exchange, op, response } from '../checks/fixtures.js';
import { recording, type Call } from '../traffic/fixtures.js';

const APIM_URL = (v: string): string =>
  `https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1/certificates/a?api-version=${v}`;
const PRECONDITION = { error: { code: 'PreconditionFailed', message: 'Specify ETag in the If-Match header to update the entity.', details: null } };

describe('If-Match "required when updating an entity" (API Management)', () => {
  // Reference 2024-05-01/apimanagement.json IfMatchOptionalParameter: "ETag of the Entity. Not required when
  // creating an entity, but required when updating an entity." The kit writes fixed certificateIds ("a") at every
  // api-version and in every run, so an update without If-Match may be refused for it.
  it('positive.accepted: a write without If-Match refused 412 or 428 is a note, not a violation', () => {
    const o = op('Certificate_CreateOrUpdate', '2024-05-01');
    for (const status of [412, 428]) {
      const ex = exchange(o, response(status, PRECONDITION), { request: { method: 'PUT', url: APIM_URL('2024-05-01'), headers: { authorization: 'Bearer x' }, body: {} } });
      const findings = positiveAccepted.run(ex, { profile: 'service' });
      expect(findings.map((f) => f.severity)).toEqual(['note']);
    }
  });

  it('positive.accepted: still a violation with If-Match sent, for another refusal, or for an operation without that If-Match', () => {
    const o = op('Certificate_CreateOrUpdate', '2024-05-01');
    const withIfMatch = exchange(o, response(412, PRECONDITION), { request: { method: 'PUT', url: APIM_URL('2024-05-01'), headers: { 'If-Match': '*' } } });
    const other = exchange(o, response(409, { error: { code: 'Conflict', message: 'x' } }), { request: { method: 'PUT', url: APIM_URL('2024-05-01'), headers: {} } });
    const contacts = exchange(op('SetCertificateContacts', '7.4'), response(412, { error: { code: 'PreconditionFailed', message: 'x' } }));
    for (const ex of [withIfMatch, other, contacts]) expect(positiveAccepted.run(ex, { profile: 'service' }).map((f) => f.severity)).toEqual(['violation']);
  });

  it('the cross-version gate: 201 at one version and 412 (no If-Match) at the next is the state the first call made', () => {
    const tally = new CrossVersionTally();
    const event = (v: string, status: number, body: unknown): RunEvent => ({
      type: 'case-done',
      case: {
        id: `Certificate_CreateOrUpdate@${v}/boundaries/3`,
        operation: { id: 'Certificate_CreateOrUpdate', apiVersion: v },
        kind: 'boundary',
        property: 'boundaries',
        expect: 'accept',
        request: { method: 'PUT', url: APIM_URL(v), headers: {}, body: { properties: { keyVault: { secretIdentifier: 'https://kv.vault.azure.net/secrets/s' } } } },
        response: { status, headers: {}, body },
        ms: 1,
      },
      outcomes: [],
    }) as RunEvent;
    tally.handle({ type: 'run-started', profile: 'service', operations: ['2021-08-01', '2022-08-01', '2024-05-01'].map((apiVersion) => ({ id: 'Certificate_CreateOrUpdate', apiVersion })) } as unknown as RunEvent);
    tally.handle(event('2022-08-01', 201, { properties: {} }));
    tally.handle(event('2024-05-01', 412, PRECONDITION));
    expect(tally.differences()).toEqual([]);
    // A 400 is no such precondition: still a difference.
    tally.handle(event('2021-08-01', 400, { error: { code: 'ValidationError', message: 'x' } }));
    const later = new CrossVersionTally();
    later.handle({ type: 'run-started', profile: 'service', operations: ['2021-08-01', '2022-08-01', '2024-05-01'].map((apiVersion) => ({ id: 'Certificate_CreateOrUpdate', apiVersion })) } as unknown as RunEvent);
    later.handle(event('2022-08-01', 201, { properties: {} }));
    later.handle(event('2024-05-01', 400, { error: { code: 'ValidationError', message: 'x' } }));
    expect(later.differences().map((d) => d.what)).toEqual(['answered 2xx at 2022-08-01, 4xx at 2024-05-01']);
  });
});

describe('validate-traffic: a recorded request that breaks the schema', () => {
  // A recording holds what a client sent, refusals included (an SDK's negative tests): the schema asks the
  // service to refuse such a request, and a 4xx is that refusal. The kit's own runs judge the same case as
  // negative.rejected passed; the recording of it must not fail.
  const call = (status: number, body: unknown, text?: string): Call => ({
    method: 'PUT',
    url: 'https://myvault.vault.azure.net/certificates/contacts?api-version=7.4',
    requestHeaders: { authorization: 'Bearer eyJ0eXAi.test.token', 'content-type': 'application/json' },
    requestBody: text ?? body,
    status,
    responseHeaders: { 'content-type': 'application/json; charset=utf-8' },
    responseBody: status === 200 ? { id: 'https://myvault.vault.azure.net/certificates/contacts', contacts: [] } : { error: { code: 'BadParameter', message: 'Invalid contacts' } },
  });
  const judged = (c: Call) => validateTraffic([{ file: 'r.json', content: recording([c]) }]).exchanges[0];

  it('refused with 400: the finding is a note and the exchange passes', () => {
    const e = judged(call(400, { contacts: 'not-a-list' }));
    expect(e?.result).toBe('passed');
    expect(e?.findings.map((f) => [f.check, f.severity])).toEqual([['request.schema', 'note']]);
  });

  it('a body that is not JSON, refused with 400: a note too', () => {
    const e = judged(call(400, undefined, 'text'));
    expect(e?.result).toBe('passed');
    expect(e?.findings.filter((f) => f.check === 'request.schema').map((f) => f.severity)).toEqual(['note']);
  });

  it('accepted with 200: still a violation', () => {
    const e = judged(call(200, { contacts: 'not-a-list' }));
    expect(e?.result).toBe('failed');
    expect(e?.findings.some((f) => f.check === 'request.schema' && f.severity === 'violation')).toBe(true);
  });
});

describe('certificate-described: the subject as .NET writes it (API Management reports X509Certificate2.Subject)', () => {
  // An EV or OV certificate names attributes .NET has no short name for: it writes them as OID.<oid>=value
  // (businessCategory OID.2.5.4.15, jurisdictionCountry OID.1.3.6.1.4.1.311.60.2.1.3), writes
  // SERIALNUMBER, S and E, quotes a value with a comma, and lists the RDNs last first.
  const { certificate, dotnet } = evCertificate();

  it('an uploaded EV certificate described as .NET writes its subject is no violation', () => {
    const o = op('Certificate_CreateOrUpdate', '2024-05-01');
    const ex = exchange(
      o,
      response(201, { properties: { subject: dotnet, thumbprint: certificate.thumbprint, expirationDate: certificate.notAfter.toISOString().replace('.000Z', 'Z') } }),
      { request: { method: 'PUT', url: APIM_URL('2024-05-01'), headers: {}, body: { properties: { data: certificate.data, password: certificate.password } } } },
    );
    const rule = RESPONSE_RULES.find((r) => r.id === 'apimanagement.certificateCreateOrUpdate.certificate-described');
    expect(rule?.broken(ex, ex.response?.body as Obj)).toBeUndefined();
    // Another subject still is.
    expect(rule?.broken(ex, { properties: { subject: dotnet.replace('Private Organization', 'Government Entity'), thumbprint: certificate.thumbprint, expirationDate: certificate.notAfter.toISOString() } })).toMatch(/subject/);
  });
});

/** A self-signed EV-style certificate (forge), and its subject as .NET's X500DistinguishedName.Name writes it. */
function evCertificate(): { certificate: { data: string; password: string; thumbprint: string; notAfter: Date }; dotnet: string } {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 1024, e: 0x10001 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date('2025-01-01T00:00:00Z');
  cert.validity.notAfter = new Date('2027-01-01T00:00:00Z');
  const attrs = [
    { shortName: 'C', value: 'US' },
    { shortName: 'ST', value: 'Washington' },
    { shortName: 'L', value: 'Redmond' },
    { shortName: 'O', value: 'Contoso, Ltd.' },
    { type: '1.3.6.1.4.1.311.60.2.1.3', value: 'US' },
    { type: '2.5.4.15', value: 'Private Organization' },
    { type: '2.5.4.5', value: '600413485' },
    { name: 'emailAddress', value: 'admin@contoso.com' },
    { shortName: 'CN', value: 'www.contoso.com' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert], 'pw', { algorithm: '3des' });
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes();
  return {
    certificate: {
      data: forge.util.encode64(forge.asn1.toDer(p12).getBytes()),
      password: 'pw',
      thumbprint: createHash('sha1').update(Buffer.from(der, 'binary')).digest('hex').toUpperCase(),
      notAfter: cert.validity.notAfter,
    },
    dotnet: 'CN=www.contoso.com, E=admin@contoso.com, SERIALNUMBER=600413485, OID.2.5.4.15=Private Organization, OID.1.3.6.1.4.1.311.60.2.1.3=US, O="Contoso, Ltd.", L=Redmond, S=Washington, C=US',
  };
}

describe('response-agrees: the answer to an access-policy remove', () => {
  // The reference's one example is an add; REAL-CLIENTS saw an add answered with each identity's resulting
  // permissions. After a remove an identity has none left: an answer that leaves it out is no violation.
  const url = (kind: string): string =>
    `https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/sample-group/providers/Microsoft.KeyVault/vaults/sample-vault/accessPolicies/${kind}?api-version=2019-09-01`;
  const entry = { tenantId: '00000000-0000-0000-0000-000000000000', objectId: '11111111-1111-1111-1111-111111111111', permissions: { secrets: ['get'] } };
  const rule = RESPONSE_RULES.find((r) => r.id === 'keyvault.updateAccessPolicy.response-agrees');
  const judge = (kind: string, answered: unknown[]): string | undefined => {
    const o = op('Vaults_UpdateAccessPolicy', '2019-09-01');
    const body = { id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/sample-group/providers/Microsoft.KeyVault/vaults/sample-vault/accessPolicies/', type: 'Microsoft.KeyVault/vaults/accessPolicies', properties: { accessPolicies: answered } };
    const ex = exchange(o, response(200, body), { pathParams: { subscriptionId: '00000000-0000-0000-0000-000000000000', resourceGroupName: 'sample-group', vaultName: 'sample-vault', operationKind: kind }, request: { method: 'PUT', url: url(kind), headers: {}, body: { properties: { accessPolicies: [entry] } } } });
    return rule?.broken(ex, body);
  };

  it('a remove answered without the removed identity passes', () => {
    expect(judge('remove', [])).toBeUndefined();
    expect(judge('remove', [entry])).toBeUndefined();
  });

  it('an add or replace answered without it, or any answer naming another identity, still fails', () => {
    expect(judge('add', [])).toMatch(/lack the identity/);
    expect(judge('replace', [])).toMatch(/lack the identity/);
    expect(judge('remove', [{ ...entry, objectId: '22222222-2222-2222-2222-222222222222' }])).toMatch(/which the request did not/);
  });
});

describe('a 429 that outlasted the retries', () => {
  // RFC 6585 §4: Too Many Requests says the client sent too many requests in a given time, nothing of this one.
  // Azure throttles any request under load (Key Vault and ARM service limits); the run waits as asked a minute in
  // all, and what is still throttled after that is no verdict on the request.
  it('is no verdict: positive.accepted, auth.required and api-version.required skip it, with the reason', () => {
    const o = op('SetCertificateContacts', '7.4');
    const throttled = response(429, { error: { code: 'Throttled', message: 'Request was not processed because too many requests were received.' } }, { 'retry-after': '1' });
    for (const kind of ['positive', 'auth', 'api-version'] as const) {
      const outcomes = runChecks(exchange(o, throttled, { kind, expect: kind === 'positive' ? 'accept' : 'reject' }), { profile: 'service' });
      expect(outcomes.filter((x) => x.status === 'failed').map((x) => x.check), kind).toEqual([]);
      expect(outcomes.some((x) => x.status === 'skipped' && /throttled/.test(x.skipReason ?? '')), kind).toBe(true);
    }
  });

  it('the cross-version gate does not compare a throttled answer with a 2xx', () => {
    const tally = new CrossVersionTally();
    tally.handle({ type: 'run-started', profile: 'service', operations: ['7.4', '2025-07-01'].map((apiVersion) => ({ id: 'SetCertificateContacts', apiVersion })) } as unknown as RunEvent);
    for (const [v, status] of [['7.4', 200], ['2025-07-01', 429]] as const) {
      tally.handle({
        type: 'case-done',
        case: {
          id: `SetCertificateContacts@${v}/positive/1`,
          operation: { id: 'SetCertificateContacts', apiVersion: v },
          kind: 'positive',
          property: 'positive',
          expect: 'accept',
          request: { method: 'PUT', url: `https://v.vault.azure.net/certificates/contacts?api-version=${v}`, headers: {}, body: { contacts: [] } },
          response: { status, headers: {}, body: {} },
          ms: 1,
        },
        outcomes: [],
      } as RunEvent);
    }
    expect(tally.differences()).toEqual([]);
  });
});
