/**
 * `azconform run`'s sign-in options: the user's own tokens (one for both planes, or one per plane) or
 * `--auth azure` (DefaultAzureCredential). Flags win over the config file, which wins over the environment.
 */
import type { AuthOptions } from '../auth/setup.js';
import { PLACEHOLDER_TOKEN } from '../auth/placeholder.js';
import { UsageError } from './exit-codes.js';

export const AUTH_FLAGS = {
  token: { type: 'string' },
  'vault-token': { type: 'string' },
  'arm-token': { type: 'string' },
  auth: { type: 'string' },
  'disable-challenge-resource-verification': { type: 'boolean' },
} as const;

export const AUTH_HELP = `Sign-in (no token ever reaches a report, a log line or a curl command)
  --token TOKEN         bearer token for both planes (default: $AZURE_ACCESS_TOKEN, else a placeholder for
                        mocks/emulators)
  --vault-token TOKEN   the Key Vault data plane's token (default: --token, else $AZURE_VAULT_ACCESS_TOKEN,
                        else $AZURE_ACCESS_TOKEN)
  --arm-token TOKEN     the ARM token: Key Vault management, API Management (default: --token, else
                        $AZURE_ARM_ACCESS_TOKEN, else $AZURE_ACCESS_TOKEN)
  --auth azure          sign in with DefaultAzureCredential (environment, workload identity, managed identity,
                        Azure CLI): a token per plane, the vault's from its 401 challenge; renewed before expiry
  --disable-challenge-resource-verification
                        with --auth azure: accept a vault challenge naming a domain the vault is not under
                        (an emulator on loopback); by default such a challenge stops the run before any token`;

export interface AuthValues {
  readonly token?: string | undefined;
  readonly 'vault-token'?: string | undefined;
  readonly 'arm-token'?: string | undefined;
  readonly auth?: string | undefined;
  readonly 'disable-challenge-resource-verification'?: boolean | undefined;
}

export interface AuthConfig {
  readonly token?: unknown;
  readonly vaultToken?: unknown;
  readonly armToken?: unknown;
  readonly auth?: unknown;
  readonly disableChallengeResourceVerification?: unknown;
}

const text = (name: string, v: unknown): string | undefined => {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw new UsageError(`config "${name}" must be a non-empty string`);
  return v;
};

/** The first given value; an empty environment variable counts as not set. */
const first = (...vs: (string | undefined)[]): string | undefined => vs.find((v) => v !== undefined && v !== '');

export function authOptions(values: AuthValues, cfg: AuthConfig, env: NodeJS.ProcessEnv = process.env): AuthOptions {
  const kind = values.auth ?? text('auth', cfg.auth);
  if (kind !== undefined && kind !== 'azure' && kind !== 'token') throw new UsageError(`--auth must be azure or token, got ${JSON.stringify(kind)}`);
  const trust = values['disable-challenge-resource-verification'] ?? cfg.disableChallengeResourceVerification;
  if (trust !== undefined && typeof trust !== 'boolean') throw new UsageError('config "disableChallengeResourceVerification" must be true or false');
  const flags = { token: values.token ?? text('token', cfg.token), vault: values['vault-token'] ?? text('vaultToken', cfg.vaultToken), arm: values['arm-token'] ?? text('armToken', cfg.armToken) };
  if (kind === 'azure') {
    // Two sources for one token would leave the user guessing which went out; environment tokens are ignored.
    const given = Object.entries({ '--token': flags.token, '--vault-token': flags.vault, '--arm-token': flags.arm }).filter(([, v]) => v !== undefined).map(([k]) => k);
    if (given.length > 0) throw new UsageError(`--auth azure gets every token from DefaultAzureCredential; drop ${given.join(', ')}`);
    return { kind: 'azure', trustChallenge: trust === true };
  }
  if (trust === true) throw new UsageError('--disable-challenge-resource-verification applies only with --auth azure');
  const both = first(flags.token, env.AZURE_ACCESS_TOKEN);
  return {
    kind: 'tokens',
    data: first(flags.vault, flags.token, env.AZURE_VAULT_ACCESS_TOKEN, both) ?? PLACEHOLDER_TOKEN,
    arm: first(flags.arm, flags.token, env.AZURE_ARM_ACCESS_TOKEN, both) ?? PLACEHOLDER_TOKEN,
  };
}
