/**
 * Each plane's bearer token, read synchronously on the hot path (one Map lookup a request) and renewed in the
 * background ahead of its expiry, so no request waits for a token and a long run never sends an expired one.
 */
import type { Plane } from '../model/spec-model.js';
import type { ChallengeScope } from './scope.js';

/** The shape of @azure/core-auth's AccessToken and TokenCredential the kit relies on (no import at start-up). */
export interface AccessTokenLike {
  readonly token: string;
  readonly expiresOnTimestamp: number;
  /** When the credential suggests renewing (newer @azure/identity sets it); earlier than the margin wins. */
  readonly refreshAfterTimestamp?: number;
}
export interface TokenCredentialLike {
  getToken(scopes: string | string[], options?: { tenantId?: string }): Promise<AccessTokenLike | null>;
}

/** The token a plane's requests carry now. */
export type TokenOf = (plane: Plane) => string;

/** Tokens the user brought: one per plane (the same one for both with `--token`). */
export const fixedTokens = (data: string, arm: string = data): TokenOf => (plane) => (plane === 'data' ? data : arm);

/** Signing in failed or was refused: exit 2 with this one line. */
export class AuthError extends Error {}

export interface RenewOptions {
  /** Ask again this long before expiry: 4 min, inside MSAL's 5-minute renewal window, so it fetches a new token. */
  readonly marginMs?: number;
  /** After a failed or fruitless renewal (the same token again), try again this much later. */
  readonly retryMs?: number;
  /** A renewal failed (once until one succeeds; the run goes on with the token it has). Never given a token. */
  readonly onProblem?: (message: string) => void;
}

interface Held {
  readonly want: ChallengeScope;
  current: AccessTokenLike;
  timer?: NodeJS.Timeout;
  /** A renewal has failed since the last success: said once, not every retry. */
  failing?: boolean;
}

/** First line of an error, whitespace collapsed, cut short: credential errors list every credential tried. */
export const oneLine = (err: unknown): string => {
  const text = (err instanceof Error ? err.message : String(err)).split('\n').find((l) => l.trim() !== '') ?? '';
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
};

export class CredentialTokens {
  private readonly planes = new Map<Plane, Held>();
  private closed = false;
  private readonly marginMs: number;
  private readonly retryMs: number;

  constructor(
    private readonly credential: TokenCredentialLike,
    private readonly opts: RenewOptions = {},
  ) {
    this.marginMs = opts.marginMs ?? 4 * 60_000;
    this.retryMs = opts.retryMs ?? 30_000;
  }

  /** Get a plane's first token (AuthError when the credential cannot give one), then keep it renewed. */
  async add(plane: Plane, want: ChallengeScope): Promise<void> {
    let first: AccessTokenLike | null;
    try {
      first = await this.ask(want);
    } catch (err) {
      throw new AuthError(`cannot get a token for ${want.scope}${want.tenantId ? ` in tenant ${want.tenantId}` : ''}: ${oneLine(err)}`);
    }
    if (!first) throw new AuthError(`cannot get a token for ${want.scope}: the credential gave none`);
    const held: Held = { want, current: first };
    this.planes.set(plane, held);
    this.schedule(held, this.renewAt(first) - Date.now());
  }

  readonly token: TokenOf = (plane) => this.planes.get(plane)?.current.token ?? '';

  /** The scopes in use, for the terminal (never a token). */
  scopes(): { readonly plane: Plane; readonly scope: string; readonly tenantId?: string }[] {
    return [...this.planes].map(([plane, h]) => ({ plane, ...h.want }));
  }

  close(): void {
    this.closed = true;
    for (const h of this.planes.values()) clearTimeout(h.timer);
  }

  private ask(want: ChallengeScope): Promise<AccessTokenLike | null> {
    return this.credential.getToken([want.scope], want.tenantId ? { tenantId: want.tenantId } : {});
  }

  private renewAt(t: AccessTokenLike): number {
    return Math.min(t.refreshAfterTimestamp ?? Infinity, t.expiresOnTimestamp - this.marginMs);
  }

  private schedule(held: Held, delayMs: number): void {
    if (this.closed) return;
    // unref: a pending renewal never keeps the process alive after the run.
    held.timer = setTimeout(() => void this.renew(held), Math.max(delayMs, 1_000)).unref();
  }

  private async renew(held: Held): Promise<void> {
    try {
      const next = await this.ask(held.want);
      if (this.closed) return;
      if (next && (next.token !== held.current.token || next.expiresOnTimestamp > held.current.expiresOnTimestamp)) {
        held.current = next;
        held.failing = false;
        this.schedule(held, this.renewAt(next) - Date.now());
        return;
      }
    } catch (err) {
      if (this.closed) return;
      if (!held.failing) this.opts.onProblem?.(`could not renew the token for ${held.want.scope} (it expires ${new Date(held.current.expiresOnTimestamp).toISOString()}): ${oneLine(err)}`);
      held.failing = true;
    }
    this.schedule(held, this.retryMs);
  }
}
