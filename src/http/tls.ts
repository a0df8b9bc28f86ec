/**
 * How the kit trusts an HTTPS target: the system CAs (default), the system CAs plus one PEM file (`--ca`, an
 * emulator's self-signed certificate), or no verification at all (`--insecure`, said in every report).
 */
import tls from 'node:tls';

export interface TlsTrust {
  /** PEM text of extra trusted certificates, added to Node's bundled root CAs. */
  readonly ca?: string;
  /** Where the PEM came from, for messages. */
  readonly caFile?: string;
  /** Verification off: any certificate is accepted. */
  readonly insecure?: boolean;
}

/** The options for tls.connect / undici's `connect`: undefined keeps Node's defaults. */
export function tlsConnectOptions(trust: TlsTrust | undefined): { ca?: string[]; rejectUnauthorized?: boolean } {
  if (trust?.insecure) return { rejectUnauthorized: false };
  if (trust?.ca) return { ca: [...tls.rootCertificates, trust.ca] };
  return {};
}

/** OpenSSL's verification codes that mean "the certificate is not trusted", in words. */
const UNTRUSTED: { readonly [code: string]: string } = {
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'cannot verify the certificate (issuer unknown)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'cannot verify the certificate (issuer unknown)',
  UNABLE_TO_GET_ISSUER_CERT: 'cannot verify the certificate (issuer unknown)',
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: 'the certificate is not yet valid',
  ERR_TLS_CERT_ALTNAME_INVALID: "the certificate does not name the target's host",
  CERT_SIGNATURE_FAILURE: 'bad certificate signature',
};

/** One line for a TLS failure, with the way out; undefined when the error is not about TLS trust. */
export function tlsProblem(err: { code?: string; message?: string }, host: string, trust: TlsTrust | undefined): string | undefined {
  const code = err.code ?? '';
  const what = UNTRUSTED[code];
  if (!what && !/^ERR_SSL_|^ERR_TLS_/.test(code)) return undefined;
  const hint = trust?.ca ? `the CA certificate ${trust.caFile ?? '(--ca)'} does not vouch for it; give the file the target serves, or --insecure` : 'use --ca FILE (the certificate the target serves, PEM) or --insecure';
  return `TLS: ${what ?? err.message ?? code} at ${host} (${code}) — ${hint}`;
}
