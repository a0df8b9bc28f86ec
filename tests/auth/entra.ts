/**
 * A loopback stand-in for Entra ID, over HTTPS (MSAL refuses an http authority) with a self-signed certificate
 * for 127.0.0.1: the OpenID configuration of a tenant and its token endpoint (client credentials), which issues
 * unsigned JWTs whose `aud` is the scope's resource. It records every request, so a test can see what was asked.
 */
import { generateKeyPairSync } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import forge from 'node-forge';

export interface TokenRequest {
  readonly tenant: string;
  readonly clientId: string;
  readonly scope: string;
}

export interface FakeEntra {
  /** `https://127.0.0.1:port`: AZURE_AUTHORITY_HOST. */
  readonly url: string;
  /** PEM of the server's certificate (NODE_EXTRA_CA_CERTS, or tlsOptions.ca). */
  readonly ca: string;
  readonly tokens: TokenRequest[];
  /** Every access token issued (for the redaction test: none may appear in a report). */
  readonly issued: string[];
  /** Every request's method and path, token or not. */
  readonly requests: string[];
  /** While true, the token endpoint refuses the client (its secret expired, until someone rotates it). */
  failing: boolean;
  close(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1 (subjectAltName IP), valid for a day. */
export function selfSigned(): { cert: string; key: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const name = [{ name: 'commonName', value: '127.0.0.1' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: privateKey };
}

const b64url = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');

/** An unsigned JWT, shaped like Entra ID's v1 access tokens (aud = the resource). */
export function jwt(claims: { readonly [k: string]: unknown }): string {
  return `${b64url({ typ: 'JWT', alg: 'RS256', kid: 'fake' })}.${b64url(claims)}.c2lnbmF0dXJl`;
}

export async function startEntra(opts: { readonly expiresInS?: number } = {}): Promise<FakeEntra> {
  const { cert, key } = selfSigned();
  const tokens: TokenRequest[] = [];
  const issued: string[] = [];
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  let base = '';
  let n = 0;
  const server = https.createServer({ cert, key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', base);
      requests.push(`${req.method ?? ''} ${url.pathname}`);
      const send = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(body));
      };
      const oidc = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(url.pathname);
      if (req.method === 'GET' && oidc) {
        const t = `${base}/${oidc[1] ?? ''}`;
        return send(200, {
          token_endpoint: `${t}/oauth2/v2.0/token`,
          authorization_endpoint: `${t}/oauth2/v2.0/authorize`,
          end_session_endpoint: `${t}/oauth2/v2.0/logout`,
          jwks_uri: `${t}/discovery/v2.0/keys`,
          issuer: `${t}/v2.0`,
          token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
          response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
          scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
          tenant_region_scope: null,
        });
      }
      const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
      if (req.method === 'POST' && token) {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const scope = (form.get('scope') ?? '').split(' ').find((s) => s.endsWith('/.default')) ?? '';
        const tenant = token[1] ?? '';
        tokens.push({ tenant, clientId: form.get('client_id') ?? '', scope });
        if (entra.failing) return send(401, { error: 'invalid_client', error_description: 'AADSTS7000222: The provided client secret keys for app are expired.' });
        if (form.get('client_secret') !== 'fake-entra-secret') return send(401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' });
        const now = Math.floor(Date.now() / 1000);
        const expiresIn = opts.expiresInS ?? 3600;
        n++;
        const accessToken = jwt({ aud: scope.replace(/\/\.default$/, ''), iss: `https://sts.windows.net/${tenant}/`, tid: tenant, appid: form.get('client_id'), iat: now, nbf: now, exp: now + expiresIn, n });
        issued.push(accessToken);
        return send(200, { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: accessToken });
      }
      send(404, { error: 'not_found', error_description: `the stand-in for Entra ID has no ${url.pathname}` });
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const entra: FakeEntra = {
    url: base,
    failing: false,
    ca: cert,
    tokens,
    issued,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return entra;
}
