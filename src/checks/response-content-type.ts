import type { Check } from './types.js';
import { isJsonContentType, violation } from './util.js';

export const responseContentType: Check = {
  id: 'response.content-type',
  title: 'A response with a body says it is JSON',
  cites: 'produces: application/json on every operation of the four specs',
  kinds: 'all',
  run(ex, ctx) {
    const res = ex.response;
    if (!res || res.bodyText.trim() === '') return [];
    const ct = res.headers['content-type'];
    // A service is held to what the specs produce: the SDKs parse application/json only (@azure/core-client leaves a
    // problem+json error unparsed, its error.code lost). Prism labels its own refusals application/problem+json.
    return isJsonContentType(ct, ctx.profile !== 'service')
      ? []
      : [violation('response.content-type', `content-type is ${ct ? JSON.stringify(ct) : 'missing'}, expected application/json`, { direction: 'response', instancePath: '/headers/content-type' })];
  },
};
