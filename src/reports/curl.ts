import type { HttpRequest } from '../cases/case.js';
import { jsonText } from '../http/json-text.js';
import { REDACTED } from './redact.js';

const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * A curl command that replays a (redacted) request. The token comes from $AZURE_ACCESS_TOKEN at replay time, so
 * the command itself holds no secret; redacted body fields are flagged so nobody mistakes them for the original.
 */
export function toCurl(req: HttpRequest): string {
  const parts = ['curl', '-sS', '-i', '-X', req.method, sq(req.url)];
  for (const [k, v] of Object.entries(req.headers)) {
    if (k === 'content-length' || k === 'host') continue;
    parts.push('-H', k === 'authorization' && v.includes(REDACTED) ? `"authorization: Bearer $AZURE_ACCESS_TOKEN"` : sq(`${k}: ${v}`));
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
