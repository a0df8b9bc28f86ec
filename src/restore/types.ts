/**
 * The vocabulary of snapshot and restore: what the kit reads before a run against a live target, what the ledger
 * saw the run change, and the environment both work in. Plain data, no logic.
 */
import type { TokenOf } from '../auth/tokens.js';
import type { HttpRequest } from '../cases/case.js';
import type { RestoreItem } from '../events/types.js';
import type { HttpResponse } from '../http/exchange.js';
import type { Operation } from '../model/registry.js';
import type { Fixtures } from '../targets/fixtures.js';

export type Obj = { [k: string]: unknown };

/** What a housekeeping read found, or why it could not read it. */
export type Taken<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export interface Contact {
  readonly email?: string;
  readonly name?: string;
  readonly phone?: string;
}

export interface Identity {
  readonly tenantId: string;
  readonly objectId: string;
  readonly applicationId?: string;
}

export interface AccessPolicyEntry extends Identity {
  readonly permissions: { readonly [list: string]: readonly string[] };
}

/** The fixture certificate as GET shows it: the version's attributes and tags, and the certificate's policy. */
export interface CertificateState {
  readonly attributes: Obj;
  readonly tags: { readonly [k: string]: string };
  readonly policy: Obj;
  /** The certificate's latest version (a PATCH with an empty version segment changes that one), when known. */
  readonly latestVersion?: string;
}

/** An API Management certificate as the service's list shows it (never its PKCS#12: the service cannot return it). */
export interface ApimCertificate {
  readonly name: string;
  readonly properties: Obj;
}

/** State before the run, per resource kind; absent = the run does not touch that kind (operation not selected). */
export interface Snapshot {
  /** null = the vault had no contacts (404 ContactsNotFound). */
  readonly contacts?: Taken<readonly Contact[] | null>;
  readonly certificate?: Taken<CertificateState>;
  readonly vault?: Taken<readonly AccessPolicyEntry[]>;
  /** Keyed by lower-case certificateId (ARM names compare case-insensitively). */
  readonly apim?: Taken<ReadonlyMap<string, ApimCertificate>>;
}

/** What the run may have changed, as the ledger saw it in the event stream. */
export interface Touched {
  /** Writes to the vault's contacts that may have been applied. */
  readonly contacts: number;
  /** Keyed by lower-case `name/version`. */
  readonly certificates: ReadonlyMap<string, { readonly name: string; readonly version: string; readonly writes: number }>;
  /** Keyed by lower-case `subscription/resourceGroup/vault`. */
  readonly vaults: ReadonlyMap<string, TouchedVault>;
  /** Keyed by lower-case decoded path of the certificate (service path + certificateId). */
  readonly apim: ReadonlyMap<string, TouchedApimCertificate>;
  /** Writes that may have been applied but whose URL names no resource the kit knows how to restore. */
  readonly unrecognised: readonly { readonly operation: string; readonly url: string }[];
}

export interface TouchedVault {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
  /**
   * Keyed by identityKey; `kinds` = the operationKinds (add, replace, remove) that may have been applied to it;
   * `granted` = the permission names an add or replace sent it, per list (a removal names them too: a target may take
   * a name its api-version's list lacks, such as `all` before 2021-10-01).
   */
  readonly identities: ReadonlyMap<string, Identity & { readonly kinds: ReadonlySet<string>; readonly granted?: ReadonlyMap<string, ReadonlySet<string>> }>;
  /** Whether a write to it was answered 2xx (else every write went unanswered or got a 5xx: it may not exist). */
  readonly certain: boolean;
}

export interface TouchedApimCertificate {
  /** The PUT's URL without its query, as sent (the DELETE goes to the same resource). */
  readonly url: string;
  /** Lower-case decoded path of the service. */
  readonly service: string;
  readonly certificateId: string;
  /** 2xx statuses the writes were answered with: a 201 means the certificate did not exist at that moment. */
  readonly statuses: readonly number[];
  /** Writes with no answer or a 5xx: they may or may not have been applied. */
  readonly uncertain: number;
}

/** The run a snapshot is taken for: its operations (api-version, base URL), fixtures and token. */
export interface Env {
  /** Each plane's token as of now. */
  readonly token: TokenOf;
  readonly fixtures: Fixtures;
  readonly ops: ReadonlyMap<string, { readonly operation: Operation; readonly baseUrl: string }>;
}

/** One restoring request (or a reason none can be sent), before it is executed. */
export interface Step {
  readonly item: Omit<RestoreItem, 'outcome' | 'detail'>;
  readonly request?: HttpRequest;
  /** Whether an answer means the item was restored. */
  readonly accept?: (res: HttpResponse) => boolean;
  /** For steps without a request: how the item is reported. */
  readonly outcome?: 'failed' | 'warning';
  readonly detail?: string;
}

/** An access-policy entry as a journal keeps it: the identity, and its permission lists when they are lists of names. */
export type JournaledEntry = Identity & { readonly permissions?: { readonly [list: string]: readonly string[] } };
