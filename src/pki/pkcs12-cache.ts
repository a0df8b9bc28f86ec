/**
 * openPkcs12 with a small LRU in front: opening a PKCS#12 costs ~20 ms of pure-JS key derivation, and a
 * conformance run uploads the same few certificates over and over. Keyed by a digest of data and password.
 */
import { createHash } from 'node:crypto';
import { openPkcs12 } from './pkcs12.js';

export type Opened = ReturnType<typeof openPkcs12>;

const MAX = 128;
const cache = new Map<string, Opened>();

export function openCached(data: string, password: string): Opened {
  const key = createHash('sha256').update(data).update('\0').update(password).digest('base64');
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const opened = openPkcs12(data, password);
  cache.set(key, opened);
  if (cache.size > MAX) cache.delete(cache.keys().next().value as string);
  return opened;
}
