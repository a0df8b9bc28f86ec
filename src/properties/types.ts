import type fc from 'fast-check';
import type { CaseKind } from '../cases/case.js';
import type { RequestParts } from '../cases/request.js';
import type { Tagged } from '../cases/tagged.js';
import type { Profile } from '../checks/types.js';
import type { Operation } from '../model/registry.js';
import type { Exchange } from '../http/exchange.js';
import type { Pkcs12Certificate } from '../pki/pkcs12.js';
import type { Prediction } from '../cases/prediction.js';
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

/** One step of a stateful property: a request made from the model, and what the model predicts for it. */
export type StepInput = CaseInput & { readonly state?: Prediction };

/**
 * A command of a model-based property (fast-check `fc.commands`): data, not a class. `applies` is the
 * precondition on the model, `input` the request it sends, `next` the model after a conforming answer.
 */
export interface Step<M> {
  readonly label: string;
  readonly applies: (model: M) => boolean;
  readonly input: (model: M) => StepInput;
  readonly next: (model: M, ex: Exchange) => void;
}

/**
 * A model-based property: a fresh model per run, steps that always open the run (to read the target's current
 * state, never shrunk away), and the arbitrary steps fast-check combines into sequences and shrinks.
 */
export interface SequenceDef<M> {
  readonly init: () => M;
  readonly prologue: readonly Step<M>[];
  readonly steps: readonly fc.Arbitrary<Step<M>>[];
  readonly maxSteps: number;
}

/**
 * A property of an operation: a fixed table of cases (examples, boundaries, probes) sent once each, an
 * arbitrary that fast-check runs `--runs` times and shrinks on failure, or a sequence of steps checked against a
 * model of the resource (run after every other property, alone, so nothing else changes the resource meanwhile).
 */
export type PropertyDef =
  | {
      readonly name: string;
      readonly table: (ctx: PropertyContext) => readonly CaseInput[];
      /** Built anew for every run, never kept (prepare.ts): the table draws fresh resource names each time. */
      readonly fresh?: boolean;
    }
  | { readonly name: string; readonly arbitrary: (ctx: PropertyContext) => fc.Arbitrary<CaseInput> | undefined }
  | { readonly name: string; readonly sequence: (ctx: PropertyContext) => SequenceDef<object> | undefined };
