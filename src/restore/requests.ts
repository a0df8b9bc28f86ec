/**
 * The housekeeping requests: where each resource lives (from the run's base URLs, fixtures and api-versions) and
 * how an answer is described in a report. Same token and headers as the run's own requests.
 */
import type { HttpRequest } from '../cases/case.js';
import type { SendResult } from '../http/client.js';
import type { Plane } from '../model/spec-model.js';
import type { Env } from './types.js';

const seg = encodeURIComponent;
const trim = (u: string): string => u.replace(/\/+$/, '');

/** A resource URL at the api-version of the run's operation `opId`; undefined when the run does not have it. */
function at(env: Env, opId: string, path: (f: Env['fixtures']) => string): string | undefined {
  const op = env.ops.get(opId);
  if (!op) return undefined;
  const url = new URL(`${trim(op.baseUrl)}${path(env.fixtures)}`);
  url.searchParams.set('api-version', op.operation.apiVersion);
  return url.toString();
}

const vaultPath = (f: Env['fixtures']): string =>
  `/subscriptions/${seg(f.subscriptionId)}/resourceGroups/${seg(f.vault.resourceGroup)}/providers/Microsoft.KeyVault/vaults/${seg(f.vault.name)}`;
const apimPath = (f: Env['fixtures']): string =>
  `/subscriptions/${seg(f.subscriptionId)}/resourceGroups/${seg(f.apiManagement.resourceGroup)}/providers/Microsoft.ApiManagement/service/${seg(f.apiManagement.serviceName)}`;

/** Every URL snapshot and restore use, each at the api-version of the operation that writes the resource. */
export const URLS = {
  contacts: (env: Env) => at(env, 'SetCertificateContacts', () => '/certificates/contacts'),
  certificate: (env: Env) => at(env, 'UpdateCertificate', (f) => `/certificates/${seg(f.certificate.name)}/${seg(f.certificate.version)}`),
  latestCertificate: (env: Env) => at(env, 'UpdateCertificate', (f) => `/certificates/${seg(f.certificate.name)}/`),
  policy: (env: Env) => at(env, 'UpdateCertificate', (f) => `/certificates/${seg(f.certificate.name)}/policy`),
  vault: (env: Env) => at(env, 'Vaults_UpdateAccessPolicy', vaultPath),
  accessPolicies: (env: Env, kind: string) => at(env, 'Vaults_UpdateAccessPolicy', (f) => `${vaultPath(f)}/accessPolicies/${kind}`),
  apimCertificates: (env: Env) => at(env, 'Certificate_CreateOrUpdate', (f) => `${apimPath(f)}/certificates`),
  /** A certificate the run wrote, by the URL it was written at. */
  apimCertificate: (env: Env, url: string) => {
    const op = env.ops.get('Certificate_CreateOrUpdate');
    if (!op) return undefined;
    const u = new URL(url);
    u.search = '';
    u.searchParams.set('api-version', op.operation.apiVersion);
    return u.toString();
  },
} as const;

/** The lower-case decoded path of the fixture API Management service (how the ledger keys services). */
export const fixtureApimService = (env: Env): string => decodeURIComponent(apimPath(env.fixtures)).toLowerCase();
export const fixtureVaultKey = (env: Env): string =>
  [env.fixtures.subscriptionId, env.fixtures.vault.resourceGroup, env.fixtures.vault.name].join('/').toLowerCase();
export const fixtureCertificateKey = (env: Env): string => `${env.fixtures.certificate.name}/${env.fixtures.certificate.version}`.toLowerCase();

export function request(env: Env, method: string, url: string, body?: unknown, headers: { readonly [k: string]: string } = {}): HttpRequest {
  return { method, url, headers: { accept: 'application/json', authorization: `Bearer ${env.token(planeOf(env, url))}`, ...headers }, ...(body !== undefined ? { body } : {}) };
}

/**
 * The plane a housekeeping URL is on, so it carries that plane's token: ARM resource paths start with
 * /subscriptions/ right after the ARM base URL (also when one --target serves both planes); the rest is the vault's.
 */
function planeOf(env: Env, url: string): Plane {
  for (const { operation, baseUrl } of env.ops.values()) {
    if (operation.plane === 'arm' && url.startsWith(`${trim(new URL(baseUrl).href)}/subscriptions/`)) return 'arm';
  }
  return 'data';
}

/** `404 ContactsNotFound (Contacts not found)`, `timeout (no complete response …)`: an answer in one phrase. */
export function describeAnswer(r: SendResult): string {
  if (!r.response) return `${r.transportError?.kind ?? 'no answer'} (${r.transportError?.message ?? 'no response'})`;
  const e = (r.response.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const what = e && typeof e === 'object' ? [e.code, e.message].filter((x) => typeof x === 'string' && x !== '').join(': ') : r.response.bodyText.slice(0, 120);
  return `${r.response.status}${what ? ` (${what})` : ''}`;
}

/** `GET /certificates/contacts`: a request in a report (no host, no query, no token). */
export function describeRequest(req: HttpRequest): string {
  return `${req.method} ${new URL(req.url).pathname}`;
}

/** `404 NotFound` or `timeout`: an answer as short as it can be, to group failures by. */
export function shortAnswer(r: SendResult): string {
  if (!r.response) return r.transportError?.kind ?? 'no answer';
  const code = errorCode(r.response.body);
  return `${r.response.status}${code ? ` ${code}` : ''}`;
}

/** The error code of an answer, when it carries the Azure error envelope. */
export const errorCode = (body: unknown): string | undefined => {
  const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === 'string' ? code : undefined;
};

/**
 * A Key Vault error code that says the certificate does not exist. Key Vault writes CertificateNotFound; the
 * reference leaves Error.code a free string ("The error code."), and lowkey-vault writes the class of the
 * exception it threw (com.github.nagyesta.lowkeyvault.service.exception.NotFoundException). A bare NotFound is
 * what routers answer for a path they lack, so it says nothing about the certificate.
 */
export const isCertificateNotFound = (code: string | undefined): boolean => code !== undefined && (code === 'CertificateNotFound' || /(?:^|\.)NotFoundException$/.test(code));
