// API Management · Certificate Create Or Update (PUT …/service/{serviceName}/certificates/{certificateId})
import { examples, positive, probes } from '../src/properties/index.js';
import { defineSuite } from '../src/suites/define.js';
import { registerWithVitest } from '../src/suites/vitest.js';

export const suite = defineSuite('Certificate_CreateOrUpdate', [examples, positive, probes]);
await registerWithVitest(suite);
