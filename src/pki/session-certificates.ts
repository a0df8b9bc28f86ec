import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { packageRoot } from '../model/root.js';
import { makePkcs12Async, type Pkcs12Certificate, type Pkcs12Options } from './pkcs12.js';

/**
 * What a session uploads to API Management: real certificates, varied in subject, validity, password and issuer (one
 * issued by a CA, so its subject and issuer differ; one self-signed).
 */
export const SESSION_CERTIFICATES: readonly Pkcs12Options[] = [
  { subject: 'CN=azconform.contoso.com', validityDays: 365, password: 'azconform-Passw0rd!', issuer: 'CN=azconform Test CA, O=azconform' },
  { subject: 'CN=api.azconform.test', validityDays: 30, password: '' },
];

/**
 * How long one set is used, in a process and across runs: short next to the shortest validity (30 days), so an
 * upload is always well inside its validity, and long enough for a day of runs to share one set.
 */
export const REUSE_MS = 24 * 60 * 60 * 1000;

/** The kept file's format and how its certificates are made: a kit that makes them otherwise ignores older files. */
const FORMAT = 1;

let made: { readonly at: number; readonly certificates: Promise<readonly Pkcs12Certificate[]> } | undefined;

/**
 * The session certificates, made once (and again after REUSE_MS): three RSA keys and two PKCS#12 files cost ~0.6 s
 * of CPU, which every CLI run paid (the keys on the thread pool while Prism starts, the files on the main thread),
 * and a selftest on each of its runs. A set is kept in node_modules/.cache/azconform/ for the next run: throwaway
 * test certificates (their passwords are in this file), never a user's.
 */
export function sessionCertificates(file: string | undefined = cacheFile()): Promise<readonly Pkcs12Certificate[]> {
  if (!made || Date.now() - made.at > REUSE_MS) {
    const now = Date.now();
    const certificates: Promise<readonly Pkcs12Certificate[]> = fromCache(file, now).then((kept) => {
      if (!kept) return makeAndKeep(file, now);
      // Held from when the set was made (a kept one may be hours old), so no process uses one past REUSE_MS.
      if (made?.certificates === certificates) made = { at: kept.madeAt, certificates };
      return kept.certificates;
    });
    made = { at: now, certificates };
    // A failure is not kept: the next session tries again.
    certificates.catch(() => {
      if (made?.certificates === certificates) made = undefined;
    });
  }
  return made.certificates;
}

/** The on-disk set, under the package's node_modules (npm ci empties it); undefined when there is no package root. */
function cacheFile(): string | undefined {
  try {
    return path.join(packageRoot(), 'node_modules', '.cache', 'azconform', 'session-certificates.json');
  } catch {
    return undefined;
  }
}

interface Kept {
  readonly format: number;
  readonly madeAt: number;
  /** The options they were made from: another list (a new subject, validity or password) is another set. */
  readonly options: readonly Pkcs12Options[];
  readonly certificates: readonly (Omit<Pkcs12Certificate, 'notBefore' | 'notAfter'> & { readonly notBefore: string; readonly notAfter: string })[];
}

/**
 * The kept set, if it was made in this format from today's options within REUSE_MS; anything else (no file, a
 * broken one, another kit's) is a miss.
 */
async function fromCache(file: string | undefined, now: number): Promise<{ readonly madeAt: number; readonly certificates: readonly Pkcs12Certificate[] } | undefined> {
  if (!file) return undefined;
  try {
    const kept = JSON.parse(await readFile(file, 'utf8')) as Kept;
    const age = now - kept.madeAt;
    if (kept.format !== FORMAT || !(age >= 0 && age <= REUSE_MS) || JSON.stringify(kept.options) !== JSON.stringify(SESSION_CERTIFICATES)) return undefined;
    if (kept.certificates.length !== SESSION_CERTIFICATES.length) return undefined;
    return { madeAt: kept.madeAt, certificates: kept.certificates.map((c) => ({ ...c, notBefore: new Date(c.notBefore), notAfter: new Date(c.notAfter) })) };
  } catch {
    return undefined;
  }
}

async function makeAndKeep(file: string | undefined, now: number): Promise<readonly Pkcs12Certificate[]> {
  const certificates = await Promise.all(SESSION_CERTIFICATES.map((o) => makePkcs12Async(o)));
  if (file) {
    // Written aside and renamed: a concurrent run never reads half a file. The name is this thread's own (worker
    // threads share a pid); owner-only, and removed if the rename fails: it holds private keys.
    const part = `${file}.${process.pid}-${threadId}-${randomBytes(4).toString('hex')}.part`;
    try {
      await mkdir(path.dirname(file), { recursive: true });
      const kept: Kept = { format: FORMAT, madeAt: now, options: SESSION_CERTIFICATES, certificates: certificates.map((c) => ({ ...c, notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString() })) };
      await writeFile(part, JSON.stringify(kept), { mode: 0o600 });
      await rename(part, file);
    } catch {
      // read-only tree: no cache, the same certificates for this process
      await rm(part, { force: true }).catch(() => undefined);
    }
  }
  return certificates;
}

/** Forget the set this process holds (tests: the next call reads the cache file, or makes a new set). */
export function forgetSessionCertificates(): void {
  made = undefined;
}
