// Key Vault ARM · Vaults Update Access Policy (PUT …/vaults/{vaultName}/accessPolicies/{operationKind})
import { boundaries, constraints, examples, fuzz, knobs, negative, positive, probes, stateful } from '../src/properties/index.js';
import { defineSuite } from '../src/suites/define.js';
import { registerWithVitest } from '../src/suites/vitest.js';

export const suite = defineSuite('Vaults_UpdateAccessPolicy', [examples, positive, fuzz, negative, constraints, boundaries, knobs, probes, stateful]);
await registerWithVitest(suite);
