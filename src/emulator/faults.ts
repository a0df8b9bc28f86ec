/**
 * The fault catalog: named, deliberate deviations from Azure's behaviour, as data. Each row names its tier, the one
 * operation (request class) it touches, what it does, and one small hook — a validation issue it lets through, a
 * stage it skips, a quirk of the stores, or a rewrite of the reply. Everything else keeps conforming, so a run
 * against a faulty emulator should name exactly the check that catches the fault.
 *
 * Tiers: schema (wrong types, missing required, headers), boundary (off by one at a bound), prose (rules only the
 * descriptions state), semantics (answers that disagree with the request), state (what a write remembers),
 * security (auth and api-version), robustness (hangs, resets, slow or broken bodies, 5xx).
 */
import { createHash } from 'node:crypto';
import { openCached } from '../pki/pkcs12-cache.js';
import { BAD_API_VERSION, error } from './errors.js';
import type { Fault, Issue, Obj, Reply, RequestCtx } from './types.js';

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const ok = (r: Reply): boolean => r.status >= 200 && r.status < 300;

/** Rewrite a success body (a deep copy: the stores never see the change). */
const onSuccess =
  (fn: (body: Obj, ctx: RequestCtx) => void) =>
  (r: Reply, ctx: RequestCtx): Reply => {
    if (!ok(r) || !isObj(r.body)) return r;
    const body = structuredClone(r.body);
    fn(body, ctx);
    return { ...r, body };
  };
const onStatus =
  (status: number, fn: (r: Reply, ctx: RequestCtx) => Reply) =>
  (r: Reply, ctx: RequestCtx): Reply =>
    r.status === status ? fn(r, ctx) : r;
const withoutHeader = (r: Reply, name: string): Reply => ({ ...r, headers: Object.fromEntries(Object.entries(r.headers).filter(([k]) => k !== name)) });

/** Tolerate a schema keyword at a matching location when the value there is the one the fault lets through. */
const schemaAt =
  (keywords: readonly string[], path: RegExp, value: (v: unknown) => boolean) =>
  (i: Issue): boolean =>
    i.stage !== 'rule' && keywords.includes(i.id) && path.test(i.path) && value(i.value);
/** Tolerate a rule (optionally only when the body passes a test). */
const rule =
  (id: string, when: (body: unknown) => boolean = () => true) =>
  (i: Issue): boolean =>
    i.stage === 'rule' && i.id === id && when(i.value);

const props = (b: Obj): Obj => (isObj(b.properties) ? b.properties : {});
const attrs = (b: Obj): Obj => (isObj(b.attributes) ? b.attributes : {});
const triggers = (body: unknown): Obj[] =>
  ((isObj(body) && isObj(body.policy) && Array.isArray(body.policy.lifetime_actions) ? body.policy.lifetime_actions : []) as unknown[]).flatMap((a) =>
    isObj(a) && isObj(a.trigger) ? [a.trigger] : [],
  );
const policies = (body: unknown): Obj[] => ((isObj(body) && Array.isArray(props(body).accessPolicies) ? props(body).accessPolicies : []) as Obj[]);
const certProps = (ctx: RequestCtx): Obj => (isObj(ctx.body) ? props(ctx.body) : {});
const sha1 = (s: string, enc: 'hex' | 'base64url'): string => createHash('sha1').update(s).digest(enc);

export const FAULTS: readonly Fault[] = [
  // ── schema: the answer breaks the documented response schema or headers ───────────────────────────────────────
  {
    name: 'contacts-not-an-array',
    tier: 'schema',
    operation: 'SetCertificateContacts',
    description: 'answers contacts as a single object instead of an array',
    after: onSuccess((b) => void (b.contacts = Array.isArray(b.contacts) ? (b.contacts[0] ?? {}) : {})),
  },
  {
    name: 'contacts-empty-body-as-object',
    tier: 'schema',
    operation: 'SetCertificateContacts',
    description: "reads a PUT without a body as {} (JSON.parse(text || '{}')) and clears the contacts, where the body parameter is required",
    skip: ['body-required'],
  },
  {
    name: 'contacts-text-content-type',
    tier: 'schema',
    operation: 'SetCertificateContacts',
    description: 'labels its JSON answers Content-Type: text/html',
    after: (r) => ({ ...r, headers: { ...r.headers, 'content-type': 'text/html; charset=utf-8' } }),
  },
  {
    name: 'certificate-exp-as-string',
    tier: 'schema',
    operation: 'UpdateCertificate',
    description: 'answers attributes.exp as an ISO date string instead of unix seconds',
    after: onSuccess((b) => {
      const a = attrs(b);
      a.exp = new Date(Number(a.exp ?? 0) * 1000).toISOString();
      b.attributes = a;
    }),
  },
  {
    name: 'certificate-unknown-action-type',
    tier: 'schema',
    operation: 'UpdateCertificate',
    description: "answers lifetime action_type 'Notify', outside the closed CertificatePolicyAction enum",
    after: onSuccess((b) => {
      const actions = isObj(b.policy) && Array.isArray(b.policy.lifetime_actions) ? (b.policy.lifetime_actions as Obj[]) : [];
      for (const a of actions) a.action = { action_type: 'Notify' };
    }),
  },
  {
    name: 'certificate-not-found-flat-error',
    tier: 'schema',
    operation: 'UpdateCertificate',
    description: 'answers 404 with a bare {code, message} instead of the KeyVaultError envelope',
    after: onStatus(404, (r) => ({ ...r, body: { code: 'CertificateNotFound', message: 'not found' } })),
  },
  {
    name: 'access-policy-permissions-not-array',
    tier: 'schema',
    operation: 'Vaults_UpdateAccessPolicy',
    description: 'answers each permissions list as a comma-separated string',
    after: onSuccess((b) => {
      for (const e of policies(b)) if (isObj(e.permissions)) for (const [k, v] of Object.entries(e.permissions)) e.permissions[k] = Array.isArray(v) ? v.join(',') : v;
    }),
  },
  {
    name: 'apim-missing-thumbprint',
    tier: 'schema',
    operation: 'Certificate_CreateOrUpdate',
    description: 'answers without properties.thumbprint (required in CertificateContractProperties)',
    after: onSuccess((b) => void delete props(b).thumbprint),
  },
  {
    name: 'apim-expiration-not-a-date',
    tier: 'schema',
    operation: 'Certificate_CreateOrUpdate',
    description: "answers expirationDate as '17/03/2018 21:55', not an RFC 3339 date-time",
    after: onSuccess((b) => void (props(b).expirationDate = '17/03/2018 21:55')),
  },
  {
    name: 'apim-missing-etag',
    tier: 'schema',
    operation: 'Certificate_CreateOrUpdate',
    description: 'answers 200/201 without the ETag header the spec requires',
    after: (r) => (ok(r) ? withoutHeader(r, 'etag') : r),
  },

  {
    name: 'certificate-times-in-milliseconds',
    tier: 'schema',
    operation: 'UpdateCertificate',
    description:
      'answers created/updated in milliseconds since 1970 (james-gould/azure-keyvault-emulator#400 proposes persisting milliseconds; unixtime is seconds, and .NET FromUnixTimeSeconds throws beyond year 9999)',
    after: onSuccess((b) => {
      const a = attrs(b);
      for (const k of ['created', 'updated']) if (typeof a[k] === 'number') a[k] = (a[k] as number) * 1000;
    }),
  },
  {
    name: 'certificate-x5t-padded-base64',
    tier: 'schema',
    operation: 'UpdateCertificate',
    description:
      "answers x5t in standard base64 with padding (C#'s Convert.ToBase64String, Java's Base64.getEncoder) instead of base64url (format base64url: RFC 7515 x5t)",
    after: onSuccess((b) => {
      if (typeof b.cer === 'string') b.x5t = createHash('sha1').update(Buffer.from(b.cer, 'base64')).digest('base64');
    }),
  },
  {
    name: 'certificate-cer-base64url',
    tier: 'schema',
    operation: 'UpdateCertificate',
    description: "answers cer in base64url without padding (Java's Base64.getUrlEncoder().withoutPadding()) instead of base64 (format byte)",
    after: onSuccess((b) => {
      if (typeof b.cer === 'string') b.cer = Buffer.from(b.cer, 'base64').toString('base64url');
    }),
  },

  {
    name: 'certificate-times-fractional',
    tier: 'schema',
    operation: 'UpdateCertificate',
    description:
      "answers created/updated with fractional seconds (Python's time.time(), JavaScript's Date.now() / 1000 without flooring); CertificateAttributes declares them \"type\": \"integer\", \"format\": \"unixtime\"",
    after: onSuccess((b) => {
      const a = attrs(b);
      for (const k of ['created', 'updated']) if (typeof a[k] === 'number') a[k] = (a[k] as number) + 0.25;
    }),
  },
  {
    name: 'apim-expiration-without-offset',
    tier: 'schema',
    operation: 'Certificate_CreateOrUpdate',
    description:
      'answers expirationDate without a UTC offset (2018-03-17T21:55:07, how .NET writes a DateTime of kind Unspecified); format date-time is RFC 3339, whose date-time requires the offset (the example: "2018-03-17T21:55:07+00:00")',
    after: onSuccess((b) => void (props(b).expirationDate = String(props(b).expirationDate).replace(/(Z|[+-]\d\d:\d\d)$/, ''))),
  },
  {
    name: 'certificate-attributes-snake-case',
    tier: 'schema',
    operation: 'UpdateCertificate',
    description:
      'answers recovery_level and recoverable_days instead of recoveryLevel and recoverableDays (a Python model serialised without its camelCase aliases); CertificateAttributes names them recoveryLevel and recoverableDays, and a client reading those finds nothing',
    after: onSuccess((b) => {
      const a = attrs(b);
      for (const [from, to] of [['recoveryLevel', 'recovery_level'], ['recoverableDays', 'recoverable_days']] as const) {
        if (a[from] === undefined) continue;
        a[to] = a[from];
        delete a[from];
      }
    }),
  },
  {
    name: 'certificate-policy-camel-case',
    tier: 'schema',
    operation: 'UpdateCertificate',
    description:
      'answers the policy with camelCase members (keyProps, x509Props, lifetimeActions, validityMonths), as a JavaScript model renamed for its own style; CertificatePolicy names them key_props, x509_props, lifetime_actions and validity_months',
    after: onSuccess((b) => {
      const camel = (k: string): string => k.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
      const rename = (o: unknown): unknown =>
        Array.isArray(o) ? o.map(rename) : isObj(o) ? Object.fromEntries(Object.entries(o).map(([k, v]) => [camel(k), rename(v)])) : o;
      if (isObj(b.policy)) b.policy = rename(b.policy);
    }),
  },

  {
    name: 'error-innererror-empty-string',
    tier: 'schema',
    operation: 'UpdateCertificate',
    description:
      'answers its 4xx errors with "innererror": "" (the body james-gould/azure-keyvault-emulator#246 shows), where KeyVaultError nests an Error object (innererror: Error, x-nullable) or nothing',
    after: (r) => (r.status >= 400 && r.status < 500 && isObj(r.body) && isObj(r.body.error) ? { ...r, body: { error: { ...r.body.error, innererror: '' } } } : r),
  },

  // ── boundary: off by one at a bound the schema states ────────────────────────────────────────────────────────
  {
    name: 'accepts-lifetime-percentage-100',
    tier: 'boundary',
    operation: 'UpdateCertificate',
    description: 'accepts trigger.lifetime_percentage 100 (maximum is 99)',
    tolerate: schemaAt(['maximum'], /\/trigger\/lifetime_percentage$/, (v) => v === 100),
  },
  {
    name: 'accepts-lifetime-percentage-0',
    tier: 'boundary',
    operation: 'UpdateCertificate',
    description: 'accepts trigger.lifetime_percentage 0 (minimum is 1)',
    tolerate: schemaAt(['minimum'], /\/trigger\/lifetime_percentage$/, (v) => v === 0),
  },
  {
    name: 'accepts-negative-validity-months',
    tier: 'boundary',
    operation: 'UpdateCertificate',
    description: 'accepts x509_props.validity_months -1 (minimum is 0)',
    tolerate: schemaAt(['minimum'], /\/x509_props\/validity_months$/, (v) => v === -1),
  },
  {
    name: 'accepts-days-before-expiry-0',
    tier: 'boundary',
    operation: 'UpdateCertificate',
    description: 'accepts trigger.days_before_expiry 0 (the documented range starts at 1)',
    tolerate: rule('keyvault.updateCertificate.days-before-expiry-range', (b) => triggers(b).some((t) => t.days_before_expiry === 0)),
  },
  // Off by one on the accepting side: a valid bound refused.
  {
    name: 'rejects-lifetime-percentage-99',
    tier: 'boundary',
    operation: 'UpdateCertificate',
    description: 'refuses trigger.lifetime_percentage 99 (the maximum, which is allowed)',
    before: (ctx) => (triggers(ctx.body).some((t) => t.lifetime_percentage === 99) ? error(400, 'BadParameter', 'lifetime_percentage must be between 1 and 98.') : undefined),
  },
  {
    name: 'rejects-16-access-policies',
    tier: 'boundary',
    operation: 'Vaults_UpdateAccessPolicy',
    description: 'refuses 16 accessPolicies in one request (16 is allowed)',
    before: (ctx) => (policies(ctx.body).length === 16 ? error(400, 'BadRequest', 'At most 15 access policies may be given in one request.') : undefined),
  },
  {
    name: 'rejects-certificate-id-80-chars',
    tier: 'boundary',
    operation: 'Certificate_CreateOrUpdate',
    description: 'refuses a certificateId of 80 characters (maxLength is 80, inclusive)',
    before: (ctx) => ([...(ctx.pathParams.certificateId ?? '')].length === 80 ? error(400, 'ValidationError', "'certificateId' must be shorter than 80 characters.") : undefined),
  },
  {
    name: 'accepts-17-access-policies',
    tier: 'boundary',
    operation: 'Vaults_UpdateAccessPolicy',
    description: 'accepts 17 accessPolicies in one request (at most 16)',
    tolerate: rule('keyvault.updateAccessPolicy.policy-count', (b) => policies(b).length === 17),
  },
  {
    name: 'accepts-certificate-id-81-chars',
    tier: 'boundary',
    operation: 'Certificate_CreateOrUpdate',
    description: 'accepts a certificateId of 81 characters (maxLength is 80)',
    tolerate: schemaAt(['maxLength'], /^\/path\/certificateId$/, (v) => typeof v === 'string' && [...v].length === 81),
  },
  {
    name: 'operation-kind-merge-as-add',
    tier: 'boundary',
    operation: 'Vaults_UpdateAccessPolicy',
    description: 'takes an operationKind outside add|replace|remove (merge, …) as add instead of refusing it (enum, modelAsString false)',
    tolerate: schemaAt(['enum'], /^\/path\/operationKind$/, () => true),
  },
  {
    name: 'accepts-empty-certificate-id',
    tier: 'boundary',
    operation: 'Certificate_CreateOrUpdate',
    description: 'accepts an empty certificateId (minLength is 1): PUT …/certificates/ creates a certificate named ""',
    tolerate: schemaAt(['minLength', 'pattern'], /^\/path\/certificateId$/, (v) => v === ''),
  },

  {
    name: 'accepts-unknown-action-type',
    tier: 'boundary',
    operation: 'UpdateCertificate',
    description:
      "takes any lifetime action_type (a plain string column) instead of refusing one outside EmailContacts and AutoRenew (CertificatePolicyAction, modelAsString false: a closed enum)",
    tolerate: schemaAt(['enum'], /\/action\/action_type$/, () => true),
  },
  {
    name: 'accepts-application-id-not-uuid',
    tier: 'boundary',
    operation: 'Vaults_UpdateAccessPolicy',
    description: 'takes an applicationId that is not a GUID (a plain string field) instead of refusing it (AccessPolicyEntry.applicationId, format uuid)',
    tolerate: schemaAt(['format'], /\/applicationId$/, () => true),
  },

  // ── prose: rules only the descriptions state (x-azconform-rules) ─────────────────────────────────────────────
  {
    name: 'accepts-days-before-expiry-over-validity',
    tier: 'prose',
    operation: 'UpdateCertificate',
    description: 'accepts days_before_expiry above validity_months × 27',
    tolerate: rule('keyvault.updateCertificate.days-before-expiry-range', (b) => triggers(b).every((t) => typeof t.days_before_expiry !== 'number' || t.days_before_expiry >= 1)),
  },
  {
    // Replaces accepts-rsa-key-size-1024, whose premise (a refusal of 1024) no source states.
    name: 'recoverable-days-6',
    tier: 'prose',
    operation: 'UpdateCertificate',
    description: 'answers recoverableDays 6 ("Value should be >=7 and <=90 when softDelete enabled")',
    after: onSuccess((b) => void (attrs(b).recoverableDays = 6)),
  },
  {
    name: 'recoverable-days-100',
    tier: 'prose',
    operation: 'UpdateCertificate',
    description: 'answers recoverableDays 100 (CustomizedRecoverable* allows 7–90)',
    after: onSuccess((b) => void (attrs(b).recoverableDays = 100)),
  },
  {
    name: 'accepts-foreign-tenant',
    tier: 'prose',
    operation: 'Vaults_UpdateAccessPolicy',
    description: "accepts access policies whose tenantId is not the vault's tenant",
    tolerate: rule('keyvault.updateAccessPolicy.same-tenant'),
  },
  {
    name: 'accepts-duplicate-identity',
    tier: 'prose',
    operation: 'Vaults_UpdateAccessPolicy',
    description: 'accepts the same (tenantId, objectId, applicationId) twice in one request',
    tolerate: rule('keyvault.updateAccessPolicy.unique-identity'),
  },
  {
    name: 'accepts-unknown-permission',
    tier: 'prose',
    operation: 'Vaults_UpdateAccessPolicy',
    description: "accepts permission names the api-version does not document (e.g. 'all' at 2019-09-01)",
    tolerate: (i) => rule('keyvault.updateAccessPolicy.permission-known')(i) || schemaAt(['enum'], /\/permissions\/\w+\/\d+$/, () => true)(i),
  },
  {
    // Replaces accepts-data-and-keyvault: no source says a body with both must be refused; one with neither names
    // no certificate, yet the answer would have to describe one (subject, thumbprint, expirationDate required).
    name: 'accepts-neither-data-nor-keyvault',
    tier: 'prose',
    operation: 'Certificate_CreateOrUpdate',
    description: 'accepts a body with neither properties.data nor properties.keyVault (describes a made-up certificate)',
    tolerate: rule('apimanagement.certificateCreateOrUpdate.data-xor-keyvault'),
  },
  {
    name: 'accepts-unopenable-pkcs12',
    tier: 'prose',
    operation: 'Certificate_CreateOrUpdate',
    description: 'accepts certificate data that does not open with the password (describes a made-up certificate)',
    tolerate: rule('apimanagement.certificateCreateOrUpdate.pkcs12-opens'),
  },
  {
    name: 'accepts-http-secret-identifier',
    tier: 'prose',
    operation: 'Certificate_CreateOrUpdate',
    description: 'accepts a keyVault.secretIdentifier that is not https://{vault}/secrets/{name}[/{version}]',
    tolerate: rule('apimanagement.certificateCreateOrUpdate.secret-identifier'),
  },

  // ── semantics: the answer disagrees with the request ─────────────────────────────────────────────────────────
  {
    name: 'contacts-echo-reordered',
    tier: 'semantics',
    operation: 'SetCertificateContacts',
    description: 'answers the contacts in reverse order',
    after: onSuccess((b) => void (Array.isArray(b.contacts) && b.contacts.reverse())),
  },
  {
    name: 'contacts-echo-drops-phone',
    tier: 'semantics',
    operation: 'SetCertificateContacts',
    description: 'answers the contacts without their phone numbers',
    after: onSuccess((b) => {
      if (Array.isArray(b.contacts)) for (const c of b.contacts as Obj[]) delete c.phone;
    }),
  },
  {
    name: 'contacts-wrong-id',
    tier: 'semantics',
    operation: 'SetCertificateContacts',
    description: 'answers id {vault}/certificates/contact (singular)',
    after: onSuccess((b, ctx) => void (b.id = `${ctx.vaultUrl}/certificates/contact`)),
  },
  {
    name: 'certificate-wrong-kid',
    tier: 'semantics',
    operation: 'UpdateCertificate',
    description: "answers a kid naming another version of the certificate's key",
    after: onSuccess((b) => void (b.kid = String(b.kid).replace(/\/[^/]*$/, '/00000000000000000000000000000000'))),
  },
  {
    name: 'certificate-id-without-version',
    tier: 'semantics',
    operation: 'UpdateCertificate',
    description: 'answers id {vault}/certificates/{name}, without the version',
    after: onSuccess((b) => void (b.id = String(b.id).replace(/\/[^/]*$/, ''))),
  },
  {
    name: 'x5t-not-matching-cer',
    tier: 'semantics',
    operation: 'UpdateCertificate',
    description: 'answers an x5t that is not the SHA-1 thumbprint of cer',
    after: onSuccess((b) => void (b.x5t = sha1(`not ${String(b.cer)}`, 'base64url'))),
  },
  {
    name: 'policy-id-wrong',
    tier: 'semantics',
    operation: 'UpdateCertificate',
    description: 'answers policy.id {vault}/certificates/{name}/{version}/policy',
    after: onSuccess((b) => {
      if (isObj(b.policy)) b.policy.id = `${String(b.id)}/policy`;
    }),
  },
  {
    name: 'empty-version-not-latest',
    tier: 'semantics',
    operation: 'UpdateCertificate',
    description: 'answers 404 to PATCH /certificates/{name}/ instead of updating the latest version',
    before: (ctx) => (ctx.pathParams['certificate-version'] === '' ? error(404, 'CertificateNotFound', 'A certificate version is required.') : undefined),
  },
  {
    name: 'access-policy-id-with-operation-kind',
    tier: 'semantics',
    operation: 'Vaults_UpdateAccessPolicy',
    description: 'answers id …/accessPolicies/{operationKind} instead of …/accessPolicies/',
    after: onSuccess((b, ctx) => void (b.id = `${String(b.id)}${ctx.pathParams.operationKind ?? ''}`)),
  },
  {
    name: 'access-policy-id-fixed-scope',
    tier: 'semantics',
    operation: 'Vaults_UpdateAccessPolicy',
    description:
      "answers an id built from a fixed subscription and resource group (a stub's constants), not the request's: …/subscriptions/11111111-…/resourceGroups/other-group/…/vaults/{vault}/accessPolicies/",
    after: onSuccess((b) => void (b.id = String(b.id).replace(/^\/subscriptions\/[^/]*\/resourceGroups\/[^/]*\//i, '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/other-group/'))),
  },
  {
    name: 'access-policy-wrong-type',
    tier: 'semantics',
    operation: 'Vaults_UpdateAccessPolicy',
    description: 'answers type Microsoft.KeyVault/vaults instead of Microsoft.KeyVault/vaults/accessPolicies',
    after: onSuccess((b) => void (b.type = 'Microsoft.KeyVault/vaults')),
  },
  {
    name: 'apim-wrong-thumbprint',
    tier: 'semantics',
    operation: 'Certificate_CreateOrUpdate',
    description: "answers a thumbprint that is not the SHA-1 of the uploaded certificate's DER",
    after: onSuccess((b) => void (props(b).thumbprint = sha1(String(props(b).thumbprint), 'hex').toUpperCase())),
  },
  {
    name: 'apim-subject-without-cn',
    tier: 'semantics',
    operation: 'Certificate_CreateOrUpdate',
    description: "answers the subject without its attribute name ('contoso.com', not 'CN=contoso.com')",
    after: onSuccess((b) => void (props(b).subject = String(props(b).subject).replace(/^CN=/i, ''))),
  },
  {
    name: 'apim-subject-from-issuer',
    tier: 'semantics',
    operation: 'Certificate_CreateOrUpdate',
    description:
      'answers the certificate\'s issuer as its subject (X509Certificate2.Issuer read for .Subject; the two are one name only on a self-signed certificate); subject is the "Subject attribute of the certificate"',
    after: onSuccess((b, ctx) => {
      const sent = isObj(ctx.body) && isObj(ctx.body.properties) ? ctx.body.properties : {};
      if (typeof sent.data !== 'string') return;
      const opened = openCached(sent.data, typeof sent.password === 'string' ? sent.password : '');
      if (opened.ok) props(b).subject = opened.issuer;
    }),
  },
  {
    name: 'apim-expiration-off-by-a-day',
    tier: 'semantics',
    operation: 'Certificate_CreateOrUpdate',
    description: "answers an expirationDate one day after the certificate's notAfter",
    after: onSuccess((b) => void (props(b).expirationDate = new Date(Date.parse(String(props(b).expirationDate)) + 86_400_000).toISOString())),
  },
  {
    name: 'apim-echoes-secrets',
    tier: 'semantics',
    operation: 'Certificate_CreateOrUpdate',
    description: 'echoes the uploaded properties.data and properties.password',
    after: onSuccess((b, ctx) => {
      const sent = certProps(ctx);
      if (sent.data !== undefined) Object.assign(props(b), { data: sent.data, password: sent.password ?? '' });
    }),
  },
  {
    name: 'apim-id-without-resource-group',
    tier: 'semantics',
    operation: 'Certificate_CreateOrUpdate',
    description: 'answers an id without the /resourceGroups/{name} segment',
    after: onSuccess((b) => void (b.id = String(b.id).replace(/\/resourceGroups\/[^/]+/i, ''))),
  },

  {
    name: 'patch-405-on-empty-version',
    tier: 'semantics',
    operation: 'UpdateCertificate',
    description:
      'answers 405 Method Not Allowed to PATCH /certificates/{name}/ (no version), the path the .NET and JavaScript clients use (james-gould/azure-keyvault-emulator#252, fixed by #254 "PATCH /certificates/{name} now mapped")',
    before: (ctx) => (ctx.pathParams['certificate-version'] === '' ? { status: 405, headers: { allow: 'GET' } } : undefined),
  },
  {
    name: 'patch-ignores-version',
    tier: 'semantics',
    operation: 'UpdateCertificate',
    description:
      'updates the current version whatever certificate-version the path names, so an unknown version answers 200 (james-gould/azure-keyvault-emulator#252, #262: PATCH was routed on /certificates/{name} alone until #264 "Allow to update specific certificate versions")',
    quirk: 'ignore-version',
  },

  {
    name: 'apim-resource-group-case-sensitive',
    tier: 'semantics',
    operation: 'Certificate_CreateOrUpdate',
    description:
      'looks the resource group up by its exact spelling, so RG1 for rg1 answers 404 ResourceGroupNotFound ("The name is case insensitive." — seed; spotflow-io/in-memory-azure-test-sdk#3 "Make names of … Key Vaults case-insensitive")',
    quirk: 'case-sensitive-names',
  },

  {
    name: 'access-policy-drops-application-id',
    tier: 'semantics',
    operation: 'Vaults_UpdateAccessPolicy',
    description:
      "answers the entries without their applicationId (a model with no compound identity): the answer names the user, where the request named the user through an application (\"Application ID of the client making request on behalf of a principal\")",
    after: onSuccess((b) => {
      for (const e of policies(b)) delete e.applicationId;
    }),
  },

  {
    name: 'access-policy-drops-storage-permissions',
    tier: 'semantics',
    operation: 'Vaults_UpdateAccessPolicy',
    description:
      'answers each entry without its storage permissions (a model of three lists: keys, secrets, certificates), though Permissions declares storage too; the answer carries the request\'s entries with their permissions (updateAccessPoliciesAdd.json) or each identity\'s resulting ones, a superset (REAL-CLIENTS.md)',
    after: onSuccess((b) => {
      for (const e of policies(b)) if (isObj(e.permissions)) delete e.permissions.storage;
    }),
  },
  {
    name: 'apim-keyvault-reference-undescribed',
    tier: 'semantics',
    operation: 'Certificate_CreateOrUpdate',
    description:
      'answers a certificate made from a Key Vault reference without properties.keyVault (only what an upload has: subject, thumbprint, expirationDate), so the answer no longer says where the certificate lives; ApiManagementCreateCertificateWithKeyVault.json answers keyVault {secretIdentifier, identityClientId, lastStatus}',
    after: onSuccess((b) => void delete props(b).keyVault),
  },

  {
    name: 'contacts-non-ascii-mangled',
    tier: 'semantics',
    operation: 'SetCertificateContacts',
    description:
      "answers every non-ASCII character of a contact as '?' (text written through a Latin-1 or ASCII encoder), so Jürgen comes back J?rgen; the answer carries the contacts as sent (SetCertificateContacts-example.json)",
    after: onSuccess((b) => {
      if (!Array.isArray(b.contacts)) return;
      for (const c of b.contacts as Obj[]) for (const k of ['name', 'email']) if (typeof c[k] === 'string') c[k] = (c[k] as string).replace(/[^\u0000-\u007f]/gu, '?');
    }),
  },

  // ── state: what a write remembers and how it says so ─────────────────────────────────────────────────────────
  {
    name: 'contacts-answer-previous',
    tier: 'state',
    operation: 'SetCertificateContacts',
    description: 'stores the new contacts but answers the ones stored before the write',
    quirk: 'answer-previous-contacts',
  },
  {
    name: 'patch-drops-unsent-attributes',
    tier: 'state',
    operation: 'UpdateCertificate',
    description: 'replaces the attributes with those sent: unsent enabled/nbf/exp are lost',
    quirk: 'drop-unsent-attributes',
  },
  {
    name: 'patch-merges-tags',
    tier: 'state',
    operation: 'UpdateCertificate',
    description: 'merges sent tags into the old ones instead of replacing the tag set',
    quirk: 'merge-tags',
  },
  {
    name: 'patch-applies-read-only',
    tier: 'state',
    operation: 'UpdateCertificate',
    description: 'takes created, updated, recoverableDays and recoveryLevel from the request',
    quirk: 'apply-read-only',
  },
  {
    name: 'access-policy-answers-vault-state',
    tier: 'state',
    operation: 'Vaults_UpdateAccessPolicy',
    description: "answers the vault's access policies after the write instead of the request's entries (a remove drops them)",
    quirk: 'answer-vault-state',
  },
  {
    name: 'apim-always-201',
    tier: 'state',
    operation: 'Certificate_CreateOrUpdate',
    description: 'answers 201 Created also when the certificateId already exists (should be 200)',
    quirk: 'always-201',
  },
  {
    name: 'apim-etag-unchanged',
    tier: 'state',
    operation: 'Certificate_CreateOrUpdate',
    description: 'keeps the ETag of an existing certificate when it is written again',
    quirk: 'etag-unchanged',
  },
  {
    name: 'apim-if-match-compares-quoted',
    tier: 'state',
    operation: 'Certificate_CreateOrUpdate',
    description:
      'compares If-Match as written, quotes included, with the stored ETag value, so even the current ETag fails with 412 (entity-tag comparison is of the opaque-tags, RFC 9110 §8.8.3.2; gravitee-io/gravitee-api-management#16733 and adlnet/xAPI-Spec#356 show such comparison bugs)',
    quirk: 'if-match-raw',
  },
  {
    name: 'apim-if-match-required-on-create',
    tier: 'state',
    operation: 'Certificate_CreateOrUpdate',
    description:
      'refuses every PUT without If-Match with 400 IfMatchRequired, creates too, where the spec says "Not required when creating an entity, but required when updating an entity"',
    before: (ctx) => (ctx.headers['if-match'] === undefined ? error(400, 'IfMatchRequired', 'The If-Match header is required.') : undefined),
  },
  {
    name: 'apim-stale-if-match-accepted',
    tier: 'state',
    operation: 'Certificate_CreateOrUpdate',
    description: 'ignores If-Match: a stale ETag overwrites the certificate',
    skip: ['if-match'],
  },

  {
    name: 'apim-create-answers-200',
    tier: 'state',
    operation: 'Certificate_CreateOrUpdate',
    description: 'answers 200 OK also when it creates the certificate (should be 201): one success status for every PUT, as a stub serving the first documented response does',
    quirk: 'always-200',
  },

  {
    name: 'contacts-put-appends',
    tier: 'state',
    operation: 'SetCertificateContacts',
    description:
      'adds the sent contacts to the stored ones instead of replacing the list (a contacts table written with inserts only; james-gould/azure-keyvault-emulator#246 shows contacts kept as rows), so the answer lists earlier contacts too',
    quirk: 'append-contacts',
  },
  {
    name: 'patch-keeps-updated',
    tier: 'state',
    operation: 'UpdateCertificate',
    description:
      "applies the update but never moves attributes.updated (it stays the creation-time value), as a store that sets timestamps only on insert does; updated is the 'Last updated time'",
    quirk: 'keep-updated',
  },
  {
    name: 'patch-refused-when-disabled',
    tier: 'state',
    operation: 'UpdateCertificate',
    description:
      'refuses every PATCH of a disabled certificate with 403 (the disabled/expired gate of reads, stackshy/cloudemu#1023, put on writes too), so a disabled certificate can never be enabled again',
    quirk: 'refuse-disabled',
  },
  {
    name: 'apim-update-204',
    tier: 'state',
    operation: 'Certificate_CreateOrUpdate',
    description: 'answers 204 No Content, without a body, when it updates an existing certificate (an undocumented status; PUT answers 200 with the certificate)',
    quirk: 'update-204',
  },

  {
    name: 'contacts-keyed-by-email',
    tier: 'state',
    operation: 'SetCertificateContacts',
    description:
      'keeps the contacts in a map keyed by e-mail, so two contacts with the same address collapse into one (the last wins); the real service took two contacts with the same email (REAL-CLIENTS.md) and Contacts.contacts has no uniqueItems',
    quirk: 'contacts-by-email',
  },
  {
    name: 'apim-refused-write-stored',
    tier: 'state',
    operation: 'Certificate_CreateOrUpdate',
    description:
      'answers a stale If-Match 412 but has already stored the write under a new ETag (the check made after the save), so the ETag the client holds no longer matches; RFC 9110 §13.1.1: when the condition is false the origin server must not perform the method',
    quirk: 'store-before-precondition',
  },
  {
    name: 'patch-merges-lifetime-actions-by-index',
    tier: 'state',
    operation: 'UpdateCertificate',
    description:
      "deep-merges the sent lifetime_actions into the stored ones item by item (lodash merge, which merges arrays by index), so a sent {lifetime_percentage} trigger keeps the old days_before_expiry beside it; a PATCH's arrays replace (RFC 7396), and a trigger has exactly one kind",
    quirk: 'merge-arrays-by-index',
  },
  {
    name: 'patch-replaces-policy',
    tier: 'state',
    operation: 'UpdateCertificate',
    description:
      'answers the policy sent in place of the stored one (a PATCH read as a PUT of the policy), so the key_props, secret_props and issuer the request did not send are gone; the operation updates only what is sent',
    after: onSuccess((b, ctx) => {
      const sent = isObj(ctx.body) && isObj(ctx.body.policy) ? ctx.body.policy : undefined;
      if (sent && isObj(b.policy)) b.policy = { id: b.policy.id, ...structuredClone(sent) };
    }),
  },
  {
    name: 'patch-ignores-enabled',
    tier: 'state',
    operation: 'UpdateCertificate',
    description: 'applies tags and policy but never attributes.enabled ("Determines whether the object is enabled"), so a certificate cannot be disabled',
    quirk: 'ignore-enabled',
  },
  {
    name: 'contacts-put-204',
    tier: 'state',
    operation: 'SetCertificateContacts',
    description: 'answers 204 No Content without a body (as many REST frameworks answer a PUT); SetCertificateContacts documents only 200 with the Contacts',
    after: (r) => (r.status === 200 ? { status: 204, headers: {} } : r),
  },

  {
    name: 'access-policy-replace-merges',
    tier: 'state',
    operation: 'Vaults_UpdateAccessPolicy',
    description:
      "handles operationKind replace as add (one merge path for every kind but remove) and answers each identity's resulting permissions (REAL-CLIENTS.md), so a replace keeps the permissions it should have taken away; AccessPolicyUpdateKind lists add, replace and remove as distinct operations",
    quirk: 'replace-merges',
  },

  {
    name: 'patch-lowercases-tag-keys',
    tier: 'state',
    operation: 'UpdateCertificate',
    description:
      'keeps tags in a store that folds names to lower case (a case-insensitive key column), so Department comes back as department; the sent tags replace the set as sent (CertificateUpdateParameters.tags, "Application specific metadata in the form of key-value pairs"; the example answers its tag as sent)',
    quirk: 'lowercase-tag-keys',
  },

  {
    name: 'apim-update-keeps-first-certificate',
    tier: 'state',
    operation: 'Certificate_CreateOrUpdate',
    description:
      'answers an update of an existing certificateId with a new ETag but the certificate it was first created with (a write that stores the description only on insert), so the new upload is not what the answer describes; CreateOrUpdate "Creates or updates the certificate", and the answer describes the certificate uploaded (subject, thumbprint, expirationDate)',
    quirk: 'keep-first-upload',
  },
  {
    name: 'apim-creates-missing-service',
    tier: 'state',
    operation: 'Certificate_CreateOrUpdate',
    description:
      'creates the API Management service a certificate PUT names when it does not exist (an emulator that provisions parents on first use), so a certificate of a missing service answers 201 instead of 404 ResourceNotFound; the certificate is a child of an existing service ("The name of the API Management service.")',
    quirk: 'create-missing-parent',
  },

  // ── security: auth and api-version ───────────────────────────────────────────────────────────────────────────
  {
    name: 'auth-ignored',
    tier: 'security',
    operation: 'UpdateCertificate',
    description: 'serves PATCH without an Authorization header',
    skip: ['auth'],
  },
  {
    name: 'arm-auth-ignored',
    tier: 'security',
    operation: 'Certificate_CreateOrUpdate',
    description: 'serves API Management writes without an Authorization header',
    skip: ['auth'],
  },
  {
    name: 'no-www-authenticate',
    tier: 'security',
    operation: 'SetCertificateContacts',
    description: 'answers 401 without the WWW-Authenticate challenge Key Vault clients need',
    after: onStatus(401, (r) => withoutHeader(r, 'www-authenticate')),
  },
  {
    name: 'bare-bearer-challenge',
    tier: 'security',
    operation: 'UpdateCertificate',
    description: "answers 401 with a bare 'WWW-Authenticate: Bearer' (no authorization, no resource)",
    after: onStatus(401, (r) => ({ ...r, headers: { ...r.headers, 'www-authenticate': 'Bearer' } })),
  },
  {
    name: 'anonymous-403',
    tier: 'security',
    operation: 'Vaults_UpdateAccessPolicy',
    description: 'answers a request without a token 403 instead of 401',
    after: onStatus(401, (r) => ({ ...r, status: 403 })),
  },
  {
    name: 'api-version-ignored',
    tier: 'security',
    operation: 'Vaults_UpdateAccessPolicy',
    description: 'serves a missing or unknown api-version as the seed version',
    skip: ['api-version'],
  },
  {
    name: 'unknown-api-version-404',
    tier: 'security',
    operation: 'SetCertificateContacts',
    description: 'answers a missing or unknown api-version 404 instead of 400',
    after: onStatus(400, (r, ctx) => (ctx.operation ? r : { ...r, status: 404 })),
  },

  {
    name: 'challenge-second-bare-bearer',
    tier: 'security',
    operation: 'SetCertificateContacts',
    description:
      "answers 401 with a second, bare 'WWW-Authenticate: Bearer' after the real challenge (james-gould/azure-keyvault-emulator#475: the Java Key Vault client fails with 'Index 1 out of bounds for length 1'); two header lines read as one comma-joined value (RFC 9110 §5.3)",
    after: onStatus(401, (r) => ({ ...r, headers: { ...r.headers, 'www-authenticate': `${r.headers['www-authenticate'] ?? ''}, Bearer` } })),
  },
  {
    name: 'challenge-without-body',
    tier: 'security',
    operation: 'UpdateCertificate',
    description:
      "answers 401 with the challenge but no body, as ASP.NET Core's JwtBearer challenge does by default (james-gould/azure-keyvault-emulator is ASP.NET Core; #291); Key Vault answers a KeyVaultError (AKV10000)",
    after: onStatus(401, (r) => ({ status: 401, headers: Object.fromEntries(Object.entries(r.headers).filter(([k]) => k !== 'content-type')) })),
  },
  {
    name: 'api-version-problem-details',
    tier: 'security',
    operation: 'Certificate_CreateOrUpdate',
    description:
      'answers a missing or unknown api-version with an RFC 7807 ProblemDetails body ({type, title, status}, the default of ASP.NET API Versioning; dotnet/aspnet-api-versioning#389) instead of the ARM error envelope',
    after: onStatus(400, (r, ctx) =>
      ctx.operation ? r : { ...r, headers: { ...r.headers, 'content-type': 'application/problem+json; charset=utf-8' }, body: { type: 'https://docs.api-versioning.org/problems#unsupported', title: 'Unsupported API version', status: 400 } },
    ),
  },

  {
    name: 'api-version-future-served-as-newest',
    tier: 'security',
    operation: 'UpdateCertificate',
    description:
      'serves an api-version later than every one it knows (2099-01-01) as its newest, for forward compatibility, instead of refusing it 400 as Key Vault does ("The specified version (…) is not recognized. Consider using the latest supported version"); api-version names one contract, and an unknown one is no contract',
    quirk: 'future-api-version',
  },
  {
    name: 'api-version-only-newest',
    tier: 'security',
    operation: 'UpdateCertificate',
    description:
      'serves only the newest api-version it has (2025-07-01) and refuses 7.4 400 "not recognized", as an emulator written against one SDK release does; Key Vault serves every version the Azure SDKs send, 7.4 (the SDKs\' serviceVersion "7.4", REAL-CLIENTS.md) among them',
    before: (ctx) => (ctx.operation && ctx.operation.apiVersion !== '2025-07-01' ? BAD_API_VERSION[ctx.plane](ctx.operation.apiVersion, ['2025-07-01']) : undefined),
  },
  {
    name: 'api-version-encoded-key-refused',
    tier: 'security',
    operation: 'Vaults_UpdateAccessPolicy',
    description:
      'matches the raw query string for api-version=, so api%2Dversion=… (the same URI, RFC 3986 §2.3; seen in recorded SDK traffic) is refused as a missing api-version',
    before: (ctx) => (/(?:^|[?&])api-version=/i.test(ctx.url.search) ? undefined : BAD_API_VERSION[ctx.plane](undefined, [ctx.operation?.apiVersion ?? ''])),
  },

  // ── robustness: the transport and the server itself ──────────────────────────────────────────────────────────
  {
    name: 'certificate-malformed-json-500',
    tier: 'robustness',
    operation: 'UpdateCertificate',
    description:
      'answers 500 to a body that is not JSON, as an Express handler calling JSON.parse unguarded does; the client sent it wrong, which is a 400 (KeyVaultError BadParameter)',
    after: (r) => (r.status === 400 && JSON.stringify(r.body).includes('the body is not JSON') ? error(500, 'InternalServerError', 'Unexpected end of JSON input') : r),
  },
  {
    name: 'redirects-to-https',
    tier: 'robustness',
    operation: 'SetCertificateContacts',
    description:
      "answers every request 307 Temporary Redirect to the same URL over https (ASP.NET Core's UseHttpsRedirection, on by default in its templates; james-gould/azure-keyvault-emulator is ASP.NET Core), a status SetCertificateContacts does not document (200, default): a client that follows it sends its token on",
    after: (_r, ctx) => ({ status: 307, headers: { location: `https://${ctx.url.host}${ctx.url.pathname}${ctx.url.search}` } }),
  },
  {
    name: 'apim-412-without-body',
    tier: 'robustness',
    operation: 'Certificate_CreateOrUpdate',
    description:
      'answers a failed If-Match 412 with no body (a bare StatusCode(412), as web frameworks answer a precondition), where API Management answers its ErrorResponse (default → ErrorResponse {error: {code, message}})',
    after: onStatus(412, () => ({ status: 412, headers: {} })),
  },
  {
    name: 'hang-on-missing-certificate',
    tier: 'robustness',
    operation: 'UpdateCertificate',
    description: 'never answers a PATCH of a certificate that does not exist',
    after: onStatus(404, (r) => ({ ...r, transport: 'hang' })),
  },
  {
    name: 'slow-drip-challenge',
    tier: 'robustness',
    operation: 'SetCertificateContacts',
    description: 'sends the 401 body one byte every 250 ms (longer than any client timeout)',
    after: onStatus(401, (r) => ({ ...r, transport: 'drip' })),
  },
  {
    name: 'reset-on-remove',
    tier: 'robustness',
    operation: 'Vaults_UpdateAccessPolicy',
    description: 'resets the connection after applying an operationKind=remove',
    after: (r, ctx) => (ok(r) && ctx.pathParams.operationKind?.toLowerCase() === 'remove' ? { ...r, transport: 'reset' } : r),
  },
  {
    name: 'non-json-body',
    tier: 'robustness',
    operation: 'Certificate_CreateOrUpdate',
    description: "answers a Key Vault reference with the text 'Certificate saved.' labelled application/json",
    after: (r, ctx) => (ok(r) && certProps(ctx).keyVault !== undefined ? { ...r, transport: 'raw', text: 'Certificate saved.' } : r),
  },
  {
    name: 'truncated-json',
    tier: 'robustness',
    operation: 'UpdateCertificate',
    description: 'cuts the 200 body in half (a complete HTTP message with broken JSON)',
    after: (r) => (ok(r) ? { ...r, transport: 'raw', text: JSON.stringify(r.body).slice(0, Math.floor(JSON.stringify(r.body).length / 2)) } : r),
  },
  {
    name: 'server-error-on-non-ascii-contact',
    tier: 'robustness',
    operation: 'SetCertificateContacts',
    description: 'answers 500 when a contact name has a non-ASCII character',
    before: (ctx) => {
      const list = isObj(ctx.body) && Array.isArray(ctx.body.contacts) ? (ctx.body.contacts as unknown[]) : [];
      return list.some((c) => isObj(c) && typeof c.name === 'string' && /[^\u0000-\u007f]/.test(c.name))
        ? error(500, 'InternalServerError', 'An unexpected error occurred while encoding the contact name.')
        : undefined;
    },
  },
  {
    name: 'contacts-empty-list-500',
    tier: 'robustness',
    operation: 'SetCertificateContacts',
    description:
      'answers 500 to an empty contact list (james-gould/azure-keyvault-emulator#246: "Sequence contains no elements" when no contacts exist, fixed in #247)',
    before: (ctx) =>
      isObj(ctx.body) && Array.isArray(ctx.body.contacts) && ctx.body.contacts.length === 0
        ? { status: 500, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { code: 'Failed to perform request into Azure Key Vault Emulator', innererror: '', message: 'Sequence contains no elements.' } }
        : undefined,
  },
];

const BY_NAME = new Map(FAULTS.map((f) => [f.name, f]));

export function faultByName(name: string): Fault | undefined {
  return BY_NAME.get(name);
}
