import { makePkcs12Async, type Pkcs12Certificate, type Pkcs12Options } from './pkcs12.js';

/** What a session uploads to API Management: real certificates, varied in subject, validity and password. */
export const SESSION_CERTIFICATES: readonly Pkcs12Options[] = [
  { subject: 'CN=azconform.contoso.com', validityDays: 365, password: 'azconform-Passw0rd!' },
  { subject: 'CN=api.azconform.test', validityDays: 30, password: '' },
];

/** Long enough for every session of a selftest or a watch loop, short next to the shortest validity (30 days). */
const REUSE_MS = 60 * 60 * 1000;

let made: { readonly at: number; readonly certificates: Promise<readonly Pkcs12Certificate[]> } | undefined;

/**
 * The session certificates, made once per process (and again after an hour): two RSA keys and two PKCS#12
 * files cost ~0.7 s of CPU, which a selftest would otherwise pay on every one of its 66 runs. The keys come from
 * the thread pool, so a caller that starts this early (before Prism is up) hides most of it.
 */
export function sessionCertificates(): Promise<readonly Pkcs12Certificate[]> {
  if (!made || Date.now() - made.at > REUSE_MS) {
    const certificates = Promise.all(SESSION_CERTIFICATES.map((o) => makePkcs12Async(o)));
    made = { at: Date.now(), certificates };
    // A failure is not cached: the next session tries again.
    certificates.catch(() => {
      if (made?.certificates === certificates) made = undefined;
    });
  }
  return made.certificates;
}
