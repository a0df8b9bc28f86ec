/**
 * The Bearer challenge of a WWW-Authenticate value, read as RFC 7235 writes it: several challenges joined by
 * commas, the scheme in any case, parameters in any order, quoted or not, spaces around `=` allowed. The
 * `auth.required` check judges it; `--auth azure` follows it (src/auth/scope.ts), as the Key Vault clients do.
 */

/** A Bearer challenge's parameters (lower-case names); only the first value of a name counts. */
export type ChallengeParams = { readonly [name: string]: string };

const BEARER = /(?:^|,)\s*Bearer(?:\s+|$)/i;
/** `name=value` or `name="value"`, or a bare token (the next challenge's scheme, which ends this one). */
const PARAM = /\s*,?\s*([A-Za-z0-9_.-]+)(?:\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*)))?/y;

/** The Bearer challenge's parameters; undefined when no challenge of the value is Bearer. */
export function bearerChallenge(header: string | undefined): ChallengeParams | undefined {
  if (header === undefined) return undefined;
  const m = BEARER.exec(header);
  if (!m) return undefined;
  const out: { [name: string]: string } = {};
  PARAM.lastIndex = m.index + m[0].length;
  for (let p = PARAM.exec(header); p; p = PARAM.exec(header)) {
    const [, name = '', quoted, bare] = p;
    if (quoted === undefined && bare === undefined) break; // a scheme: the next challenge begins
    const key = name.toLowerCase();
    if (!(key in out)) out[key] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (bare ?? '');
  }
  return out;
}

/** The authority (`authorization`, or `authorization_uri` as ARM and older services write it), when not empty. */
export const challengeAuthority = (c: ChallengeParams): string | undefined => c.authorization || c.authorization_uri || undefined;

/** The audience the challenge names (`resource`, or a `scope`), when not empty. */
export const challengeAudience = (c: ChallengeParams): string | undefined => c.resource || c.scope || undefined;
