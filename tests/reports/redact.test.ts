import { describe, expect, it } from 'vitest';
import type { Case } from '../../src/cases/case.js';
import type { Exchange } from '../../src/http/exchange.js';
import { BodyText } from '../../src/http/json-text.js';
import { redactBody } from '../../src/reports/redact.js';
import { redactExchange } from '../../src/reports/redacted-exchange.js';

const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.secret-part';

function exchange(response: Exchange['response']): Exchange {
  const c = {
    id: 'op/knobs/0',
    operation: { plane: 'arm' },
    request: {
      method: 'PUT',
      url: 'https://127.0.0.1:1/subscriptions/s/certificates/c?api-version=2024-05-01',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: { properties: { data: 'MIIKZAIBAzCCCiAG', password: 'Passw0rd!' } },
    },
  } as unknown as Case;
  return { case: c, ...(response ? { response } : {}), ms: 1 };
}

describe('redactExchange: what every report keeps of an exchange', () => {
  it('redacts the token, secret body fields and secret response headers, and the curl holds no secret', () => {
    const ex = exchange({
      status: 200,
      headers: { 'set-cookie': 'session=abc123', etag: '"1"' },
      bodyText: '{}',
      body: { properties: { thumbprint: 'AB', password: 'echoed-secret' } },
    });
    const r = redactExchange(ex);
    const all = JSON.stringify(r) + r.curl;
    for (const secret of [TOKEN, 'Passw0rd!', 'MIIKZAIBAzCCCiAG', 'session=abc123', 'echoed-secret']) expect(all).not.toContain(secret);
    expect(r.request.headers.authorization).toBe('Bearer <redacted>');
    expect(r.response?.headers.etag).toBe('"1"');
    expect(r.response?.body).toEqual({ properties: { thumbprint: 'AB', password: '<redacted> (13 chars)' } });
    expect(r.curl).toMatch(/^curl -sS -i -X PUT 'https:\/\/127\.0\.0\.1:1\/subscriptions\/s\/certificates\/c\?api-version=2024-05-01' -H "authorization: Bearer \$\{AZURE_ARM_ACCESS_TOKEN:-\$AZURE_ACCESS_TOKEN\}"/);
    expect(r.curl).toMatch(/# secret fields were redacted/);
    // Once per exchange: every record of it shares the same redacted view.
    expect(redactExchange(ex)).toBe(r);
  });

  it('keeps a non-JSON body as redacted text, cut to 2,000 characters', () => {
    const text = `{"password": "hunter2", ${'x'.repeat(5_000)}`;
    const r = redactExchange(exchange({ status: 500, headers: {}, bodyText: text, bodyError: 'not JSON' }));
    expect(r.response?.body).toBeUndefined();
    expect(r.response?.bodyText).not.toContain('hunter2');
    // The first 2,000 characters of the text, redacted (a replacement may be a little longer than the secret).
    expect(r.response?.bodyText?.length).toBeLessThan(2_050);
    expect(r.response?.bodyText?.endsWith('x')).toBe(true);
  });

  it('redacts a request body sent as text (the not-JSON probe) as text, in the record and the curl', () => {
    const ex = exchange(undefined);
    const sent = new BodyText('{"properties":{"data":"MIIKZAIBAzCCCiAG","password":"Passw0rd!"}');
    const r = redactExchange({ ...ex, case: { ...ex.case, request: { ...ex.case.request, body: sent } } });
    const all = JSON.stringify(r) + r.curl;
    for (const secret of ['Passw0rd!', 'MIIKZAIBAzCCCiAG']) expect(all).not.toContain(secret);
    expect(r.curl).toContain(`--data-binary '{"properties":{"data":"<redacted>","password":"<redacted>"}'`);
    expect(sent.text).toContain('Passw0rd!');
    const plain = new BodyText('{"contacts":[');
    expect(redactBody(plain)).toBe(plain);
  });
  it('copies a body only when it holds a secret, and never changes the original', () => {
    const plain = { contacts: [{ email: 'a@b.c', name: 'n' }], nested: { list: [1, 2, { deep: true }] } };
    expect(redactBody(plain)).toBe(plain);
    const secret = { properties: { keyVault: { secretIdentifier: 'https://v/secrets/s' }, items: [{ token: 'abc' }] } };
    const r = redactBody(secret);
    expect(r).toEqual({ properties: { keyVault: { secretIdentifier: 'https://v/secrets/s' }, items: [{ token: '<redacted> (3 chars)' }] } });
    expect(secret.properties.items[0]?.token).toBe('abc');
  });

  it('redacts an access token (a JWT) a target echoes: in a body string, a header, non-JSON text', () => {
    const jwt = 'eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJodHRwczovL3ZhdWx0LmF6dXJlLm5ldCJ9.c2ln';
    const r = redactExchange(exchange({ status: 200, headers: { 'x-debug': `got Bearer ${jwt}` }, bodyText: '{}', body: { debug: [`Bearer ${jwt}`], ok: 'eyJ alone is no token' } }));
    expect(JSON.stringify(r)).not.toContain('eyJhdWQi');
    expect(r.response?.headers['x-debug']).toBe('got Bearer <redacted>');
    expect(r.response?.body).toEqual({ debug: ['Bearer <redacted>'], ok: 'eyJ alone is no token' });
    const t = redactExchange(exchange({ status: 500, headers: {}, bodyText: `${'x'.repeat(1_990)} ${jwt}`, bodyError: 'not JSON' }));
    // Redacted before it is cut: no part of the token survives at the 2,000-character edge.
    expect(t.response?.bodyText).not.toContain('eyJ0eXAi');
  });
});
