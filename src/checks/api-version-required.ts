import type { Check } from './types.js';
import { violation } from './util.js';

export const apiVersionRequired: Check = {
  id: 'api-version.required',
  title: 'A missing or unknown api-version is refused with 400; a known one is read however its key is encoded',
  cites: 'required query parameter api-version; rule azure.api-version.required (ARM and Key Vault answer 400); RFC 3986 §2.3 (api%2Dversion is api-version)',
  kinds: ['api-version'],
  // A present-but-unknown version: Prism serves one spec and accepts any string there. An encoded key: a mock is
  // not judged on how it parses a query.
  skip: (ctx, ex) =>
    ctx.profile === 'mock' && (ex.case.expect === 'accept' || new URL(ex.case.request.url).searchParams.has('api-version'))
      ? 'a mock built from one spec accepts any api-version string'
      : undefined,
  run(ex, ctx) {
    const res = ex.response;
    if (!res) return [];
    if (ex.case.expect === 'accept') {
      // Only whether the api-version was read: a refusal for anything else (the body, a 5xx) is another check's.
      const code = String((res.body as { error?: { code?: unknown } } | undefined)?.error?.code ?? '');
      return res.status === 400 && /version/i.test(`${code} ${JSON.stringify(res.body ?? '')}`)
        ? [violation('api-version.required', `${ex.case.label ?? 'an encoded api-version key'}: refused with 400 ${code}, as if no api-version had been sent (the URI is the same, RFC 3986 §2.3)`, { direction: 'response', rule: 'azure.api-version.required' })]
        : [];
    }
    const ok = ctx.profile === 'mock' ? res.status >= 400 && res.status < 500 : res.status === 400;
    return ok
      ? []
      : [violation('api-version.required', `${ex.case.label ?? 'bad api-version'}: got ${res.status}, expected ${ctx.profile === 'mock' ? '4xx' : '400'}`, { direction: 'response', rule: 'azure.api-version.required' })];
  },
};
