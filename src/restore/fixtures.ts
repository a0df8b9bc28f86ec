/**
 * Do the fixtures exist? Before the first case against a live target, one GET per fixture the run's operations
 * need. Only an answer that clearly says "not found" counts: a 404 in the service's error envelope with its
 * not-found code. A target without the GET (405, a 404 without the envelope, a route it does not serve) is not
 * judged here — many emulators lack these requests — and the snapshot warns about it as before.
 *
 * A missing fixture would otherwise turn every case into a violation; it is one line instead: which fixture and
 * how to name an existing one.
 */
import { errorCode, request, URLS } from './requests.js';
import type { Send } from './snapshot.js';
import type { Env } from './types.js';

/** ARM's codes for a resource, its resource group or its subscription that does not exist. */
const ARM_MISSING = ['ResourceNotFound', 'ParentResourceNotFound', 'ResourceGroupNotFound', 'SubscriptionNotFound'];

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
  /** The not-found codes of the service's error envelope. */
  readonly codes: readonly string[];
  message(env: Env, code: string): string;
}

const PROBES: readonly Probe[] = [
  {
    fixture: 'certificate',
    operation: 'UpdateCertificate',
    url: URLS.latestCertificate,
    codes: ['CertificateNotFound'],
    message: (env) =>
      `the fixture certificate ${env.fixtures.certificate.name} does not exist in the vault (404 CertificateNotFound): name an existing one with --certificate-name and --certificate-version (config fixtures.certificate {name, version}), or let the kit bring its own with --provision (config "provision": true)`,
  },
  {
    fixture: 'vault',
    operation: 'Vaults_UpdateAccessPolicy',
    url: URLS.vault,
    codes: ARM_MISSING,
    message: (env, code) =>
      `the fixture vault ${env.fixtures.vault.name} (resource group ${env.fixtures.vault.resourceGroup}, subscription ${env.fixtures.subscriptionId}) does not exist (404 ${code}): name an existing one with --vault-name, --vault-resource-group and --subscription (config fixtures.vault {name, resourceGroup}, fixtures.subscriptionId)`,
  },
  {
    fixture: 'apim',
    operation: 'Certificate_CreateOrUpdate',
    url: URLS.apimCertificates,
    codes: ARM_MISSING,
    message: (env, code) =>
      `the fixture API Management service ${env.fixtures.apiManagement.serviceName} (resource group ${env.fixtures.apiManagement.resourceGroup}, subscription ${env.fixtures.subscriptionId}) does not exist (404 ${code}): name an existing one with --apim-service, --apim-resource-group and --subscription (config fixtures.apiManagement {serviceName, resourceGroup}, fixtures.subscriptionId)`,
  },
];

/** The not-found code of an answer, when it is a 404 in an error envelope with one of `codes`. */
async function notFoundCode(env: Env, send: Send, url: string, codes: readonly string[]): Promise<string | undefined> {
  const r = await send(request(env, 'GET', url));
  const code = r.response?.status === 404 ? errorCode(r.response.body) : undefined;
  return code !== undefined && codes.includes(code) ? code : undefined;
}

/** The fixture certificate's version, when its name exists but that version does not. */
async function missingVersion(env: Env, send: Send): Promise<Missing | undefined> {
  const url = URLS.certificate(env);
  if (!url || !(await notFoundCode(env, send, url, ['CertificateNotFound']))) return undefined;
  const { name, version } = env.fixtures.certificate;
  return {
    fixture: 'certificate-version',
    message: `the fixture certificate ${name} has no version ${version} (404 CertificateNotFound): name an existing version with --certificate-version (config fixtures.certificate.version)`,
  };
}

/** Every fixture of the run's operations that the target clearly says does not exist (in the table's order). */
export async function missingFixtures(env: Env, send: Send): Promise<Missing[]> {
  const found = await Promise.all(
    PROBES.filter((p) => env.ops.has(p.operation)).map(async (p): Promise<Missing | undefined> => {
      const url = p.url(env);
      const code = url ? await notFoundCode(env, send, url, p.codes) : undefined;
      if (code) return { fixture: p.fixture, message: p.message(env, code) };
      return p.fixture === 'certificate' ? missingVersion(env, send) : undefined;
    }),
  );
  return found.filter((m): m is Missing => m !== undefined);
}
