/**
 * Knobs of Certificate_CreateOrUpdate (body CertificateCreateOrUpdateParameters): where the certificate comes
 * from. One of data (a PKCS#12, with its password) and keyVault (rule data-xor-keyvault: neither is refused; both
 * is either answer, rule data-and-keyvault, since no source says which wins); a keyVault
 * secretIdentifier is a Key Vault secret URL, versioned or not (rule secret-identifier).
 */
import type { Tagged } from '../../cases/tagged.js';
import type { Path } from '../pointer.js';
import type { Schemas } from '../schema.js';
import { findPath, minimal, placeAt, ref, rule, stableUuids, tagged, type KnobFixtures } from './common.js';

export const CERTIFICATE_BODY = 'CertificateCreateOrUpdateParameters';
export const DATA_XOR_KEYVAULT = 'apimanagement.certificateCreateOrUpdate.data-xor-keyvault';
export const DATA_AND_KEYVAULT = 'apimanagement.certificateCreateOrUpdate.data-and-keyvault';
export const SECRET_IDENTIFIER = 'apimanagement.certificateCreateOrUpdate.secret-identifier';
export const PKCS12_OPENS = 'apimanagement.certificateCreateOrUpdate.pkcs12-opens';
export const DEFAULT_VAULT_URL = 'https://contoso-vault.vault.azure.net';

/** Base64 of a truncated DER sequence: looks like the start of a PFX, opens as nothing. */
const NOT_A_PFX = 'MIIKZgIBAzCCCiIGCSqGSIb3DQEHAaCCChMEggoPMIIKCzCCBg==';

/** keyVault only (unversioned, versioned, with identityClientId), data only (with a real PFX), both, neither, a bad secret URL. */
export function certificateSourceKnobs(schemas: Schemas, fixtures: KnobFixtures = {}): Tagged<unknown>[] {
  const props = schemas[CERTIFICATE_BODY] ? findPath(schemas, CERTIFICATE_BODY, 'CertificateCreateOrUpdateProperties') : undefined;
  if (!props) return [];
  const root = ref(CERTIFICATE_BODY);
  const vault = (fixtures.keyVaultUrl ?? DEFAULT_VAULT_URL).replace(/\/+$/, '');
  const secret = `${vault}/secrets/apim-certificate`;
  const [clientId = ''] = stableUuids(1, 7);
  const make = (properties: Record<string, unknown>): unknown => placeAt(root, schemas, minimal(schemas, CERTIFICATE_BODY), props, properties);
  const at = (field: string): Path => [...props, field];

  // The service fetches a referenced secret at once (subject, thumbprint and expiry come from it): only one the
  // user names is sure to exist and be readable. Well-formed references to others are either answer.
  const known = fixtures.keyVaultSecret;
  const out: Tagged<unknown>[] = [
    ...(known
      ? [tagged(make({ keyVault: { ...known } }), 'accept', 'keyVault: the configured secret', rule(DATA_XOR_KEYVAULT, props, 'keyVault only'))]
      : []),
    tagged(make({ keyVault: { secretIdentifier: secret } }), 'either', 'keyVault: unversioned secret', rule(DATA_XOR_KEYVAULT, props, 'keyVault only')),
    tagged(make({ keyVault: { secretIdentifier: `${secret}/0123456789abcdef0123456789abcdef` } }), 'either', 'keyVault: versioned secret', rule(SECRET_IDENTIFIER, [...at('keyVault'), 'secretIdentifier'], 'a versioned secret URL')),
    tagged(make({ keyVault: { secretIdentifier: secret, identityClientId: clientId } }), 'either', 'keyVault: user-assigned identity', rule(DATA_XOR_KEYVAULT, props, 'keyVault only')),
    tagged(make({}), 'reject', 'neither data nor keyVault', rule(DATA_XOR_KEYVAULT, props, 'neither given')),
    tagged(
      make({ data: fixtures.pfx?.data ?? NOT_A_PFX, password: fixtures.pfx?.password ?? 'secret', keyVault: { secretIdentifier: secret } }),
      'either',
      'both data and keyVault',
      rule(DATA_AND_KEYVAULT, props, 'both given'),
    ),
    tagged(make({ keyVault: { secretIdentifier: 'apim-certificate' } }), 'reject', 'keyVault: a name, not a secret URL', rule(SECRET_IDENTIFIER, [...at('keyVault'), 'secretIdentifier'], 'not a Key Vault secret URL')),
  ];
  // Bytes that are base64 but no PKCS#12: the service must say so (400), not store garbage.
  out.push(tagged(make({ data: NOT_A_PFX, password: 'secret' }), 'reject', 'data: base64 that is no PKCS#12', rule(PKCS12_OPENS, at('data'), 'a truncated DER sequence, not a PFX')));
  if (fixtures.pfx) {
    out.unshift(tagged(make({ data: fixtures.pfx.data, password: fixtures.pfx.password }), 'accept', 'data: PKCS#12 with password', rule(DATA_XOR_KEYVAULT, props, 'data only')));
    out.push(tagged(make({ data: fixtures.pfx.data, password: `${fixtures.pfx.password}-wrong` }), 'reject', 'data: PKCS#12 with the wrong password', rule(PKCS12_OPENS, at('password'), 'the PFX does not open with this password')));
  }
  return out;
}
