import type { HttpRequest } from '../cases/case.js';
import { BodyText } from '../http/json-text.js';

/** Headers that carry credentials. */
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'set-cookie', 'x-ms-authorization-auxiliary', 'ocp-apim-subscription-key', 'proxy-authorization']);
/** Body fields that carry secrets or key material (API Management's certificate upload, token fields). */
const SECRET_FIELD = /^(password|data|privateKey|private_key|client_secret|access_token|refresh_token|secret|token)$/i;

export const REDACTED = '<redacted>';

/**
 * An Entra ID access token wherever a target echoes it (a body, a debug header): a JWT, whose base64url header
 * and payload are JSON objects, so both begin with `eyJ`.
 */
const JWT = /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]*/;
const JWTS = new RegExp(JWT.source, 'g');
const holdsJwt = (s: string): boolean => s.includes('eyJ') && JWT.test(s);
const scrub = (s: string): string => (holdsJwt(s) ? s.replace(JWTS, REDACTED) : s);

export function redactHeaders(headers: { readonly [k: string]: string }): { [k: string]: string } {
  const out: { [k: string]: string } = {};
  for (const [k, v] of Object.entries(headers)) {
    out[k] = SECRET_HEADERS.has(k.toLowerCase()) ? (/^bearer\s/i.test(v) ? `Bearer ${REDACTED}` : REDACTED) : scrub(v);
  }
  return out;
}

/** Does any field of this JSON value need redacting? A walk that allocates nothing, for the common case of no secret. */
function holdsSecret(value: unknown): boolean {
  if (typeof value === 'string') return holdsJwt(value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(holdsSecret);
  for (const k in value) {
    const v = (value as { [k: string]: unknown })[k];
    if ((SECRET_FIELD.test(k) && v !== null && v !== undefined) || holdsSecret(v)) return true;
  }
  return false;
}

/**
 * A JSON value with secret-looking fields replaced (strings keep their length for diagnosis): a copy when there
 * is something to replace, else the value itself (records are read-only, so sharing it is safe).
 */
export function redactBody(value: unknown): unknown {
  // A body sent as text (not JSON) is redacted as text: its secrets are not members a walk can find.
  if (value instanceof BodyText) return redactText(value.text) === value.text ? value : new BodyText(redactText(value.text));
  return holdsSecret(value) ? copyRedacted(value) : value;
}

function copyRedacted(value: unknown): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map(copyRedacted);
  if (typeof value !== 'object' || value === null) return value;
  const out: { [k: string]: unknown } = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_FIELD.test(k) && v !== null && v !== undefined ? `${REDACTED} (${typeof v === 'string' ? `${v.length} chars` : typeof v})` : copyRedacted(v);
  }
  return out;
}

export function redactRequest(req: HttpRequest): HttpRequest {
  return { ...req, headers: redactHeaders(req.headers), ...(req.body !== undefined ? { body: redactBody(req.body) } : {}) };
}

/** Redact a raw body text too: reports keep the text when it was not JSON. */
export function redactText(text: string): string {
  return scrub(text.replace(/("(?:password|data|privateKey|secret|token)"\s*:\s*)"[^"]*"/gi, `$1"${REDACTED}"`));
}
