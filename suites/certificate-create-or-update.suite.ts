// API Management · Certificate Create Or Update (PUT …/service/{serviceName}/certificates/{certificateId})
import { boundaries, constraints, examples, fuzz, knobs, negative, positive, probes, stateful } from '../src/properties/index.js';
import { defineSuite } from '../src/suites/define.js';
import { registerWithVitest } from '../src/suites/vitest.js';

export const suite = defineSuite('Certificate_CreateOrUpdate', [examples, positive, fuzz, negative, constraints, boundaries, knobs, probes, stateful]);
await registerWithVitest(suite);
