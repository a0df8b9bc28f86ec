/**
 * What each operation contributes to the shared pipeline: find the resource the request names (or the 404),
 * optionally normalise the body, add facts only the emulator knows, check preconditions, and apply the write.
 */
import type { Operation } from '../../model/registry.js';
import type { Service } from '../errors.js';
import type { EmulatorState } from '../state.js';
import type { Behaviour, Issue, Reply, RequestCtx } from '../types.js';

export interface HandlerEnv {
  readonly state: EmulatorState;
  readonly behaviour: Behaviour;
  /** The request, routed: its operation (at the request's api-version), path parameters and body. */
  readonly ctx: RequestCtx & { readonly operation: Operation };
}

export type Located<T> = { readonly found: T } | { readonly reply: Reply };

export interface Handler<T> {
  readonly service: Service;
  /** The resource the request names, or the 404 answer (checked after parameters, before the body). */
  locate(env: HandlerEnv): Located<T>;
  /** The body as the service reads it (e.g. permission names are case-insensitive), before validation. */
  normalise?(body: unknown, env: HandlerEnv): unknown;
  /** Refusals beyond the schema and the kit's rules: what only a real service knows. */
  issues?(body: unknown, env: HandlerEnv): Issue[];
  /** Facts about the located resource the request rules need. */
  ruleFacts?(found: T): { readonly currentValidityMonths?: number };
  /** A failed precondition (If-Match), checked after the body's schema and before the rules. */
  precondition?(found: T, env: HandlerEnv): Reply | undefined;
  apply(found: T, body: unknown, env: HandlerEnv): Reply;
}

/** Erase a handler's resource type for the table (each handler only ever sees what its own locate returned). */
export const handler = <T>(h: Handler<T>): Handler<unknown> => h as unknown as Handler<unknown>;
