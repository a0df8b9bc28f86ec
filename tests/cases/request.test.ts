import { describe, expect, it } from 'vitest';
import { buildRequest } from '../../src/cases/request.js';
import { loadOperations } from '../../src/model/registry.js';

/** The URL as the WHATWG URL API writes it: the reference buildRequest must match. */
function reference(base: string, path: string, apiVersion: string | null): string {
  const u = new URL(`${base.replace(/\/+$/, '')}${path}`);
  if (apiVersion !== null) u.searchParams.set('api-version', apiVersion);
  return u.toString();
}

describe('buildRequest', () => {
  const op = loadOperations().find((o) => o.id === 'UpdateCertificate' && o.apiVersion === '7.4');
  if (!op) throw new Error('no UpdateCertificate@7.4');

  it('writes the URL exactly as the URL API would, for plain and odd api-versions and path values', () => {
    for (const apiVersion of [undefined, null, '7.4', '', 'a b', '7.4&x=1', 'ü', "!'()~*", '+', 'x#y']) {
      for (const name of ['cert-1', '..', '.', 'a b', 'ä/ö', '%2e', 'x?y#z']) {
        const pathParams = { 'certificate-name': name, 'certificate-version': 'v1' };
        const r = buildRequest(op, 'https://contoso.vault.azure.net/', 'tok', { pathParams, ...(apiVersion === undefined ? {} : { apiVersion }) });
        const path = op.model.path.replace(/\{([^}]+)\}/g, (_m, p: string) => encodeURIComponent(pathParams[p as keyof typeof pathParams] ?? ''));
        expect(r.url, `${String(apiVersion)} ${name}`).toBe(reference('https://contoso.vault.azure.net/', path, apiVersion === undefined ? '7.4' : apiVersion));
      }
    }
  });

  it('sends the token, accept and given headers (lower-cased), and the body as given', () => {
    const body = { attributes: { enabled: true } };
    const r = buildRequest(op, 'http://127.0.0.1:1', 'tok', { pathParams: { 'certificate-name': 'c', 'certificate-version': 'v' }, headers: { 'If-Match': '*' }, body });
    expect(r).toEqual({ method: 'PATCH', url: 'http://127.0.0.1:1/certificates/c/v?api-version=7.4', headers: { accept: 'application/json', authorization: 'Bearer tok', 'if-match': '*' }, body });
    expect(buildRequest(op, 'http://127.0.0.1:1', 'tok', { pathParams: {}, anonymous: true }).headers.authorization).toBeUndefined();
  });

  it('writes api%2Dversion as given (not encoded twice), which the URL API reads as api-version', () => {
    for (const apiVersion of ['7.4', 'a b', 'ü']) {
      const r = buildRequest(op, 'http://127.0.0.1:1', 'tok', { pathParams: { 'certificate-name': 'c', 'certificate-version': 'v' }, apiVersion, apiVersionKey: 'api%2Dversion' });
      expect(r.url).toMatch(/\?api%2Dversion=[^&]+$/);
      expect(new URL(r.url).searchParams.get('api-version')).toBe(apiVersion);
    }
  });
});
