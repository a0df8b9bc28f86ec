// Key Vault · Update Certificate (PATCH {vaultBaseUrl}/certificates/{name}/{version})
import { boundaries, constraints, examples, fuzz, knobs, negative, positive, probes, stateful } from '../src/properties/index.js';
import { defineSuite } from '../src/suites/define.js';
import { registerWithVitest } from '../src/suites/vitest.js';

export const suite = defineSuite('UpdateCertificate', [examples, positive, fuzz, negative, constraints, boundaries, knobs, probes, stateful]);
await registerWithVitest(suite);
