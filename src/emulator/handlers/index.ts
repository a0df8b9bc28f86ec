import type { OperationId } from '../types.js';
import { accessPolicy } from './access-policy.js';
import { apimCertificate } from './apim-certificate.js';
import { certificate } from './certificate.js';
import { contacts } from './contacts.js';
import type { Handler } from './handler.js';

/** The four operations the emulator serves, by operation id. */
export const HANDLERS: { readonly [id in OperationId]: Handler<unknown> } = {
  SetCertificateContacts: contacts,
  UpdateCertificate: certificate,
  Vaults_UpdateAccessPolicy: accessPolicy,
  Certificate_CreateOrUpdate: apimCertificate,
};
