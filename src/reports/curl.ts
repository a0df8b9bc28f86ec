import type { HttpRequest } from '../cases/case.js';
import { jsonText } from '../http/json-text.js';
import type { Plane } from '../model/spec-model.js';
import { REDACTED } from './redact.js';

const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The shell text of a plane's token at replay time: the plane's own variable, else the one for both planes, as
 * `azconform run` reads them (src/cli/auth-options.ts). The command itself never holds a token.
 */
const TOKEN_VAR: { readonly [p in Plane]: string } = {
  data: '${AZURE_VAULT_ACCESS_TOKEN:-$AZURE_ACCESS_TOKEN}',
  arm: '${AZURE_ARM_ACCESS_TOKEN:-$AZURE_ACCESS_TOKEN}',
};

/**
 * A curl command that replays a (redacted) request, with the token of its plane from the environment;
 * redacted body fields are flagged so nobody mistakes them for the original.
 */
export function toCurl(req: HttpRequest, plane: Plane): string {
  const parts = ['curl', '-sS', '-i', '-X', req.method, sq(req.url)];
  for (const [k, v] of Object.entries(req.headers)) {
    if (k === 'content-length' || k === 'host') continue;
    parts.push('-H', k === 'authorization' && v.includes(REDACTED) ? `"authorization: Bearer ${TOKEN_VAR[plane]}"` : sq(`${k}: ${v}`));
  }
  // The redacted body is the sent one itself when it held no secret: its text is then already known.
  const body = req.body === undefined ? undefined : jsonText(req.body);
  if (body !== undefined) {
    if (!req.headers['content-type']) parts.push('-H', sq('content-type: application/json'));
    parts.push('--data-binary', sq(body));
  }
  const cmd = parts.join(' ');
  return body?.includes(REDACTED)
    ? `${cmd}  # secret fields were redacted: re-run azconform with the same --seed to regenerate them`
    : cmd;
}
