/**
 * A Key Vault data-plane target that answers as lowkey-vault (nagyesta/lowkey-vault, Java/Spring) does, read from
 * its sources, not from the kit: CommonAuthHeaderFilter (a challenge on every answer, a body-less 401),
 * CommonCertificateController.updateCertificateProperties, KeyVaultCertificateModel / BasePropertiesModel (Jackson
 * field order, NON_NULL attributes, tags always written), ErrorModel (the exception's class name as the code),
 * Base64Serializer (x5t base64url) and Base64CertSerializer (cer standard base64), RecoveryLevel, WebConfig
 * (Spring's API versioning with a default version). It serves no certificate contacts: lowkey-vault has no such
 * controller, so Spring answers 405 for the PUT.
 *
 * Each of lowkey-vault's departures from Azure is a knob, so a test can switch one on alone and see whether the
 * kit names it (`quirks`), and switch them all off to show the rest of its forms pass.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';
import { Refusal, validateCertificateUpdate } from './azure-like.js';

/** lowkey-vault's departures from Azure (each off: the Azure behaviour). */
export interface Quirks {
  /** WebConfig setDefaultVersion: a request without api-version is served at the latest version (Azure: 400). */
  readonly defaultApiVersion?: boolean;
  /** Spring's own error JSON ({timestamp,status,error,path}) for an unsupported api-version, a body it cannot bind, a route it lacks. */
  readonly springErrors?: boolean;
  /** The filter's 401 carries no body (Azure: a KeyVaultError). */
  readonly bodylessChallenge?: boolean;
  /** updateCertificateProperties clears the tags and adds the sent ones: no `tags` sent clears them (Azure: kept). */
  readonly tagsClearedWhenUnsent?: boolean;
  /** `enabled` is a primitive boolean that defaults to true: attributes sent without it enable the certificate. */
  readonly enabledDefaultsTrue?: boolean;
  /** Spring 6 matches no empty path segment: PATCH /certificates/{name}/ finds no route (Azure: the latest version). */
  readonly noEmptyVersion?: boolean;
  /** UpdateCertificateRequest binds attributes and tags only: a schema-breaking policy is ignored, not refused. */
  readonly ignoresPolicy?: boolean;
}

export const ALL_QUIRKS: Required<Quirks> = {
  defaultApiVersion: true,
  springErrors: true,
  bodylessChallenge: true,
  tagsClearedWhenUnsent: true,
  enabledDefaultsTrue: true,
  noEmptyVersion: true,
  ignoresPolicy: true,
};

export interface LowkeyOptions {
  readonly quirks?: Quirks;
  /** The fixture certificate exists at start (else the run must --provision it through Import). */
  readonly preloaded?: boolean;
  readonly certificate?: { readonly name: string; readonly version: string };
  /** The vault's DeletionRecoveryLevel and recoverableDays (lowkey-vault's default vault: Recoverable+Purgeable, 90). */
  readonly recovery?: readonly [level: string, days: number | undefined];
}

export interface LowkeyLike {
  readonly url: string;
  readonly answered: Map<number, number>;
  /** Certificate names it holds, deleted ones included (after a --provision run: none). */
  names(): string[];
  close(): Promise<void>;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** ApiVersion: what lowkey-vault's WebConfig registers as supported. */
const VERSIONS = ['7.2', '7.3', '7.4', '7.5', '7.6', '2025-07-01'];
/** BaseEntityReadController NAME_PATTERN and VERSION_NAME_PATTERN. */
const NAME = /^[0-9a-zA-Z-]+$/;
const VERSION = /^[0-9a-f]{32}$/;
const NOT_FOUND = 'com.github.nagyesta.lowkeyvault.service.exception.NotFoundException';

class Answer extends Error {
  constructor(
    readonly status: number,
    readonly body: JsonObject | undefined,
  ) {
    super(`status ${status}`);
  }
}

interface Version {
  enabled: boolean;
  created: number;
  updated: number;
  nbf: number;
  exp: number;
  tags: { [k: string]: string };
  cer: Buffer;
}

const now = (): number => Math.floor(Date.now() / 1000);

/** The certificate of a PKCS#12 (Import's `value`), DER, with its validity. */
function openPfx(base64: string, password: string): { der: Buffer; nbf: number; exp: number } | undefined {
  try {
    const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.decode64(base64)), password);
    const bagType = forge.pki.oids.certBag ?? '';
    const cert = p12.getBags({ bagType })[bagType]?.[0]?.cert;
    if (!cert) return undefined;
    const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
    return { der, nbf: Math.floor(cert.validity.notBefore.getTime() / 1000), exp: Math.floor(cert.validity.notAfter.getTime() / 1000) };
  } catch {
    return undefined;
  }
}

/** A self-signed certificate for the preloaded fixture (its DER is all the bundle needs). */
function selfSigned(): { der: Buffer; nbf: number; exp: number } {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 1024, e: 0x10001 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date('2024-01-01T00:00:00Z');
  cert.validity.notAfter = new Date('2034-01-01T00:00:00Z');
  cert.setSubject([{ name: 'commonName', value: 'lowkey' }]);
  cert.setIssuer([{ name: 'commonName', value: 'lowkey' }]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return { der, nbf: Math.floor(cert.validity.notBefore.getTime() / 1000), exp: Math.floor(cert.validity.notAfter.getTime() / 1000) };
}

export async function startLowkeyLike(options: LowkeyOptions = {}): Promise<LowkeyLike> {
  const q = options.quirks ?? {};
  const fixture = options.certificate ?? { name: 'updateCert01', version: 'c3d31d7b36c942ad83ef36fc0785a4fc' };
  const [level, days] = options.recovery ?? ['Recoverable+Purgeable', 90];
  const answered = new Map<number, number>();
  // Names compare as lowkey-vault's entity ids do: exactly.
  const certificates = new Map<string, { versions: Map<string, Version>; latest: string; policy: JsonObject }>();
  const deleted = new Set<string>();
  if (options.preloaded ?? true) {
    const c = selfSigned();
    certificates.set(fixture.name, {
      latest: fixture.version,
      versions: new Map([[fixture.version, { enabled: true, created: now() - 3600, updated: now() - 3600, nbf: c.nbf, exp: c.exp, tags: {}, cer: c.der }]]),
      policy: { key_props: { exportable: true, kty: 'RSA', key_size: 2048, reuse_key: false } },
    });
  }

  /** Spring's own error JSON, or (quirk off) Key Vault's envelope with `message`. */
  const springError = (status: number, error: string, path: string, message = error): Answer =>
    new Answer(status, q.springErrors ? { timestamp: new Date().toISOString().replace('Z', '+00:00'), status, error, path } : { error: { code: status === 404 ? 'NotFound' : 'BadParameter', message } });
  const notFound = (what: string): Answer => new Answer(404, { error: { code: NOT_FOUND, message: `Entity not found: ${what}` } });

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.on('finish', () => answered.set(res.statusCode, (answered.get(res.statusCode) ?? 0) + 1));
      const host = req.headers.host ?? '127.0.0.1';
      const base = `https://${host}`;
      const url = new URL(req.url ?? '/', 'http://x');
      // CommonAuthHeaderFilter: the challenge goes on every answer; resource is the vault, authorization_uri the request.
      res.setHeader('WWW-Authenticate', `Bearer resource="${base}", authorization_uri="${base}${url.pathname}"`);
      if (!req.headers.authorization) {
        if (q.bodylessChallenge) {
          res.writeHead(401).end();
          return;
        }
        write(res, 401, { error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } });
        return;
      }
      try {
        const out = handle(req.method ?? 'GET', url, base, Buffer.concat(chunks).toString('utf8'));
        if (out === undefined) res.writeHead(204).end();
        else write(res, 200, out);
      } catch (e) {
        if (!(e instanceof Answer)) throw e;
        if (e.body === undefined) res.writeHead(e.status).end();
        else write(res, e.status, e.body);
      }
    });
  });

  function write(res: ServerResponse, status: number, body: Json): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), Date: new Date().toUTCString() });
    res.end(text);
  }

  /**
   * Spring's QueryApiVersionResolver reads the raw query: an encoded key (api%2Dversion) is no version there, so the
   * default one. Without that quirk the key is decoded, as Azure and a servlet's getParameter do.
   */
  function apiVersion(url: URL): string {
    const raw = (url.search.slice(1) || '').split('&').map((p) => p.split('='));
    const found = raw.find(([k = '']) => (q.defaultApiVersion ? k : decodeURIComponent(k)) === 'api-version');
    if (found === undefined) {
      if (q.defaultApiVersion) return '2025-07-01';
      throw springError(400, 'Bad Request', url.pathname, 'The api-version query parameter is required.');
    }
    const v = decodeURIComponent(found[1] ?? '');
    if (!VERSIONS.includes(v)) throw springError(400, 'Bad Request', url.pathname, `The specified version (${v}) is not recognized.`);
    return v;
  }

  function parse(raw: string, path: string): unknown {
    try {
      return raw.trim() === '' ? undefined : (JSON.parse(raw) as unknown);
    } catch {
      throw springError(400, 'Bad Request', path);
    }
  }

  function handle(method: string, url: URL, base: string, raw: string): JsonObject | undefined {
    const path = url.pathname;
    const segs = path.split('/').slice(1);
    if (segs[0] === 'deletedcertificates' && segs.length === 2 && method === 'DELETE') {
      apiVersion(url);
      if (!deleted.delete(segs[1] ?? '')) throw notFound(segs[1] ?? '');
      return undefined;
    }
    if (segs[0] !== 'certificates' || segs.length < 2 || segs.length > 3) throw springError(404, 'Not Found', path);
    const [, name = '', second] = segs;
    // GET and DELETE /certificates/{name} exist, so another method on that path is Spring's 405 (PUT contacts too).
    if (segs.length === 2 && !['GET', 'DELETE'].includes(method)) throw springError(405, 'Method Not Allowed', path);
    if (second === '' && q.noEmptyVersion) throw springError(404, 'Not Found', path);
    // The version read (or refused) before the name is looked at, as Spring picks the handler by it.
    apiVersion(url);
    if (!NAME.test(name)) throw springError(400, 'Bad Request', path);
    if (second === 'import' && method === 'POST') return importCertificate(name, base, parse(raw, path));
    const cert = certificates.get(name);
    if (segs.length === 2 && method === 'DELETE') {
      if (!cert) throw notFound(name);
      const at = now();
      const answer = { ...bundle(name, cert.latest, base), recoveryId: `${base}/deletedcertificates/${name}`, deletedDate: at, scheduledPurgeDate: at + 90 * 86_400 };
      certificates.delete(name);
      deleted.add(name);
      return answer;
    }
    if (!cert) throw notFound(name);
    // CertificatePolicyController: GET /certificates/{name}/policy.
    if (second === 'policy' && method === 'GET') return { id: `${base}/certificates/${name}/policy`, ...cert.policy };
    const v = second === undefined || second === '' ? cert.latest : second;
    if (second !== undefined && second !== '' && !VERSION.test(second)) throw springError(400, 'Bad Request', path);
    const state = cert.versions.get(v);
    if (!state) throw notFound(`${name}/${v}`);
    if (method === 'GET') return bundle(name, v, base);
    if (method !== 'PATCH') throw springError(405, 'Method Not Allowed', path);
    const body = parse(raw, path);
    if (!isObject(body)) throw springError(400, 'Bad Request', path);
    const attributes = body.attributes;
    const tags = body.tags;
    // Jackson binds attributes and tags; a value of the wrong type is a 400 before the controller runs.
    if (attributes !== undefined && attributes !== null && !isObject(attributes)) throw springError(400, 'Bad Request', path);
    if (tags !== undefined && tags !== null && (!isObject(tags) || Object.values(tags).some((t) => typeof t !== 'string'))) throw springError(400, 'Bad Request', path);
    if (isObject(attributes) && attributes.enabled !== undefined && typeof attributes.enabled !== 'boolean') throw springError(400, 'Bad Request', path);
    for (const k of ['nbf', 'exp', 'created', 'updated', 'recoverableDays']) {
      if (isObject(attributes) && attributes[k] !== undefined && attributes[k] !== null && !Number.isInteger(attributes[k])) throw springError(400, 'Bad Request', path);
    }
    // With ignoresPolicy off, the body is held to the reference schema as the Azure-like target holds it.
    if (!q.ignoresPolicy) {
      try {
        validateCertificateUpdate(body, undefined, {});
      } catch (e) {
        if (!(e instanceof Refusal)) throw e;
        throw new Answer(400, { error: { code: e.code, message: e.message } });
      }
    }
    // updateCertificateProperties: enabled from the attributes (a primitive that defaults to true), then the tags
    // cleared and the sent ones added; nbf, exp and the policy are left as they are.
    if (isObject(attributes)) {
      if (typeof attributes.enabled === 'boolean') state.enabled = attributes.enabled;
      else if (q.enabledDefaultsTrue) state.enabled = true;
    }
    if (isObject(tags) || q.tagsClearedWhenUnsent) state.tags = { ...((isObject(tags) ? tags : {}) as { [k: string]: string }) };
    state.updated = now();
    return bundle(name, v, base);
  }

  function bundle(name: string, v: string, base: string): JsonObject {
    const cert = certificates.get(name);
    const s = cert?.versions.get(v);
    if (!s) throw notFound(`${name}/${v}`);
    // KeyVaultCertificateModel field order; BasePropertiesModel NON_NULL; policy null (left out) after a PATCH.
    return {
      id: `${base}/certificates/${name}/${v}`,
      kid: `${base}/keys/${name}/${v}`,
      sid: `${base}/secrets/${name}/${v}`,
      x5t: createHash('sha1').update(s.cer).digest('base64url'),
      cer: s.cer.toString('base64'),
      attributes: {
        enabled: s.enabled,
        created: s.created,
        updated: s.updated,
        recoveryLevel: level,
        exp: s.exp,
        nbf: s.nbf,
        // NON_NULL: a Purgeable vault has none.
        ...(days !== undefined ? { recoverableDays: days } : {}),
      },
      tags: { ...s.tags },
    };
  }

  function importCertificate(name: string, base: string, body: unknown): JsonObject {
    const b = isObject(body) ? body : {};
    const opened = typeof b.value === 'string' ? openPfx(b.value, typeof b.pwd === 'string' ? b.pwd : '') : undefined;
    if (!opened) throw new Answer(400, { error: { code: 'java.lang.IllegalArgumentException', message: 'Unable to open certificate' } });
    const version = randomBytes(16).toString('hex');
    const existing = certificates.get(name);
    const state: Version = { enabled: true, created: now(), updated: now(), nbf: opened.nbf, exp: opened.exp, tags: isObject(b.tags) ? (b.tags as { [k: string]: string }) : {}, cer: opened.der };
    if (existing) {
      existing.versions.set(version, state);
      existing.latest = version;
    } else certificates.set(name, { versions: new Map([[version, state]]), latest: version, policy: isObject(b.policy) ? b.policy : {} });
    return { ...bundle(name, version, base), policy: { id: `${base}/certificates/${name}/policy`, ...(certificates.get(name)?.policy ?? {}) } };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    answered,
    names: () => [...certificates.keys(), ...deleted],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
