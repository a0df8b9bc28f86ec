/**
 * Housekeeping requests: the reads and deletes a client needs to snapshot and restore what the four operations
 * write (azconform's own restore uses exactly these). They are answered before the four operations' routing, as
 * the real services answer them:
 *
 *   GET    {vault}/certificates/contacts              200 Contacts, or 404 ContactsNotFound when none are set
 *   DELETE {vault}/certificates/contacts              200 with the deleted Contacts, or 404 ContactsNotFound
 *   GET    {vault}/certificates/{name}/policy         200 CertificatePolicy
 *   GET    {vault}/certificates/{name}[/{version}]    200 CertificateBundle (no or empty version: the latest)
 *   POST   {vault}/certificates/{name}/import         200 CertificateBundle  ┐ a fixture certificate of the
 *   DELETE {vault}/certificates/{name}                200 DeletedCertificate │ run's own (--provision):
 *   GET    {vault}/deletedcertificates/{name}         200 DeletedCertificate │ src/emulator/lifecycle.ts
 *   DELETE {vault}/deletedcertificates/{name}         204 (403 when the emulator denies purge)  ┘
 *   GET    …/Microsoft.KeyVault/vaults/{vault}        200 Vault (properties.accessPolicies, …)
 *   GET    …/Microsoft.ApiManagement/service/{svc}/certificates            200 {value, count}
 *   DELETE …/Microsoft.ApiManagement/service/{svc}/certificates/{id}       If-Match required: 200 deleted,
 *                                                                          204 none, 412 stale ETag
 *
 * Same auth (401 challenge per plane) and api-version handling (the service's api-versions) as the operations.
 * Faults never touch these requests.
 */
import { loadOperations } from '../model/registry.js';
import type { Plane } from '../model/spec-model.js';
import { anyToken, type TokenCheck } from './auth.js';
import { ARM_NOT_FOUND, BAD_API_VERSION, INVALID, error, json, type Service } from './errors.js';
import { attributeVocabulary, bundle, type AttributeVocabulary } from './handlers/certificate.js';
import { deleteCertificate, getDeletedCertificate, importCertificate, purgeDeletedCertificate } from './lifecycle.js';
import { armKey, type AccessPolicyEntry, type ApimService, type EmulatorState, type Vault } from './state.js';
import type { IncomingRequest, Reply } from './types.js';
import { bareEtag as bare } from '../http/etag.js';

interface Ctx {
  readonly state: EmulatorState;
  readonly req: IncomingRequest;
  readonly vaultUrl: string;
  /** The path's captured segments, decoded. */
  readonly m: readonly string[];
}

interface Route {
  readonly method: string;
  readonly service: Service;
  readonly path: RegExp;
  serve(ctx: Ctx): Reply;
}

const PLANE: { readonly [s in Service]: Plane } = { 'keyvault-certificates': 'data', 'keyvault-management': 'arm', apimanagement: 'arm' };
const ARM = '/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers';

let versions: Map<string, string[]> | undefined;
/** Each service's api-versions: those of its operation specs. */
function versionsOf(service: Service): string[] {
  versions ??= loadOperations().reduce((m, op) => m.set(op.service, [...new Set([...(m.get(op.service) ?? []), op.apiVersion])]), new Map<string, string[]>());
  return versions.get(service) ?? [];
}

let vocabularies: Map<string, AttributeVocabulary> | undefined;
/** A certificate read answers as UpdateCertificate at the request's api-version would (7.0 has no recoverableDays). */
function vocabularyOf(ctx: Ctx): AttributeVocabulary {
  vocabularies ??= new Map(loadOperations().filter((o) => o.id === 'UpdateCertificate').map((o) => [o.apiVersion, attributeVocabulary(o.spec.schemas)]));
  return vocabularies.get(ctx.req.url.searchParams.get('api-version') ?? '') ?? {};
}

const CONTACTS_NOT_FOUND = error(404, 'ContactsNotFound', 'Contacts not found');
const contactsOut = (ctx: Ctx): Reply => json(200, { id: `${ctx.vaultUrl}/certificates/contacts`, contacts: ctx.state.contacts });

const certificateNotFound = (name: string, version: string): Reply =>
  error(
    404,
    'CertificateNotFound',
    `A certificate with (name/id) ${name}${version ? `/versions/${version}` : ''} was not found in this key vault. If you recently deleted this certificate you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
  );

/** The ARM parents of a resource: subscription, then resource group (404s in ARM's order). */
function armParents(ctx: Ctx): Reply | undefined {
  const [sub = '', rg = ''] = ctx.m;
  if (!ctx.state.subscriptions.has(sub.toLowerCase())) return ARM_NOT_FOUND.subscription(sub);
  if (!ctx.state.resourceGroups.has(armKey(sub, rg))) return ARM_NOT_FOUND.resourceGroup(rg);
  return undefined;
}

function apimService(ctx: Ctx): ApimService | Reply {
  const [sub = '', rg = '', name = ''] = ctx.m;
  const parents = armParents(ctx);
  if (parents) return parents;
  return (
    ctx.state.apimServices.get(armKey(sub, rg, name)) ??
    ARM_NOT_FOUND.resource('Microsoft.ApiManagement/service', name, rg, ' For more details please go to https://aka.ms/ARMResourceNotFoundFix')
  );
}

const entryOut = (e: AccessPolicyEntry): object => ({
  tenantId: e.tenantId,
  objectId: e.objectId,
  ...(e.applicationId !== undefined ? { applicationId: e.applicationId } : {}),
  permissions: structuredClone(e.permissions),
});

function vaultOut(v: Vault, ctx: Ctx): object {
  const cert = [...ctx.state.certificates.values()][0];
  return {
    id: `/subscriptions/${v.subscriptionId}/resourceGroups/${v.resourceGroup}/providers/Microsoft.KeyVault/vaults/${v.name}`,
    name: v.name,
    type: 'Microsoft.KeyVault/vaults',
    location: 'westus',
    tags: {},
    properties: {
      tenantId: v.tenantId,
      sku: { family: 'A', name: 'standard' },
      accessPolicies: [...v.accessPolicies.values()].map(entryOut),
      vaultUri: `${ctx.vaultUrl}/`,
      enabledForDeployment: false,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
      enableSoftDelete: true,
      softDeleteRetentionInDays: cert?.recoverableDays ?? 90,
      enableRbacAuthorization: false,
    },
  };
}

const ROUTES: readonly Route[] = [
  {
    method: 'GET',
    service: 'keyvault-certificates',
    path: /^\/certificates\/contacts\/?$/i,
    serve: (ctx) => (ctx.state.contacts === undefined ? CONTACTS_NOT_FOUND : contactsOut(ctx)),
  },
  {
    method: 'DELETE',
    service: 'keyvault-certificates',
    path: /^\/certificates\/contacts\/?$/i,
    serve: (ctx) => {
      if (ctx.state.contacts === undefined) return CONTACTS_NOT_FOUND;
      const reply = contactsOut(ctx);
      ctx.state.contacts = undefined;
      return reply;
    },
  },
  {
    method: 'GET',
    service: 'keyvault-certificates',
    path: /^\/certificates\/([^/]+)\/policy\/?$/i,
    serve: (ctx) => {
      const name = ctx.m[0] ?? '';
      const cert = ctx.state.certificates.get(name.toLowerCase());
      const version = cert?.versions.get(cert.current);
      return cert && version ? json(200, bundle(cert, version, ctx.vaultUrl, vocabularyOf(ctx)).policy) : certificateNotFound(name, '');
    },
  },
  {
    method: 'GET',
    service: 'keyvault-certificates',
    path: /^\/certificates\/([^/]+)(?:\/([^/]*))?$/i,
    serve: (ctx) => {
      const [name = '', requested = ''] = ctx.m;
      const cert = ctx.state.certificates.get(name.toLowerCase());
      const version = cert?.versions.get(requested || cert.current);
      return cert && version ? json(200, bundle(cert, version, ctx.vaultUrl, vocabularyOf(ctx))) : certificateNotFound(name, requested);
    },
  },
  {
    method: 'POST',
    service: 'keyvault-certificates',
    path: /^\/certificates\/([^/]+)\/import\/?$/i,
    serve: (ctx) => importCertificate(ctx.state, ctx.m[0] ?? '', ctx.req.bodyText, ctx.vaultUrl),
  },
  {
    method: 'DELETE',
    service: 'keyvault-certificates',
    path: /^\/certificates\/([^/]+)\/?$/i,
    serve: (ctx) => deleteCertificate(ctx.state, ctx.m[0] ?? '', ctx.vaultUrl),
  },
  {
    method: 'GET',
    service: 'keyvault-certificates',
    path: /^\/deletedcertificates\/([^/]+)\/?$/i,
    serve: (ctx) => getDeletedCertificate(ctx.state, ctx.m[0] ?? '', ctx.vaultUrl),
  },
  {
    method: 'DELETE',
    service: 'keyvault-certificates',
    path: /^\/deletedcertificates\/([^/]+)\/?$/i,
    serve: (ctx) =>
      ctx.state.denyPurge
        ? error(403, 'Forbidden', `The user, group or application does not have certificates purge permission on key vault '${ctx.req.headers.host ?? 'emulator'}'.`, { innererror: { code: 'AccessDenied' } })
        : purgeDeletedCertificate(ctx.state, ctx.m[0] ?? ''),
  },
  {
    method: 'GET',
    service: 'keyvault-management',
    path: new RegExp(`^${ARM}/Microsoft\\.KeyVault/vaults/([^/]+)/?$`, 'i'),
    serve: (ctx) => {
      const [sub = '', rg = '', name = ''] = ctx.m;
      const vault = ctx.state.vaults.get(armKey(sub, rg, name));
      return armParents(ctx) ?? (vault ? json(200, vaultOut(vault, ctx)) : ARM_NOT_FOUND.resource('Microsoft.KeyVault/vaults', name, rg));
    },
  },
  {
    method: 'GET',
    service: 'apimanagement',
    path: new RegExp(`^${ARM}/Microsoft\\.ApiManagement/service/([^/]+)/certificates/?$`, 'i'),
    serve: (ctx) => {
      const service = apimService(ctx);
      if ('status' in service) return service;
      const value = [...service.certificates.values()].map((c) => ({
        id: `/subscriptions/${service.subscriptionId}/resourceGroups/${service.resourceGroup}/providers/Microsoft.ApiManagement/service/${service.name}/certificates/${c.name}`,
        type: 'Microsoft.ApiManagement/service/certificates',
        name: c.name,
        properties: structuredClone(c.properties),
      }));
      return json(200, { value, count: value.length });
    },
  },
  {
    method: 'DELETE',
    service: 'apimanagement',
    path: new RegExp(`^${ARM}/Microsoft\\.ApiManagement/service/([^/]+)/certificates/([^/]+)/?$`, 'i'),
    serve: (ctx) => {
      const service = apimService(ctx);
      if ('status' in service) return service;
      const header = ctx.req.headers['if-match'];
      if (header === undefined) {
        return INVALID.apimanagement([{ stage: 'params', id: 'required', path: '/header/If-Match', value: undefined, message: "The 'If-Match' header is required to delete an entity: an ETag, or * for any." }]);
      }
      const key = (ctx.m[3] ?? '').toLowerCase();
      const existing = service.certificates.get(key);
      // ARM: deleting what does not exist succeeds with 204.
      if (!existing) return { status: 204, headers: {} };
      const tags = header.split(',').map(bare);
      if (!tags.includes('*') && !tags.includes(bare(existing.etag))) return error(412, 'PreconditionFailed', "The entity's ETag does not match the If-Match header.");
      service.certificates.delete(key);
      return { status: 200, headers: {} };
    },
  },
];

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** The answer to a housekeeping request, or undefined for every other request (the pipeline routes it). */
export function serveHousekeeping(req: IncomingRequest, state: EmulatorState, tokens: TokenCheck = anyToken): Reply | undefined {
  const method = req.method.toUpperCase();
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const hit = route.path.exec(req.url.pathname);
    if (!hit) continue;
    const plane = PLANE[route.service];
    const refused = tokens(plane, req.headers.authorization);
    if (refused) return refused;
    const given = req.url.searchParams.get('api-version') || undefined;
    const known = versionsOf(route.service);
    if (given === undefined || !known.includes(given)) return BAD_API_VERSION[plane](given, known);
    return route.serve({ state, req, vaultUrl: `http://${req.headers.host ?? '127.0.0.1'}`, m: hit.slice(1).map((s) => decode(s ?? '')) });
  }
  return undefined;
}
