import type { Check } from './types.js';
import { violation } from './util.js';

export const apiVersionRequired: Check = {
  id: 'api-version.required',
  title: 'A missing or unknown api-version is refused with 400',
  cites: 'required query parameter api-version; rule azure.api-version.required (ARM and Key Vault answer 400)',
  kinds: ['api-version'],
  // A present-but-unknown version: Prism serves one spec and accepts any string there.
  skip: (ctx, ex) =>
    ctx.profile === 'mock' && new URL(ex.case.request.url).searchParams.has('api-version')
      ? 'a mock built from one spec accepts any api-version string'
      : undefined,
  run(ex, ctx) {
    const res = ex.response;
    if (!res) return [];
    const ok = ctx.profile === 'mock' ? res.status >= 400 && res.status < 500 : res.status === 400;
    return ok
      ? []
      : [violation('api-version.required', `${ex.case.label ?? 'bad api-version'}: got ${res.status}, expected ${ctx.profile === 'mock' ? '4xx' : '400'}`, { direction: 'response', rule: 'azure.api-version.required' })];
  },
};
