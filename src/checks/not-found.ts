import type { Check } from './types.js';
import { violation } from './util.js';

export const notFound: Check = {
  id: 'resource.not-found',
  title: 'A resource the kit knows does not exist answers 404 (its envelope is judged by error.envelope)',
  cites: 'Azure REST API guidelines; rules keyvault.updateCertificate.not-found, keyvault.updateAccessPolicy.not-found',
  kinds: ['not-found'],
  skip: (ctx) => (ctx.profile === 'mock' ? 'a stateless mock has no resources to miss' : undefined),
  run(ex) {
    const res = ex.response;
    if (!res || res.status === 404) return [];
    // ARM authorises before it looks: with rights scoped to one vault or service, another name is 403
    // AuthorizationFailed whether it exists or not. Not the service's fault; the 404 just cannot be seen.
    const code = (res.body as { error?: { code?: unknown } } | undefined)?.error?.code;
    if (res.status === 403 && ex.case.operation.plane === 'arm' && code === 'AuthorizationFailed') {
      return [{ check: 'resource.not-found', severity: 'note', direction: 'response', message: `${ex.case.label ?? 'a missing resource'} answered 403 AuthorizationFailed: the credentials do not reach it, so its 404 cannot be observed` }];
    }
    const rule = ex.case.operation.model.rules.find((r) => r.id.endsWith('.not-found'))?.id;
    return [violation('resource.not-found', `${ex.case.label ?? 'a missing resource'} answered ${res.status}, expected 404`, { direction: 'response', ...(rule ? { rule } : {}) })];
  },
};
