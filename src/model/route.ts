import type { Operation } from './registry.js';

export interface RouteMatch {
  readonly operation: Operation;
  readonly pathParams: { readonly [name: string]: string };
  readonly apiVersion: string | undefined;
}

/** Why an exchange did not map onto one of our operations (counted as "not covered", never a failure). */
export type RouteMiss = { readonly reason: 'path' | 'method' | 'api-version'; readonly detail: string };

/**
 * Literal segments that belong to other operations where a template of ours has a parameter. Key Vault has
 * PATCH /certificates/{name}/policy (UpdateCertificatePolicy), PATCH /certificates/{name}/pending
 * (UpdateCertificateOperation) and PATCH /certificates/issuers/{issuer-name} (UpdateCertificateIssuer); a
 * version is 32 hex digits and Key Vault routes `issuers` first, so none of them is an UpdateCertificate.
 */
const RESERVED: { readonly [param: string]: ReadonlySet<string> } = {
  'certificate-name': new Set(['issuers']),
  'certificate-version': new Set(['policy', 'pending']),
};

interface CompiledRoute {
  readonly operation: Operation;
  readonly regex: RegExp;
  readonly names: readonly string[];
}

/**
 * Match requests to operations by method, path template and api-version. The data-plane template sits at the
 * vault's root (any host), ARM templates under `/subscriptions/`; ARM path segments compare case-insensitively
 * as ARM itself does.
 */
export class Router {
  private readonly routes: CompiledRoute[];

  constructor(operations: readonly Operation[]) {
    this.routes = operations.map((operation) => {
      const names: string[] = [];
      const body = operation.model.path
        .split(/(\{[^}]+\})/)
        .map((part) => {
          const m = /^\{(.+)\}$/.exec(part);
          if (!m) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
          names.push(m[1] as string);
          // An empty segment is allowed: the Key Vault SDK sends `/certificates/{name}/` for "latest version".
          return '([^/]*)';
        })
        .join('');
      return { operation, regex: new RegExp(`^${body}/?$`, operation.plane === 'arm' ? 'i' : ''), names };
    });
  }

  match(method: string, url: URL): RouteMatch | RouteMiss {
    // Match the raw path (an encoded '/' stays inside its segment), then decode each parameter.
    const path = url.pathname.replace(/\/{2,}/g, '/');
    const apiVersion = url.searchParams.get('api-version') ?? undefined;
    const byPath = this.routes
      .map((r) => ({ r, m: r.regex.exec(path) }))
      .filter((x): x is { r: CompiledRoute; m: RegExpExecArray } => x.m !== null && !reserved(x.r.names, x.m));
    if (byPath.length === 0) return { reason: 'path', detail: `no operation has path ${path}` };
    const byMethod = byPath.filter((x) => x.r.operation.model.method === method.toUpperCase());
    if (byMethod.length === 0) return { reason: 'method', detail: `${method} ${path} is not one of our operations` };
    const exact = byMethod.find((x) => x.r.operation.apiVersion === apiVersion);
    if (!exact) {
      return { reason: 'api-version', detail: `no spec for ${byMethod[0]?.r.operation.id} at api-version ${apiVersion ?? '(none)'}` };
    }
    const pathParams = Object.fromEntries(exact.r.names.map((n, i) => [n, decodeURIComponentSafe(exact.m[i + 1] ?? '')]));
    return { operation: exact.r.operation, pathParams, apiVersion };
  }
}

/** Does a match put another operation's literal segment where a parameter of ours is? */
function reserved(names: readonly string[], m: RegExpExecArray): boolean {
  return names.some((n, i) => RESERVED[n]?.has(decodeURIComponentSafe(m[i + 1] ?? '').toLowerCase()) === true);
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function isMiss(r: RouteMatch | RouteMiss): r is RouteMiss {
  return 'reason' in r;
}
