import { bearerChallenge, bearerChallenges, challengeAudience, challengeAuthority } from '../auth/challenge.js';
import type { Check } from './types.js';
import { violation } from './util.js';

export const authRequired: Check = {
  id: 'auth.required',
  title: 'A request without a token is refused with 401; the data plane sends the Bearer challenge',
  cites: 'securitySchemes OAuth2Auth / azure_auth; rule azure.auth.challenge (REAL-CLIENTS: the Key Vault client needs the challenge)',
  kinds: ['auth'],
  run(ex, ctx) {
    const res = ex.response;
    if (!res) return [];
    if (res.status !== 401) {
      return [violation('auth.required', `a request without Authorization got ${res.status}, expected 401`, { direction: 'response', rule: 'azure.auth.challenge' })];
    }
    if (ex.case.operation.plane !== 'data') return [];
    const challenge = res.headers['www-authenticate'];
    const params = bearerChallenge(challenge);
    if (params === undefined) {
      return [violation('auth.required', `401 without a Bearer WWW-Authenticate challenge (got ${challenge ? JSON.stringify(challenge) : 'none'})`, { direction: 'response', rule: 'azure.auth.challenge', instancePath: '/headers/www-authenticate' })];
    }
    // Prism's own challenge is a bare `Bearer`: a Key Vault client cannot use it, but a mock is not judged on that.
    if (ctx.profile !== 'service') return [];
    if (!(challengeAuthority(params) && challengeAudience(params))) {
      return [violation('auth.required', `the challenge ${JSON.stringify(challenge)} lacks authorization="…" and resource="…": Key Vault clients cannot find the tenant`, { direction: 'response', rule: 'azure.auth.challenge', instancePath: '/headers/www-authenticate' })];
    }
    // Every Bearer challenge is one a client may pick: a second one without the tenant (a bare `Bearer` line beside
    // the real one) breaks the clients that read another than the first (the Java client: "Index 1 out of bounds").
    const bare = bearerChallenges(challenge).find((c) => !(challengeAuthority(c) && challengeAudience(c)));
    if (bare) {
      return [violation('auth.required', `the 401 carries a second Bearer challenge without authorization="…" and resource="…" (${JSON.stringify(challenge)}): a client that reads it cannot find the tenant`, { direction: 'response', rule: 'azure.auth.challenge', instancePath: '/headers/www-authenticate' })];
    }
    return [];
  },
};
