import type { Operation } from '../model/registry.js';
import type { Fixtures } from '../targets/fixtures.js';

export interface RuleContext {
  readonly operation: Operation;
  readonly fixtures: Fixtures;
  /** The certificate's current validity_months, when the run has seen it (tracked from responses). */
  readonly currentValidityMonths?: number;
}

/** A request-side rule: returns why the request breaks it, or undefined when it holds. */
export interface RequestRule {
  readonly id: string;
  readonly operationId: string;
  readonly broken: (body: unknown, pathParams: { readonly [k: string]: string }, ctx: RuleContext) => string | undefined;
  /**
   * What a body breaking it may get. Default `reject`: a target must refuse it. `either`: whether a service takes
   * it depends on facts no spec states (a vault's SKU, whether PATCH reads the policy at all), so the kit claims
   * neither an accept nor a refusal for it.
   */
  readonly verdict?: 'either';
}
