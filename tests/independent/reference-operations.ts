/** Which operation an Azure example file documents, and how its request is addressed (data plane or ARM path). */
export interface Example {
  readonly parameters: { readonly [name: string]: unknown };
  readonly responses: { readonly [status: string]: { readonly body?: unknown; readonly headers?: { readonly [k: string]: unknown } } };
}

export const OPERATIONS: readonly { readonly file: RegExp; readonly id: string; readonly url: (p: Example['parameters']) => string; readonly method: string }[] = [
  { file: /^SetCertificateContacts-example\.json$/, id: 'SetCertificateContacts', method: 'PUT', url: () => 'https://myvault.vault.azure.net/certificates/contacts' },
  {
    file: /^UpdateCertificate-example\.json$/,
    id: 'UpdateCertificate',
    method: 'PATCH',
    url: (p) => `https://myvault.vault.azure.net/certificates/${String(p['certificate-name'])}/${String(p['certificate-version'])}`,
  },
  {
    file: /^updateAccessPolicies\w*\.json$/,
    id: 'Vaults_UpdateAccessPolicy',
    method: 'PUT',
    url: (p) =>
      `https://management.azure.com/subscriptions/${String(p.subscriptionId)}/resourceGroups/${String(p.resourceGroupName)}/providers/Microsoft.KeyVault/vaults/${String(p.vaultName)}/accessPolicies/${String(p.operationKind)}`,
  },
  {
    file: /^ApiManagementCreateCertificate\w*\.json$/,
    id: 'Certificate_CreateOrUpdate',
    method: 'PUT',
    url: (p) =>
      `https://management.azure.com/subscriptions/${String(p.subscriptionId)}/resourceGroups/${String(p.resourceGroupName)}/providers/Microsoft.ApiManagement/service/${String(p.serviceName)}/certificates/${String(p.certificateId)}`,
  },
];
