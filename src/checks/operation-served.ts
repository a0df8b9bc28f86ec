import type { Exchange } from '../http/exchange.js';
import type { Check } from './types.js';
import { violation } from './util.js';

/** Statuses a web server gives for a path or method it has no route for. */
const NO_ROUTE = new Set([404, 405]);

/** Azure's error envelopes (KeyVaultError, CloudError, ARM ErrorResponse) all carry `error.code`. */
function hasAzureEnvelope(body: unknown): boolean {
  const err = (body as { error?: { code?: unknown } | null } | null | undefined)?.error;
  return typeof err === 'object' && err !== null && typeof err.code === 'string' && err.code !== '';
}

const excerpt = (text: string): string => (text.length > 160 ? `${text.slice(0, 160)}…` : text) || '(empty)';

/**
 * Does the target serve the operation at all? Judges only the first request of an operation (kind `served`, sent
 * before any property): a refused connection on its plane, or a 404/405 with no Azure error envelope, is a
 * router that has no such route — the operation's properties are then skipped with this reason instead of
 * failing one by one. An Azure 404 (`CertificateNotFound`, `ResourceNotFound`, …) always carries an envelope: a
 * target that answers it serves the operation, its fixture is what is missing.
 */
export const operationServed: Check = {
  id: 'operation.served',
  title: 'The target serves the operation (its first request reaches a handler of it)',
  cites: "Azure REST API guidelines: every error response carries the error envelope { error: { code, message } }; a 404/405 without it is a route the target does not have",
  kinds: ['served'],
  run(ex) {
    const why = notServed(ex);
    return why ? [violation('operation.served', why, { direction: 'response' })] : [];
  },
};

/** Why an exchange shows the operation is not served, or undefined. */
export function notServed(ex: Exchange): string | undefined {
  const op = `${ex.case.operation.id}@${ex.case.operation.apiVersion}`;
  const req = `${ex.case.request.method} ${ex.case.request.url}`;
  if (ex.transportError?.kind === 'refused') {
    return `the target does not serve ${op}: ${req} was refused (${ex.transportError.message}), the ${ex.case.operation.plane === 'data' ? 'Key Vault data' : 'ARM'} plane is not listening`;
  }
  const res = ex.response;
  if (!res || !NO_ROUTE.has(res.status) || hasAzureEnvelope(res.body)) return undefined;
  return `the target does not serve ${op}: ${req} answered ${res.status} without an Azure error envelope (body: ${excerpt(res.bodyText.trim())})`;
}
