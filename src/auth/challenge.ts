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

/** The parameters of the challenge whose scheme ends at `from`, up to the next challenge's scheme. */
function paramsFrom(header: string, from: number): { params: ChallengeParams; end: number } {
  const out: { [name: string]: string } = {};
  PARAM.lastIndex = from;
  let end = from;
  for (let p = PARAM.exec(header); p; p = PARAM.exec(header)) {
    const [, name = '', quoted, bare] = p;
    if (quoted === undefined && bare === undefined) break; // a scheme: the next challenge begins
    end = PARAM.lastIndex;
    const key = name.toLowerCase();
    if (!(key in out)) out[key] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (bare ?? '');
  }
  return { params: out, end };
}

/** The Bearer challenge's parameters; undefined when no challenge of the value is Bearer. */
export function bearerChallenge(header: string | undefined): ChallengeParams | undefined {
  return bearerChallenges(header)[0];
}

/**
 * Every Bearer challenge of the value, in order. Two WWW-Authenticate lines reach a client as one comma-joined
 * value (RFC 9110 §5.3), so a second, bare `Bearer` line shows up here as a second challenge.
 */
export function bearerChallenges(header: string | undefined): ChallengeParams[] {
  if (header === undefined) return [];
  const out: ChallengeParams[] = [];
  const scheme = new RegExp(BEARER.source, 'gi');
  for (let m = scheme.exec(header); m; m = scheme.exec(header)) {
    const { params, end } = paramsFrom(header, m.index + m[0].length);
    out.push(params);
    scheme.lastIndex = Math.max(end, m.index + m[0].length);
  }
  return out;
}

/** The authority (`authorization`, or `authorization_uri` as ARM and older services write it), when not empty. */
export const challengeAuthority = (c: ChallengeParams): string | undefined => c.authorization || c.authorization_uri || undefined;

/** The audience the challenge names (`resource`, or a `scope`), when not empty. */
export const challengeAudience = (c: ChallengeParams): string | undefined => c.resource || c.scope || undefined;
