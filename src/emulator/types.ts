/**
 * The emulator's vocabulary: a request as the pipeline sees it, a reply before it is written, the validation
 * issues a fault may let through, and the shape of a fault. Kept free of logic so every file can import it.
 */
import type { Operation } from '../model/registry.js';
import type { Plane } from '../model/spec-model.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Obj = { [k: string]: unknown };

export type OperationId = 'SetCertificateContacts' | 'UpdateCertificate' | 'Vaults_UpdateAccessPolicy' | 'Certificate_CreateOrUpdate';

/** What happens to the connection instead of (or while) writing the reply: robustness faults only. */
export type TransportAction = 'hang' | 'reset' | 'drip' | 'raw';

export interface Reply {
  readonly status: number;
  readonly headers: { readonly [name: string]: string };
  /** JSON body (serialised by the writer); undefined = no body. */
  readonly body?: unknown;
  /** With transport 'raw': the exact body text to send (not JSON). */
  readonly text?: string;
  readonly transport?: TransportAction;
}

/** One request, as far as the pipeline has understood it. */
export interface RequestCtx {
  readonly method: string;
  readonly url: URL;
  /** Lower-case header names (node's IncomingHttpHeaders, single values). */
  readonly headers: { readonly [name: string]: string };
  readonly plane: Plane;
  /** `http://{Host}`: the vault URL the data plane derives ids from. */
  readonly vaultUrl: string;
  /** The operation family the path and method name (any api-version), once routed. */
  readonly operationId?: OperationId;
  /** The operation at the request's api-version, once the api-version is accepted. */
  readonly operation?: Operation;
  readonly pathParams: { readonly [name: string]: string };
  /** The parsed JSON body, once read (undefined: none). */
  readonly body?: unknown;
}

/** A reason the clean emulator would refuse a request; a fault may tolerate some of them. */
export interface Issue {
  readonly stage: 'params' | 'body' | 'rule';
  /** The JSON Schema keyword (`maximum`, `pattern`, …) or the rule id. */
  readonly id: string;
  /** JSON pointer into `{path, query, header}` (params) or the body; '' for rules. */
  readonly path: string;
  /** The value at `path` (params/body); the whole body for rules. */
  readonly value: unknown;
  readonly message: string;
}

/** Pipeline stages a fault can switch off for its request class. */
export type SkippableStage = 'auth' | 'api-version' | 'if-match' | 'body-required';

/** Quirks of the stores: how a state fault changes what a write does. */
export type StateQuirk =
  | 'always-201'
  | 'etag-unchanged'
  | 'drop-unsent-attributes'
  | 'merge-tags'
  | 'apply-read-only'
  | 'answer-previous-contacts'
  | 'answer-vault-state'
  | 'always-200'
  | 'update-204'
  | 'ignore-version'
  | 'refuse-disabled'
  | 'case-sensitive-names'
  | 'keep-updated'
  | 'append-contacts'
  | 'if-match-raw'
  | 'contacts-by-email'
  | 'store-before-precondition'
  | 'merge-arrays-by-index'
  | 'ignore-enabled'
  | 'replace-merges'
  | 'lowercase-tag-keys'
  | 'future-api-version'
  | 'create-missing-parent'
  | 'keep-first-upload';

export type FaultTier = 'schema' | 'boundary' | 'prose' | 'semantics' | 'state' | 'security' | 'robustness';

/**
 * A named, deliberate deviation from Azure's behaviour, as data. It touches one request class (one operation,
 * often narrowed further by its hook) so that everything else keeps conforming.
 */
export interface Fault {
  readonly name: string;
  readonly tier: FaultTier;
  readonly operation: OperationId;
  readonly description: string;
  /** Validation issues the fault lets through. */
  readonly tolerate?: (issue: Issue) => boolean;
  readonly skip?: readonly SkippableStage[];
  readonly quirk?: StateQuirk;
  /** Answers in the emulator's place (after auth and validation), or undefined to let it answer. */
  readonly before?: (ctx: RequestCtx) => Reply | undefined;
  /** Rewrites the emulator's reply. */
  readonly after?: (reply: Reply, ctx: RequestCtx) => Reply;
}

/** The faults in force for one request (those of its operation). */
export interface Behaviour {
  readonly tolerate: (issue: Issue) => boolean;
  readonly skips: (stage: SkippableStage) => boolean;
  readonly quirk: (q: StateQuirk) => boolean;
  readonly before: (ctx: RequestCtx) => Reply | undefined;
  readonly after: (reply: Reply, ctx: RequestCtx) => Reply;
}

/** What the HTTP layer hands over: the request line, headers and the whole body text. */
export interface IncomingRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: { readonly [name: string]: string };
  readonly bodyText: string;
}
