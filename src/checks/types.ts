import type { CaseKind } from '../cases/case.js';
import type { Exchange } from '../http/exchange.js';

export type Profile = 'mock' | 'service';

export interface CheckContext {
  readonly profile: Profile;
}

export interface Finding {
  readonly check: string;
  /** A violation fails the run; a note is reported only (e.g. an unknown value of an open enum). */
  readonly severity: 'violation' | 'note';
  readonly message: string;
  /** The x-azconform-rules id, when the finding enforces one. */
  readonly rule?: string;
  readonly direction?: 'request' | 'response';
  /** JSON pointer into the request or response body (or `/headers/etag`, …). */
  readonly instancePath?: string;
}

/**
 * A check: a pure function of one exchange, with a stable id and the spec rule it cites. `kinds` limits which
 * cases it judges; `skip` says why it does not apply under a profile (reported, never silently dropped).
 */
export interface Check {
  readonly id: string;
  readonly title: string;
  readonly cites: string;
  readonly kinds: readonly CaseKind[] | 'all';
  readonly skip?: (ctx: CheckContext, ex: Exchange) => string | undefined;
  readonly run: (ex: Exchange, ctx: CheckContext) => readonly Finding[];
}
