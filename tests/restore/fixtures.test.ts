/**
 * Which answers say a fixture does not exist: only a 404 in the service's error envelope with its not-found code.
 * A target without the GET (405, a 404 without the envelope, the emulator's own "no route" 404, a refused
 * connection) is not judged, so the run goes on as before and the snapshot warns.
 */
import { fixedTokens } from '../../src/auth/tokens.js';
import { describe, expect, it } from 'vitest';
import type { HttpRequest } from '../../src/cases/case.js';
import type { SendResult } from '../../src/http/client.js';
import { parseBody } from '../../src/http/exchange.js';
import { loadOperations, selectOperations } from '../../src/model/registry.js';
import { missingFixtures } from '../../src/restore/fixtures.js';
import type { Env } from '../../src/restore/types.js';
import { DEFAULT_FIXTURES } from '../../src/targets/fixtures.js';

const ops = selectOperations(loadOperations(), {}).selected;
const env: Env = { token: fixedTokens('tok'), fixtures: DEFAULT_FIXTURES, ops: new Map(ops.map((o) => [o.id, { operation: o, baseUrl: o.plane === 'data' ? 'https://kv.test' : 'https://arm.test' }])) };

const answer = (status: number, bodyText: string): SendResult => ({ response: { status, headers: {}, bodyText, ...parseBody(bodyText) }, ms: 1 });
const envelope = (code: string): string => JSON.stringify({ error: { code, message: `${code} here` } });
const OK = answer(200, '{"id":"x","value":[],"properties":{"accessPolicies":[]}}');

/** A target answering by path: the latest certificate, the certificate's version, the vault, the APIM list. */
function target(by: { latest?: SendResult; version?: SendResult; vault?: SendResult; apim?: SendResult }): (req: HttpRequest) => Promise<SendResult> {
  return (req) => {
    const p = new URL(req.url).pathname;
    const r = /\/certificates\/[^/]+\/$/.test(p) ? by.latest : /\/certificates\/[^/]+\/[^/]+$/.test(p) ? by.version : /\/vaults\/[^/]+$/.test(p) ? by.vault : /\/certificates$/.test(p) ? by.apim : undefined;
    return Promise.resolve(r ?? OK);
  };
}

describe('missingFixtures', () => {
  it('a 404 with the service not-found code is a missing fixture, named with the flags that name another', async () => {
    const m = await missingFixtures(env, target({ latest: answer(404, envelope('CertificateNotFound')), vault: answer(404, envelope('ResourceNotFound')), apim: answer(404, envelope('ResourceGroupNotFound')) }));
    expect(m.map((x) => x.fixture)).toEqual(['certificate', 'vault', 'apim']);
    expect(m[0]?.message).toMatch(/fixture certificate updateCert01 does not exist .*--certificate-name.*--provision/);
    expect(m[1]?.message).toMatch(/fixture vault sample-vault .*404 ResourceNotFound.*--vault-name/);
    expect(m[2]?.message).toMatch(/API Management service apimService1 .*404 ResourceGroupNotFound.*--apim-service/);
  });

  it('an existing certificate without the fixture version is its own line (never provisioned)', async () => {
    const m = await missingFixtures(env, target({ version: answer(404, envelope('CertificateNotFound')) }));
    expect(m).toEqual([{ fixture: 'certificate-version', message: expect.stringMatching(/has no version c3d31d7b36c942ad83ef36fc0785a4fc .*--certificate-version/) as unknown }]);
  });

  it('a target lacking the GET is not judged: 405, a 404 without the envelope, a "no route" 404, no answer', async () => {
    const unserved: SendResult[] = [
      answer(405, envelope('MethodNotAllowed')),
      answer(404, 'Not Found'),
      answer(404, envelope('NotFound')),
      answer(404, envelope('InvalidResourceType')),
      { transportError: { kind: 'refused', message: 'ECONNREFUSED' }, ms: 0 },
    ];
    for (const r of unserved) expect(await missingFixtures(env, target({ latest: r, version: r, vault: r, apim: r }))).toEqual([]);
  });

  it('only the fixtures of the selected operations are read', async () => {
    const contactsOnly: Env = { ...env, ops: new Map([...env.ops].filter(([id]) => id === 'SetCertificateContacts')) };
    const seen: string[] = [];
    const m = await missingFixtures(contactsOnly, (req) => {
      seen.push(req.url);
      return Promise.resolve(answer(404, envelope('ResourceNotFound')));
    });
    expect(m).toEqual([]);
    expect(seen).toEqual([]);
  });
});
