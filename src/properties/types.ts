import type fc from 'fast-check';
import type { CaseKind } from '../cases/case.js';
import type { RequestParts } from '../cases/request.js';
import type { Tagged } from '../cases/tagged.js';
import type { Profile } from '../checks/types.js';
import type { Operation } from '../model/registry.js';
import type { Pkcs12Certificate } from '../pki/pkcs12.js';
import type { Fixtures } from '../targets/fixtures.js';

/** One input of a property: the request parts plus what a conforming target must do with them. */
export type CaseInput = Tagged<RequestParts> & {
  readonly kind: CaseKind;
  readonly example?: string;
  readonly exampleStatus?: string;
  readonly note?: string;
};

export interface PropertyContext {
  readonly operation: Operation;
  readonly fixtures: Fixtures;
  readonly profile: Profile;
  /** Real PKCS#12 certificates made for this run (API Management uploads). */
  readonly certificates: readonly Pkcs12Certificate[];
}

/**
 * A property of an operation: either a fixed table of cases (examples, boundaries, probes) sent once each, or
 * an arbitrary that fast-check runs `--runs` times and shrinks on failure.
 */
export type PropertyDef =
  | { readonly name: string; readonly table: (ctx: PropertyContext) => readonly CaseInput[] }
  | { readonly name: string; readonly arbitrary: (ctx: PropertyContext) => fc.Arbitrary<CaseInput> | undefined };
