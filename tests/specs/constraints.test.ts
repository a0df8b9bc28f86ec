/**
 * Hand-written documents against the GENERATED validators: each invalid one is rejected with the expected
 * instancePath and keyword (and nothing else), each boundary-valid one is accepted. Every case runs on each
 * api-version of its operation unless it names the versions.
 */
import { describe, it } from 'vitest';
import type { OperationValidators, Validator } from '../../src/model/validators.js';
import { expectInvalid, expectValid, readSpecs, validatorsFor, withValue, type ExpectedError } from './helpers.js';

type Pick = (v: OperationValidators) => Validator | undefined;
const params: Pick = (v) => v.request.params;
const reqStrict: Pick = (v) => v.request.body?.strict;
const reqTolerant: Pick = (v) => v.request.body?.tolerant;
const resStrict =
  (status: string): Pick =>
  (v) =>
    v.responses[status]?.body?.strict;
const resTolerant =
  (status: string): Pick =>
  (v) =>
    v.responses[status]?.body?.tolerant;
const headers =
  (status: string): Pick =>
  (v) =>
    v.responses[status]?.headers;

interface Case {
  readonly name: string;
  readonly validators: readonly [label: string, pick: Pick][];
  /** The document; a function gets the api-version (for params, whose api-version is the spec's). */
  readonly data: unknown | ((apiVersion: string) => unknown);
  /** `'valid'` or the one error expected. */
  readonly expect: 'valid' | ExpectedError;
  /** Only these api-versions (default: every version that has the operation). */
  readonly versions?: readonly string[];
  /** Every version but these (a fact a later version added). */
  readonly except?: readonly string[];
}

/** Key Vault data plane versions before a fact arrived: oct-HSM and a nullable Error in 7.2, CustomizedRecoverable in 7.1. */
const BEFORE_7_2 = ['7.0', '7.1'];
const BEFORE_7_1 = ['7.0'];

const specFiles = readSpecs();
function versionsOf(operationId: string): { service: string; apiVersion: string }[] {
  return specFiles.filter((f) => f.operations.some((o) => o.id === operationId));
}

function table(operationId: string, cases: readonly Case[]): void {
  describe(operationId, () => {
    for (const { service, apiVersion } of versionsOf(operationId)) {
      describe(apiVersion, () => {
        for (const c of cases) {
          if ((c.versions && !c.versions.includes(apiVersion)) || c.except?.includes(apiVersion)) continue;
          for (const [label, pick] of c.validators) {
            const outcome = c.expect === 'valid' ? 'accepts' : `rejects (${c.expect.keyword} at ${c.expect.instancePath || '(root)'})`;
            it(`${label} ${outcome}: ${c.name}`, () => {
              const validator = pick(validatorsFor(service, apiVersion, operationId));
              if (!validator) throw new Error(`no ${label} validator for ${operationId} ${apiVersion}`);
              const data = typeof c.data === 'function' ? (c.data as (v: string) => unknown)(apiVersion) : c.data;
              if (c.expect === 'valid') expectValid(validator, data);
              else expectInvalid(validator, data, c.expect);
            });
          }
        }
      });
    }
  });
}

const chars = (n: number, c = 'a'): string => c.repeat(n);
const STRICT: [string, Pick] = ['request body strict', reqStrict];
const TOLERANT: [string, Pick] = ['request body tolerant', reqTolerant];
const BOTH = [STRICT, TOLERANT] as const;
const PARAMS: [string, Pick] = ['params', params];

// --- Key Vault data plane: UpdateCertificate -------------------------------------------------------------------

const lifetime = (trigger: object, actionType: unknown = 'AutoRenew'): object => ({
  policy: { lifetime_actions: [{ trigger, action: { action_type: actionType } }] },
});
const PCT = '/policy/lifetime_actions/0/trigger/lifetime_percentage';
const bundle = {
  id: 'https://myvault.vault.azure.net/certificates/updateCert01/c3d31d7b36c942ad83ef36fc0785a4fc',
  x5t: 'fLi3U52HunIVNXubkEnf8tP6Wbo',
  cer: 'MIICODCCAeagAwIBAgIQqHmpBAv+CY9IJFoUhlbziTAJBgUrDgMCHQUAMBYxFDASBgNVBAMTC1Jvb3QgQWdlbmN5',
  attributes: { enabled: true, nbf: 1430344421, exp: 2208988799, created: 1482188981, updated: 1482188981 },
  tags: { department: 'KeyVaultTest' },
};
const updateParams = (apiVersion: string): object => ({
  path: { 'certificate-name': 'updateCert01', 'certificate-version': 'c3d31d7b36c942ad83ef36fc0785a4fc' },
  query: { 'api-version': apiVersion },
  header: {},
});

table('UpdateCertificate', [
  { name: 'lifetime_percentage 0', validators: BOTH, data: lifetime({ lifetime_percentage: 0 }), expect: { instancePath: PCT, keyword: 'minimum', params: { limit: 1 } } },
  { name: 'lifetime_percentage 1', validators: BOTH, data: lifetime({ lifetime_percentage: 1 }), expect: 'valid' },
  { name: 'lifetime_percentage 99', validators: BOTH, data: lifetime({ lifetime_percentage: 99 }), expect: 'valid' },
  { name: 'lifetime_percentage 100', validators: BOTH, data: lifetime({ lifetime_percentage: 100 }), expect: { instancePath: PCT, keyword: 'maximum', params: { limit: 99 } } },
  { name: 'lifetime_percentage 50.5 (int32)', validators: [STRICT], data: lifetime({ lifetime_percentage: 50.5 }), expect: { instancePath: PCT, keyword: 'type' } },
  {
    name: 'days_before_expiry 0 and 100000 (its range is description-only: a rule, not the schema)',
    validators: [STRICT],
    data: { policy: { lifetime_actions: [{ trigger: { days_before_expiry: 0 } }, { trigger: { days_before_expiry: 100000 } }] } },
    expect: 'valid',
  },
  {
    name: 'action_type EmailAdmins (CertificatePolicyAction is a closed enum)',
    validators: BOTH,
    data: lifetime({ lifetime_percentage: 80 }, 'EmailAdmins'),
    expect: { instancePath: '/policy/lifetime_actions/0/action/action_type', keyword: 'enum' },
  },
  { name: 'action_type EmailContacts', validators: BOTH, data: lifetime({ days_before_expiry: 30 }, 'EmailContacts'), expect: 'valid' },
  { name: 'kty DSA', validators: [STRICT], data: { policy: { key_props: { kty: 'DSA' } } }, expect: { instancePath: '/policy/key_props/kty', keyword: 'enum' } },
  { name: 'kty DSA (JsonWebKeyType is an open enum)', validators: [TOLERANT], data: { policy: { key_props: { kty: 'DSA' } } }, expect: 'valid' },
  { name: 'kty oct-HSM', validators: BOTH, data: { policy: { key_props: { kty: 'oct-HSM', key_size: 256 } } }, expect: 'valid', except: BEFORE_7_2 },
  {
    name: 'kty oct-HSM before 7.2 (7.1/keys.json lists EC, EC-HSM, RSA, RSA-HSM, oct)',
    validators: [STRICT],
    data: { policy: { key_props: { kty: 'oct-HSM', key_size: 256 } } },
    expect: { instancePath: '/policy/key_props/kty', keyword: 'enum' },
    versions: BEFORE_7_2,
  },
  { name: 'kty oct-HSM before 7.2 (JsonWebKeyType is open)', validators: [TOLERANT], data: { policy: { key_props: { kty: 'oct-HSM' } } }, expect: 'valid', versions: BEFORE_7_2 },
  { name: 'crv P-192', validators: [STRICT], data: { policy: { key_props: { crv: 'P-192' } } }, expect: { instancePath: '/policy/key_props/crv', keyword: 'enum' } },
  { name: 'crv P-192 (open enum)', validators: [TOLERANT], data: { policy: { key_props: { crv: 'P-192' } } }, expect: 'valid' },
  { name: 'kty 42', validators: BOTH, data: { policy: { key_props: { kty: 42 } } }, expect: { instancePath: '/policy/key_props/kty', keyword: 'type' } },
  { name: 'key_size "2048"', validators: [STRICT], data: { policy: { key_props: { key_size: '2048' } } }, expect: { instancePath: '/policy/key_props/key_size', keyword: 'type' } },
  {
    name: 'key_usage signEverything',
    validators: [STRICT],
    data: { policy: { x509_props: { key_usage: ['digitalSignature', 'signEverything'] } } },
    expect: { instancePath: '/policy/x509_props/key_usage/1', keyword: 'enum' },
  },
  { name: 'key_usage signEverything (open enum)', validators: [TOLERANT], data: { policy: { x509_props: { key_usage: ['signEverything'] } } }, expect: 'valid' },
  {
    name: 'validity_months -1',
    validators: BOTH,
    data: { policy: { x509_props: { validity_months: -1 } } },
    expect: { instancePath: '/policy/x509_props/validity_months', keyword: 'minimum', params: { limit: 0 } },
  },
  { name: 'validity_months 0 and no maximum (1200)', validators: [STRICT], data: { policy: { x509_props: { validity_months: 0 } } }, expect: 'valid' },
  { name: 'validity_months 1200', validators: [STRICT], data: { policy: { x509_props: { validity_months: 1200 } } }, expect: 'valid' },
  { name: 'enabled "true"', validators: BOTH, data: { attributes: { enabled: 'true' } }, expect: { instancePath: '/attributes/enabled', keyword: 'type' } },
  { name: 'exp as a string', validators: BOTH, data: { attributes: { exp: '2208988799' } }, expect: { instancePath: '/attributes/exp', keyword: 'type' } },
  { name: 'nbf 1.5 (unixtime is integer seconds)', validators: [STRICT], data: { attributes: { nbf: 1.5 } }, expect: { instancePath: '/attributes/nbf', keyword: 'type' } },
  { name: 'tags with a number value', validators: [STRICT], data: { tags: { department: 1 } }, expect: { instancePath: '/tags/department', keyword: 'type' } },
  { name: 'an empty body (no required fields)', validators: [STRICT], data: {}, expect: 'valid' },
  { name: 'a body that is an array', validators: [STRICT], data: [], expect: { instancePath: '', keyword: 'type' } },
  { name: 'an unknown top-level property (models are open)', validators: [STRICT], data: { attributes: { enabled: false }, preserveCertOrder: true }, expect: 'valid' },

  { name: 'the seed path and api-version', validators: [PARAMS], data: updateParams, expect: 'valid' },
  {
    name: 'an empty certificate-version (the current version; no pattern/minLength)',
    validators: [PARAMS],
    data: (av: string) => withValue(updateParams(av), '/path/certificate-version', ''),
    expect: 'valid',
  },
  {
    name: 'no api-version',
    validators: [PARAMS],
    data: (av: string) => withValue(updateParams(av), '/query/api-version', undefined),
    expect: { instancePath: '/query', keyword: 'required', params: { missingProperty: 'api-version' } },
  },
  {
    name: 'an empty api-version',
    validators: [PARAMS],
    data: (av: string) => withValue(updateParams(av), '/query/api-version', ''),
    expect: { instancePath: '/query/api-version', keyword: 'minLength' },
  },

  { name: 'the seed response', validators: [['response 200 strict', resStrict('200')]], data: bundle, expect: 'valid' },
  {
    name: 'fields the real service adds (pending, basic_constraints) — Azure models are open',
    validators: [['response 200 strict', resStrict('200')], ['response 200 tolerant', resTolerant('200')]],
    data: {
      ...bundle,
      pending: { id: 'https://myvault.vault.azure.net/certificates/updateCert01/pending' },
      policy: { id: 'https://myvault.vault.azure.net/certificates/updateCert01/policy', x509_props: { subject: 'CN=x', basic_constraints: { ca: false } } },
      attributes: { ...bundle.attributes, recoveryLevel: 'CustomizedRecoverable+Purgeable', recoverableDays: 7 },
    },
    expect: 'valid',
    except: BEFORE_7_1,
  },
  {
    name: 'recoveryLevel CustomizedRecoverable+Purgeable at 7.0 (7.0 lists four levels; the strict schema refuses, the tolerant one notes)',
    validators: [['response 200 strict', resStrict('200')]],
    data: { ...bundle, attributes: { ...bundle.attributes, recoveryLevel: 'CustomizedRecoverable+Purgeable' } },
    expect: { instancePath: '/attributes/recoveryLevel', keyword: 'enum' },
    versions: BEFORE_7_1,
  },
  {
    name: 'recoverableDays at 7.0 (not declared there; answers are open)',
    validators: [['response 200 strict', resStrict('200')]],
    data: { ...bundle, attributes: { ...bundle.attributes, recoveryLevel: 'Recoverable+Purgeable', recoverableDays: 90 } },
    expect: 'valid',
    versions: BEFORE_7_1,
  },
  {
    name: 'recoveryLevel SomethingNew',
    validators: [['response 200 strict', resStrict('200')]],
    data: { ...bundle, attributes: { recoveryLevel: 'SomethingNew' } },
    expect: { instancePath: '/attributes/recoveryLevel', keyword: 'enum' },
  },
  {
    name: 'recoveryLevel SomethingNew (DeletionRecoveryLevel is an open enum)',
    validators: [['response 200 tolerant', resTolerant('200')]],
    data: { ...bundle, attributes: { recoveryLevel: 'SomethingNew' } },
    expect: 'valid',
  },
  {
    name: 'kty DSA in the returned policy',
    validators: [['response 200 strict', resStrict('200')]],
    data: { ...bundle, policy: { key_props: { kty: 'DSA' } } },
    expect: { instancePath: '/policy/key_props/kty', keyword: 'enum' },
  },
  {
    name: 'kty DSA in the returned policy (open enum)',
    validators: [['response 200 tolerant', resTolerant('200')]],
    data: { ...bundle, policy: { key_props: { kty: 'DSA' } } },
    expect: 'valid',
  },
  {
    name: 'action_type EmailAdmins in the returned policy (closed enum)',
    validators: [['response 200 tolerant', resTolerant('200')]],
    data: { ...bundle, policy: { lifetime_actions: [{ action: { action_type: 'EmailAdmins' } }] } },
    expect: { instancePath: '/policy/lifetime_actions/0/action/action_type', keyword: 'enum' },
  },
  {
    name: 'x5t with base64 padding and +/ (format base64url)',
    validators: [['response 200 strict', resStrict('200')]],
    data: { ...bundle, x5t: 'fLi3U52Hu+IVNX/bkEnf8tP6Wbo=' },
    expect: { instancePath: '/x5t', keyword: 'format' },
  },
  {
    name: 'cer that is not base64 (format byte)',
    validators: [['response 200 strict', resStrict('200')]],
    data: { ...bundle, cer: 'not base64!' },
    expect: { instancePath: '/cer', keyword: 'format' },
  },
  {
    name: 'exp as a string in the response',
    validators: [['response 200 tolerant', resTolerant('200')]],
    data: { ...bundle, attributes: { exp: '2039-12-31T23:59:59Z' } },
    expect: { instancePath: '/attributes/exp', keyword: 'type' },
  },
  {
    name: 'KeyVaultError with error: null (Error is x-nullable)',
    validators: [['response default strict', resStrict('default')], ['response 401 strict', resStrict('401')]],
    data: { error: null },
    expect: 'valid',
    except: BEFORE_7_2,
  },
  {
    name: 'KeyVaultError with error: null before 7.2 (7.1/common.json: Error without x-nullable)',
    validators: [['response default strict', resStrict('default')], ['response 401 strict', resStrict('401')]],
    data: { error: null },
    expect: { instancePath: '/error', keyword: 'type' },
    versions: BEFORE_7_2,
  },
  {
    name: 'KeyVaultError with innererror: null',
    validators: [['response default strict', resStrict('default')]],
    data: { error: { code: 'CertificateNotFound', message: 'not found', innererror: null } },
    expect: 'valid',
    except: BEFORE_7_2,
  },
  {
    name: 'KeyVaultError with error: "oops"',
    validators: [['response default strict', resStrict('default')]],
    data: { error: 'oops' },
    expect: { instancePath: '/error', keyword: 'type' },
  },
  {
    name: 'KeyVaultError with a numeric code',
    validators: [['response default strict', resStrict('default')]],
    data: { error: { code: 404 } },
    expect: { instancePath: '/error/code', keyword: 'type' },
  },
  {
    name: 'a 401 without WWW-Authenticate',
    validators: [['response 401 headers', headers('401')]],
    data: {},
    expect: { instancePath: '', keyword: 'required', params: { missingProperty: 'www-authenticate' } },
  },
  {
    name: 'a 401 WWW-Authenticate that is not a Bearer challenge',
    validators: [['response 401 headers', headers('401')]],
    data: { 'www-authenticate': 'Basic realm="x"' },
    expect: { instancePath: '/www-authenticate', keyword: 'pattern' },
  },
]);

// --- Key Vault data plane: SetCertificateContacts --------------------------------------------------------------

table('SetCertificateContacts', [
  { name: 'an email that is not an address (no format: email)', validators: [STRICT], data: { contacts: [{ email: 'not an email' }] }, expect: 'valid' },
  { name: 'no contacts (not required, no minItems)', validators: [STRICT], data: { contacts: [] }, expect: 'valid' },
  { name: 'contacts as a string', validators: [STRICT], data: { contacts: 'admin@contoso.com' }, expect: { instancePath: '/contacts', keyword: 'type' } },
  { name: 'a contact phone as a number', validators: [STRICT], data: { contacts: [{ phone: 1111111111 }] }, expect: { instancePath: '/contacts/0/phone', keyword: 'type' } },
  { name: 'KeyVaultError with error: null', validators: [['response default strict', resStrict('default')]], data: { error: null }, expect: 'valid', except: BEFORE_7_2 },
  { name: 'KeyVaultError with error: null before 7.2', validators: [['response default strict', resStrict('default')]], data: { error: null }, expect: { instancePath: '/error', keyword: 'type' }, versions: BEFORE_7_2 },
  {
    name: 'a response with extra properties',
    validators: [['response 200 strict', resStrict('200')]],
    data: { id: 'https://myvault.vault.azure.net/certificates/contacts', contacts: [{ email: 'a@b.c', extra: 1 }], extra: true },
    expect: 'valid',
  },
]);

// --- Key Vault management plane: Vaults_UpdateAccessPolicy -----------------------------------------------------

const entry = {
  tenantId: '00000000-0000-0000-0000-000000000000',
  objectId: '00000000-0000-0000-0000-000000000000',
  permissions: { keys: ['encrypt'], secrets: ['get'], certificates: ['get'] },
};
const policyBody = { properties: { accessPolicies: [entry] } };
const ENTRY0 = '/properties/accessPolicies/0';
const vaultParams = (apiVersion: string): object => ({
  path: { subscriptionId: '00000000-0000-0000-0000-000000000000', resourceGroupName: 'sample-group', vaultName: 'sample-vault', operationKind: 'add' },
  query: { 'api-version': apiVersion },
  header: {},
});
const vault = (name: string) => (av: string) => withValue(vaultParams(av), '/path/vaultName', name);
const VAULT_NAME = { instancePath: '/path/vaultName', keyword: 'pattern' } as const;
const keys = (...k: string[]): object => withValue(policyBody, `${ENTRY0}/permissions/keys`, k);

table('Vaults_UpdateAccessPolicy', [
  { name: 'vaultName ab (2 chars)', validators: [PARAMS], data: vault('ab'), expect: VAULT_NAME },
  { name: 'vaultName of 25 chars', validators: [PARAMS], data: vault(chars(25)), expect: VAULT_NAME },
  { name: 'vaultName abc (3 chars)', validators: [PARAMS], data: vault('abc'), expect: 'valid' },
  { name: 'vaultName of 24 chars', validators: [PARAMS], data: vault(`${chars(12, 'A')}-${chars(11, '9')}`), expect: 'valid' },
  { name: 'vaultName my_vault (underscore)', validators: [PARAMS], data: vault('my_vault'), expect: VAULT_NAME },
  { name: 'vaultName with a non-ASCII letter', validators: [PARAMS], data: vault('vaultä'), expect: VAULT_NAME },
  {
    name: 'operationKind merge (AccessPolicyUpdateKind is closed)',
    validators: [PARAMS],
    data: (av: string) => withValue(vaultParams(av), '/path/operationKind', 'merge'),
    expect: { instancePath: '/path/operationKind', keyword: 'enum' },
  },
  { name: 'operationKind replace', validators: [PARAMS], data: (av: string) => withValue(vaultParams(av), '/path/operationKind', 'replace'), expect: 'valid' },
  {
    name: 'no api-version',
    validators: [PARAMS],
    data: (av: string) => withValue(vaultParams(av), '/query', {}),
    expect: { instancePath: '/query', keyword: 'required', params: { missingProperty: 'api-version' } },
  },

  { name: 'the reference request', validators: BOTH, data: policyBody, expect: 'valid' },
  { name: 'tenantId x', validators: BOTH, data: withValue(policyBody, `${ENTRY0}/tenantId`, 'x'), expect: { instancePath: `${ENTRY0}/tenantId`, keyword: 'format' } },
  { name: 'applicationId not a uuid', validators: [STRICT], data: withValue(policyBody, `${ENTRY0}/applicationId`, 'app-1'), expect: { instancePath: `${ENTRY0}/applicationId`, keyword: 'format' } },
  { name: 'objectId not a uuid (no format on objectId)', validators: [STRICT], data: withValue(policyBody, `${ENTRY0}/objectId`, 'not-a-uuid'), expect: 'valid' },
  {
    name: 'an entry without permissions',
    validators: BOTH,
    data: withValue(policyBody, `${ENTRY0}/permissions`, undefined),
    expect: { instancePath: ENTRY0, keyword: 'required', params: { missingProperty: 'permissions' } },
  },
  {
    name: 'an entry without tenantId',
    validators: [STRICT],
    data: withValue(policyBody, `${ENTRY0}/tenantId`, undefined),
    expect: { instancePath: ENTRY0, keyword: 'required', params: { missingProperty: 'tenantId' } },
  },
  { name: 'no properties', validators: [STRICT], data: {}, expect: { instancePath: '', keyword: 'required', params: { missingProperty: 'properties' } } },
  {
    name: 'properties without accessPolicies',
    validators: [STRICT],
    data: { properties: {} },
    expect: { instancePath: '/properties', keyword: 'required', params: { missingProperty: 'accessPolicies' } },
  },
  { name: 'no entries (0 is allowed)', validators: [STRICT], data: { properties: { accessPolicies: [] } }, expect: 'valid' },
  {
    name: '17 entries (the 0-16 limit is description-only: a rule, not the schema)',
    validators: [STRICT],
    data: { properties: { accessPolicies: Array.from({ length: 17 }, () => entry) } },
    expect: 'valid',
  },
  { name: 'key permission fly', validators: [STRICT], data: keys('encrypt', 'fly'), expect: { instancePath: `${ENTRY0}/permissions/keys/1`, keyword: 'enum' } },
  { name: 'key permission fly (KeyPermissions is an open enum)', validators: [TOLERANT], data: keys('fly'), expect: 'valid' },
  { name: 'key permission all before 2021-10-01', validators: [STRICT], data: keys('all'), expect: { instancePath: `${ENTRY0}/permissions/keys/0`, keyword: 'enum' }, versions: ['2019-09-01'] },
  { name: 'key permission all', validators: [STRICT], data: keys('all'), expect: 'valid', versions: ['2024-11-01'] },
  { name: 'key permission rotate before 2022-07-01', validators: [STRICT], data: keys('rotate'), expect: { instancePath: `${ENTRY0}/permissions/keys/0`, keyword: 'enum' }, versions: ['2019-09-01'] },
  { name: 'key permissions rotate, release, getrotationpolicy', validators: [STRICT], data: keys('rotate', 'release', 'getrotationpolicy'), expect: 'valid', versions: ['2024-11-01'] },
  {
    name: 'storage permission deletesas',
    validators: [STRICT],
    data: withValue(policyBody, `${ENTRY0}/permissions/storage`, ['deletesas']),
    expect: 'valid',
  },

  {
    name: 'the reference response, with extra properties (Azure models are open)',
    validators: [['response 200 strict', resStrict('200')], ['response 201 strict', resStrict('201')]],
    data: {
      id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/sample-group/providers/Microsoft.KeyVault/vaults/sample-vault/accessPolicies/',
      type: 'Microsoft.KeyVault/vaults/accessPolicies',
      systemData: { createdBy: 'someone' },
      properties: { accessPolicies: [{ ...entry, extra: 'x' }], extra: 1 },
    },
    expect: 'valid',
  },
  {
    name: 'a response entry with tenantId x',
    validators: [['response 200 tolerant', resTolerant('200')]],
    data: withValue(policyBody, `${ENTRY0}/tenantId`, 'x'),
    expect: { instancePath: `${ENTRY0}/tenantId`, keyword: 'format' },
  },
  { name: 'a CloudError', validators: [['response 401 strict', resStrict('401')]], data: { error: { code: 'AuthenticationFailed', message: 'm' } }, expect: 'valid' },
]);

// --- API Management: Certificate_CreateOrUpdate ----------------------------------------------------------------

const apimParams = (apiVersion: string): object => ({
  path: { subscriptionId: '00000000-0000-0000-0000-000000000000', resourceGroupName: 'rg1', serviceName: 'apimService1', certificateId: 'tempcert' },
  query: { 'api-version': apiVersion },
  header: {},
});
const apim = (pointer: string, value: unknown) => (av: string) => withValue(apimParams(av), pointer, value);
const CERT_ID = '/path/certificateId';
const SERVICE = '/path/serviceName';
const contract = {
  id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1/certificates/tempcert',
  type: 'Microsoft.ApiManagement/service/certificates',
  name: 'tempcert',
  properties: { subject: 'CN=contoso.com', thumbprint: '*******************3', expirationDate: '2018-03-17T21:55:07+00:00' },
};
const CONTRACT: [string, Pick][] = [
  ['response 200 strict', resStrict('200')],
  ['response 201 strict', resStrict('201')],
];

table('Certificate_CreateOrUpdate', [
  { name: 'the reference path', validators: [PARAMS], data: apimParams, expect: 'valid' },
  { name: 'certificateId cert*1', validators: [PARAMS], data: apim(CERT_ID, 'cert*1'), expect: { instancePath: CERT_ID, keyword: 'pattern' } },
  { name: 'certificateId a#b', validators: [PARAMS], data: apim(CERT_ID, 'a#b'), expect: { instancePath: CERT_ID, keyword: 'pattern' } },
  { name: 'certificateId a:b', validators: [PARAMS], data: apim(CERT_ID, 'a:b'), expect: { instancePath: CERT_ID, keyword: 'pattern' } },
  { name: 'certificateId of 80 chars', validators: [PARAMS], data: apim(CERT_ID, chars(80)), expect: 'valid' },
  { name: 'certificateId of 81 chars', validators: [PARAMS], data: apim(CERT_ID, chars(81)), expect: { instancePath: CERT_ID, keyword: 'maxLength', params: { limit: 80 } } },
  { name: 'certificateId empty', validators: [PARAMS], data: apim(CERT_ID, ''), expect: { instancePath: CERT_ID, keyword: 'minLength' } },
  { name: 'certificateId with dots, spaces and unicode', validators: [PARAMS], data: apim(CERT_ID, 'my cert.v2-ü'), expect: 'valid' },
  { name: 'serviceName a (1 char)', validators: [PARAMS], data: apim(SERVICE, 'a'), expect: 'valid' },
  { name: 'serviceName my-service-1', validators: [PARAMS], data: apim(SERVICE, 'my-service-1'), expect: 'valid' },
  { name: 'serviceName of 50 chars', validators: [PARAMS], data: apim(SERVICE, chars(50)), expect: 'valid' },
  { name: 'serviceName of 51 chars', validators: [PARAMS], data: apim(SERVICE, chars(51)), expect: { instancePath: SERVICE, keyword: 'maxLength', params: { limit: 50 } } },
  { name: 'serviceName empty', validators: [PARAMS], data: apim(SERVICE, ''), expect: { instancePath: SERVICE, keyword: 'minLength' } },
  { name: 'serviceName 1service (starts with a digit)', validators: [PARAMS], data: apim(SERVICE, '1service'), expect: { instancePath: SERVICE, keyword: 'pattern' } },
  { name: 'serviceName service- (ends with a hyphen)', validators: [PARAMS], data: apim(SERVICE, 'service-'), expect: { instancePath: SERVICE, keyword: 'pattern' } },
  { name: 'serviceName serv_ice (underscore)', validators: [PARAMS], data: apim(SERVICE, 'serv_ice'), expect: { instancePath: SERVICE, keyword: 'pattern' } },
  { name: 'resourceGroupName of 90 chars', validators: [PARAMS], data: apim('/path/resourceGroupName', chars(90)), expect: 'valid' },
  { name: 'resourceGroupName rg.(1)_x-y', validators: [PARAMS], data: apim('/path/resourceGroupName', 'rg.(1)_x-y'), expect: 'valid' },
  {
    name: 'resourceGroupName of 91 chars',
    validators: [PARAMS],
    data: apim('/path/resourceGroupName', chars(91)),
    expect: { instancePath: '/path/resourceGroupName', keyword: 'maxLength' },
  },
  { name: 'resourceGroupName rg 1 (space)', validators: [PARAMS], data: apim('/path/resourceGroupName', 'rg 1'), expect: { instancePath: '/path/resourceGroupName', keyword: 'pattern' } },
  { name: 'subscriptionId not a uuid', validators: [PARAMS], data: apim('/path/subscriptionId', 'sub-1'), expect: { instancePath: '/path/subscriptionId', keyword: 'format' } },
  { name: 'If-Match * (lower-case header name)', validators: [PARAMS], data: apim('/header/if-match', '*'), expect: 'valid' },

  { name: 'the reference request (data and password)', validators: BOTH, data: { properties: { data: 'MIIK', password: 'p' } }, expect: 'valid' },
  { name: 'an empty body (nothing is required)', validators: [STRICT], data: {}, expect: 'valid' },
  { name: 'data as a number', validators: [STRICT], data: { properties: { data: 1 } }, expect: { instancePath: '/properties/data', keyword: 'type' } },
  {
    name: 'keyVault.secretIdentifier as a number',
    validators: [STRICT],
    data: { properties: { keyVault: { secretIdentifier: 5 } } },
    expect: { instancePath: '/properties/keyVault/secretIdentifier', keyword: 'type' },
  },

  { name: 'the reference response', validators: CONTRACT, data: contract, expect: 'valid' },
  {
    name: 'expirationDate 2018-03-17 (a date, not a date-time)',
    validators: CONTRACT,
    data: withValue(contract, '/properties/expirationDate', '2018-03-17'),
    expect: { instancePath: '/properties/expirationDate', keyword: 'format' },
  },
  {
    name: 'expirationDate without a time zone',
    validators: CONTRACT,
    data: withValue(contract, '/properties/expirationDate', '2018-03-17T21:55:07'),
    expect: { instancePath: '/properties/expirationDate', keyword: 'format' },
  },
  {
    name: 'no thumbprint',
    validators: CONTRACT,
    data: withValue(contract, '/properties/thumbprint', undefined),
    expect: { instancePath: '/properties', keyword: 'required', params: { missingProperty: 'thumbprint' } },
  },
  {
    name: 'lastStatus.timeStampUtc yesterday',
    validators: CONTRACT,
    data: withValue(contract, '/properties/keyVault', { lastStatus: { code: 'Success', timeStampUtc: 'yesterday' } }),
    expect: { instancePath: '/properties/keyVault/lastStatus/timeStampUtc', keyword: 'format' },
  },
  {
    name: 'extra unknown properties (Azure models are open)',
    validators: CONTRACT,
    data: { ...contract, systemData: { createdAt: 'x' }, properties: { ...contract.properties, isNew: true, keyVault: { lastStatus: { extra: 1 } } } },
    expect: 'valid',
  },
  { name: 'a 201 without ETag', validators: [['response 201 headers', headers('201')]], data: {}, expect: { instancePath: '', keyword: 'required', params: { missingProperty: 'etag' } } },
  { name: 'a 200 without ETag', validators: [['response 200 headers', headers('200')]], data: {}, expect: { instancePath: '', keyword: 'required', params: { missingProperty: 'etag' } } },
  { name: 'a 201 with ETag', validators: [['response 201 headers', headers('201')]], data: { etag: '"AAAAAAAAAAa="' }, expect: 'valid' },
  { name: 'a 401 without WWW-Authenticate (optional on ARM)', validators: [['response 401 headers', headers('401')]], data: {}, expect: 'valid' },
  {
    name: 'an ErrorResponse with details',
    validators: [['response default strict', resStrict('default')]],
    data: { error: { code: 'ValidationError', message: 'm', details: [{ code: 'c', target: 't', message: 'm' }] } },
    expect: 'valid',
  },
  {
    name: 'an ErrorResponse with a detail that is a string',
    validators: [['response default strict', resStrict('default')]],
    data: { error: { code: 'ValidationError', details: ['bad'] } },
    expect: { instancePath: '/error/details/0', keyword: 'type' },
  },
]);
