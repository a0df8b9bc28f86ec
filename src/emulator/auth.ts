/**
 * Who may call: by default any bearer token (the kit's runs send a placeholder); with `checkAudience` the token
 * must be a JWT for the request's plane, as the real services demand — Key Vault wants `https://vault.azure.net`,
 * ARM `https://management.azure.com` (or the older `https://management.core.windows.net`) — and a token for the
 * other plane is refused with 401 and the challenge, in each service's words.
 */
import type { Plane } from '../model/spec-model.js';
import { error, UNAUTHORIZED } from './errors.js';
import type { Reply } from './types.js';

/** undefined lets the request through; a Reply refuses it. */
export type TokenCheck = (plane: Plane, authorization: string | undefined) => Reply | undefined;

const PRESENT: { readonly [p in Plane]: RegExp } = { data: /^(Bearer|PoP)\s+\S+/i, arm: /^Bearer\s+\S+/i };

export const anyToken: TokenCheck = (plane, authorization) => (PRESENT[plane].test(authorization ?? '') ? undefined : UNAUTHORIZED[plane]);

/** Audiences each plane accepts: the resource URL (with or without the slash) and the resource's application id. */
const AUDIENCES: { readonly [p in Plane]: ReadonlySet<string> } = {
  data: new Set(['https://vault.azure.net', 'cfa8b339-82a2-471a-a3c9-0fc0be7a4093']),
  arm: new Set(['https://management.azure.com', 'https://management.core.windows.net', '797f4846-ba00-4fd7-ba43-dac1f8f63013']),
};

/** The `aud` claims of a bearer JWT (no signature check: the emulator trusts whoever made the token). */
export function audiences(authorization: string | undefined): readonly string[] {
  const jwt = /^\S+\s+([\w-]+)\.([\w-]+)\.[\w-]*$/.exec(authorization ?? '');
  if (!jwt?.[2]) return [];
  try {
    const aud = (JSON.parse(Buffer.from(jwt[2], 'base64url').toString('utf8')) as { aud?: unknown }).aud;
    return (Array.isArray(aud) ? aud : [aud]).filter((a): a is string => typeof a === 'string');
  } catch {
    return [];
  }
}

/** The real services' 401 for a token of another audience (Key Vault AKV10022; ARM InvalidAuthenticationTokenAudience). */
const WRONG_AUDIENCE: { readonly [p in Plane]: (found: string) => Reply } = {
  data: (found) => error(401, 'Unauthorized', `AKV10022: Invalid audience. Expected https://vault.azure.net, found: ${found}.`, {}, UNAUTHORIZED.data.headers),
  arm: (found) =>
    error(401, 'InvalidAuthenticationTokenAudience', `The access token has been obtained for wrong audience or resource '${found}'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.`, {}, {
      'www-authenticate': `Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="The access token has been obtained for wrong audience or resource '${found}'."`,
    }),
};

export const audienceChecked: TokenCheck = (plane, authorization) => {
  const missing = anyToken(plane, authorization);
  if (missing) return missing;
  const found = audiences(authorization);
  return found.some((a) => AUDIENCES[plane].has(a.replace(/\/+$/, ''))) ? undefined : WRONG_AUDIENCE[plane](found.join(', ') || 'no audience (not a JWT)');
};
