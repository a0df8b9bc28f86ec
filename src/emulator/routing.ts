/**
 * Routing on top of the model's Router: method + path + api-version over every spec under specs/. A request whose
 * path and method name an operation at some other api-version still learns which operation it is, so auth and the
 * api-version answer can use that operation's plane and faults.
 */
import type { Operation } from '../model/registry.js';
import { Router, isMiss } from '../model/route.js';
import type { OperationId } from './types.js';

export type Resolution =
  | {
      readonly kind: 'operation';
      readonly operationId: OperationId;
      /** The operation at the request's api-version; undefined when the version is missing or unknown. */
      readonly operation?: Operation;
      /** Our api-versions of this operation, and the operation at each. */
      readonly versions: ReadonlyMap<string, Operation>;
      readonly pathParams: { readonly [name: string]: string };
    }
  | { readonly kind: 'no-route'; readonly allowed?: string };

export class EmulatorRouter {
  private readonly router: Router;
  private readonly versions = new Map<string, Map<string, Operation>>();
  private readonly allVersions: readonly string[];
  private readonly methods: readonly string[];

  constructor(operations: readonly Operation[]) {
    this.router = new Router(operations);
    for (const op of operations) {
      const byVersion = this.versions.get(op.id) ?? new Map<string, Operation>();
      byVersion.set(op.apiVersion, op);
      this.versions.set(op.id, byVersion);
    }
    this.allVersions = [...new Set(operations.map((o) => o.apiVersion))];
    this.methods = [...new Set(operations.map((o) => o.model.method))];
  }

  resolve(method: string, url: URL): Resolution {
    const hit = this.router.match(method, url);
    if (!isMiss(hit)) return this.found(hit.operation, hit.pathParams, hit.operation);
    if (hit.reason === 'path') return { kind: 'no-route' };
    if (hit.reason === 'api-version') {
      // Learn the operation from a version we do have; the pipeline answers the api-version itself.
      for (const v of this.allVersions) {
        const again = this.router.match(method, withVersion(url, v));
        if (!isMiss(again)) return this.found(again.operation, again.pathParams, undefined);
      }
      return { kind: 'no-route' };
    }
    const allowed = this.methods.filter((m) => this.allVersions.some((v) => !isMiss(this.router.match(m, withVersion(url, v)))));
    return { kind: 'no-route', ...(allowed.length > 0 ? { allowed: allowed.join(', ') } : {}) };
  }

  private found(op: Operation, pathParams: { readonly [k: string]: string }, atVersion: Operation | undefined): Resolution {
    return {
      kind: 'operation',
      operationId: op.id as OperationId,
      ...(atVersion ? { operation: atVersion } : {}),
      versions: this.versions.get(op.id) ?? new Map(),
      pathParams,
    };
  }
}

function withVersion(url: URL, version: string): URL {
  const copy = new URL(url);
  copy.searchParams.set('api-version', version);
  return copy;
}
