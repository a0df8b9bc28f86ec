import { createHash, generateKeyPair, generateKeyPairSync, randomBytes, type RSAKeyPairOptions } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

export interface Pkcs12Options {
  readonly subject: string;
  readonly validityDays: number;
  readonly password: string;
  readonly keyBits?: 2048 | 3072;
  /**
   * Issued by a throwaway CA of this name (its key made alongside, then dropped) rather than self-signed: subject
   * and issuer then differ, so a service that reports one for the other shows it.
   */
  readonly issuer?: string;
}

export interface Pkcs12Certificate {
  /** base64 of the PKCS#12 (PFX) file, as API Management's `properties.data` wants it. */
  readonly data: string;
  readonly password: string;
  /** `CN=…` as API Management reports it. */
  readonly subject: string;
  /** Upper-case hex SHA-1 of the certificate's DER: API Management's `thumbprint`. */
  readonly thumbprint: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/**
 * A real certificate (self-signed, or issued by a throwaway CA) in a PKCS#12 file. Keys come from Node's crypto
 * (fast, native); node-forge (a well-kept, pure-JS PKI library) builds the X.509 certificate and the PKCS#12 file.
 */
export function makePkcs12(opts: Pkcs12Options): Pkcs12Certificate {
  const key = (): PemPair => generateKeyPairSync('rsa', keyOptions(opts));
  return buildPkcs12(opts, key(), opts.issuer !== undefined ? key() : undefined);
}

/** makePkcs12 with the keys generated on libuv's thread pool: an RSA key costs ~150 ms of CPU, off the main thread. */
export async function makePkcs12Async(opts: Pkcs12Options): Promise<Pkcs12Certificate> {
  const key = (): Promise<PemPair> => promisify(generateKeyPair)('rsa', keyOptions(opts));
  const [own, ca] = await Promise.all([key(), opts.issuer !== undefined ? key() : undefined]);
  return buildPkcs12(opts, own, ca);
}

interface PemPair {
  readonly privateKey: string;
  readonly publicKey: string;
}

const keyOptions = (opts: Pkcs12Options): RSAKeyPairOptions<'pem', 'pem'> => ({
  modulusLength: opts.keyBits ?? 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

function buildPkcs12(opts: Pkcs12Options, { privateKey, publicKey }: PemPair, ca?: PemPair): Pkcs12Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  // Whole seconds: X.509 UTCTime has no fractions, and the response's expirationDate is compared to this.
  const now = Math.floor(Date.now() / 1000) * 1000;
  cert.validity.notBefore = new Date(now - 60_000);
  cert.validity.notAfter = new Date(now + opts.validityDays * 86_400_000);
  const attrs = parseSubject(opts.subject);
  cert.setSubject(attrs);
  cert.setIssuer(ca && opts.issuer !== undefined ? parseSubject(opts.issuer) : attrs);
  cert.setExtensions([{ name: 'basicConstraints', cA: false }, { name: 'keyUsage', digitalSignature: true, keyEncipherment: true }]);
  const key = forge.pki.privateKeyFromPem(privateKey);
  cert.sign(ca ? forge.pki.privateKeyFromPem(ca.privateKey) : key, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(key, [cert], opts.password, { algorithm: '3des' });
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes();
  return {
    data: forge.util.encode64(forge.asn1.toDer(p12).getBytes()),
    password: opts.password,
    subject: opts.subject,
    thumbprint: createHash('sha1').update(Buffer.from(der, 'binary')).digest('hex').toUpperCase(),
    notBefore: cert.validity.notBefore,
    notAfter: cert.validity.notAfter,
  };
}

/** What a PKCS#12 holds, or why it cannot be opened with the password. */
export function openPkcs12(data: string, password: string): { ok: true; subject: string; issuer: string; thumbprint: string; notBefore: Date; notAfter: Date; cer: string } | { ok: false; reason: string } {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length === 0) return { ok: false, reason: 'data is not base64' };
  try {
    const asn1 = forge.asn1.fromDer(forge.util.decode64(data));
    const p12 = forge.pkcs12.pkcs12FromAsn1(asn1, password);
    const cert = certificateOfKey(p12);
    if (!cert) return { ok: false, reason: 'the PKCS#12 holds no certificate' };
    const der = forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes();
    return {
      ok: true,
      subject: distinguishedName(cert.subject),
      issuer: distinguishedName(cert.issuer),
      thumbprint: createHash('sha1').update(Buffer.from(der, 'binary')).digest('hex').toUpperCase(),
      notBefore: cert.validity.notBefore,
      notAfter: cert.validity.notAfter,
      /** base64 of the certificate's DER, as Key Vault's `cer`. */
      cer: Buffer.from(der, 'binary').toString('base64'),
    };
  } catch (err) {
    return { ok: false, reason: `not a PKCS#12 that opens with the password (${(err as Error).message})` };
  }
}

const bagsOf = (p12: forge.pkcs12.Pkcs12Pfx, oid: string | undefined): forge.pkcs12.Bag[] => (oid ? (p12.getBags({ bagType: oid })[oid] ?? []) : []);

/**
 * The certificate a PFX is about: the one its private key belongs to, found by the RSA modulus. A file with a chain
 * may list the CA certificates first (Windows exports do), and .NET, which API Management reads the upload with,
 * takes the certificate that has the key; without a key that matches, the first, as .NET does.
 */
export function certificateOfKey(p12: forge.pkcs12.Pkcs12Pfx): forge.pki.Certificate | undefined {
  const certs = bagsOf(p12, forge.pki.oids.certBag).flatMap((b) => (b.cert ? [b.cert] : []));
  if (certs.length <= 1) return certs[0];
  for (const k of [...bagsOf(p12, forge.pki.oids.pkcs8ShroudedKeyBag), ...bagsOf(p12, forge.pki.oids.keyBag)]) {
    const n = (k.key as forge.pki.rsa.PrivateKey | undefined)?.n;
    const mine = n ? certs.find((c) => (c.publicKey as Partial<forge.pki.rsa.PublicKey>).n?.equals(n)) : undefined;
    if (mine) return mine;
  }
  return certs[0];
}

/** `CN=…, O=…`; an attribute forge has no name for is written by its OID, as .NET writes it (OID.<oid>=). */
const distinguishedName = (name: forge.pki.Certificate['subject']): string =>
  name.attributes.map((a: forge.pki.CertificateField) => `${a.shortName ?? a.name ?? `OID.${String(a.type)}`}=${String(a.value)}`).join(', ');

function parseSubject(subject: string): forge.pki.CertificateField[] {
  return subject.split(/,\s*/).map((part) => {
    const [k, ...v] = part.split('=');
    return { shortName: (k ?? 'CN').trim(), value: v.join('=').trim() };
  });
}
