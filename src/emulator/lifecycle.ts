/**
 * A certificate's life beyond the four operations, as Key Vault serves it (certificates.json, 7.x): Import
 * Certificate, Delete Certificate (soft delete: the vault's recovery level is Recoverable, so the certificate moves
 * to deletedcertificates), Get Deleted Certificate and Purge Deleted Certificate. `azconform run --provision` uses
 * them to bring a fixture certificate of its own and take it away again.
 *
 *   POST   {vault}/certificates/{name}/import      200 CertificateBundle (a new version; 409 while soft-deleted)
 *   DELETE {vault}/certificates/{name}             200 DeletedCertificateBundle (recoveryId …/deletedcertificates/{name})
 *   GET    {vault}/deletedcertificates/{name}      200 DeletedCertificateBundle
 *   DELETE {vault}/deletedcertificates/{name}      204
 */
import { createHash, randomBytes } from 'node:crypto';
import { openPkcs12 } from '../pki/pkcs12.js';
import { error, json } from './errors.js';
import { bundle } from './handlers/certificate.js';
import type { EmulatorState, StoredCertificate } from './state.js';
import type { Obj, Reply } from './types.js';

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const NAME = /^[0-9a-zA-Z-]+$/;
/** Days a soft-deleted certificate is kept before the vault purges it (the seed certificate's recoverableDays). */
const RECOVERABLE_DAYS = 7;

const notFound = (name: string): Reply =>
  error(404, 'CertificateNotFound', `A certificate with (name/id) ${name} was not found in this key vault. If you recently deleted this certificate you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`);
const deletedNotFound = (name: string): Reply => error(404, 'CertificateNotFound', `Deleted Certificate not found: ${name}`);

function deletedBundle(state: EmulatorState, name: string, vaultUrl: string): Obj | undefined {
  const d = state.deletedCertificates.get(name.toLowerCase());
  const version = d?.cert.versions.get(d.cert.current);
  if (!d || !version) return undefined;
  return {
    ...bundle(d.cert, version, vaultUrl),
    recoveryId: `${vaultUrl}/deletedcertificates/${d.cert.name}`,
    deletedDate: d.deletedDate,
    scheduledPurgeDate: d.deletedDate + RECOVERABLE_DAYS * 86_400,
  };
}

export function importCertificate(state: EmulatorState, name: string, bodyText: string, vaultUrl: string): Reply {
  if (!NAME.test(name)) return error(400, 'BadParameter', `The certificate name '${name}' is not valid: it must match ^[0-9a-zA-Z-]+$.`);
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return error(400, 'BadParameter', 'The request body is not JSON.');
  }
  if (!isObj(body) || typeof body.value !== 'string') return error(400, 'BadParameter', "Property 'value' is required: the base64 PKCS#12 (or PEM) to import.");
  if (state.deletedCertificates.has(name.toLowerCase())) {
    return error(409, 'Conflict', `Certificate ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the certificate can only be recovered or purged.`);
  }
  const opened = openPkcs12(body.value, typeof body.pwd === 'string' ? body.pwd : '');
  if (!opened.ok) return error(400, 'BadParameter', `The certificate cannot be imported: ${opened.reason}.`);
  const now = Math.floor(Date.now() / 1000);
  const sentAttributes = isObj(body.attributes) ? body.attributes : {};
  const version = randomBytes(16).toString('hex');
  const entry = {
    version,
    cer: opened.cer,
    x5t: createHash('sha1').update(Buffer.from(opened.cer, 'base64')).digest('base64url'),
    attributes: {
      enabled: typeof sentAttributes.enabled === 'boolean' ? sentAttributes.enabled : true,
      nbf: Math.floor(opened.notBefore.getTime() / 1000),
      exp: Math.floor(opened.notAfter.getTime() / 1000),
      created: now,
      updated: now,
    },
    tags: isObj(body.tags) ? (Object.fromEntries(Object.entries(body.tags).filter(([, v]) => typeof v === 'string')) as { [k: string]: string }) : {},
  };
  const sentPolicy = isObj(body.policy) ? body.policy : {};
  const existing = state.certificates.get(name.toLowerCase());
  const cert: StoredCertificate = existing ?? {
    name,
    versions: new Map(),
    current: version,
    policy: {
      key_props: { exportable: true, kty: 'RSA', key_size: 2048, reuse_key: false, ...(isObj(sentPolicy.key_props) ? sentPolicy.key_props : {}) },
      secret_props: { contentType: 'application/x-pkcs12', ...(isObj(sentPolicy.secret_props) ? sentPolicy.secret_props : {}) },
      x509_props: { subject: opened.subject.split(', ').map((p) => p.trim()).join(', '), validity_months: Math.max(1, Math.round((opened.notAfter.getTime() - opened.notBefore.getTime()) / (30 * 86_400_000))) },
      issuer: { name: 'Unknown' },
      attributes: { enabled: true, created: now, updated: now },
    },
    recoveryLevel: 'CustomizedRecoverable+Purgeable',
    recoverableDays: RECOVERABLE_DAYS,
  };
  cert.versions.set(version, entry);
  cert.current = version;
  state.certificates.set(name.toLowerCase(), cert);
  return json(200, bundle(cert, entry, vaultUrl));
}

export function deleteCertificate(state: EmulatorState, name: string, vaultUrl: string): Reply {
  const cert = state.certificates.get(name.toLowerCase());
  if (!cert) return notFound(name);
  state.certificates.delete(name.toLowerCase());
  state.deletedCertificates.set(name.toLowerCase(), { cert, deletedDate: Math.floor(Date.now() / 1000) });
  return json(200, deletedBundle(state, name, vaultUrl));
}

export function getDeletedCertificate(state: EmulatorState, name: string, vaultUrl: string): Reply {
  const b = deletedBundle(state, name, vaultUrl);
  return b ? json(200, b) : deletedNotFound(name);
}

export function purgeDeletedCertificate(state: EmulatorState, name: string): Reply {
  if (!state.deletedCertificates.delete(name.toLowerCase())) return deletedNotFound(name);
  return { status: 204, headers: {} };
}
