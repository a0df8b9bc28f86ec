import { generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

export interface TlsCertificate {
  /** The certificate (PEM): what clients trust (`azconform run --ca FILE`, lowkey-vault's is the same idea). */
  readonly cert: string;
  /** Its private key (PKCS#8 PEM): the server's only. */
  readonly key: string;
}

/**
 * A self-signed server certificate for the emulator's `--tls`: valid for 127.0.0.1, ::1 and localhost (and the
 * host it binds to), marked as its own CA so that a client can trust it as the one root (`--ca`), as users trust
 * lowkey-vault's. The key comes from Node's crypto (native, off the main thread); node-forge writes the X.509.
 */
export async function makeTlsCertificate(host = '127.0.0.1'): Promise<TlsCertificate> {
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 3_600_000);
  cert.validity.notAfter = new Date(now + 365 * 86_400_000);
  const name = [{ shortName: 'CN', value: 'azconform emulator' }, { shortName: 'O', value: 'azconform' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  const ips = [...new Set(['127.0.0.1', '::1', ...(/^[\d.:a-f]+$/i.test(host) && host !== '0.0.0.0' && host !== '::' ? [host] : [])])];
  const dns = [...new Set(['localhost', ...(/^[\d.:a-f]+$/i.test(host) ? [] : [host])])];
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [...dns.map((value) => ({ type: 2, value })), ...ips.map((ip) => ({ type: 7, ip }))] },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: privateKey };
}
