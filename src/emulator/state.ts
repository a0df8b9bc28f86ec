/**
 * The emulator's resources, seeded so that `azconform run --target URL` finds everything DEFAULT_FIXTURES names:
 * the certificate of the UpdateCertificate example (taken from the spec's own example response), a vault with an
 * access policy, an API Management service. ARM names are keyed case-insensitively, as ARM compares them.
 */
import type { Operation } from '../model/registry.js';
import { DEFAULT_FIXTURES, type Fixtures } from '../targets/fixtures.js';
import type { Obj } from './types.js';
import { identityKey } from '../rules/identity.js';

export interface Contact {
  email?: string;
  name?: string;
  phone?: string;
}

export interface CertificateAttributes {
  enabled?: boolean;
  nbf?: number;
  exp?: number;
  created: number;
  updated: number;
  /** Only under the apply-read-only fault: a client's value kept against the vault's. */
  recoveryLevel?: string;
  recoverableDays?: number;
}

export interface CertificateVersion {
  readonly version: string;
  readonly cer: string;
  readonly x5t: string;
  attributes: CertificateAttributes;
  tags: { [k: string]: string };
}

export interface StoredCertificate {
  readonly name: string;
  readonly versions: Map<string, CertificateVersion>;
  current: string;
  /** The certificate's management policy (readOnly fields id/created/updated are derived on output). */
  policy: Obj & { attributes: CertificateAttributes };
  /** Vault-wide soft-delete settings, reported in every certificate's attributes. */
  readonly recoveryLevel: string;
  readonly recoverableDays: number;
}

export interface AccessPolicyEntry {
  tenantId: string;
  objectId: string;
  applicationId?: string;
  permissions: { [list: string]: string[] };
}

export interface Vault {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
  readonly tenantId: string;
  /** In order of arrival, keyed by identityKey (tenantId, objectId, applicationId; case-insensitive). */
  readonly accessPolicies: Map<string, AccessPolicyEntry>;
}

export { identityKey } from '../rules/identity.js';

export interface ApimCertificate {
  readonly name: string;
  etag: string;
  properties: Obj;
}

export interface ApimService {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
  /** Keyed by lower-case certificateId. */
  readonly certificates: Map<string, ApimCertificate>;
}

export interface EmulatorState {
  readonly fixtures: Fixtures;
  /** undefined until the first SetCertificateContacts. */
  contacts?: Contact[];
  /** Keyed by lower-case certificate name (Key Vault names are case-insensitive). */
  readonly certificates: Map<string, StoredCertificate>;
  /** Soft-deleted certificates (the vault's recovery level is Recoverable), until purged; keyed like certificates. */
  readonly deletedCertificates: Map<string, { readonly cert: StoredCertificate; readonly deletedDate: number }>;
  /** Answer a purge 403, as a vault whose caller lacks the certificates/purge permission does. */
  readonly denyPurge?: boolean;
  /** Keyed by armKey(subscription, resource group, name). */
  readonly vaults: Map<string, Vault>;
  readonly apimServices: Map<string, ApimService>;
  /** Lower-case subscription ids and `sub/rg` pairs that exist. */
  readonly subscriptions: Set<string>;
  readonly resourceGroups: Set<string>;
}

export const armKey = (...parts: readonly string[]): string => parts.map((p) => p.toLowerCase()).join('/');

/** The UpdateCertificate example response of the 7.4 spec: the seed certificate's bytes, attributes and tags. */
function exampleCertificate(operations: readonly Operation[]): { cer: string; x5t: string; attributes: CertificateAttributes; tags: { [k: string]: string } } {
  const op = operations.find((o) => o.id === 'UpdateCertificate' && o.apiVersion === '7.4') ?? operations.find((o) => o.id === 'UpdateCertificate');
  const ex = op?.model.responses.find((r) => r.status === '200')?.examples.UpdateCertificate as
    | { cer?: string; x5t?: string; attributes?: CertificateAttributes; tags?: { [k: string]: string } }
    | undefined;
  if (!ex?.cer || !ex.x5t || !ex.attributes) throw new Error('the UpdateCertificate 200 example (cer, x5t, attributes) is missing from generated/: run npm run generate');
  return { cer: ex.cer, x5t: ex.x5t, attributes: { ...ex.attributes }, tags: { ...(ex.tags ?? {}) } };
}

/** `empty`: no certificate (as lowkey-vault and the other emulators start); the vault and service still exist. */
export function seedState(operations: readonly Operation[], fixtures: Fixtures = DEFAULT_FIXTURES, opts: { readonly empty?: boolean; readonly denyPurge?: boolean } = {}): EmulatorState {
  const ex = exampleCertificate(operations);
  const created = ex.attributes.created;
  const certificate: StoredCertificate = {
    name: fixtures.certificate.name,
    versions: new Map([[fixtures.certificate.version, { version: fixtures.certificate.version, cer: ex.cer, x5t: ex.x5t, attributes: ex.attributes, tags: ex.tags }]]),
    current: fixtures.certificate.version,
    policy: {
      key_props: { exportable: true, kty: 'RSA', key_size: 2048, reuse_key: false },
      secret_props: { contentType: 'application/x-pkcs12' },
      x509_props: { subject: 'CN=KeyVaultTest', validity_months: 12 },
      lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'EmailContacts' } }],
      issuer: { name: 'Self' },
      attributes: { enabled: true, created, updated: created },
    },
    recoveryLevel: 'CustomizedRecoverable+Purgeable',
    recoverableDays: 7,
  };
  const { vault, apiManagement: apim, subscriptionId } = fixtures;
  return {
    fixtures,
    certificates: new Map(opts.empty ? [] : [[certificate.name.toLowerCase(), certificate]]),
    deletedCertificates: new Map(),
    ...(opts.denyPurge ? { denyPurge: true } : {}),
    vaults: new Map([
      [
        armKey(subscriptionId, vault.resourceGroup, vault.name),
        {
          subscriptionId,
          resourceGroup: vault.resourceGroup,
          name: vault.name,
          tenantId: vault.tenantId,
          accessPolicies: new Map(
            [
              {
                tenantId: vault.tenantId,
                objectId: '11111111-1111-1111-1111-111111111111',
                permissions: { keys: ['get', 'list'], secrets: ['get', 'list'], certificates: ['get', 'list', 'update', 'managecontacts'] },
              },
            ].map((e) => [identityKey(e), e]),
          ),
        },
      ],
    ]),
    apimServices: new Map([[armKey(subscriptionId, apim.resourceGroup, apim.serviceName), { subscriptionId, resourceGroup: apim.resourceGroup, name: apim.serviceName, certificates: new Map() }]]),
    subscriptions: new Set([subscriptionId.toLowerCase()]),
    resourceGroups: new Set([armKey(subscriptionId, vault.resourceGroup), armKey(subscriptionId, apim.resourceGroup)]),
  };
}
