import { describe, expect, it } from 'vitest';
import { CHECKS_BY_ID } from '../../src/checks/registry.js';
import { runChecks } from '../../src/checks/run.js';
import type { CheckContext } from '../../src/checks/types.js';
import { exampleBody, exchange, op, response } from './fixtures.js';

const service: CheckContext = { profile: 'service' };
const mock: CheckContext = { profile: 'mock' };
const check = (id: string) => {
  const c = CHECKS_BY_ID.get(id);
  if (!c) throw new Error(id);
  return c;
};
const ids = (fs: readonly { check: string; severity: string }[]) => fs.filter((f) => f.severity === 'violation').map((f) => f.check);

const update = op('UpdateCertificate', '7.4');
const contacts = op('SetCertificateContacts', '2025-07-01');
const apim = op('Certificate_CreateOrUpdate', '2024-05-01');
const policy = op('Vaults_UpdateAccessPolicy', '2019-09-01');
const certOk = exampleBody(update, '200', 'UpdateCertificate') as { attributes: object; [k: string]: unknown };
const kvError = { error: { code: 'BadParameter', message: 'bad' } };

describe('check registry', () => {
  it('has unique ids, each with a citation', () => {
    const all = [...CHECKS_BY_ID.values()];
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
    for (const c of all) expect(c.cites.length, c.id).toBeGreaterThan(10);
  });
});

describe('response.schema', () => {
  it('passes the documented example and tolerates unknown extra fields', () => {
    expect(check('response.schema').run(exchange(update, response(200, { ...certOk, pending: { id: 'x' } })), service)).toEqual([]);
  });
  it('fails exp as a string with its instance path', () => {
    const f = check('response.schema').run(exchange(update, response(200, { ...certOk, attributes: { ...certOk.attributes, exp: 'soon' } })), service);
    expect(f.map((x) => x.instancePath)).toContain('/attributes/exp');
  });
  it('makes an unknown value of an open enum a note, not a violation', () => {
    const body = { ...certOk, policy: { key_props: { kty: 'DSA' } } };
    const f = check('response.schema').run(exchange(update, response(200, body)), service);
    expect(ids(f)).toEqual([]);
    expect(f.map((x) => x.severity)).toEqual(['note']);
  });
  it('fails a closed enum value outside the list', () => {
    const body = { ...certOk, policy: { lifetime_actions: [{ trigger: { lifetime_percentage: 5 }, action: { action_type: 'Delete' } }] } };
    expect(ids(check('response.schema').run(exchange(update, response(200, body)), service))).toEqual(['response.schema']);
  });
  it('fails a documented body that is missing', () => {
    expect(ids(check('response.schema').run(exchange(contacts, response(200, undefined)), service))).toEqual(['response.schema']);
  });
  it('fails a member spelt as a declared one in another case or style while the declared one is absent', () => {
    const attrs = certOk.attributes as { [k: string]: unknown };
    const snake = { ...certOk, attributes: { enabled: attrs.enabled, recovery_level: 'Recoverable+Purgeable', recoverable_days: 90 } };
    const f = check('response.schema').run(exchange(update, response(200, snake)), service);
    expect(ids(f)).toEqual(['response.schema', 'response.schema']);
    expect(f.map((x) => x.instancePath)).toEqual(['/attributes/recovery_level', '/attributes/recoverable_days']);
    const camel = { ...certOk, policy: { x509Props: { validityMonths: 12 }, lifetimeActions: [{ trigger: { lifetimePercentage: 80 }, action: { actionType: 'AutoRenew' } }] } };
    expect(check('response.schema').run(exchange(update, response(200, camel)), service).map((x) => x.instancePath)).toEqual(['/policy/x509Props', '/policy/lifetimeActions']);
    // Inside a declared member, and the declared spelling next to another one: a client still reads the declared one.
    const nested = { ...certOk, policy: { x509_props: { validity_months: 12, validityMonths: 12 }, lifetime_actions: [{ trigger: { Lifetime_Percentage: 80 }, action: { action_type: 'AutoRenew' } }] } };
    expect(check('response.schema').run(exchange(update, response(200, nested)), service).map((x) => x.instancePath)).toEqual(['/policy/lifetime_actions/0/trigger/Lifetime_Percentage']);
    // Tags are a map: its keys are the client's own, whatever their spelling.
    expect(check('response.schema').run(exchange(update, response(200, { ...certOk, tags: { Enabled: 'x', recovery_level: 'y' } })), service)).toEqual([]);
  });
});

describe('status.documented', () => {
  it('accepts 200, and a 4xx covered by default', () => {
    expect(check('status.documented').run(exchange(contacts, response(200, {})), service)).toEqual([]);
    expect(check('status.documented').run(exchange(contacts, response(409, kvError)), service)).toEqual([]);
  });
  it('fails an undocumented success status even when default exists', () => {
    expect(ids(check('status.documented').run(exchange(contacts, response(204, undefined)), service))).toEqual(['status.documented']);
  });
});

describe('response.headers', () => {
  it('requires ETag on API Management 201', () => {
    const body = exampleBody(apim, '201');
    expect(ids(check('response.headers').run(exchange(apim, response(201, body)), service))).toEqual(['response.headers']);
    expect(check('response.headers').run(exchange(apim, response(201, body, { etag: '"AAAA"' })), service)).toEqual([]);
  });
});

describe('response.content-type', () => {
  it('fails text/plain and passes application/json with charset', () => {
    expect(ids(check('response.content-type').run(exchange(contacts, response(200, '{}', { 'content-type': 'text/plain' })), service))).toEqual(['response.content-type']);
    expect(check('response.content-type').run(exchange(contacts, response(200, {})), service)).toEqual([]);
    expect(check('response.content-type').run(exchange(contacts, response(200, {}, { 'content-type': 'Application/JSON; charset=UTF-8' })), service)).toEqual([]);
  });
  it('holds a service to application/json (the SDKs parse nothing else) and lets a mock label its refusals +json', () => {
    for (const ct of ['application/problem+json', 'application/vnd.contoso+json; charset=utf-8', 'text/json']) {
      expect(ids(check('response.content-type').run(exchange(contacts, response(400, kvError, { 'content-type': ct })), service)), ct).toEqual(['response.content-type']);
    }
    expect(check('response.content-type').run(exchange(contacts, response(422, kvError, { 'content-type': 'application/problem+json' })), mock)).toEqual([]);
  });
});

describe('error.envelope', () => {
  it('passes KeyVaultError and fails a bare string error', () => {
    expect(check('error.envelope').run(exchange(update, response(400, kvError)), service)).toEqual([]);
    expect(ids(check('error.envelope').run(exchange(update, response(400, { error: 'bad' })), service))).toEqual(['error.envelope']);
  });
  it('fails an error without a code, and an error with no body', () => {
    expect(ids(check('error.envelope').run(exchange(policy, response(400, { error: {} })), service))).toEqual(['error.envelope']);
    expect(ids(check('error.envelope').run(exchange(policy, response(404, undefined)), service))).toEqual(['error.envelope']);
  });
});

describe('resource.not-found', () => {
  it('wants 404; an ARM 403 (rights scoped to one resource) is a note, a data-plane 403 a violation', () => {
    const missing = { kind: 'not-found' as const, expect: 'reject' as const };
    expect(check('resource.not-found').run(exchange(policy, response(404, { error: { code: 'ResourceNotFound', message: 'x' } }), missing), service)).toEqual([]);
    const arm403 = check('resource.not-found').run(exchange(policy, response(403, { error: { code: 'AuthorizationFailed', message: 'x' } }), missing), service);
    expect(arm403.map((f) => f.severity)).toEqual(['note']);
    expect(ids(check('resource.not-found').run(exchange(update, response(403, kvError), missing), service))).toEqual(['resource.not-found']);
    // Only ARM's authorisation refusal: any other 403 for a missing resource is still a fault.
    expect(ids(check('resource.not-found').run(exchange(policy, response(403, { error: { code: 'Forbidden', message: 'x' } }), missing), service))).toEqual(['resource.not-found']);
    expect(ids(check('resource.not-found').run(exchange(policy, response(200, {}), missing), service))).toEqual(['resource.not-found']);
  });
});

describe('null properties, as Azure sends them and its clients read them (absent)', () => {
  // Real API Management: {"error":{"code":"ResourceNotFound","message":"Api not found.","details":null}}.
  it('error.envelope passes null details and target, and still fails a null code', () => {
    const apimError = { error: { code: 'ResourceNotFound', message: 'Api not found.', details: null, target: null } };
    expect(check('error.envelope').run(exchange(apim, response(404, apimError)), service)).toEqual([]);
    expect(check('error.envelope').run(exchange(policy, response(400, { error: { code: 'BadRequest', message: 'x', details: null } })), service)).toEqual([]);
    expect(ids(check('error.envelope').run(exchange(apim, response(400, { error: { code: null, message: 'x' } })), service))).toEqual(['error.envelope']);
  });
  it('response.schema passes null optional properties and fails a null required one', () => {
    const ok = exampleBody(apim, '200', 'ApiManagementCreateCertificate') as { properties: { [k: string]: unknown } };
    const withNulls = { ...ok, properties: { ...ok.properties, keyVault: null } };
    expect(check('response.schema').run(exchange(apim, response(200, withNulls)), service)).toEqual([]);
    const noThumbprint = { ...ok, properties: { ...ok.properties, thumbprint: null } };
    const f = check('response.schema').run(exchange(apim, response(200, noThumbprint)), service);
    expect(ids(f)).toEqual(['response.schema']);
    expect(f[0]?.message).toMatch(/thumbprint/);
  });
  it('a null inside an array is a value, not an absence', () => {
    const body = { id: 'https://v.vault.azure.net/certificates/contacts', contacts: [null] };
    expect(ids(check('response.schema').run(exchange(contacts, response(200, body)), service))).toEqual(['response.schema']);
  });
});

describe('transport and server.error', () => {
  it('reports a timeout and a non-JSON body as transport', () => {
    expect(ids(check('transport').run(exchange(contacts, undefined, {}, { kind: 'timeout', message: 'slow' }), service))).toEqual(['transport']);
    expect(ids(check('transport').run(exchange(contacts, response(200, '<html>')), service))).toEqual(['transport']);
  });
  it('a transport failure leaves only the transport check to judge', () => {
    const outcomes = runChecks(exchange(contacts, undefined, {}, { kind: 'reset', message: 'x' }), service);
    expect(outcomes.map((o) => o.check)).toEqual(['transport']);
  });
  it('fails a 5xx', () => {
    expect(ids(check('server.error').run(exchange(contacts, response(503, kvError)), service))).toEqual(['server.error']);
  });
});

describe('positive.accepted and negative.rejected', () => {
  it('fails valid input refused, passes it accepted', () => {
    expect(ids(check('positive.accepted').run(exchange(contacts, response(400, kvError)), service))).toEqual(['positive.accepted']);
    expect(check('positive.accepted').run(exchange(contacts, response(200, {})), service)).toEqual([]);
  });
  it('takes an API Management update refused for want of If-Match (412, 428, or a 4xx that says so) as documented, not another 4xx', () => {
    const put = (status: number, body: unknown, headers: { [k: string]: string } = {}) =>
      check('positive.accepted').run(exchange(apim, response(status, body), { request: { method: 'PUT', url: 'https://m.example/x?api-version=2024-05-01', headers } }), service);
    expect(ids(put(412, { error: { code: 'PreconditionFailed', message: 'x' } }))).toEqual([]);
    expect(ids(put(428, { error: { code: 'PreconditionRequired', message: 'x' } }))).toEqual([]);
    expect(ids(put(400, { error: { code: 'IfMatchRequired', message: 'An update needs an If-Match header.' } }))).toEqual([]);
    expect(ids(put(400, { error: { code: 'ValidationError', message: 'The ETag of the entity is required to update it.' } }))).toEqual([]);
    expect(ids(put(400, { error: { code: 'ValidationError', message: 'subject is not a name' } }))).toEqual(['positive.accepted']);
    // A word that merely ends in "tag" is not an ETag.
    expect(ids(put(400, { error: { code: 'InvalidResourceTag', message: 'serviceTag is unknown' } }))).toEqual(['positive.accepted']);
    // Sent with an If-Match, a refusal is not for want of one.
    expect(ids(put(400, { error: { code: 'IfMatchRequired', message: 'x' } }, { 'if-match': '*' }))).toEqual(['positive.accepted']);
    // Key Vault documents no If-Match: nothing is excused there.
    expect(ids(check('positive.accepted').run(exchange(contacts, response(400, { error: { code: 'IfMatchRequired', message: 'x' } })), service))).toEqual(['positive.accepted']);
  });
  it('fails invalid input accepted and names the rule it breaks', () => {
    const breaks = { kind: 'rule' as const, id: 'keyvault.updateAccessPolicy.policy-count', path: '/properties/accessPolicies', detail: '17 entries' };
    const f = check('negative.rejected').run(exchange(policy, response(200, {}), { kind: 'knob', expect: 'reject', breaks }), service);
    expect(ids(f)).toEqual(['negative.rejected']);
    expect(f[0]?.rule).toBe('keyvault.updateAccessPolicy.policy-count');
    expect(check('negative.rejected').run(exchange(policy, response(400, kvError), { kind: 'knob', expect: 'reject', breaks }), service)).toEqual([]);
  });
  it('takes a 403 as a refusal of a malformed path segment (ARM authorises on the URL first), not of a body', () => {
    const forbidden = response(403, { error: { code: 'AuthorizationFailed', message: 'no access' } });
    const path = { kind: 'schema' as const, id: 'pattern', path: '/path/resourceGroupName', detail: 'bad name' };
    const body = { kind: 'schema' as const, id: 'maxItems', path: '/properties/accessPolicies', detail: '17' };
    expect(check('negative.rejected').run(exchange(policy, forbidden, { kind: 'boundary', expect: 'reject', breaks: path }), service)).toEqual([]);
    expect(ids(check('negative.rejected').run(exchange(policy, forbidden, { kind: 'knob', expect: 'reject', breaks: body }), service))).toEqual(['negative.rejected']);
  });
  it('is skipped with a reason under the mock profile for rules a mock cannot know', () => {
    const breaks = { kind: 'rule' as const, id: 'keyvault.updateAccessPolicy.same-tenant', path: '', detail: '' };
    const outcome = runChecks(exchange(policy, response(200, {}), { kind: 'knob', expect: 'reject', breaks }), mock).find((o) => o.check === 'negative.rejected');
    expect(outcome?.status).toBe('skipped');
    expect(outcome?.skipReason).toMatch(/same-tenant/);
  });
});

describe('auth.required', () => {
  const challenge = 'Bearer authorization="https://login.windows.net/00000000-0000-0000-0000-000000000000", resource="https://vault.azure.net"';
  it('requires 401 with the full Bearer challenge on the data plane under service', () => {
    expect(check('auth.required').run(exchange(update, response(401, kvError, { 'www-authenticate': challenge }), { kind: 'auth' }), service)).toEqual([]);
    expect(ids(check('auth.required').run(exchange(update, response(401, kvError, { 'www-authenticate': 'Bearer' }), { kind: 'auth' }), service))).toEqual(['auth.required']);
    expect(ids(check('auth.required').run(exchange(update, response(200, certOk), { kind: 'auth' }), service))).toEqual(['auth.required']);
  });
  it('reads the challenge as RFC 7235 writes it: parameters in any order, spaces around =, another challenge first', () => {
    const judge = (h: string) => ids(check('auth.required').run(exchange(update, response(401, kvError, { 'www-authenticate': h }), { kind: 'auth' }), service));
    for (const h of [
      'Bearer resource="https://vault.azure.net", authorization="https://login.windows.net/t"',
      'bearer scope="https://vault.azure.net/.default", authorization_uri="https://login.windows.net/t"',
      'Bearer authorization = "https://login.windows.net/t", resource = "https://vault.azure.net"',
      'PoP nonce="abc", Bearer authorization="https://login.windows.net/t", resource="https://vault.azure.net"',
    ]) {
      expect(judge(h), h).toEqual([]);
      // The header's schema takes them too.
      expect(ids(check('response.headers').run(exchange(update, response(401, kvError, { 'www-authenticate': h }), { kind: 'auth' }), service)), h).toEqual([]);
    }
    expect(judge('Bearer authorization="https://login.windows.net/t"')).toEqual(['auth.required']);
    expect(judge('PoP nonce="abc", resource="https://vault.azure.net", authorization="https://login.windows.net/t"')).toEqual(['auth.required']);
  });
  it('accepts a bare Bearer challenge from a mock, and needs no challenge on ARM', () => {
    expect(check('auth.required').run(exchange(update, response(401, kvError, { 'www-authenticate': 'Bearer' }), { kind: 'auth' }), mock)).toEqual([]);
    expect(check('auth.required').run(exchange(policy, response(401, { error: { code: 'AuthenticationFailed', message: 'x' } }), { kind: 'auth' }), service)).toEqual([]);
  });
});

describe('api-version.required', () => {
  const missing = { kind: 'api-version' as const, expect: 'reject' as const, label: 'missing api-version', request: { method: 'PUT', url: 'https://v.example/certificates/contacts', headers: {} } };
  it('requires exactly 400 under service, any 4xx under mock', () => {
    expect(check('api-version.required').run(exchange(contacts, response(400, kvError), missing), service)).toEqual([]);
    expect(ids(check('api-version.required').run(exchange(contacts, response(422, kvError), missing), service))).toEqual(['api-version.required']);
    expect(check('api-version.required').run(exchange(contacts, response(422, kvError), missing), mock)).toEqual([]);
  });
  it('api%2Dversion is api-version: refused as missing is a violation; any other answer is not this check\'s', () => {
    const encoded = { kind: 'api-version' as const, expect: 'accept' as const, label: 'api-version written api%2Dversion', request: { method: 'PUT', url: 'https://v.example/certificates/contacts?api%2Dversion=7.4', headers: {} } };
    const missingVersion = { error: { code: 'BadParameter', message: 'The api-version query parameter is missing.' } };
    expect(ids(check('api-version.required').run(exchange(contacts, response(400, missingVersion), encoded), service))).toEqual(['api-version.required']);
    expect(check('api-version.required').run(exchange(contacts, response(200, { contacts: [] }), encoded), service)).toEqual([]);
    expect(check('api-version.required').run(exchange(contacts, response(400, { error: { code: 'BadParameter', message: 'contacts[0].email is not an email' } }), encoded), service)).toEqual([]);
    expect(check('api-version.required').skip?.(mock, exchange(contacts, response(400, missingVersion), encoded))).toBeTruthy();
  });
});

describe('request.schema (recorded traffic)', () => {
  it('fails a recorded request whose body breaks the schema', () => {
    const req = { method: 'PATCH', url: 'https://v.example/certificates/a/b?api-version=7.4', headers: {}, body: { attributes: { enabled: 'true' } } };
    const f = check('request.schema').run(exchange(update, response(200, certOk), { kind: 'recorded', request: req, pathParams: { 'certificate-name': 'a', 'certificate-version': 'b' } }), service);
    expect(f.map((x) => x.instancePath)).toEqual(['/attributes/enabled']);
  });
  it('reads null on an optional member as not sent (identityClientId null is documented), and null on a required one as missing', () => {
    const put = (properties: object, status = 201) =>
      check('request.schema').run(
        exchange(apim, response(status, exampleBody(apim, '201')), {
          kind: 'recorded',
          request: { method: 'PUT', url: 'https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/svc/certificates/c1?api-version=2024-05-01', headers: {}, body: { properties } },
          pathParams: { subscriptionId: '00000000-0000-0000-0000-000000000000', resourceGroupName: 'rg', serviceName: 'svc', certificateId: 'c1' },
        }),
        service,
      );
    const secretIdentifier = 'https://kv.vault.azure.net/secrets/web';
    expect(ids(put({ keyVault: { secretIdentifier, identityClientId: null } }))).toEqual([]);
    // A wrong type is still wrong.
    expect(ids(put({ keyVault: { secretIdentifier, identityClientId: 7 } }))).toEqual(['request.schema']);
    // Required and null: missing, as the schema says of a member not sent; optional and null: not sent.
    const entry = (extra: object) =>
      check('request.schema').run(
        exchange(policy, response(200, exampleBody(policy, '200')), {
          kind: 'recorded',
          request: {
            method: 'PUT',
            url: 'https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1/accessPolicies/add?api-version=2019-09-01',
            headers: {},
            body: { properties: { accessPolicies: [{ tenantId: '00000000-0000-0000-0000-000000000000', objectId: 'o1', permissions: { keys: ['get'] }, ...extra }] } },
          },
          pathParams: { subscriptionId: '00000000-0000-0000-0000-000000000000', resourceGroupName: 'rg', vaultName: 'kv1', operationKind: 'add' },
        }),
        service,
      );
    expect(ids(entry({ applicationId: null }))).toEqual([]);
    const f = entry({ objectId: null });
    expect(ids(f)).toEqual(['request.schema']);
    expect(f.map((x) => x.message).join()).toMatch(/objectId/);
  });
});
