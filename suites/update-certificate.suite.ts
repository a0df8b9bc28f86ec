// Key Vault · Update Certificate (PATCH {vaultBaseUrl}/certificates/{name}/{version})
import { examples, positive, probes } from '../src/properties/index.js';
import { defineSuite } from '../src/suites/define.js';
import { registerWithVitest } from '../src/suites/vitest.js';

export const suite = defineSuite('UpdateCertificate', [examples, positive, probes]);
await registerWithVitest(suite);
