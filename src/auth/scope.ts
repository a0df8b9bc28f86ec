/**
 * What the Key Vault clients of the Azure SDK do with a challenge (@azure/keyvault-common,
 * challengeBasedAuthenticationPolicy): the scope is `resource + "/.default"` (or the challenge's `scope`), the
 * tenant is the first path segment of the authority, and before asking for a token they check that the vault's
 * host lies under the scope's host (verifyChallengeResource), so a vault URL someone slipped in cannot obtain a
 * token for another service.
 */
import { bearerChallenge, challengeAuthority, type ChallengeParams } from './challenge.js';

/** Azure public cloud's audiences: the scopes used when a plane names none. */
export const VAULT_SCOPE = 'https://vault.azure.net/.default';
export const ARM_SCOPE = 'https://management.azure.com/.default';

export interface ChallengeScope {
  readonly scope: string;
  /** The tenant of the challenge's authority, when it names one. */
  readonly tenantId?: string;
}

/** The scope and tenant a Bearer challenge asks for; undefined when it names no resource and no scope. */
export function challengeScope(c: ChallengeParams): ChallengeScope | undefined {
  const scope = c.resource ? `${c.resource.replace(/\/+$/, '')}/.default` : c.scope || undefined;
  if (!scope) return undefined;
  const tenantId = tenantOf(challengeAuthority(c));
  return tenantId ? { scope, tenantId } : { scope };
}

/** `https://login.windows.net/{tenant}` → the tenant; none for an authority without a path. */
function tenantOf(authority: string | undefined): string | undefined {
  if (!authority) return undefined;
  try {
    return new URL(authority).pathname.split('/').find((s) => s !== '') || undefined;
  } catch {
    return undefined;
  }
}

/** The scope of a 401's WWW-Authenticate value; undefined without a usable Bearer challenge. */
export const scopeOfChallenge = (header: string | undefined): ChallengeScope | undefined => {
  const c = bearerChallenge(header);
  return c ? challengeScope(c) : undefined;
};

/**
 * verifyChallengeResource: the vault URL's host must end with `.` + the scope's host (myvault.vault.azure.net
 * under vault.azure.net). Returns the reason when it does not, else undefined.
 */
export function challengeResourceMismatch(scope: string, vaultUrl: string): string | undefined {
  let scopeHost: string;
  try {
    scopeHost = new URL(scope).hostname.toLowerCase();
  } catch {
    return `the challenge names ${JSON.stringify(scope)}, which is not a URL`;
  }
  const vaultHost = new URL(vaultUrl).hostname.toLowerCase();
  return vaultHost.endsWith(`.${scopeHost}`) ? undefined : `the challenge names the resource ${scopeHost}, but the vault ${vaultHost} is not under that domain`;
}
