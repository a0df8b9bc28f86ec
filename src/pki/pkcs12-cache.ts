/**
 * openPkcs12 with a small LRU in front: opening a PKCS#12 costs ~20 ms of pure-JS key derivation, and a
 * conformance run uploads the same few certificates over and over. Keyed by password and data themselves: the
 * same string objects come back each time, and V8 hashes a string once (a digest cost ~10 µs on every call).
 */
import { openPkcs12 } from './pkcs12.js';

export type Opened = ReturnType<typeof openPkcs12>;

const MAX = 128;
const MAX_PASSWORDS = 8;
/** data → password → result; the outer map's insertion order is the least-recently-used order. */
const cache = new Map<string, Map<string, Opened>>();

export function openCached(data: string, password: string): Opened {
  let byPassword = cache.get(data);
  const hit = byPassword?.get(password);
  if (byPassword) {
    cache.delete(data);
    cache.set(data, byPassword);
  }
  if (hit) return hit;
  const opened = openPkcs12(data, password);
  if (!byPassword) cache.set(data, (byPassword = new Map()));
  byPassword.set(password, opened);
  // Wrong passwords tried against one certificate are bounded too.
  if (byPassword.size > MAX_PASSWORDS) byPassword.delete(byPassword.keys().next().value as string);
  if (cache.size > MAX) cache.delete(cache.keys().next().value as string);
  return opened;
}
