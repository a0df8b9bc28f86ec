/**
 * Is a target live? A run writes real state (contacts, certificates, access policies), so one that points at
 * anything but the user's own machine or private network must be asked for on purpose (`--allow-live`).
 *
 * Loopback, RFC 1918, link-local, fc00::/7 addresses and `localhost` are not live. Names under Azure's public
 * (and sovereign) service domains are live without a DNS lookup — the guard must decide before a single packet
 * leaves. Any other name is live unless every address it resolves to is loopback or private (a Docker Compose
 * service name, a host in the office network).
 */
import dns from 'node:dns';
import net from 'node:net';

/** IPv4 ranges that are not the internet: [network, prefix length]. */
const PRIVATE_V4: readonly (readonly [network: number, bits: number])[] = [
  [0x00000000, 8], // 0.0.0.0/8 "this host" (connecting to 0.0.0.0 reaches the local machine)
  [0x7f000000, 8], // 127.0.0.0/8 loopback
  [0x0a000000, 8], // 10.0.0.0/8 (RFC 1918)
  [0xac100000, 12], // 172.16.0.0/12 (RFC 1918)
  [0xc0a80000, 16], // 192.168.0.0/16 (RFC 1918)
  [0xa9fe0000, 16], // 169.254.0.0/16 link-local
];

/** Azure's service domains (public, China, US Government): always live, never resolved. */
const AZURE_DOMAINS = /(^|\.)(azure\.net|azure\.com|windows\.net|azure\.cn|chinacloudapi\.cn|usgovcloudapi\.net|microsoftazure\.de|azure\.us)$/i;

function v4(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0) >>> 0;
}

/** Is an IP literal loopback, private or link-local? */
export function isPrivateAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, '').toLowerCase();
  if (net.isIPv4(bare)) {
    const n = v4(bare);
    return PRIVATE_V4.some(([network, bits]) => (n & (bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0)) >>> 0 === network);
  }
  if (!net.isIPv6(bare)) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (mapped?.[1]) return isPrivateAddress(mapped[1]);
  if (bare === '::1' || bare === '::') return true;
  // fc00::/7 (unique local) and fe80::/10 (link-local): the first 16 bits.
  const first = parseInt(bare.split(':')[0] || '0', 16);
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80;
}

/** Every address a name resolves to (injectable: tests stub it, so no lookup leaves the machine). */
export type Resolver = (host: string) => Promise<readonly string[]>;

export const systemResolver: Resolver = async (host) => (await dns.promises.lookup(host, { all: true })).map((a) => a.address);

/**
 * Why a URL's host is live (a sentence for the error), or undefined when it is loopback or private. A name that
 * does not resolve is not live: the run will stop at the reachability check with its own clear line.
 */
export async function whyLive(url: string, resolve: Resolver = systemResolver): Promise<string | undefined> {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
  if (net.isIP(host)) return isPrivateAddress(host) ? undefined : `${host} is a public address`;
  if (/^localhost$|\.localhost$/i.test(host)) return undefined;
  if (AZURE_DOMAINS.test(host)) return `${host} is an Azure service`;
  let addresses: readonly string[];
  try {
    addresses = await resolve(host);
  } catch {
    return undefined;
  }
  const open = addresses.find((a) => !isPrivateAddress(a));
  return open === undefined ? undefined : `${host} resolves to a public address (${open})`;
}
