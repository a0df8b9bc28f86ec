import type { ErrorObject } from 'ajv';
import type { Operation } from '../model/registry.js';
import type { ResponseModel } from '../model/spec-model.js';
import type { ResponseValidators, Validator } from '../model/validators.js';
import type { Finding } from './types.js';

/** The documented response for a status: the exact status if listed, else `default`. */
export function documentedResponse(
  op: Operation,
  status: number,
): { model: ResponseModel; validators: ResponseValidators; exact: boolean } | undefined {
  const exact = op.model.responses.find((r) => r.status === String(status));
  const chosen = exact ?? op.model.responses.find((r) => r.status === 'default');
  if (!chosen) return undefined;
  const validators = op.validators.responses[chosen.status];
  return validators ? { model: chosen, validators, exact: exact !== undefined } : undefined;
}

export function documentedStatuses(op: Operation): string[] {
  return op.model.responses.map((r) => r.status);
}

export { isSuccess } from '../http/status.js';

/** AJV errors as findings, one per error, with the instance path and AJV's message made readable. */
export function schemaFindings(
  check: string,
  direction: 'request' | 'response',
  errors: readonly ErrorObject[] | null | undefined,
  severity: Finding['severity'] = 'violation',
  prefix = '',
): Finding[] {
  return (errors ?? []).map((e) => ({
    check,
    severity,
    direction,
    instancePath: `${prefix}${e.instancePath}`,
    message: `${`${prefix}${e.instancePath}` || '/'} ${describe(e)}`,
  }));
}

function describe(e: ErrorObject): string {
  const p = e.params as { [k: string]: unknown };
  switch (e.keyword) {
    case 'enum':
      return `must be one of ${JSON.stringify(p.allowedValues)}`;
    case 'required':
      return `must have required property '${String(p.missingProperty)}'`;
    case 'additionalProperties':
      return `must not have property '${String(p.additionalProperty)}'`;
    default:
      return `${e.message ?? e.keyword} (${e.keyword})`;
  }
}

/** Strict-only failures are enum misses of open enums: Azure lets those grow, so they are notes. */
export function openEnumNotes(check: string, direction: 'request' | 'response', errors: readonly ErrorObject[] | null | undefined): Finding[] {
  return (errors ?? [])
    .filter((e) => e.keyword === 'enum')
    .map((e) => ({
      check,
      severity: 'note' as const,
      direction,
      instancePath: e.instancePath,
      message: `${e.instancePath} has a value outside the documented list of an open (modelAsString) enum ${JSON.stringify(
        (e.params as { allowedValues?: unknown }).allowedValues,
      )}: tolerated, but worth a look`,
    }));
}

/**
 * A body as its reader takes it: an object property set to null is one left out. ARM providers and Key Vault send
 * both (`"details": null`, `"keyVault": null`, `"identityClientId": null`), the generated clients skip nulls when
 * they deserialise, and the services read a null member of a request as not sent. Array items stay as they are: a
 * null item is a value.
 */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  const out: { [k: string]: unknown } = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v);
  return out;
}

/**
 * Validate a body as it is, and when that fails, as its reader takes it (object members set to null left out): the
 * errors of the latter. Both ways: Azure's SDKs read a response so, and ARM and Key Vault read a request so (null
 * on an optional member is "not sent"; API Management documents identityClientId null itself).
 */
export function validateAsRead(validate: Validator, body: unknown): { readonly ok: boolean; readonly read: unknown; readonly errors: readonly ErrorObject[] } {
  if (validate(body)) return { ok: true, read: body, errors: [] };
  const read = withoutNulls(body);
  if (validate(read)) return { ok: true, read, errors: [] };
  return { ok: false, read, errors: validate.errors ?? [] };
}

export function violation(check: string, message: string, extra: Partial<Finding> = {}): Finding {
  return { check, severity: 'violation', message, ...extra };
}

/** `application/json` (any parameters); with `suffixed`, any `+json` type too (application/problem+json, …). */
export function isJsonContentType(ct: string | undefined, suffixed = true): boolean {
  return ct !== undefined && (suffixed ? /^application\/([\w.-]+\+)?json\s*(;|$)/i : /^application\/json\s*(;|$)/i).test(ct.trim());
}
