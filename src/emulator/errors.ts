/**
 * Error replies in each service's own envelope: Key Vault's KeyVaultError, ARM's CloudError / ErrorResponse,
 * API Management's ValidationError with details. Tables keyed by service, so the pipeline never branches on it.
 */
import type { Plane } from '../model/spec-model.js';
import type { Issue, Reply } from './types.js';
import { compareApiVersions } from '../model/api-version.js';

export type Service = 'keyvault-certificates' | 'keyvault-management' | 'apimanagement';

export const JSON_TYPE = 'application/json; charset=utf-8';

export function json(status: number, body: unknown, headers: { readonly [k: string]: string } = {}): Reply {
  return { status, headers: { 'content-type': JSON_TYPE, ...headers }, body };
}

/** `{error:{code,message}}`: the shape KeyVaultError, CloudError and ErrorResponse share. */
export function error(status: number, code: string, message: string, extra: { readonly [k: string]: unknown } = {}, headers: { readonly [k: string]: string } = {}): Reply {
  return json(status, { error: { code, message, ...extra } }, headers);
}

/** The service a plane falls back to before routing has found an operation. */
export const PLANE_SERVICE: { readonly [p in Plane]: Service } = { data: 'keyvault-certificates', arm: 'keyvault-management' };

/** The tenant the emulated vault (and its Key Vault challenge) belongs to. */
export const TENANT = '00000000-0000-0000-0000-000000000000';

/** 401 per plane: Key Vault names its authority and resource (clients need both); ARM says the header is missing. */
export const UNAUTHORIZED: { readonly [p in Plane]: Reply } = {
  data: error(401, 'Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.', {}, {
    'www-authenticate': `Bearer authorization="https://login.windows.net/${TENANT}", resource="https://vault.azure.net"`,
  }),
  arm: error(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.", {}, {
    'www-authenticate':
      'Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="The authentication failed because of missing \'Authorization\' header."',
  }),
};

/** 400 for a missing or unknown api-version, per plane. `supported` lists our versions of the path. */
export const BAD_API_VERSION: { readonly [p in Plane]: (given: string | undefined, supported: readonly string[]) => Reply } = {
  data: (given, supported) =>
    given === undefined
      ? error(400, 'BadParameter', 'The api-version query parameter is missing. Consider using the latest supported version (' + latest(supported) + ').')
      : error(400, 'BadParameter', `The specified version (${given}) is not recognized. Consider using the latest supported version (${latest(supported)}).`),
  arm: (given, supported) =>
    given === undefined
      ? error(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests.")
      : error(400, 'InvalidApiVersionParameter', `The api-version '${given}' is invalid. The supported versions are '${supported.join(',')}'.`),
};

/** The newest of a set of api-versions: date versions (2025-07-01) are newer than numbered ones (7.4). */
export function latest(versions: readonly string[]): string {
  return [...versions].sort(compareApiVersions).at(-1) ?? '';
}

const describeIssues = (issues: readonly Issue[]): string => issues.map((i) => i.message).join('; ');

/**
 * 400 for a request that breaks the schema or a rule, as each service words it: Key Vault BadParameter, the Key
 * Vault resource provider InvalidParameter (URL) / BadRequest (body, the message the real service sends for an
 * access policy it cannot accept), API Management ValidationError with one detail per field.
 */
export const INVALID: { readonly [s in Service]: (issues: readonly Issue[]) => Reply } = {
  'keyvault-certificates': (issues) => error(400, 'BadParameter', describeIssues(issues)),
  'keyvault-management': (issues) =>
    issues.every((i) => i.stage === 'params')
      ? error(400, 'InvalidParameter', describeIssues(issues))
      : error(400, 'BadRequest', `An invalid value was provided for 'accessPolicies'. ${describeIssues(issues)}`),
  apimanagement: (issues) =>
    error(400, 'ValidationError', 'One or more fields contain incorrect values:', {
      details: issues.map((i) => ({ code: 'ValidationError', target: target(i), message: i.message })),
    }),
};

function target(i: Issue): string {
  if (i.stage === 'rule') return i.id.includes('pkcs12') ? 'certificate' : (i.id.split('.').pop() ?? 'properties');
  return i.path.split('/').filter(Boolean).pop() ?? 'properties';
}

/** 400 for a body that is not JSON (or missing when required). */
export const UNREADABLE_BODY: { readonly [s in Service]: (why: string) => Reply } = {
  'keyvault-certificates': (why) => error(400, 'BadParameter', `The request body is invalid: ${why}.`),
  'keyvault-management': (why) => error(400, 'InvalidRequestContent', `The request content was invalid and could not be deserialized: ${why}.`),
  apimanagement: (why) => error(400, 'InvalidRequestContent', `The request content was invalid and could not be deserialized: ${why}.`),
};

/** Paths and methods outside the four operations. */
export const NO_ROUTE: { readonly [p in Plane]: (method: string, path: string, allowed?: string) => Reply } = {
  data: (method, path, allowed) =>
    allowed
      ? error(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`, {}, { allow: allowed })
      : error(404, 'NotFound', `No operation of this emulator matches ${method} ${path}.`),
  arm: (method, path, allowed) =>
    allowed
      ? error(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`, {}, { allow: allowed })
      : error(404, 'InvalidResourceType', `The resource path ${path} is not served by this emulator.`),
};

export const ARM_NOT_FOUND = {
  subscription: (id: string): Reply => error(404, 'SubscriptionNotFound', `The subscription '${id}' could not be found.`),
  resourceGroup: (rg: string): Reply => error(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`),
  resource: (type: string, name: string, rg: string, suffix = ''): Reply =>
    error(404, 'ResourceNotFound', `The Resource '${type}/${name}' under resource group '${rg}' was not found.${suffix}`),
};
