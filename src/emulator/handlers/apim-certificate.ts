/**
 * API Management Certificate_CreateOrUpdate: 201 for a new certificateId, 200 for an existing one, a new ETag on
 * every write, If-Match honoured (a stale ETag, or any If-Match on an entity that does not exist, is 412). An
 * upload is described from the PKCS#12 itself; a Key Vault reference is described from a synthesised certificate
 * (the emulator has no Key Vault to fetch from) and reports lastStatus Success. data and password never come back.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ARM_NOT_FOUND, error, json } from '../errors.js';
import { openCached } from '../../pki/pkcs12-cache.js';
import { armKey, type ApimCertificate, type ApimService } from '../state.js';
import type { Obj } from '../types.js';
import { handler } from './handler.js';
import { bareEtag as bare } from '../../http/etag.js';

interface Target {
  readonly service: ApimService;
  readonly certificateId: string;
  readonly existing?: ApimCertificate;
}

const isoSeconds = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const sha1Hex = (s: string): string => createHash('sha1').update(s).digest('hex').toUpperCase();
const newEtag = (): string => `"${randomBytes(8).toString('base64')}"`;

/** What a certificate the emulator cannot open looks like: stable per input, shaped like a real one. */
function synthesised(seed: string, subject: string): Obj {
  const days = 365 + (parseInt(sha1Hex(seed).slice(0, 4), 16) % 365);
  return { subject, thumbprint: sha1Hex(seed), expirationDate: isoSeconds(new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 + days * 86_400_000)) };
}

/** The certificate's description, from the upload or the Key Vault reference. */
function describe(props: Obj): Obj {
  if (typeof props.data === 'string') {
    const opened = openCached(props.data, typeof props.password === 'string' ? props.password : '');
    return opened.ok
      ? { subject: opened.subject, thumbprint: opened.thumbprint, expirationDate: isoSeconds(opened.notAfter) }
      : synthesised(props.data, 'CN=unreadable');
  }
  const kv = (props.keyVault ?? {}) as Obj;
  const id = String(kv.secretIdentifier ?? '');
  const secret = /\/secrets\/([^/]+)/.exec(id)?.[1] ?? 'certificate';
  return {
    ...synthesised(id.toLowerCase(), `CN=${secret}`),
    keyVault: {
      secretIdentifier: kv.secretIdentifier,
      ...(kv.identityClientId !== undefined ? { identityClientId: kv.identityClientId } : {}),
      lastStatus: { code: 'Success', timeStampUtc: new Date().toISOString() },
    },
  };
}

export const apimCertificate = handler<Target>({
  service: 'apimanagement',
  locate({ state, ctx, behaviour }) {
    const { subscriptionId = '', resourceGroupName = '', serviceName = '', certificateId = '' } = ctx.pathParams;
    if (!state.subscriptions.has(subscriptionId.toLowerCase())) return { reply: ARM_NOT_FOUND.subscription(subscriptionId) };
    if (!state.resourceGroups.has(armKey(subscriptionId, resourceGroupName))) return { reply: ARM_NOT_FOUND.resourceGroup(resourceGroupName) };
    let service = state.apimServices.get(armKey(subscriptionId, resourceGroupName, serviceName));
    // The create-missing-parent fault provisions a service the path names on first use.
    if (!service && behaviour.quirk('create-missing-parent')) {
      service = { subscriptionId, resourceGroup: resourceGroupName, name: serviceName, certificates: new Map() };
      state.apimServices.set(armKey(subscriptionId, resourceGroupName, serviceName), service);
    }
    // The case-sensitive-names fault keys its store by the exact strings, as a plain dictionary does.
    if (service && behaviour.quirk('case-sensitive-names') && service.resourceGroup !== resourceGroupName) return { reply: ARM_NOT_FOUND.resourceGroup(resourceGroupName) };
    if (!service) {
      return { reply: ARM_NOT_FOUND.resource('Microsoft.ApiManagement/service', serviceName, resourceGroupName, ' For more details please go to https://aka.ms/ARMResourceNotFoundFix') };
    }
    const existing = service.certificates.get(certificateId.toLowerCase());
    return { found: { service, certificateId, ...(existing ? { existing } : {}) } };
  },
  /**
   * RFC 9110 §13.1.1 and the Azure REST API guidelines: If-Match is false when the entity does not exist, even for
   * `*`, so a conditional write of a missing certificate is 412 (not 404: the service exists, the precondition failed).
   */
  precondition({ existing }, { ctx, behaviour }) {
    const header = ctx.headers['if-match'];
    if (header === undefined || behaviour.skips('if-match')) return undefined;
    // The if-match-raw fault compares the header's tags as written, quotes and all, with the stored tag's value.
    const tags = header.split(',').map((t) => (behaviour.quirk('if-match-raw') ? t.trim() : bare(t)));
    if (existing && (tags.includes('*') || tags.includes(bare(existing.etag)))) return undefined;
    // The store-before-precondition fault has saved the write (a new ETag) before it compares.
    if (existing && behaviour.quirk('store-before-precondition')) {
      existing.etag = newEtag();
      existing.properties = describe(((ctx.body as { properties?: Obj } | undefined)?.properties ?? {}) as Obj);
    }
    return error(412, 'PreconditionFailed', existing ? "The entity's ETag does not match the If-Match header." : 'The entity does not exist, so it cannot match the If-Match header.');
  },
  apply({ service, certificateId, existing }, body, { behaviour }) {
    // The keep-first-upload fault writes only a new certificate's description: an update keeps the first one.
    const properties = existing && behaviour.quirk('keep-first-upload') ? existing.properties : describe(((body as { properties?: Obj }).properties ?? {}) as Obj);
    const etag = existing && behaviour.quirk('etag-unchanged') ? existing.etag : newEtag();
    service.certificates.set(certificateId.toLowerCase(), { name: certificateId, etag, properties });
    if (existing && behaviour.quirk('update-204')) return { status: 204, headers: { etag } };
    return json(
      behaviour.quirk('always-200') || (existing && !behaviour.quirk('always-201')) ? 200 : 201,
      {
        id: `/subscriptions/${service.subscriptionId}/resourceGroups/${service.resourceGroup}/providers/Microsoft.ApiManagement/service/${service.name}/certificates/${certificateId}`,
        type: 'Microsoft.ApiManagement/service/certificates',
        name: certificateId,
        properties,
      },
      { etag },
    );
  },
});
