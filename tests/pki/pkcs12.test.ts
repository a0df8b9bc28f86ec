import { X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { makePkcs12, makePkcs12Async, openPkcs12 } from '../../src/pki/pkcs12.js';
import { forgetSessionCertificates, REUSE_MS, SESSION_CERTIFICATES, sessionCertificates } from '../../src/pki/session-certificates.js';

/** The certificate inside a PKCS#12, read with Node's own X.509 parser (independent of our code). */
function nodeView(data: string, password: string): X509Certificate {
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.decode64(data)), password);
  const bag = p12.getBags({ bagType: forge.pki.oids.certBag as string })[forge.pki.oids.certBag as string]?.[0];
  if (!bag?.cert) throw new Error('no certificate');
  return new X509Certificate(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(bag.cert)).getBytes(), 'binary'));
}

describe('PKCS#12 builder', () => {
  for (const [subject, days, password] of [
    ['CN=azconform.contoso.com', 365, 'S3cret!'],
    ['CN=api.example.test, O=Contoso', 7, ''],
  ] as const) {
    it(`makes a PKCS#12 that OpenSSL opens and that describes ${subject}`, () => {
      const c = makePkcs12({ subject, validityDays: days, password });
      // OpenSSL (through Node's TLS) opens the file with the password, and refuses a wrong one.
      expect(() => tls.createSecureContext({ pfx: Buffer.from(c.data, 'base64'), passphrase: password })).not.toThrow();
      expect(() => tls.createSecureContext({ pfx: Buffer.from(c.data, 'base64'), passphrase: `${password}x` })).toThrow();
      const x = nodeView(c.data, password);
      expect(x.fingerprint.replace(/:/g, '')).toBe(c.thumbprint);
      expect(x.subject.split('\n').sort()).toEqual(subject.split(/,\s*/).sort());
      expect(new Date(x.validTo).getTime()).toBe(c.notAfter.getTime());
      expect(Math.round((c.notAfter.getTime() - Date.now()) / 86_400_000)).toBe(days);
      const opened = openPkcs12(c.data, password);
      expect(opened.ok && opened.thumbprint).toBe(c.thumbprint);
    });
  }
  it('issues the certificate by a CA when asked: subject and issuer differ, and the signature is not its own key\'s', () => {
    const c = makePkcs12({ subject: 'CN=leaf.azconform.test', validityDays: 30, password: 'pw', issuer: 'CN=azconform Test CA, O=azconform' });
    expect(() => tls.createSecureContext({ pfx: Buffer.from(c.data, 'base64'), passphrase: 'pw' })).not.toThrow();
    const x = nodeView(c.data, 'pw');
    expect(x.subject).toBe('CN=leaf.azconform.test');
    expect(x.issuer.split('\n').sort()).toEqual(['CN=azconform Test CA', 'O=azconform']);
    expect(x.verify(x.publicKey)).toBe(false);
    const opened = openPkcs12(c.data, 'pw');
    expect(opened.ok && [opened.subject, opened.issuer, opened.thumbprint]).toEqual(['CN=leaf.azconform.test', 'CN=azconform Test CA, O=azconform', c.thumbprint]);
    // Self-signed without it: one name, its own signature.
    const self = nodeView(makePkcs12({ subject: 'CN=self.azconform.test', validityDays: 1, password: '' }).data, '');
    expect([self.issuer, self.verify(self.publicKey)]).toEqual(['CN=self.azconform.test', true]);
  });
  it('describes the certificate of the private key when the file holds a chain, whatever its order', () => {
    const keyPair = () => forge.pki.rsa.generateKeyPair({ bits: 1024, e: 0x10001 });
    const make = (cn: string, keys: forge.pki.rsa.KeyPair, issuer?: { cert: forge.pki.Certificate; keys: forge.pki.rsa.KeyPair }): forge.pki.Certificate => {
      const c = forge.pki.createCertificate();
      c.publicKey = keys.publicKey;
      c.serialNumber = cn === 'Root' ? '01' : '02';
      c.validity.notBefore = new Date('2025-01-01T00:00:00Z');
      c.validity.notAfter = new Date(cn === 'Root' ? '2035-01-01T00:00:00Z' : '2026-01-01T00:00:00Z');
      c.setSubject([{ shortName: 'CN', value: cn }]);
      c.setIssuer(issuer ? issuer.cert.subject.attributes : [{ shortName: 'CN', value: cn }]);
      c.setExtensions([{ name: 'basicConstraints', cA: cn === 'Root' }]);
      c.sign((issuer?.keys ?? keys).privateKey, forge.md.sha256.create());
      return c;
    };
    const rootKeys = keyPair();
    const root = make('Root', rootKeys);
    const leafKeys = keyPair();
    const leaf = make('www.contoso.test', leafKeys, { cert: root, keys: rootKeys });
    // Thumbprint by Node's own X.509 parser, not ours.
    const thumbprint = (c: forge.pki.Certificate): string =>
      new X509Certificate(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(c)).getBytes(), 'binary')).fingerprint.replace(/:/g, '');
    const pfx = (key: forge.pki.rsa.PrivateKey | null, chain: forge.pki.Certificate[]): string =>
      forge.util.encode64(forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(key, chain, 'pw', { algorithm: '3des' })).getBytes());
    // The CA first, as Windows exports may order it (node-forge then also names the CA by the key's localKeyId).
    for (const [label, data] of [
      ['key, CA first', pfx(leafKeys.privateKey, [root, leaf])],
      ['key, leaf first', pfx(leafKeys.privateKey, [leaf, root])],
    ] as const) {
      const opened = openPkcs12(data, 'pw');
      expect(opened.ok && { subject: opened.subject, thumbprint: opened.thumbprint }, label).toEqual({ subject: 'CN=www.contoso.test', thumbprint: thumbprint(leaf) });
    }
    // No key to match: the first certificate, as .NET takes it.
    const keyless = openPkcs12(pfx(null, [root, leaf]), 'pw');
    expect(keyless.ok && keyless.thumbprint).toBe(thumbprint(root));
    expect(thumbprint(leaf)).not.toBe(thumbprint(root));
  });
  it('refuses data that is not a PKCS#12 or a wrong password', () => {
    expect(openPkcs12('****Base 64 Encoded Certificate****', 'x').ok).toBe(false);
    const c = makePkcs12({ subject: 'CN=x.test', validityDays: 1, password: 'a' });
    expect(openPkcs12(c.data, 'b').ok).toBe(false);
  });
});

describe('session certificates', () => {
  it('makePkcs12Async (key from the thread pool) makes the same kind of file OpenSSL opens', async () => {
    const c = await makePkcs12Async({ subject: 'CN=async.azconform.test', validityDays: 30, password: 'pw' });
    expect(() => tls.createSecureContext({ pfx: Buffer.from(c.data, 'base64'), passphrase: 'pw' })).not.toThrow();
    expect(nodeView(c.data, 'pw').fingerprint.replace(/:/g, '')).toBe(c.thumbprint);
  });

  it('are made once per process: one per configured subject, each opening with its own password', async () => {
    const first = await sessionCertificates();
    expect(await sessionCertificates()).toBe(first);
    expect(first.map((c) => c.subject)).toEqual(SESSION_CERTIFICATES.map((o) => o.subject));
    for (const c of first) {
      const opened = openPkcs12(c.data, c.password);
      expect(opened.ok && opened.thumbprint).toBe(c.thumbprint);
    }
    // Distinct keys: two uploads must be two different certificates.
    expect(new Set(first.map((c) => c.thumbprint)).size).toBe(first.length);
  });

  it('are kept on disk for the next run, and made again when the kept set is too old, from other options or broken', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'azconform-session-certs-'));
    const file = path.join(dir, 'cache', 'session-certificates.json');
    try {
      forgetSessionCertificates();
      const made = await sessionCertificates(file);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      // A new run (a new process: nothing held in memory) reads the same set back, dates as dates.
      forgetSessionCertificates();
      const read = await sessionCertificates(file);
      expect(read).not.toBe(made);
      expect(read).toEqual(made);
      expect(read[0]?.notAfter).toBeInstanceOf(Date);
      for (const c of read) {
        const opened = openPkcs12(c.data, c.password);
        expect(opened.ok && opened.thumbprint).toBe(c.thumbprint);
      }
      // Edits the kept file (or replaces its text), then asks as a new run would: are they new certificates?
      const remade = async (edit: (kept: { format: number; madeAt: number; options: unknown[] }) => string | void): Promise<boolean> => {
        const text = await readFile(file, 'utf8');
        const before = (JSON.parse(text) as { certificates: { thumbprint: string }[] }).certificates.map((c) => c.thumbprint);
        const kept = JSON.parse(text) as { format: number; madeAt: number; options: unknown[] };
        await writeFile(file, edit(kept) ?? JSON.stringify(kept));
        forgetSessionCertificates();
        const next = await sessionCertificates(file);
        return next.every((c, i) => c.thumbprint !== before[i]);
      };
      // A kept set within the day is read back, not remade (this is what makes the checks below able to fail).
      expect(
        await remade((k) => {
          k.madeAt = Date.now() - REUSE_MS / 2;
        }),
      ).toBe(false);
      expect(
        await remade((k) => {
          k.madeAt = Date.now() - REUSE_MS - 60_000;
        }),
      ).toBe(true);
      expect(
        await remade((k) => {
          k.options = [{ subject: 'CN=other', validityDays: 30, password: '' }];
        }),
      ).toBe(true);
      expect(
        await remade((k) => {
          k.format += 1;
        }),
      ).toBe(true);
      expect(await remade(() => '{"madeAt": 1, "cert')).toBe(true);
      // A kept set is held from when it was made, not from when this process read it: one made a day ago less a
      // moment ago is given out now, and made again once the day is over, in the same process.
      const kept = JSON.parse(await readFile(file, 'utf8')) as { madeAt: number; certificates: { thumbprint: string }[] };
      kept.madeAt = Date.now() - REUSE_MS + 300;
      await writeFile(file, JSON.stringify(kept));
      forgetSessionCertificates();
      expect((await sessionCertificates(file)).map((c) => c.thumbprint)).toEqual(kept.certificates.map((c) => c.thumbprint));
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect((await sessionCertificates(file)).every((c, i) => c.thumbprint !== kept.certificates[i]?.thumbprint)).toBe(true);
      // No part file is left beside it.
      expect((await readdir(path.dirname(file))).filter((f) => f.endsWith('.part'))).toEqual([]);
    } finally {
      forgetSessionCertificates();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
