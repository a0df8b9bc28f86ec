import fc from 'fast-check';
import { permissionNames } from '../rules/request-rules.js';
import type { PropertyContext } from './types.js';

/**
 * Realistic request bodies and generated path parameters: what a careful client sends, keeping every schema
 * constraint AND every rule. A conforming target must accept all of them (positive.accepted), so nothing here
 * may depend on a fact the kit cannot know.
 */
export interface RealisticInput {
  readonly pathParams: { readonly [name: string]: string };
  readonly body: unknown;
  readonly label: string;
  /** Either answer where what the target already holds decides (default: accept). */
  readonly expect?: 'either';
}

const hex = (n: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });
const word = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: 3, maxLength: 12 });
/** Unix seconds before 2038: the Key Vault SDK sends later dates as negative numbers (REAL-CLIENTS.md). */
const unix = fc.integer({ min: 1_500_000_000, max: 2_140_000_000 });

/**
 * An address as people have them (first.last@company): fc.emailAddress() makes RFC-valid ones like
 * `{y1s#tp$'+~x.!s*~w@7g60.b0j.key` that nothing shows a service taking (the knobs probe the unusual ones).
 */
const email = fc
  .tuple(word, fc.option(word, { nil: undefined }), fc.constantFrom('contoso.com', 'fabrikam.net', 'example.org', 'mail.contoso.co.uk'))
  .map(([first, last, domain]) => `${first}${last ? `.${last}` : ''}@${domain}`);

/**
 * Names and phone numbers as people write them: an ASCII apostrophe, quotes, a backslash, a comma and an ampersand
 * (name and phone are plain strings, no pattern), which a store built from string concatenation or a template
 * breaks on; phones with +, spaces, parentheses and dashes.
 */
const contact = fc.record(
  {
    email,
    name: fc.oneof(
      { weight: 3, arbitrary: word },
      { weight: 1, arbitrary: fc.constantFrom('Jürgen Groß', '山田 太郎', 'Zoë O\u2019Brien', "Seán O'Brien", 'Ann "Nancy" Lee', 'Smith, John', 'R&D Ops\\Team') },
    ),
    phone: fc.oneof(
      fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 7, maxLength: 15 }),
      fc.constantFrom('+1 (425) 555-0100', '+44 20 7946 0958', '0049-30-1234567'),
    ),
  },
  { requiredKeys: ['email'] },
);

// At least one: a list of no contacts is a knob (either answer), not what a careful client sends.
const contacts = fc.record({ contacts: fc.array(contact, { minLength: 1, maxLength: 6 }) });

const lifetimeAction = (validity: number): fc.Arbitrary<unknown> =>
  fc.record({
    trigger: fc.oneof(
      fc.record({ lifetime_percentage: fc.integer({ min: 1, max: 99 }) }),
      fc.record({ days_before_expiry: fc.integer({ min: 1, max: validity * 27 }) }),
    ),
    action: fc.record({ action_type: fc.constantFrom('EmailContacts', 'AutoRenew') }),
  });

const policy = fc.integer({ min: 1, max: 120 }).chain((validity) =>
  fc.record(
    {
      key_props: fc.record({ kty: fc.constant('RSA'), key_size: fc.constantFrom(2048, 3072, 4096), reuse_key: fc.boolean(), exportable: fc.boolean() }),
      x509_props: fc.record({ validity_months: fc.constant(validity) }, { requiredKeys: ['validity_months'] }),
      lifetime_actions: fc.array(lifetimeAction(validity), { minLength: 1, maxLength: 1 }),
    },
    { requiredKeys: ['x509_props'] },
  ),
);

const updateCertificate = fc.record(
  {
    attributes: fc
      .record({ enabled: fc.boolean(), nbf: unix, exp: unix }, { requiredKeys: [] })
      .map((a) => (a.nbf !== undefined && a.exp !== undefined && a.nbf >= a.exp ? { ...a, exp: a.nbf + 86_400 } : a)),
    tags: fc.dictionary(word, fc.string({ maxLength: 20 }), { maxKeys: 4 }),
    policy,
  },
  { requiredKeys: [] },
);

function accessPolicy(ctx: PropertyContext): fc.Arbitrary<unknown> {
  const lists = ['keys', 'secrets', 'certificates', 'storage'] as const;
  // Canonical names only, and never `all` mixed with others: what a careful client sends.
  const perms = Object.fromEntries(
    lists.map((l) => [l, fc.subarray(permissionNames(ctx, l).filter((n) => n !== 'all'), { minLength: 0 })]),
  ) as { [k: string]: fc.Arbitrary<string[]> };
  const entry = fc.record(
    {
      tenantId: fc.constant(ctx.fixtures.vault.tenantId),
      objectId: fc.uuid({ version: 4 }),
      applicationId: fc.uuid({ version: 4 }),
      permissions: fc.record(perms, { requiredKeys: [] }),
    },
    { requiredKeys: ['tenantId', 'objectId', 'permissions'] },
  );
  // Fresh random objectIds never touch the identities a real vault already has.
  return fc.record({ properties: fc.record({ accessPolicies: fc.uniqueArray(entry, { minLength: 1, maxLength: 4, selector: (e) => (e as { objectId: string }).objectId }) }) });
}

/**
 * An upload of the session's PKCS#12 files, or a reference to the Key Vault secret the user configured. Not a
 * reference to any other secret: the service fetches it at once and refuses one it cannot read, and nothing
 * tells the kit which secrets exist (the knobs send such references, with either answer).
 */
function apimBody(ctx: PropertyContext): fc.Arbitrary<unknown> {
  const known = ctx.fixtures.apiManagement.keyVaultSecret;
  const sources = [
    ...(ctx.certificates.length > 0 ? [fc.constantFrom(...ctx.certificates).map((c) => ({ properties: { data: c.data, password: c.password } }))] : []),
    ...(known ? [fc.constant({ properties: { keyVault: { ...known } } })] : []),
  ];
  // No certificate and no secret (a bare context): a well-formed reference, the only body left to send.
  const fallback = fc.tuple(word, word).map(([vault, name]) => ({ properties: { keyVault: { secretIdentifier: `https://${vault}.vault.azure.net/secrets/${name}` } } }));
  return sources.length > 0 ? fc.oneof(...sources) : fallback;
}

/** Per operation: the realistic arbitrary (path parameters the fixtures do not give, and the body). */
export const REALISTIC: { readonly [operationId: string]: (ctx: PropertyContext) => fc.Arbitrary<RealisticInput> } = {
  SetCertificateContacts: () => contacts.map((body) => ({ pathParams: {}, body, label: `${body.contacts.length} contact(s)` })),
  UpdateCertificate: () =>
    updateCertificate.map((body) => ({
      pathParams: {},
      body,
      label: `PATCH ${Object.keys(body).join('+') || 'empty body'}`,
      // validity_months without lifetime_actions meets the triggers the certificate already holds, which the kit
      // does not know: a service that judges the merged policy may refuse it (days_before_expiry above the new
      // validity × 27), so either answer.
      ...(body.policy && !('lifetime_actions' in body.policy) ? { expect: 'either' as const } : {}),
    })),
  Vaults_UpdateAccessPolicy: (ctx) =>
    // Only `add` is sure to succeed for identities the vault does not have yet; replace/remove of unknown
    // identities is left to the fuzz property (either answer is fine there).
    fc.tuple(fc.constant('add'), accessPolicy(ctx)).map(([kind, body]) => ({
      pathParams: { operationKind: kind },
      body,
      label: `${kind} ${(body as { properties: { accessPolicies: unknown[] } }).properties.accessPolicies.length} policies`,
    })),
  Certificate_CreateOrUpdate: (ctx) =>
    fc.tuple(hex(12), apimBody(ctx)).map(([id, body]) => ({
      pathParams: { certificateId: `azconform-${id}` },
      body,
      label: (body as { properties: { data?: string } }).properties.data ? 'upload PKCS#12' : 'Key Vault reference',
    })),
};
