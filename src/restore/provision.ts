/**
 * `--provision`: a fixture certificate that does not exist is brought by the kit and taken away after the run.
 *
 *   import   POST {vault}/certificates/{name}/import   a real PKCS#12 the kit makes (Key Vault Import Certificate);
 *            the answer's id names the version, which becomes the fixture's version
 *   delete   DELETE {vault}/certificates/{name}        every version goes; a vault with soft delete answers a
 *            DeletedCertificateBundle with a recoveryId — the certificate then still holds its name
 *   purge    DELETE {vault}/deletedcertificates/{name} when soft-deleted; a 403 (the token may not purge) leaves it
 *            behind until its scheduledPurgeDate, and the report says so
 *   verify   GET {vault}/certificates/{name}/          404: gone
 *
 * The PKCS#12 and its password go to the target only: never to a report, a log line or the journal.
 */
import { randomBytes } from 'node:crypto';
import type { RestoreItem } from '../events/types.js';
import type { SendResult } from '../http/client.js';
import { makePkcs12Async } from '../pki/pkcs12.js';
import { describeAnswer, describeRequest, errorCode, isCertificateNotFound, request, shortAnswer } from './requests.js';
import type { Send } from './snapshot.js';
import type { Env, Obj } from './types.js';

export interface Provisioned {
  readonly name: string;
  /** Undefined when the import got no clear answer: the certificate may exist, and is deleted by name. */
  readonly version?: string;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const seg = encodeURIComponent;

/** A data-plane URL at the api-version of the run's UpdateCertificate (the operation the certificate is for). */
function vaultUrl(env: Env, path: string): string {
  const op = env.ops.get('UpdateCertificate');
  if (!op) throw new Error('the run does not include UpdateCertificate, the operation the fixture certificate is for');
  const url = new URL(`${op.baseUrl.replace(/\/+$/, '')}${path}`);
  url.searchParams.set('api-version', op.operation.apiVersion);
  return url.toString();
}

/** The policy of the imported certificate: RSA 2048, exportable, a PKCS#12 secret (Key Vault's own defaults). */
const IMPORT_POLICY = {
  key_props: { exportable: true, kty: 'RSA', key_size: 2048, reuse_key: false },
  secret_props: { contentType: 'application/x-pkcs12' },
};

/** The version an id such as `https://v.vault.azure.net/certificates/name/0123…` names. */
export const versionOf = (id: unknown): string | undefined => (typeof id === 'string' ? decodeURIComponent(id.replace(/\/+$/, '').split('/').pop() ?? '') || undefined : undefined);

/**
 * Import a fresh PKCS#12 under the fixture's name. `before` is called just before the request goes out (the
 * journal records the intent, so a run killed while it is on the wire still deletes it). Throws with one line
 * when the target refuses.
 */
export async function importFixture(env: Env, send: Send, before: (name: string) => void): Promise<Provisioned> {
  const { name } = env.fixtures.certificate;
  const password = randomBytes(12).toString('base64url');
  const pfx = await makePkcs12Async({ subject: `CN=${name}.azconform.test`, validityDays: 365, password });
  const req = request(env, 'POST', vaultUrl(env, `/certificates/${seg(name)}/import`), { value: pfx.data, pwd: password, policy: IMPORT_POLICY }, { 'content-type': 'application/json' });
  before(name);
  const r = await send(req);
  const body = r.response?.body;
  const version = r.response?.status === 200 && isObj(body) ? (versionOf(body.id) ?? versionOf(body.kid)) : undefined;
  if (!version) throw new ProvisionError(`could not import the fixture certificate ${name} (--provision): ${describeRequest(req)} answered ${describeAnswer(r)}`, r.response ? undefined : { name });
  return { name, version };
}

/** A refused import; `left` when the request got no answer, so the certificate may exist and must be deleted. */
export class ProvisionError extends Error {
  constructor(
    message: string,
    readonly left?: Provisioned,
  ) {
    super(message);
  }
}

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Key Vault deletes asynchronously: the deleted certificate appears (and can be purged) a moment later. */
const PURGE_ATTEMPTS = 10;
const PURGE_WAIT_MS = 1000;

async function purge(env: Env, send: Send, name: string, scheduled: unknown): Promise<RestoreItem> {
  const item = { resource: 'provisioned', subject: `certificate ${name}`, action: 'purge' } as const;
  const req = request(env, 'DELETE', vaultUrl(env, `/deletedcertificates/${seg(name)}`));
  let r: SendResult = await send(req);
  // 404 CertificateNotFound (or the target's own not-found code): not in deletedcertificates yet; 409: "currently being deleted". Both pass within
  // seconds. Any other answer (a target without the purge route) is final.
  const pending = (x: SendResult): boolean => x.response?.status === 409 || (x.response?.status === 404 && isCertificateNotFound(errorCode(x.response.body)));
  for (let i = 1; i < PURGE_ATTEMPTS && pending(r); i++) {
    await wait(PURGE_WAIT_MS);
    r = await send(req);
  }
  if (r.response?.status === 204 || r.response?.status === 200) return { ...item, outcome: 'ok', detail: 'purged' };
  const until = typeof scheduled === 'number' ? ` until ${new Date(scheduled * 1000).toISOString()} (its scheduledPurgeDate)` : '';
  const why = r.response?.status === 403 ? 'the token may not purge' : 'the purge failed';
  return {
    ...item,
    outcome: 'warning',
    answer: shortAnswer(r),
    detail: `left behind: the deleted certificate ${name} stays in the vault's deleted certificates${until}, holding its name — ${why} (${describeRequest(req)} answered ${describeAnswer(r)}); purge it with certificates/purge permission (az keyvault certificate purge --name ${name}) or let it expire`,
  };
}

/** Delete (and purge) the certificate the run imported; then check it is gone. */
export async function removeFixture(env: Env, send: Send, p: Provisioned): Promise<RestoreItem[]> {
  const subject = `certificate ${p.name}`;
  const del = request(env, 'DELETE', vaultUrl(env, `/certificates/${seg(p.name)}`));
  const r = await send(del);
  const status = r.response?.status;
  const body = r.response?.body;
  const gone = status === 404 && isCertificateNotFound(errorCode(body));
  if (status !== 200 && !gone) {
    return [{ resource: 'provisioned', subject, action: 'delete', outcome: 'failed', answer: shortAnswer(r), detail: `the certificate the run imported was not deleted: ${describeRequest(del)} answered ${describeAnswer(r)}; delete it by hand` }];
  }
  const items: RestoreItem[] = [{ resource: 'provisioned', subject, action: 'delete', outcome: 'ok', detail: gone ? 'already gone' : 'deleted' }];
  if (!gone && isObj(body) && typeof body.recoveryId === 'string') items.push(await purge(env, send, p.name, body.scheduledPurgeDate));
  const check = await send(request(env, 'GET', vaultUrl(env, `/certificates/${seg(p.name)}/`)));
  const absent = check.response?.status === 404;
  items.push({ resource: 'provisioned', subject, action: 'verify', outcome: absent ? 'ok' : 'warning', detail: absent ? 'gone (404)' : `still readable: GET answered ${describeAnswer(check)}` });
  return items;
}
