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
function target(by: { latest?: SendResult; version?: SendResult; policy?: SendResult; vault?: SendResult; apim?: SendResult }): (req: HttpRequest) => Promise<SendResult> {
  return (req) => {
    const p = new URL(req.url).pathname;
    const r = /\/certificates\/[^/]+\/$/.test(p) ? by.latest : /\/certificates\/[^/]+\/policy$/.test(p) ? (by.policy ?? by.version) : /\/certificates\/[^/]+\/[^/]+$/.test(p) ? by.version : /\/vaults\/[^/]+$/.test(p) ? by.vault : /\/certificates$/.test(p) ? by.apim : undefined;
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

  // lowkey-vault (nagyesta/lowkey-vault ErrorMessage.fromException) writes the exception's class as the code, and
  // Spring routes no empty path segment, so its GET …/{name}/ is a router's 404. The reference leaves Error.code a
  // free string: before, neither answer counted, --provision imported nothing and every positive case was a 404.
  const LOWKEY = 'com.github.nagyesta.lowkeyvault.service.exception.NotFoundException';
  const SPRING_404 = answer(404, JSON.stringify({ timestamp: '2026-01-01T00:00:00.000+00:00', status: 404, error: 'Not Found', path: '/certificates/updateCert01/' }));

  it("a not-found code of the target's own (an exception's class, as lowkey-vault writes it) is a missing certificate", async () => {
    const m = await missingFixtures(env, target({ latest: answer(404, envelope(LOWKEY)) }));
    expect(m).toEqual([{ fixture: 'certificate', message: expect.stringContaining(`does not exist in the vault (404 ${LOWKEY})`) as unknown }]);
  });

  it('when …/{name}/ finds no route, the policy tells whether the name exists', async () => {
    const gone = await missingFixtures(env, target({ latest: SPRING_404, policy: answer(404, envelope(LOWKEY)), version: answer(404, envelope(LOWKEY)) }));
    expect(gone.map((x) => x.fixture)).toEqual(['certificate']);
    const noVersion = await missingFixtures(env, target({ latest: SPRING_404, policy: OK, version: answer(404, envelope(LOWKEY)) }));
    expect(noVersion.map((x) => x.fixture)).toEqual(['certificate-version']);
    expect(noVersion[0]?.message).toContain(`has no version c3d31d7b36c942ad83ef36fc0785a4fc (404 ${LOWKEY})`);
    expect(await missingFixtures(env, target({ latest: SPRING_404, policy: OK, version: OK }))).toEqual([]);
  });

  it('a bare NotFound or another exception class says nothing about the certificate', async () => {
    for (const code of ['NotFound', 'com.example.VaultNotFoundException', 'NotFoundExceptionHandler']) {
      expect(await missingFixtures(env, target({ latest: answer(404, envelope(code)), policy: answer(404, envelope(code)), version: answer(404, envelope(code)) }))).toEqual([]);
    }
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
