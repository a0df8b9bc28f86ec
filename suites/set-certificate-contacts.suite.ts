// Key Vault · Set Certificate Contacts (PUT {vaultBaseUrl}/certificates/contacts)
import { boundaries, constraints, examples, fuzz, knobs, negative, positive, probes } from '../src/properties/index.js';
import { defineSuite } from '../src/suites/define.js';
import { registerWithVitest } from '../src/suites/vitest.js';

export const suite = defineSuite('SetCertificateContacts', [examples, positive, fuzz, negative, constraints, boundaries, knobs, probes]);
await registerWithVitest(suite);
