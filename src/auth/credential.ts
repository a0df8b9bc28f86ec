/**
 * DefaultAzureCredential (environment, workload identity, managed identity, Azure CLI, …), loaded on first use:
 * @azure/identity and MSAL cost start-up time a run without `--auth azure` should not pay.
 */
import type { TokenCredentialLike } from './tokens.js';

/** Microsoft's own sign-in hosts, whose metadata MSAL knows without asking the network. */
const MICROSOFT_AUTHORITIES = new Set(['login.microsoftonline.com', 'login.microsoft.com', 'login.windows.net', 'login.chinacloudapi.cn', 'login.partner.microsoftonline.cn', 'login.microsoftonline.us', 'login.microsoftonline.de']);

/**
 * Whether MSAL's instance discovery is off: for an authority host of its own (Azure Stack, a private cloud, a
 * stand-in for tests) MSAL would ask login.microsoftonline.com about a host it cannot know — a request that fails
 * there, and that must never leave a test. Microsoft's hosts keep it (MSAL answers from its own table).
 */
export function instanceDiscoveryOff(authorityHost: string | undefined): boolean {
  if (!authorityHost) return false;
  try {
    return !MICROSOFT_AUTHORITIES.has(new URL(authorityHost).hostname.toLowerCase());
  } catch {
    return true;
  }
}

export async function defaultAzureCredential(): Promise<TokenCredentialLike> {
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new DefaultAzureCredential({ disableInstanceDiscovery: instanceDiscoveryOff(process.env.AZURE_AUTHORITY_HOST) });
}
