/**
 * The existing resources a target holds. Defaults are the names in the seed examples, so the embedded Prism
 * mock and the reference emulator work with no flags; a real service needs its own (config file or flags).
 */
export interface Fixtures {
  readonly certificate: { readonly name: string; readonly version: string };
  readonly subscriptionId: string;
  readonly vault: { readonly resourceGroup: string; readonly name: string; readonly tenantId: string };
  readonly apiManagement: {
    readonly resourceGroup: string;
    readonly serviceName: string;
    /**
     * A Key Vault secret the service can read (its managed identity has access), for certificates that reference
     * Key Vault. Without it the kit cannot know one exists, so such a request may be refused: either answer.
     */
    readonly keyVaultSecret?: { readonly secretIdentifier: string; readonly identityClientId?: string };
  };
}

export const DEFAULT_FIXTURES: Fixtures = {
  certificate: { name: 'updateCert01', version: 'c3d31d7b36c942ad83ef36fc0785a4fc' },
  subscriptionId: '00000000-0000-0000-0000-000000000000',
  vault: { resourceGroup: 'sample-group', name: 'sample-vault', tenantId: '00000000-0000-0000-0000-000000000000' },
  apiManagement: { resourceGroup: 'rg1', serviceName: 'apimService1' },
};

/**
 * Path parameters each operation takes from the fixtures. Parameters not listed here (operationKind,
 * certificateId) are generated per case.
 */
export const FIXTURE_PATH_PARAMS: { readonly [operationId: string]: (f: Fixtures) => { [name: string]: string } } = {
  SetCertificateContacts: () => ({}),
  UpdateCertificate: (f) => ({ 'certificate-name': f.certificate.name, 'certificate-version': f.certificate.version }),
  Vaults_UpdateAccessPolicy: (f) => ({
    subscriptionId: f.subscriptionId,
    resourceGroupName: f.vault.resourceGroup,
    vaultName: f.vault.name,
  }),
  Certificate_CreateOrUpdate: (f) => ({
    subscriptionId: f.subscriptionId,
    resourceGroupName: f.apiManagement.resourceGroup,
    serviceName: f.apiManagement.serviceName,
  }),
};

/** Path parameters naming a resource the kit knows does not exist (a fresh random name), for 404 probes. */
export interface MissingResource {
  readonly param: string;
  readonly label: string;
  /** A Key Vault version is 32 hex digits: an unknown one must look like one, or a 400 would be as right as a 404. */
  readonly hex32?: true;
}
export const MISSING_RESOURCE: { readonly [operationId: string]: readonly MissingResource[] } = {
  UpdateCertificate: [
    { param: 'certificate-name', label: 'an unknown certificate' },
    // "An unknown certificate-name or certificate-version is answered 404" (keyvault.updateCertificate.not-found):
    // an emulator that routes PATCH on the name alone updates the current version instead.
    { param: 'certificate-version', label: 'an unknown version of the fixture certificate', hex32: true },
  ],
  Vaults_UpdateAccessPolicy: [{ param: 'vaultName', label: 'an unknown vault' }],
  Certificate_CreateOrUpdate: [{ param: 'serviceName', label: 'an unknown API Management service' }],
};

/** Deep-merge user fixtures (config file, flags) over the defaults. */
export function mergeFixtures(base: Fixtures, over: unknown): Fixtures {
  if (typeof over !== 'object' || over === null) return base;
  const o = over as { [k: string]: { [k: string]: string } | string | undefined };
  const part = <T extends object>(b: T, p: unknown): T => (typeof p === 'object' && p !== null ? { ...b, ...(p as Partial<T>) } : b);
  return {
    certificate: part(base.certificate, o.certificate),
    subscriptionId: typeof o.subscriptionId === 'string' ? o.subscriptionId : base.subscriptionId,
    vault: part(base.vault, o.vault),
    apiManagement: part(base.apiManagement, o.apiManagement),
  };
}
