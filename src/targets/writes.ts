/**
 * What a run writes on its target, in words, per operation: printed before the first write to a live target
 * (`--allow-live`), so the person who asked for it sees which of their resources the kit is about to change.
 */
import type { Fixtures } from './fixtures.js';

const WRITES: { readonly [operationId: string]: (f: Fixtures, base: string) => string } = {
  SetCertificateContacts: (_f, base) => `the certificate contacts of ${base}`,
  UpdateCertificate: (f, base) => `certificate ${f.certificate.name}/${f.certificate.version} of ${base} (attributes, tags, policy)`,
  Vaults_UpdateAccessPolicy: (f) => `the access policies of vault ${f.vault.name} (resource group ${f.vault.resourceGroup}, subscription ${f.subscriptionId}): identities the kit makes up are added, changed and removed`,
  Certificate_CreateOrUpdate: (f) => `new certificates azconform-… in API Management service ${f.apiManagement.serviceName} (resource group ${f.apiManagement.resourceGroup}, subscription ${f.subscriptionId})`,
};

/** One line per operation of the run that writes something (and the import --provision may make first). */
export function plannedWrites(operations: readonly { readonly id: string; readonly baseUrl: string }[], fixtures: Fixtures, provision = false): string[] {
  const seen = new Set<string>();
  const lines = operations.flatMap((op) => {
    const line = WRITES[op.id]?.(fixtures, op.baseUrl);
    if (!line || seen.has(line)) return [];
    seen.add(line);
    return [line];
  });
  const vault = operations.find((op) => op.id === 'UpdateCertificate');
  return provision && vault ? [`certificate ${fixtures.certificate.name} of ${vault.baseUrl}, imported first if missing (--provision) and deleted after`, ...lines] : lines;
}
