import type { Operation } from '../model/registry.js';
import type { HttpRequest } from './case.js';

export interface RequestParts {
  readonly pathParams: { readonly [name: string]: string };
  /** Query values besides api-version; `null` removes api-version (for the api-version probes). */
  readonly apiVersion?: string | null;
  /**
   * The query key as written on the wire (default `api-version`). `api%2Dversion` is the same URI (RFC 3986 §2.3:
   * a percent-encoded unreserved character is equivalent to the character) and shows up in recorded SDK traffic.
   */
  readonly apiVersionKey?: 'api-version' | 'api%2Dversion';
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
  // One parse (it normalises the path), then the query appended as URLSearchParams would write it.
  const href = new URL(`${baseUrl.replace(/\/+$/, '')}${path}`).href;
  const apiVersion = parts.apiVersion === undefined ? op.apiVersion : parts.apiVersion;
  const url = apiVersion === null ? href : `${href}?${queryPair(parts.apiVersionKey ?? 'api-version', apiVersion)}`;
  const headers: { [name: string]: string } = { accept: 'application/json' };
  if (!parts.anonymous) headers.authorization = `Bearer ${token}`;
  for (const [k, v] of Object.entries(parts.headers ?? {})) headers[k.toLowerCase()] = v;
  return { method: op.model.method, url, headers, ...(parts.body !== undefined ? { body: parts.body } : {}) };
}

/**
 * `name=value` form-encoded, as URLSearchParams writes it; plain values (every real api-version) as they are. The
 * name is written as given: it is already encoded (`api%2Dversion` would otherwise become `api%252Dversion`).
 */
function queryPair(name: string, value: string): string {
  return /^[A-Za-z0-9._-]*$/.test(value) ? `${name}=${value}` : `${name}=${new URLSearchParams([['', value]]).toString().slice(1)}`;
}
