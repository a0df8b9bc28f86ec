/** A small HTTP client for the emulator tests: JSON in and out, transport failures as values. */
import { request } from 'undici';

export const SUB = '00000000-0000-0000-0000-000000000000';
export const TENANT = '00000000-0000-0000-0000-000000000000';
export const CERT = { name: 'updateCert01', version: 'c3d31d7b36c942ad83ef36fc0785a4fc' } as const;
export const VAULT_PATH = `/subscriptions/${SUB}/resourceGroups/sample-group/providers/Microsoft.KeyVault/vaults/sample-vault`;
export const APIM_PATH = `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1`;

export interface Answer {
  readonly status: number;
  readonly headers: { readonly [k: string]: string };
  readonly text: string;
  /** Parsed JSON (undefined when the body is empty or not JSON). */
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read answers freely
  /** Set instead of the above when the exchange failed: timeout, reset or other. */
  readonly failure?: 'timeout' | 'reset' | 'other';
}

export interface SendOptions {
  readonly body?: unknown;
  /** Raw body text (sent as is). */
  readonly raw?: string;
  /** false: no Authorization header. */
  readonly token?: string | false;
  readonly headers?: { readonly [k: string]: string };
  readonly timeoutMs?: number;
}

export async function send(base: string, method: string, path: string, opts: SendOptions = {}): Promise<Answer> {
  const headers: { [k: string]: string } = { accept: 'application/json', ...(opts.headers ?? {}) };
  if (opts.token !== false) headers.authorization = `Bearer ${opts.token ?? 'test-token'}`;
  const text = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  if (text !== undefined) headers['content-type'] ??= 'application/json';
  const timeoutMs = opts.timeoutMs ?? 5_000;
  try {
    const res = await request(`${base}${path}`, {
      method: method as 'PUT',
      headers,
      ...(text !== undefined ? { body: text } : {}),
      signal: AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const body = await res.body.text();
    let parsed: unknown;
    try {
      parsed = body === '' ? undefined : JSON.parse(body);
    } catch {
      parsed = undefined;
    }
    const flat: { [k: string]: string } = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
    return { status: res.statusCode, headers: flat, text: body, body: parsed };
  } catch (err) {
    const e = err as { name?: string; code?: string };
    const failure = e.name === 'TimeoutError' || e.name === 'AbortError' || /TIMEOUT/.test(e.code ?? '') ? 'timeout' : /SOCKET|ECONNRESET|EPIPE/.test(e.code ?? '') ? 'reset' : 'other';
    return { status: 0, headers: {}, text: '', body: undefined, failure };
  }
}

/** `?api-version=…` */
export const v = (version: string): string => `?api-version=${encodeURIComponent(version)}`;
