import { describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/run.js';
import { loadOperations } from '../../src/model/registry.js';
import { makePkcs12 } from '../../src/pki/pkcs12.js';
import { IMPLEMENTED_RULE_IDS, PENDING_STATEFUL_RULES } from '../../src/rules/index.js';
import { brokenRequestRules } from '../../src/rules/request-rules.js';
import { DEFAULT_FIXTURES } from '../../src/targets/fixtures.js';
import { exampleBody, exchange, op, response } from './fixtures.js';

const service = { profile: 'service' as const };
const ruleIds = (ex: Parameters<typeof runChecks>[0]) =>
  runChecks(ex, service).flatMap((o) => o.findings.filter((f) => f.severity === 'violation').map((f) => f.rule ?? f.check));

describe('every rule recorded in the specs', () => {
  it('is implemented, or listed as pending with a reason', () => {
    const inSpecs = new Set(loadOperations().flatMap((o) => o.model.rules.map((r) => r.id)));
    const missing = [...inSpecs].filter((id) => !IMPLEMENTED_RULE_IDS.has(id) && !(id in PENDING_STATEFUL_RULES));
    expect(missing).toEqual([]);
    // Every rule is enforced now; a rule listed as pending must be one the specs still record.
    for (const id of Object.keys(PENDING_STATEFUL_RULES)) expect(inSpecs.has(id), id).toBe(true);
  });
});

describe('request rules', () => {
  const update = op('UpdateCertificate', '7.4');
  const policy = op('Vaults_UpdateAccessPolicy', '2019-09-01');
  const policy2024 = op('Vaults_UpdateAccessPolicy', '2024-11-01');
  const apim = op('Certificate_CreateOrUpdate', '2024-05-01');
  const ctx = (o: typeof update) => ({ operation: o, fixtures: DEFAULT_FIXTURES });
  const broken = (o: typeof update, body: unknown) => brokenRequestRules(body, {}, ctx(o)).map((r) => r.id);
  const trigger = (t: object, validity = 12) => ({ policy: { x509_props: { validity_months: validity }, lifetime_actions: [{ trigger: t, action: { action_type: 'AutoRenew' } }] } });
  const entry = (over: object = {}) => ({ tenantId: DEFAULT_FIXTURES.vault.tenantId, objectId: crypto.randomUUID(), permissions: { keys: ['get'] }, ...over });
  const policies = (n: number, over: object = {}) => ({ properties: { accessPolicies: Array.from({ length: n }, () => entry(over)) } });

  it('trigger: exactly one kind, days_before_expiry within 1..validity×27', () => {
    expect(broken(update, trigger({ lifetime_percentage: 50 }))).toEqual([]);
    expect(broken(update, trigger({ days_before_expiry: 324 }))).toEqual([]);
    expect(broken(update, trigger({ days_before_expiry: 325 }))).toEqual(['keyvault.updateCertificate.days-before-expiry-range']);
    expect(broken(update, trigger({ days_before_expiry: 0 }))).toEqual(['keyvault.updateCertificate.days-before-expiry-range']);
    expect(broken(update, trigger({ lifetime_percentage: 5, days_before_expiry: 5 }))).toEqual(['keyvault.updateCertificate.trigger-one-kind']);
    expect(broken(update, trigger({}))).toEqual(['keyvault.updateCertificate.trigger-one-kind']);
  });
  it('RSA key sizes: a size outside the example is either answer, never a demanded refusal', () => {
    const sized = (n: number) => brokenRequestRules({ policy: { key_props: { kty: 'RSA', key_size: n } } }, {}, ctx(update)).map((r) => [r.id, r.verdict]);
    expect(sized(3072)).toEqual([]);
    for (const n of [1024, 8192, 2147483647]) expect(sized(n)).toEqual([['keyvault.updateCertificate.rsa-key-size', 'either']]);
  });
  it('a certificate key pair: EC or RSA with a size and curve that fit, every break of it either answer', () => {
    const coherent = (kp: object) => brokenRequestRules({ policy: { key_props: kp } }, {}, ctx(update));
    expect(coherent({ kty: 'RSA', key_size: 3072 })).toEqual([]);
    expect(coherent({ kty: 'EC', key_size: 384, crv: 'P-384' })).toEqual([]);
    expect(coherent({ kty: 'EC', crv: 'P-256K' })).toEqual([]);
    for (const kp of [{ kty: 'oct' }, { kty: 'EC-HSM', crv: 'P-256' }, { kty: 'RSA-HSM', key_size: 2048 }, { kty: 'EC', key_size: 3072 }, { kty: 'EC', key_size: 256, crv: 'P-521' }, { kty: 'RSA', crv: 'P-256' }]) {
      expect(coherent(kp).map((r) => [r.id, r.verdict]), JSON.stringify(kp)).toEqual([['keyvault.updateCertificate.key-pair-coherent', 'either']]);
    }
  });
  it('0 to 16 policies, same tenant, unique identities', () => {
    expect(broken(policy, policies(0))).toEqual([]);
    expect(broken(policy, policies(16))).toEqual([]);
    expect(broken(policy, policies(17))).toEqual(['keyvault.updateAccessPolicy.policy-count']);
    expect(broken(policy, policies(1, { tenantId: '11111111-1111-1111-1111-111111111111' }))).toEqual(['keyvault.updateAccessPolicy.same-tenant']);
    const twice = entry();
    expect(broken(policy, { properties: { accessPolicies: [twice, { ...twice, permissions: { secrets: ['get'] } }] } })).toEqual(['keyvault.updateAccessPolicy.unique-identity']);
  });
  it('permission names per list, of this api-version or a later one, case-insensitively', () => {
    expect(broken(policy, policies(1, { permissions: { keys: ['Get', 'WRAPKEY'] } }))).toEqual([]);
    expect(broken(policy, policies(1, { permissions: { keys: ['fly'] } }))).toEqual(['keyvault.updateAccessPolicy.permission-known']);
    // Names a later api-version documents: one resource provider serves every version, so no refusal is owed.
    expect(broken(policy, policies(1, { permissions: { keys: ['all'], secrets: ['ALL'] } }))).toEqual([]);
    expect(broken(policy, policies(1, { permissions: { keys: ['rotate', 'GetRotationPolicy'] } }))).toEqual([]);
    // …but only in the list that documents them.
    expect(broken(policy, policies(1, { permissions: { secrets: ['rotate'] } }))).toEqual(['keyvault.updateAccessPolicy.permission-known']);
    expect(broken(policy, policies(1, { permissions: { storage: ['encrypt'] } }))).toEqual(['keyvault.updateAccessPolicy.permission-known']);
    expect(broken(policy2024, policies(1, { permissions: { keys: ['all', 'rotate'] } }))).toEqual([]);
  });
  it('API Management: data XOR keyVault, a real PKCS#12, a Key Vault secret URL', () => {
    const cert = makePkcs12({ subject: 'CN=rules.test', validityDays: 10, password: 'pw' });
    expect(broken(apim, { properties: { data: cert.data, password: 'pw' } })).toEqual([]);
    expect(broken(apim, { properties: { data: cert.data, password: 'wrong' } })).toEqual(['apimanagement.certificateCreateOrUpdate.pkcs12-opens']);
    expect(broken(apim, { properties: {} })).toEqual(['apimanagement.certificateCreateOrUpdate.data-xor-keyvault']);
    // null is not sent, as ARM reads a request.
    expect(broken(apim, { properties: { keyVault: null } })).toEqual(['apimanagement.certificateCreateOrUpdate.data-xor-keyvault']);
    expect(brokenRequestRules({ properties: { data: cert.data, password: 'pw', keyVault: null } }, {}, ctx(apim))).toEqual([]);
    // Both given: no source says which wins or that the pair is refused.
    const both = brokenRequestRules({ properties: { data: cert.data, password: 'pw', keyVault: { secretIdentifier: 'https://v.vault.azure.net/secrets/s' } } }, {}, ctx(apim));
    expect(both.map((r) => [r.id, r.verdict])).toEqual([['apimanagement.certificateCreateOrUpdate.data-and-keyvault', 'either']]);
    expect(broken(apim, { properties: { keyVault: { secretIdentifier: 'https://v.vault.azure.net/secrets/s/0123' } } })).toEqual([]);
    expect(broken(apim, { properties: { keyVault: { secretIdentifier: 'https://v.vault.azure.net/keys/s' } } })).toEqual(['apimanagement.certificateCreateOrUpdate.secret-identifier']);
  });
});

/** Path parameters as the router reads them from the tests' URLs (ARM ids are built from them). */
const VAULT_PARAMS = { subscriptionId: '00000000-0000-0000-0000-000000000000', resourceGroupName: 'sample-group', vaultName: 'sample-vault' };
const APIM_PARAMS = { subscriptionId: '0', resourceGroupName: 'rg1', serviceName: 'apimService1', certificateId: 'c1' };

describe('response rules: a conforming and a breaking exchange each', () => {
  const update = op('UpdateCertificate', '7.4');
  const contacts = op('SetCertificateContacts', '2025-07-01');
  const policy = op('Vaults_UpdateAccessPolicy', '2019-09-01');
  const apim = op('Certificate_CreateOrUpdate', '2024-05-01');
  const cert = exampleBody(update, '200', 'UpdateCertificate') as { [k: string]: unknown; attributes: object };
  const params = { 'certificate-name': 'updateCert01', 'certificate-version': 'c3d31d7b36c942ad83ef36fc0785a4fc' };
  const patch = (body: object) => exchange(update, response(200, body), { pathParams: params });

  it('x5t, ids, policy id, recoverableDays', () => {
    expect(ruleIds(patch(cert))).toEqual([]);
    expect(ruleIds(patch({ ...cert, x5t: 'AAAA' }))).toEqual(['keyvault.updateCertificate.x5t-thumbprint']);
    expect(ruleIds(patch({ ...cert, kid: 'https://myvault.vault.azure.net/keys/other/c3d31d7b36c942ad83ef36fc0785a4fc' }))).toEqual(['keyvault.updateCertificate.ids-agree']);
    expect(ruleIds(patch({ ...cert, kid: 'https://myvault.vault.azure.net/keys/updateCert01/d3d31d7b36c942ad83ef36fc0785a4fc' }))).toEqual(['keyvault.updateCertificate.ids-agree']);
    // Names and versions as Key Vault compares them: without regard to case (a version asked in upper case comes back lower).
    const upper = { 'certificate-name': 'UPDATECERT01', 'certificate-version': 'C3D31D7B36C942AD83EF36FC0785A4FC' };
    expect(ruleIds(exchange(update, response(200, cert), { pathParams: upper }))).toEqual([]);
    expect(ruleIds(patch({ ...cert, policy: { id: 'https://myvault.vault.azure.net/certificates/updateCert01/policy' } }))).toEqual([]);
    expect(ruleIds(patch({ ...cert, policy: { id: 'https://myvault.vault.azure.net/certificates/x/policy' } }))).toEqual(['keyvault.updateCertificate.policy-id']);
    const attrs = (recoveryLevel: string, recoverableDays: number) => patch({ ...cert, attributes: { ...cert.attributes, recoveryLevel, recoverableDays } });
    expect(ruleIds(attrs('CustomizedRecoverable+Purgeable', 7))).toEqual([]);
    expect(ruleIds(attrs('Recoverable+Purgeable', 90))).toEqual([]);
    expect(ruleIds(attrs('Purgeable', 0))).toEqual([]);
    expect(ruleIds(attrs('CustomizedRecoverable', 91))).toEqual(['keyvault.updateCertificate.recoverable-days']);
    expect(ruleIds(attrs('Recoverable', 7))).toEqual(['keyvault.updateCertificate.recoverable-days']);
  });

  it('unix times are seconds: milliseconds and creation times in the future are caught', () => {
    const times = (a: object, policyAttributes?: object) =>
      patch({ ...cert, attributes: { ...cert.attributes, ...a }, ...(policyAttributes ? { policy: { id: 'https://myvault.vault.azure.net/certificates/updateCert01/policy', attributes: policyAttributes } } : {}) });
    const now = Math.floor(Date.now() / 1000);
    // A certificate valid until 9999-12-31 and one created a moment ago are dates in seconds.
    expect(ruleIds(times({ created: now, updated: now, exp: 253_402_300_799 }))).toEqual([]);
    expect(ruleIds(times({ created: now * 1000, updated: now * 1000 }))).toEqual(['keyvault.updateCertificate.unix-seconds']);
    expect(ruleIds(times({ exp: 1_893_456_000_000 }))).toEqual(['keyvault.updateCertificate.unix-seconds']);
    expect(ruleIds(times({}, { created: now, updated: now * 1000 }))).toEqual(['keyvault.updateCertificate.unix-seconds']);
    // Created a week from now: beyond any clock skew, not beyond year 9999.
    expect(ruleIds(times({ created: now + 7 * 86_400 }))).toEqual(['keyvault.updateCertificate.unix-seconds']);
  });

  it('updated is the time of an update that sent attributes or tags, on the target\'s own clock', () => {
    const at = '2025-01-01T00:00:00.000Z';
    const t = Date.parse(at) / 1000;
    const sent = (body: object, updated: number) =>
      exchange(update, response(200, { ...cert, attributes: { ...cert.attributes, created: t - 86_400, updated } }, { date: new Date(at).toUTCString() }), {
        pathParams: params,
        request: { method: 'PATCH', url: 'https://myvault.vault.azure.net/certificates/updateCert01/c3d31d7b36c942ad83ef36fc0785a4fc?api-version=7.4', headers: {}, body },
      });
    expect(ruleIds(sent({ tags: { a: '1' } }, t - 1))).toEqual([]);
    expect(ruleIds(sent({ attributes: { enabled: false } }, t - 60))).toEqual([]);
    expect(ruleIds(sent({ tags: { a: '1' } }, t - 86_400))).toEqual(['keyvault.updateCertificate.updated-moves']);
    // Nothing of the certificate's attributes or tags sent (an empty PATCH, only the policy): no claim on updated.
    expect(ruleIds(sent({}, t - 86_400))).toEqual([]);
    expect(ruleIds(sent({ policy: { x509_props: { validity_months: 12 } } }, t - 86_400))).toEqual([]);
    // Empty attributes or tags set nothing: whether that is an update, the sources do not say.
    expect(ruleIds(sent({ attributes: {} }, t - 86_400))).toEqual([]);
    expect(ruleIds(sent({ attributes: {}, tags: {} }, t - 86_400))).toEqual([]);
    expect(ruleIds(sent({ attributes: { exp: t + 86_400 } }, t - 86_400))).toEqual(['keyvault.updateCertificate.updated-moves']);
  });

  it('contacts echo and id', () => {
    const sent = { contacts: [{ email: 'a@b.c', name: 'A' }, { email: 'd@e.f', phone: '1' }] };
    const req = { method: 'PUT', url: 'https://v.example/certificates/contacts?api-version=2025-07-01', headers: {}, body: sent };
    expect(ruleIds(exchange(contacts, response(200, { id: 'https://v.example/certificates/contacts', ...sent }), { request: req }))).toEqual([]);
    expect(ruleIds(exchange(contacts, response(200, { id: 'https://v.example/certificates/contacts', contacts: [...sent.contacts].reverse() }), { request: req }))).toEqual(['keyvault.setCertificateContacts.echo']);
    expect(ruleIds(exchange(contacts, response(200, { id: 'https://v.example/contacts', ...sent }), { request: req }))).toEqual(['keyvault.setCertificateContacts.id']);
  });

  it('access policy response agrees with the request', () => {
    const body = exampleBody(policy, '200') as { properties: { accessPolicies: object[] } };
    const url = 'https://m.example/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/sample-group/providers/Microsoft.KeyVault/vaults/sample-vault/accessPolicies/add?api-version=2019-09-01';
    const req = { method: 'PUT', url, headers: {}, body: { properties: body.properties } };
    const ex = (b: object, r: object = req) => exchange(policy, response(200, b), { request: { ...req, ...r }, pathParams: { ...VAULT_PARAMS, operationKind: 'add' } });
    expect(ruleIds(ex(body))).toEqual([]);
    // The id is the request's vault path up to accessPolicies/, compared as ARM compares it (any case, under a prefix too).
    expect(ruleIds(ex({ ...body, id: '/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000000/resourcegroups/Sample-Group/providers/microsoft.keyvault/vaults/SAMPLE-VAULT/accesspolicies' }))).toEqual([]);
    // The id is the resource the router read from the URL: a prefix, a trailing or doubled slash, or a `%` that does
    // not decode (a recording) leave it the same.
    for (const odd of [url.replace('m.example/', 'm.example/arm/'), url.replace('/add?', '/add/?'), url.replace('sample-group/', 'sample-group//'), `${url}&x=%E0%A4%A`]) {
      expect(ruleIds(ex(body, { url: odd })), odd).toEqual([]);
    }
    for (const id of [
      '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/sample-group/providers/Microsoft.KeyVault/vaults/sample-vault/accessPolicies/',
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/other-group/providers/Microsoft.KeyVault/vaults/sample-vault/accessPolicies/',
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/sample-group/providers/Microsoft.KeyVault/vaults/sample-vault/accessPolicies/add',
    ]) {
      expect(ruleIds(ex({ ...body, id })), id).toEqual(['keyvault.updateAccessPolicy.response-agrees']);
    }
    expect(ruleIds(ex({ ...body, type: 'Microsoft.KeyVault/vaults' }))).toEqual(['keyvault.updateAccessPolicy.response-agrees']);
    expect(ruleIds(ex({ ...body, properties: { accessPolicies: [] } }))).toEqual(['keyvault.updateAccessPolicy.response-agrees']);
    // The vault's other identities in the answer: it must carry the request's entries only.
    const other = { tenantId: DEFAULT_FIXTURES.vault.tenantId, objectId: '99999999-9999-4999-8999-999999999999', permissions: { keys: ['get'] } };
    const extra = { ...body, properties: { accessPolicies: [...(body.properties as { accessPolicies: object[] }).accessPolicies, other] } };
    expect(ruleIds(ex(extra))).toEqual(['keyvault.updateAccessPolicy.response-agrees']);
    // An identity through an application (a compound identity) answered as the principal alone is another identity.
    const app = { tenantId: DEFAULT_FIXTURES.vault.tenantId, objectId: '99999999-9999-4999-8999-999999999999', applicationId: '88888888-8888-4888-8888-888888888888', permissions: { keys: ['get'] } };
    const compound = (b: object) => exchange(policy, response(200, b), { request: { ...req, body: { properties: { accessPolicies: [app] } } }, pathParams: { ...VAULT_PARAMS, operationKind: 'add' } });
    expect(ruleIds(compound({ ...body, properties: { accessPolicies: [{ ...app, applicationId: app.applicationId.toUpperCase() }] } }))).toEqual([]);
    const { applicationId: _dropped, ...principal } = app;
    expect(ruleIds(compound({ ...body, properties: { accessPolicies: [principal] } }))).toEqual(['keyvault.updateAccessPolicy.response-agrees']);
  });

  it('access policy response: every permission an add or replace sent is in the answer (sent or resulting, a superset)', () => {
    const url = 'https://m.example/subscriptions/0/resourceGroups/sample-group/providers/Microsoft.KeyVault/vaults/sample-vault/accessPolicies/add?api-version=2019-09-01';
    const who = { tenantId: DEFAULT_FIXTURES.vault.tenantId, objectId: '99999999-9999-4999-8999-999999999999' };
    const sent = { ...who, permissions: { keys: ['get', 'wrapKey'], storage: ['list'] } };
    const answer = (permissions: object) => ({ id: '/subscriptions/0/resourceGroups/sample-group/providers/Microsoft.KeyVault/vaults/sample-vault/accessPolicies/', type: 'Microsoft.KeyVault/vaults/accessPolicies', properties: { accessPolicies: [{ ...who, permissions }] } });
    const ex = (kind: string, permissions: object) =>
      exchange(policy, response(200, answer(permissions)), { request: { method: 'PUT', url, headers: {}, body: { properties: { accessPolicies: [sent] } } }, pathParams: { ...VAULT_PARAMS, subscriptionId: '0', operationKind: kind } });
    for (const kind of ['add', 'replace']) {
      expect(ruleIds(ex(kind, sent.permissions)), kind).toEqual([]);
      // In another case, and with a list the identity no longer has left empty: the same grant.
      expect(ruleIds(ex(kind, { keys: ['GET', 'wrapkey'], secrets: [], storage: ['list'] })), kind).toEqual([]);
      expect(ruleIds(ex(kind, { keys: ['get', 'wrapKey'] })), kind).toEqual(['keyvault.updateAccessPolicy.response-agrees']);
      expect(ruleIds(ex(kind, { keys: ['get'], storage: ['list'] })), kind).toEqual(['keyvault.updateAccessPolicy.response-agrees']);
    }
    // The resulting permissions of an add are a superset of those sent; a replace leaves exactly those sent.
    const superset = { keys: ['get', 'wrapKey', 'decrypt'], secrets: ['get'], storage: ['list'] };
    expect(ruleIds(ex('add', superset))).toEqual([]);
    expect(ruleIds(ex('replace', superset))).toEqual(['keyvault.updateAccessPolicy.response-agrees']);
    // A list answered as `all` holds every name of its kind.
    expect(ruleIds(ex('add', { keys: ['all'], storage: ['list'] }))).toEqual([]);
    // A remove's answer may give an identity what it has left: nothing to hold.
    expect(ruleIds(ex('remove', { keys: ['decrypt'] }))).toEqual([]);
    // One identity named twice (a recording may hold such a request): its entries are one grant, echoed or merged.
    const twice = (kind: string, answered: readonly object[]) =>
      exchange(policy, response(200, { ...answer({}), properties: { accessPolicies: answered.map((permissions) => ({ ...who, permissions })) } }), {
        request: { method: 'PUT', url, headers: {}, body: { properties: { accessPolicies: [{ ...who, permissions: { keys: ['get'] } }, { ...who, permissions: { keys: ['list'] } }] } } },
        pathParams: { ...VAULT_PARAMS, subscriptionId: '0', operationKind: kind },
      });
    for (const kind of ['add', 'replace']) {
      const ids = (answered: readonly object[]) => ruleIds(twice(kind, answered)).filter((id) => id === 'keyvault.updateAccessPolicy.response-agrees');
      expect(ids([{ keys: ['get'] }, { keys: ['list'] }]), kind).toEqual([]);
      expect(ids([{ keys: ['get', 'list'] }]), kind).toEqual([]);
      expect(ids([{ keys: ['get'] }]), kind).toEqual(['keyvault.updateAccessPolicy.response-agrees']);
    }
  });

  it('API Management: identity, certificate described, secrets not echoed', () => {
    const c = makePkcs12({ subject: 'CN=described.test', validityDays: 20, password: 'pw' });
    const url = 'https://m.example/subscriptions/0/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1/certificates/c1?api-version=2024-05-01';
    const req = { method: 'PUT', url, headers: {}, body: { properties: { data: c.data, password: 'pw' } } };
    const good = { id: new URL(url).pathname, name: 'c1', type: 'Microsoft.ApiManagement/service/certificates', properties: { subject: c.subject, thumbprint: c.thumbprint, expirationDate: c.notAfter.toISOString() } };
    const ex = (b: object) => exchange(apim, response(201, b, { etag: '"1"' }), { request: req, pathParams: APIM_PARAMS });
    expect(ruleIds(ex(good))).toEqual([]);
    expect(ruleIds(ex({ ...good, name: 'c2' }))).toEqual(['apimanagement.certificateCreateOrUpdate.resource-identity']);
    // Under a path prefix, or with a trailing slash, the resource is the same.
    expect(ruleIds(exchange(apim, response(201, good, { etag: '"1"' }), { request: { ...req, url: url.replace('m.example/', 'm.example/arm/').replace('/c1?', '/c1/?') }, pathParams: APIM_PARAMS }))).toEqual([]);
    expect(ruleIds(ex({ ...good, id: good.id.replace('/rg1/', '/rg2/') }))).toEqual(['apimanagement.certificateCreateOrUpdate.resource-identity']);
    expect(ruleIds(ex({ ...good, properties: { ...good.properties, thumbprint: 'ABCDEF' } }))).toEqual(['apimanagement.certificateCreateOrUpdate.certificate-described']);
    expect(ruleIds(ex({ ...good, properties: { ...good.properties, password: 'pw' } }))).toEqual(['apimanagement.certificateCreateOrUpdate.secrets-not-echoed']);
    // ARM names compare case-insensitively.
    expect(ruleIds(ex({ ...good, name: 'C1' }))).toEqual([]);
    // data and keyVault together: no source says which the service takes, so an answer describing the Key Vault
    // certificate is no disagreement.
    const both = { ...req, body: { properties: { data: c.data, password: 'pw', keyVault: { secretIdentifier: 'https://v.vault.azure.net/secrets/s' } } } };
    const fromVault = { ...good, properties: { subject: 'CN=s', thumbprint: 'ABCDEF', expirationDate: c.notAfter.toISOString() } };
    expect(ruleIds(exchange(apim, response(201, fromVault, { etag: '"1"' }), { request: both, pathParams: APIM_PARAMS }))).toEqual([]);
    // A certificate fetched from Key Vault names the secret it came from (ApiManagementCreateCertificateWithKeyVault.json).
    const secret = 'https://v.vault.azure.net/secrets/s';
    const byRef = { ...req, body: { properties: { keyVault: { secretIdentifier: secret, identityClientId: 'ceaa6b06-c00f-43ef-99ac-f53d1fe876a0' } } } };
    const refEx = (kv: object | undefined) =>
      exchange(apim, response(201, { ...fromVault, properties: { ...fromVault.properties, ...(kv ? { keyVault: kv } : {}) } }, { etag: '"1"' }), { request: byRef, pathParams: APIM_PARAMS });
    expect(ruleIds(refEx({ secretIdentifier: secret, identityClientId: null, lastStatus: { code: 'Success' } }))).toEqual([]);
    expect(ruleIds(refEx({ secretIdentifier: secret.toUpperCase() }))).toEqual([]);
    expect(ruleIds(refEx(undefined))).toEqual(['apimanagement.certificateCreateOrUpdate.certificate-described']);
    expect(ruleIds(refEx({ secretIdentifier: 'https://v.vault.azure.net/secrets/other' }))).toEqual(['apimanagement.certificateCreateOrUpdate.certificate-described']);
  });

  it('API Management: the subject as .NET writes it (last RDN first, S= and E=) is the same name', () => {
    const c = makePkcs12({ subject: 'C=US, ST=WA, L=Redmond, O=Contoso, CN=api.contoso.test', validityDays: 20, password: 'pw' });
    const url = 'https://m.example/subscriptions/0/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1/certificates/c1?api-version=2024-05-01';
    const req = { method: 'PUT', url, headers: {}, body: { properties: { data: c.data, password: 'pw' } } };
    const answer = (subject: string) => ({ id: new URL(url).pathname, name: 'c1', properties: { subject, thumbprint: c.thumbprint, expirationDate: c.notAfter.toISOString() } });
    const ex = (b: object) => exchange(apim, response(201, b, { etag: '"1"' }), { request: req, pathParams: APIM_PARAMS });
    expect(ruleIds(ex(answer('CN=api.contoso.test, O=Contoso, L=Redmond, S=WA, C=US')))).toEqual([]);
    expect(ruleIds(ex(answer(c.subject)))).toEqual([]);
    // A multi-valued RDN and doubled spaces: the same attributes.
    expect(ruleIds(ex(answer('CN=api.contoso.test + O=Contoso, L=Redmond,  S=WA, C=US')))).toEqual([]);
    expect(ruleIds(ex(answer('CN=other.contoso.test, O=Contoso, L=Redmond, S=WA, C=US')))).toEqual(['apimanagement.certificateCreateOrUpdate.certificate-described']);
    expect(ruleIds(ex(answer('CN=api.contoso.test, O=Contoso')))).toEqual(['apimanagement.certificateCreateOrUpdate.certificate-described']);
  });
});
