/**
 * String arbitraries: free text (ASCII mostly, non-ASCII and long sometimes), the formats Azure's specs use,
 * and patterns. Lengths are counted in code points, as AJV's minLength/maxLength count them.
 */
import fc from 'fast-check';
import { UnsatisfiableSchema, type Node } from './schema.js';

/** Fixed seed for every deterministic sample this module takes (feasibility checks, examples). */
export const SEED = 20240515;

export const codePoints = (s: string): number => [...s].length;

const regexCache = new Map<string, RegExp>();
/** AJV compiles `pattern` with the `u` flag and searches (no implicit anchors); so do we. */
export function regexFor(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'u');
    regexCache.set(pattern, re);
  }
  return re;
}

export const lengthOk = (node: Node, s: string): boolean => {
  const n = codePoints(s);
  return (node.minLength === undefined || n >= node.minLength) && (node.maxLength === undefined || n <= node.maxLength);
};
export const patternsOk = (node: Node, s: string): boolean => node.patterns.every((p) => regexFor(p).test(s));

const ASCII = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.';
const asciiChar = fc.constantFrom(...ASCII);
/** Latin accents, Greek, Cyrillic, CJK and emoji (an astral code point: one for AJV, two UTF-16 units). */
const nonAsciiChar = fc
  .oneof(
    fc.integer({ min: 0xc0, max: 0x17f }),
    fc.integer({ min: 0x391, max: 0x3c9 }),
    fc.integer({ min: 0x410, max: 0x44f }),
    fc.integer({ min: 0x4e00, max: 0x9fff }),
    fc.integer({ min: 0x1f600, max: 0x1f64f }),
  )
  .map((cp) => String.fromCodePoint(cp));
const mixedChar = fc.oneof({ weight: 3, arbitrary: asciiChar }, { weight: 1, arbitrary: nonAsciiChar });

/** Long strings stay moderate: long enough to hit naive buffers and column limits, small enough to run fast. */
const LONG = { min: 100, max: 300 };

/** Free text of min..max code points: mostly short ASCII, sometimes non-ASCII, sometimes long. */
export function textArb(min = 0, max?: number): fc.Arbitrary<string> {
  if (max !== undefined && max < min) throw new UnsatisfiableSchema(`a string of ${min}..${max} characters`);
  const bounds = (lo: number, hi: number | undefined): { minLength: number; maxLength?: number } =>
    hi === undefined ? { minLength: lo } : { minLength: lo, maxLength: hi };
  const variants: fc.WeightedArbitrary<string>[] = [
    { weight: 6, arbitrary: fc.string({ unit: asciiChar, ...bounds(min, max), size: 'small' }) },
    { weight: 2, arbitrary: fc.string({ unit: mixedChar, ...bounds(min, max), size: 'small' }) },
  ];
  const longMin = Math.max(min, LONG.min);
  const longMax = Math.min(max ?? LONG.max, Math.max(LONG.max, min));
  if (longMin <= longMax) variants.push({ weight: 1, arbitrary: fc.string({ unit: mixedChar, minLength: longMin, maxLength: longMax }) });
  return fc.oneof(...variants);
}

const bytes = fc.uint8Array({ maxLength: 48 });
const dates = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true });

/** Resource URLs as Azure hands them out: https, a host name, a few plain path segments. */
const pathSegments = fc.array(fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/), { maxLength: 3 });
const url = fc
  .tuple(fc.constantFrom('https', 'http'), fc.domain(), pathSegments)
  .map(([scheme, host, segs]) => `${scheme}://${host}/${segs.map(encodeURIComponent).join('/')}`);

/** Values of the formats AJV (ajv-formats full mode + scripts/generate/formats.js) checks on strings. */
export function formatArb(format: string): fc.Arbitrary<string> | undefined {
  switch (format) {
    case 'uuid':
      return fc.uuid();
    case 'date-time':
      // Whole seconds or milliseconds, always with a zone: AJV's full date-time requires one.
      return fc.tuple(dates, fc.boolean()).map(([d, ms]) => (ms ? d.toISOString() : d.toISOString().replace(/\.\d{3}Z$/, 'Z')));
    case 'date':
      return dates.map((d) => d.toISOString().slice(0, 10));
    case 'time':
      return dates.map((d) => `${d.toISOString().slice(11, 19)}Z`);
    case 'uri':
    case 'url':
      return url;
    case 'uri-reference':
      return fc.oneof(url, pathSegments.map((segs) => `/${segs.join('/')}`));
    case 'email':
      return fc.emailAddress();
    case 'hostname':
      return fc.domain();
    case 'ipv4':
      return fc.ipV4();
    case 'ipv6':
      return fc.ipV6();
    case 'byte':
      return bytes.map((b) => Buffer.from(b).toString('base64'));
    case 'base64url':
      return bytes.map((b) => Buffer.from(b).toString('base64url'));
    case 'duration':
      return fc
        .record({ d: fc.nat({ max: 400 }), h: fc.nat({ max: 23 }), m: fc.nat({ max: 59 }) })
        .map(({ d, h, m }) => (d > 0 ? `P${d}DT${h}H${m}M` : `PT${h}H${m}M`));
    default:
      // password, binary and unknown formats put no check on the characters.
      return undefined;
  }
}

const SIZES = ['small', 'medium', 'large', 'xlarge'] as const;

/**
 * `arb.filter(keep)` only when a fixed-seed sample shows the filter passes often enough; fast-check retries a
 * failing filter forever, so an impossible combination must fail here, loudly, instead.
 */
export function constrained<T>(candidates: readonly (() => fc.Arbitrary<T>)[], keep: (v: T) => boolean, what: string): fc.Arbitrary<T> {
  for (const make of candidates) {
    let arb: fc.Arbitrary<T>;
    let hits = 0;
    try {
      arb = make();
      hits = fc.sample(arb, { numRuns: 100, seed: SEED }).filter(keep).length;
    } catch {
      continue;
    }
    if (hits >= 5) return arb.filter(keep);
  }
  throw new UnsatisfiableSchema(what);
}

/** Strings matching the node's string constraints (lengths, patterns, format); enums are handled by the caller. */
const stringArbs = new Map<string, fc.Arbitrary<string>>();

export function stringArb(node: Node): fc.Arbitrary<string> {
  // Pure in these four constraints; building one costs a feasibility sample, so build each once.
  const key = JSON.stringify([node.format, node.patterns, node.minLength, node.maxLength]);
  let arb = stringArbs.get(key);
  if (!arb) {
    arb = buildStringArb(node);
    stringArbs.set(key, arb);
  }
  return arb;
}

function buildStringArb(node: Node): fc.Arbitrary<string> {
  const fmt = node.format ? formatArb(node.format) : undefined;
  if (!fmt && node.patterns.length === 0) return textArb(node.minLength ?? 0, node.maxLength);
  const keep = (s: string): boolean => lengthOk(node, s) && patternsOk(node, s);
  const what = `a string with ${JSON.stringify({ format: node.format, patterns: node.patterns, minLength: node.minLength, maxLength: node.maxLength })}`;
  if (fmt && node.patterns.length === 0 && node.minLength === undefined && node.maxLength === undefined) return fmt;
  if (fmt) return constrained([() => fmt], keep, what);
  const [first = ''] = node.patterns;
  // A pattern's own quantifiers decide the length; try growing sizes until lengths match often enough.
  const max = node.maxLength === undefined ? {} : { maxLength: node.maxLength };
  return constrained(
    SIZES.map((size) => () => fc.stringMatching(regexFor(first), { size, ...max })),
    keep,
    what,
  );
}

/**
 * A deterministic string of exactly `len` code points that still meets the node's patterns and format, found by
 * sampling with a fixed seed; undefined when none turned up.
 */
export function stringOfLength(node: Node, len: number): string | undefined {
  const fmt = node.format ? formatArb(node.format) : undefined;
  if (!fmt && node.patterns.length === 0) return fill(len);
  const keep = (s: string): boolean => codePoints(s) === len && patternsOk(node, s);
  const sources: fc.Arbitrary<string>[] = fmt
    ? [fmt]
    : SIZES.map((size) => fc.stringMatching(regexFor(node.patterns[0] ?? ''), { size, maxLength: len }));
  for (const arb of sources) {
    try {
      const hit = fc.sample(arb, { numRuns: 300, seed: SEED }).find(keep);
      if (hit !== undefined) return hit;
    } catch {
      // stringMatching throws when its maxLength cannot fit the pattern: try the next size.
    }
  }
  return undefined;
}

/** Readable filler of exactly `len` code points. */
export function fill(len: number, alphabet = 'abcdefghijklmnopqrstuvwxyz'): string {
  const chars = [...alphabet];
  return Array.from({ length: len }, (_, i) => chars[i % chars.length]).join('');
}

/**
 * A string breaking the node's patterns while keeping its length bounds, or undefined when every candidate
 * matches (a pattern like `.*` cannot be broken).
 */
export function nonMatching(node: Node, near?: string): string | undefined {
  if (node.patterns.length === 0) return undefined;
  const lo = node.minLength ?? 0;
  const hi = node.maxLength ?? Math.max(lo, 8);
  const base = near ?? '';
  const fits = (s: string): boolean => {
    const n = codePoints(s);
    return n >= lo && n <= hi && !patternsOk(node, s);
  };
  // The candidates in order, each tried as it is made: this runs for every generated value with a pattern, and the
  // first candidate usually fits, so building all ~70 first was most of the cost.
  const tail = base.length > 0 ? [...base].slice(1).join('') : '';
  const head = base.length > 0 ? [...base].slice(0, -1).join('') : '';
  for (const c of NEAR_SEEDS) {
    for (const s of base.length > 0 ? [c.repeat(Math.max(lo, 1)), `${base}${c}`, `${c}${base}`, `${c}${tail}`, `${head}${c}`] : [c.repeat(Math.max(lo, 1)), `${base}${c}`, `${c}${base}`]) {
      if (fits(s)) return s;
    }
  }
  return ['', fill(hi), fill(lo)].find(fits);
}

const NEAR_SEEDS = ['!', ' ', '#', '*', '%', '\u00e9', '-', '.', '0', 'A', 'a', '~', '\u{1F600}', '\n'];
