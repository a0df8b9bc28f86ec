import type { Operation } from '../model/registry.js';
import type { Prediction } from './prediction.js';
import type { Breaks, Expectation } from './tagged.js';

/**
 * Why a case exists. `example` replays a spec example; `positive`/`negative`/`boundary`/`knob` are generated
 * from the schema and the rules; `auth`, `api-version` and `not-found` probe Azure-wide behaviour; `recorded`
 * is traffic read from a HAR or a test-proxy recording; `sequence` is one step of a stateful (model-based) property;
 * `served` is an operation's first request, sent alone to learn whether the target serves the operation at all.
 */
export type CaseKind =
  | 'example'
  | 'positive'
  | 'negative'
  | 'boundary'
  | 'knob'
  | 'auth'
  | 'api-version'
  | 'not-found'
  | 'sequence'
  | 'recorded'
  | 'served';

export interface HttpRequest {
  readonly method: string;
  readonly url: string;
  /** Lower-case names. */
  readonly headers: { readonly [name: string]: string };
  /** The JSON body sent (undefined: no body). */
  readonly body?: unknown;
}

export interface Case {
  /** Unique within a run, e.g. `UpdateCertificate@7.4/negative/12`. */
  readonly id: string;
  readonly operation: Operation;
  readonly kind: CaseKind;
  readonly expect: Expectation;
  readonly breaks?: Breaks;
  readonly label?: string;
  /** The spec example this case replays (kind `example`). */
  readonly example?: string;
  /** The response status the example documents, when replaying it. */
  readonly exampleStatus?: string;
  readonly request: HttpRequest;
  /** Values the request used for its path parameters (decoded). */
  readonly pathParams: { readonly [name: string]: string };
  /** fast-check coordinates for replaying a generated case. */
  readonly origin?: { readonly seed: number; readonly path?: string; readonly property: string };
  /** What the model of a stateful property predicts for this step (kind `sequence`). */
  readonly state?: Prediction;
  /** A note for the report (e.g. "the example's placeholder certificate was replaced by a real one"). */
  readonly note?: string;
}
