/**
 * The domain knobs: tables of whole request bodies of the four operations, each tagged with what a conforming
 * service must do and the schema keyword or x-azconform-rules id it probes. Every knob reads names, enums and
 * bounds from the schemas it is given and returns an empty list when its body schema is absent.
 */
import type { Tagged } from '../cases/tagged.js';
import type { Schemas } from './schema.js';
import { identityKnobs, permissionKnobs, policyCountKnobs } from './knobs/access-policies.js';
import { certificateSourceKnobs } from './knobs/certificate-source.js';
import { contactKnobs } from './knobs/contacts.js';
import { keySizeKnobs, triggerKnobs } from './knobs/triggers.js';
import type { KnobFixtures } from './knobs/common.js';

export {
  ACCESS_POLICY_BODY,
  MAX_POLICIES,
  SAME_TENANT,
  UNIQUE_IDENTITY,
  identityKnobs,
  PERMISSION_KNOWN,
  POLICY_COUNT,
  permissionKnobs,
  permissionLists,
  policyCountKnobs,
} from './knobs/access-policies.js';
export { CERTIFICATE_BODY, DATA_AND_KEYVAULT, DATA_XOR_KEYVAULT, PKCS12_OPENS, SECRET_IDENTIFIER, certificateSourceKnobs } from './knobs/certificate-source.js';
export { CONTACTS_BODY, MANY_CONTACTS, contactKnobs } from './knobs/contacts.js';
export { CERTIFICATE_UPDATE_BODY, DAYS_PER_MONTH, DAYS_RANGE, DEFAULT_VALIDITY_MONTHS, ONE_KIND, RSA_KEY_SIZE, RSA_KEY_SIZES, keySizeKnobs, triggerKnobs } from './knobs/triggers.js';
export { PLACEHOLDER_TENANT, type KnobFixtures } from './knobs/common.js';

export type Knob = (schemas: Schemas, fixtures?: KnobFixtures) => Tagged<unknown>[];

/** The knobs of each operation, by Azure's operationId. */
export const KNOBS: { readonly [operationId: string]: readonly Knob[] } = {
  Vaults_UpdateAccessPolicy: [permissionKnobs, policyCountKnobs, identityKnobs],
  UpdateCertificate: [triggerKnobs, keySizeKnobs],
  SetCertificateContacts: [contactKnobs],
  Certificate_CreateOrUpdate: [certificateSourceKnobs],
};

/** Every knob body of one operation (empty for an operation without knobs or when its schemas are absent). */
export function knobsFor(operationId: string, schemas: Schemas, fixtures: KnobFixtures = {}): Tagged<unknown>[] {
  return (KNOBS[operationId] ?? []).flatMap((knob) => knob(schemas, fixtures));
}
