/**
 * Do the fixtures exist? Before the first case against a live target, one GET per fixture the run's operations
 * need. Only an answer that clearly says "not found" counts: a 404 in the service's error envelope with its
 * not-found code. A target without the GET (405, a 404 without the envelope, a route it does not serve) is not
 * judged here — many emulators lack these requests — and the snapshot warns about it as before.
 *
 * A missing fixture would otherwise turn every case into a violation; it is one line instead: which fixture and
 * how to name an existing one.
 */
import { errorCode, isCertificateNotFound, request, URLS } from './requests.js';
import type { Send } from './snapshot.js';
import type { Env } from './types.js';

/** ARM's codes for a resource, its resource group or its subscription that does not exist. */
const ARM_CODES = ['ResourceNotFound', 'ParentResourceNotFound', 'ResourceGroupNotFound', 'SubscriptionNotFound'];
const ARM_MISSING = (code: string): boolean => ARM_CODES.includes(code);

export type FixtureKind = 'certificate' | 'certificate-version' | 'vault' | 'apim';

export interface Missing {
  readonly fixture: FixtureKind;
  /** The one line for the user: which fixture, and how to name an existing one. */
  readonly message: string;
}

interface Probe {
  readonly fixture: FixtureKind;
  readonly operation: string;
  url(env: Env): string | undefined;
  /** Whether a code of the service's error envelope says not found. */
  readonly missing: (code: string) => boolean;
  message(env: Env, code: string): string;
}

const PROBES: readonly Probe[] = [
  {
    fixture: 'certificate',
    operation: 'UpdateCertificate',
    url: URLS.latestCertificate,
    missing: isCertificateNotFound,
    message: (env, code) =>
      `the fixture certificate ${env.fixtures.certificate.name} does not exist in the vault (404 ${code}): name an existing one with --certificate-name and --certificate-version (config fixtures.certificate {name, version}), or let the kit bring its own with --provision (config "provision": true)`,
  },
  {
    fixture: 'vault',
    operation: 'Vaults_UpdateAccessPolicy',
    url: URLS.vault,
    missing: ARM_MISSING,
    message: (env, code) =>
      `the fixture vault ${env.fixtures.vault.name} (resource group ${env.fixtures.vault.resourceGroup}, subscription ${env.fixtures.subscriptionId}) does not exist (404 ${code}): name an existing one with --vault-name, --vault-resource-group and --subscription (config fixtures.vault {name, resourceGroup}, fixtures.subscriptionId)`,
  },
  {
    fixture: 'apim',
    operation: 'Certificate_CreateOrUpdate',
    url: URLS.apimCertificates,
    missing: ARM_MISSING,
    message: (env, code) =>
      `the fixture API Management service ${env.fixtures.apiManagement.serviceName} (resource group ${env.fixtures.apiManagement.resourceGroup}, subscription ${env.fixtures.subscriptionId}) does not exist (404 ${code}): name an existing one with --apim-service, --apim-resource-group and --subscription (config fixtures.apiManagement {serviceName, resourceGroup}, fixtures.subscriptionId)`,
  },
];

/** What a GET said: the not-found code of a 404 in the error envelope, `found` for a 2xx, else nothing clear. */
async function read(env: Env, send: Send, url: string, missing: (code: string) => boolean): Promise<{ code: string } | 'found' | undefined> {
  const r = await send(request(env, 'GET', url));
  const status = r.response?.status ?? 0;
  if (status >= 200 && status < 300) return 'found';
  const code = status === 404 ? errorCode(r.response?.body) : undefined;
  return code !== undefined && missing(code) ? { code } : undefined;
}

/** The fixture certificate's version, when its name exists but that version does not. */
async function missingVersion(env: Env, send: Send): Promise<Missing | undefined> {
  const url = URLS.certificate(env);
  const said = url ? await read(env, send, url, isCertificateNotFound) : undefined;
  if (said === undefined || said === 'found') return undefined;
  const { name, version } = env.fixtures.certificate;
  return {
    fixture: 'certificate-version',
    message: `the fixture certificate ${name} has no version ${version} (404 ${said.code}): name an existing version with --certificate-version (config fixtures.certificate.version)`,
  };
}

/**
 * Whether the fixture certificate's name exists, asked of its policy when the latest version's GET tells nothing:
 * Spring (lowkey-vault) routes no empty path segment, so `…/{name}/` finds no route there, while
 * GetCertificatePolicy answers for the name alone.
 */
async function certificateByPolicy(env: Env, send: Send): Promise<{ code: string } | 'found' | undefined> {
  const url = URLS.policy(env);
  return url ? read(env, send, url, isCertificateNotFound) : undefined;
}

/** Every fixture of the run's operations that the target clearly says does not exist (in the table's order). */
export async function missingFixtures(env: Env, send: Send): Promise<Missing[]> {
  const found = await Promise.all(
    PROBES.filter((p) => env.ops.has(p.operation)).map(async (p): Promise<Missing | undefined> => {
      const url = p.url(env);
      let said = url ? await read(env, send, url, p.missing) : undefined;
      if (said === undefined && p.fixture === 'certificate') said = await certificateByPolicy(env, send);
      if (said !== undefined && said !== 'found') return { fixture: p.fixture, message: p.message(env, said.code) };
      return p.fixture === 'certificate' ? missingVersion(env, send) : undefined;
    }),
  );
  return found.filter((m): m is Missing => m !== undefined);
}
