import type { CaseKind, HttpRequest } from '../cases/case.js';
import type { CheckOutcome } from '../checks/run.js';
import type { Profile } from '../checks/types.js';
import type { HttpResponse, TransportErrorKind } from '../http/exchange.js';

/** What a report needs to know of an operation. */
export interface OperationRef {
  readonly id: string;
  readonly apiVersion: string;
}

/**
 * One constraint of an operation's request body: where (a JSON pointer with `*` for any array item or map entry)
 * and which keyword. `realistic` is false when no realistic body carries the member, so the run cannot break it
 * in a body that keeps every other constraint and rule.
 */
export interface ConstraintRef {
  readonly pointer: string;
  readonly keyword: string;
  readonly realistic: boolean;
}

/** A case as reports see it: already redacted, no live objects. */
export interface CaseRecord {
  readonly id: string;
  readonly operation: OperationRef;
  readonly kind: CaseKind;
  readonly property: string;
  readonly expect: string;
  readonly label?: string;
  readonly breaks?: { readonly kind: string; readonly id: string; readonly path: string; readonly detail: string };
  readonly note?: string;
  /** A sequence step: the run of the sequence that sent it (the steps of one run share it). */
  readonly run?: number;
  readonly request: HttpRequest;
  readonly response?: Omit<HttpResponse, 'bodyText'> & { readonly bodyText?: string };
  readonly transportError?: { readonly kind: TransportErrorKind; readonly message: string };
  readonly ms: number;
}

export interface Violation {
  readonly operation: string;
  readonly apiVersion: string;
  readonly check: string;
  readonly rule?: string;
  readonly message: string;
  /** Where in the request or response the finding points (JSON pointer), when the check says. */
  readonly direction?: 'request' | 'response';
  readonly instancePath?: string;
  /** The constraint a negative or boundary case broke on purpose (what the target should have refused). */
  readonly breaks?: { readonly kind: string; readonly id: string; readonly path: string; readonly detail: string };
  readonly caseId: string;
  readonly kind: CaseKind;
  readonly property: string;
  readonly label?: string;
  readonly request: HttpRequest;
  readonly response?: { readonly status: number; readonly headers: { readonly [k: string]: string }; readonly body?: unknown; readonly bodyText?: string };
  readonly transportError?: { readonly kind: TransportErrorKind; readonly message: string };
  readonly seed: number;
  /** fast-check path of the shrunk counterexample (generated cases only). */
  readonly path?: string;
  readonly shrunk: boolean;
  /** Shrink steps from the failure first found to this one (generated cases only). */
  readonly shrinkSteps?: number;
  /** Why shrinking stopped before it was done (e.g. shrink attempts that timed out): this input may not be the smallest. */
  readonly shrinkStopped?: string;
  /** How to reproduce it; for a sequence, one curl per step in order (the failing step last). */
  readonly curl: string;
  /** The shrunk sequence's steps, when a stateful property failed. */
  readonly sequence?: readonly string[];
  readonly note?: string;
}

export interface Skip {
  readonly operation: string;
  readonly apiVersion: string;
  readonly check: string;
  readonly reason: string;
}

export interface Totals {
  readonly operations: number;
  readonly cases: number;
  readonly checks: number;
  readonly violations: number;
  readonly skipped: number;
  readonly notes: number;
}

export interface TargetDescription {
  readonly kind: 'prism' | 'url';
  readonly label: string;
  readonly vaultUrl: string;
  readonly armUrl: string;
}

/**
 * One item of the snapshot taken before a run against a live target, or of its restoration after the run
 * (src/restore/). `resource` says what kind of state, `subject` which one, `detail` why it failed or what it found.
 */
export interface RestoreItem {
  /** `provisioned`: the fixture certificate the run imported itself (--provision) and removes afterwards. */
  readonly resource: 'contacts' | 'certificate' | 'access-policies' | 'apim-certificate' | 'provisioned' | 'target';
  readonly subject: string;
  readonly action: 'snapshot' | 'import' | 'put' | 'patch' | 'delete' | 'purge' | 'replace' | 'remove' | 'verify' | 'keep';
  readonly outcome: 'ok' | 'failed' | 'warning';
  readonly detail?: string;
  /** How many identities or certificates the item covers (one request may restore several). */
  readonly count?: number;
  /** For a request that failed: the status and error code (`404 NotFound`) or the transport error kind. */
  readonly answer?: string;
}

/**
 * The engine's output is this stream and nothing else: every report (terminal, JSON, JUnit, Markdown) is a
 * handler of it, so a new report never touches the engine.
 */
export type RunEvent =
  | { readonly type: 'run-started'; readonly target: TargetDescription; readonly profile: Profile; readonly seed: number; readonly runs: number; readonly operations: readonly OperationRef[]; readonly startedAt: string }
  | { readonly type: 'operation-started'; readonly operation: OperationRef; readonly properties: readonly string[]; readonly constraints?: readonly ConstraintRef[] }
  | { readonly type: 'case-done'; readonly case: CaseRecord; readonly outcomes: readonly CheckOutcome[] }
  /** An exchange sent while a failure was shrunk: not a case of the run (no tally counts it). */
  | { readonly type: 'shrink-step'; readonly case: CaseRecord; readonly outcomes: readonly CheckOutcome[] }
  | { readonly type: 'violation'; readonly violation: Violation }
  | {
      readonly type: 'property-done';
      readonly operation: OperationRef;
      readonly property: string;
      readonly cases: number;
      readonly failed: boolean;
      readonly seed: number;
      readonly path?: string;
      /** Why the property did not run at all (the target does not serve the operation: operation.served). */
      readonly skipped?: string;
    }
  | { readonly type: 'operation-done'; readonly operation: OperationRef; readonly cases: number; readonly violations: number; readonly skipped: number; readonly durationMs: number }
  | { readonly type: 'run-error'; readonly message: string }
  /** Something the user must know about the run as a whole (TLS verification off, the writes to a live target). */
  | { readonly type: 'notice'; readonly message: string }
  /** How the run signs in (src/auth/setup.ts): scopes and tenants, never a token. */
  | { readonly type: 'auth'; readonly description: string }
  | { readonly type: 'restore'; readonly phase: 'snapshot' | 'restore'; readonly items: readonly RestoreItem[] }
  | { readonly type: 'gate'; readonly verdict: GateVerdict }
  | { readonly type: 'run-done'; readonly durationMs: number; readonly totals: Totals; readonly exitCode: number };

/** A baseline entry as reports show it (src/gate/baseline.ts). */
export interface BaselineEntryRef {
  /** `rule` and `where` left out match any. */
  readonly signature: Omit<ViolationSignature, 'where'> & { readonly where?: string };
  readonly reason: string;
  readonly owner: string;
  readonly expires: string;
}

/** What identifies a violation across runs and seeds (src/gate/signature.ts). */
export interface ViolationSignature {
  readonly operation: string;
  readonly apiVersion: string;
  readonly check: string;
  readonly rule?: string;
  /** `request:/pointer`, `response:/pointer` (array indices as `*`) or the case's shape `case:<kind>/<property>`. */
  readonly where: string;
}

/**
 * The CI gate's judgement after the last case (src/gate/): which violations a baseline accepts (known), which
 * entries expired or matched nothing (stale), which required statuses were never observed. Emitted before
 * `run-done`; the exit code follows from it.
 */
export interface GateVerdict {
  /** Signature keys (src/gate/signature.ts: key) of the violations a baseline entry accepts. */
  readonly known: readonly string[];
  readonly expired: readonly BaselineEntryRef[];
  readonly stale: readonly BaselineEntryRef[];
  /** `operation@apiVersion: status` never observed, for --require-statuses. */
  readonly missingStatuses: readonly { readonly operation: string; readonly apiVersion: string; readonly status: string }[];
  /** Requests valid at two api-versions that got different verdicts or answers (src/gate/cross-version.ts). */
  readonly crossVersion?: readonly { readonly operation: string; readonly caseKey: string; readonly versions: readonly [string, string]; readonly what: string }[];
  /** Violations that still fail the run (not known). */
  readonly failing: number;
  /** Why the gate fails, one line each (empty: it passes). */
  readonly failures: readonly string[];
}

export interface ReportHandler {
  handle(event: RunEvent): void;
  /** Write files, flush output. Called once after `run-done` (also after a run error). */
  close?(): Promise<void>;
}
