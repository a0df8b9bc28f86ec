// The suites the CLI runs: the same files vitest runs (registerWithVitest is a no-op outside vitest).
import { suite as certificateCreateOrUpdate } from '../../suites/certificate-create-or-update.suite.js';
import { suite as setCertificateContacts } from '../../suites/set-certificate-contacts.suite.js';
import { suite as updateCertificate } from '../../suites/update-certificate.suite.js';
import { suite as vaultsUpdateAccessPolicy } from '../../suites/vaults-update-access-policy.suite.js';
import type { SuiteDef } from './define.js';

export const SUITES: readonly SuiteDef[] = [setCertificateContacts, updateCertificate, vaultsUpdateAccessPolicy, certificateCreateOrUpdate];
