import type { Operation } from '../model/registry.js';
import type { HttpRequest } from './case.js';

export interface RequestParts {
  readonly pathParams: { readonly [name: string]: string };
  /** Query values besides api-version; `null` removes api-version (for the api-version probes). */
  readonly apiVersion?: string | null;
  readonly headers?: { readonly [name: string]: string };
  readonly body?: unknown;
  /** Leave the Authorization header out (the auth probe). */
  readonly anonymous?: boolean;
}

/**
 * Build the HTTP request for an operation: fill the path template (each value percent-encoded as one segment),
 * add api-version, the bearer token and the body. `baseUrl` is the vault URL (data plane) or the ARM root.
 */
export function buildRequest(op: Operation, baseUrl: string, token: string, parts: RequestParts): HttpRequest {
  const path = op.model.path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(parts.pathParams[name] ?? ''));
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}${path}`);
  const apiVersion = parts.apiVersion === undefined ? op.apiVersion : parts.apiVersion;
  if (apiVersion !== null) url.searchParams.set('api-version', apiVersion);
  const headers: { [name: string]: string } = { accept: 'application/json' };
  if (!parts.anonymous) headers.authorization = `Bearer ${token}`;
  for (const [k, v] of Object.entries(parts.headers ?? {})) headers[k.toLowerCase()] = v;
  return { method: op.model.method, url: url.toString(), headers, ...(parts.body !== undefined ? { body: parts.body } : {}) };
}
