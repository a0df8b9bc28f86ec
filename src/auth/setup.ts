/**
 * A run's tokens, before its first case: the user's own (`--token`, `--vault-token`, `--arm-token`), or with
 * `--auth azure` one token per plane from DefaultAzureCredential — ARM for its fixed scope, the Key Vault plane
 * for the scope its challenge names, as the Key Vault clients do: a first request without a token, the 401's
 * challenge, the vault's host checked against the challenge's resource, then the token.
 */
import type { HttpRequest } from '../cases/case.js';
import type { SendResult } from '../http/client.js';
import type { Plane } from '../model/spec-model.js';
import { defaultAzureCredential } from './credential.js';
import { ARM_SCOPE, challengeResourceMismatch, scopeOfChallenge, VAULT_SCOPE, type ChallengeScope } from './scope.js';
import { AuthError, CredentialTokens, fixedTokens, type RenewOptions, type TokenCredentialLike, type TokenOf } from './tokens.js';

export type AuthOptions =
  | { readonly kind: 'tokens'; readonly data: string; readonly arm: string }
  | {
      readonly kind: 'azure';
      /** The Azure SDK's disableChallengeResourceVerification: accept a challenge naming any resource. */
      readonly trustChallenge?: boolean;
      /** Default: DefaultAzureCredential (tests give a credential pointed at a loopback stand-in for Entra ID). */
      readonly credential?: () => Promise<TokenCredentialLike>;
      readonly renew?: Omit<RenewOptions, 'onProblem'>;
    };

export interface RunTokens {
  readonly token: TokenOf;
  /** One line for the terminal, e.g. `auth: Azure (DefaultAzureCredential): data plane …`; never a token. */
  readonly description: string;
  close(): void;
}

export interface TokenContext {
  /** The vault URL and an api-version of the data plane, when the run has a data-plane operation. */
  readonly vault?: { readonly url: string; readonly apiVersion: string };
  readonly arm: boolean;
  /** Sends the token-less first request (not part of the run's traffic). */
  readonly send: (req: HttpRequest) => Promise<SendResult>;
  readonly onProblem: (message: string) => void;
}

export async function startTokens(auth: AuthOptions, ctx: TokenContext): Promise<RunTokens> {
  if (auth.kind === 'tokens') return { token: fixedTokens(auth.data, auth.arm), description: auth.data === auth.arm ? 'auth: one bearer token for both planes' : 'auth: a bearer token per plane', close: () => undefined };
  // The challenge first: a vault that names another domain gets no token, and the credential is not even loaded.
  const wanted: [Plane, ChallengeScope][] = [];
  if (ctx.vault) wanted.push(['data', await vaultScope(ctx.vault, ctx.send, auth.trustChallenge === true)]);
  if (ctx.arm) wanted.push(['arm', { scope: ARM_SCOPE }]);
  let credential: TokenCredentialLike;
  try {
    credential = await (auth.credential ?? defaultAzureCredential)();
  } catch (err) {
    throw new AuthError(`--auth azure: cannot load @azure/identity: ${(err as Error).message}`);
  }
  const tokens = new CredentialTokens(credential, { ...auth.renew, onProblem: ctx.onProblem });
  try {
    for (const [plane, want] of wanted) await tokens.add(plane, want);
  } catch (err) {
    tokens.close();
    throw err instanceof AuthError ? new AuthError(`--auth azure: ${err.message}`) : err;
  }
  const planes = tokens.scopes().map((s) => `${s.plane === 'data' ? 'Key Vault' : 'ARM'} ${s.scope}${s.tenantId ? ` (tenant ${s.tenantId})` : ''}`);
  return { token: tokens.token, description: `auth: Azure (DefaultAzureCredential): ${planes.join(', ')}; renewed before expiry`, close: () => tokens.close() };
}

/**
 * The Key Vault scope: a body-less GET without a token (reading the contacts changes nothing), and the scope its
 * 401 challenge names; a vault that sends no usable challenge gets the public cloud's scope. Either way the
 * vault's host must lie under the scope's domain, unless the user trusts the challenge.
 */
async function vaultScope(vault: { readonly url: string; readonly apiVersion: string }, send: TokenContext['send'], trust: boolean): Promise<ChallengeScope> {
  const url = new URL(`${vault.url.replace(/\/+$/, '')}/certificates/contacts`);
  url.searchParams.set('api-version', vault.apiVersion);
  const res = (await send({ method: 'GET', url: url.href, headers: { accept: 'application/json' } })).response;
  const challenged = res?.status === 401 ? scopeOfChallenge(res.headers['www-authenticate']) : undefined;
  const want = challenged ?? { scope: VAULT_SCOPE };
  const mismatch = trust ? undefined : challengeResourceMismatch(want.scope, vault.url);
  if (mismatch) {
    const source = challenged ? "the vault's 401 challenge" : `the vault sent no challenge (${res ? res.status : 'no answer'}) and the default scope ${VAULT_SCOPE}`;
    throw new AuthError(`--auth azure: refused: ${mismatch} (${source}); no token was asked for or sent. --disable-challenge-resource-verification trusts it, as the Azure SDK's disableChallengeResourceVerification does`);
  }
  return want;
}
