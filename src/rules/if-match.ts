/**
 * A write refused for want of an If-Match. API Management documents its If-Match as "Not required when creating an
 * entity, but required when updating an entity" (reference 2024-05-01/apimanagement.json IfMatchOptionalParameter):
 * a PUT without one to an entity that already exists may be refused as a precondition — 412 Precondition Failed or
 * 428 Precondition Required. Whether the entity existed depends on what ran before (a fixed certificateId such as
 * "a" is written at every api-version of a run and by earlier runs), so outside a sequence such a refusal is the
 * documented answer, not a failure; rule apimanagement.certificateCreateOrUpdate.if-match judges it in sequences.
 */
import type { ParameterModel } from '../model/spec-model.js';

const PRECONDITION_REFUSALS: readonly number[] = [412, 428];

/** Whether the operation documents If-Match as required when updating an entity. */
export const ifMatchRequiredForUpdate = (parameters: readonly ParameterModel[]): boolean =>
  parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === 'if-match' && /required when updating/i.test(p.description ?? ''));

/**
 * The source names no status for the refusal, so a 4xx whose error says it is about If-Match (an ETag, a
 * precondition: `IfMatchRequired`, "If-Match header is required") is one too; any other 4xx is about something else.
 */
const NAMES_IF_MATCH = /if-?match|(?<![a-z])e-?tag|precondition/i;
const errorText = (body: unknown): string => {
  const e = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return typeof e === 'object' && e !== null ? `${String(e.code ?? '')} ${String(e.message ?? '')}` : '';
};

/** A refusal about If-Match: 412, 428, or a 4xx whose error says so. */
export const refusalForIfMatch = (status: number, body: unknown): boolean =>
  PRECONDITION_REFUSALS.includes(status) || (status >= 400 && status < 500 && NAMES_IF_MATCH.test(errorText(body)));

/** A request without If-Match refused for it by an operation that requires If-Match for updates. */
export function refusedForMissingIfMatch(status: number, requestHeaders: { readonly [name: string]: string }, parameters: readonly ParameterModel[], body?: unknown): boolean {
  if (!refusalForIfMatch(status, body) || Object.keys(requestHeaders).some((h) => h.toLowerCase() === 'if-match')) return false;
  return ifMatchRequiredForUpdate(parameters);
}
