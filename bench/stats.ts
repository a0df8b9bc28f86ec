/**
 * Pure helpers of the bench: summary statistics of a few samples, and the formatting of figures and tables.
 * No I/O here, so tests/bench can check them directly.
 */

/** Median, min and max of a set of samples (plus the samples themselves, rounded, for the record). */
export interface Stat {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
  readonly samples: readonly number[];
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of no samples');
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function min(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('min of no samples');
  return xs.reduce((a, b) => (b < a ? b : a));
}

export function max(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('max of no samples');
  return xs.reduce((a, b) => (b > a ? b : a));
}

/** Round to `digits` significant digits (JSON stays readable; nothing is lost at bench precision). */
export function round(x: number, digits = 4): number {
  if (!Number.isFinite(x) || x === 0) return x;
  return Number(x.toPrecision(digits));
}

export function summarize(xs: readonly number[]): Stat {
  return { median: round(median(xs)), min: round(min(xs)), max: round(max(xs)), n: xs.length, samples: xs.map((x) => round(x)) };
}

/** A rate from a count and a duration in ms; 0 when nothing was timed. */
export function perSecond(count: number, ms: number): number {
  return ms > 0 ? (count * 1000) / ms : 0;
}

/** Human figures: 1,234,567 · 12,345 · 123.4 · 1.23 · 0.0123 · integers as integers. */
export function fmt(x: number | undefined | null): string {
  if (x === undefined || x === null || Number.isNaN(x)) return '–';
  const a = Math.abs(x);
  if (a >= 1000 || Number.isInteger(x)) return Math.round(x).toLocaleString('en-US');
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return String(Number(x.toPrecision(3)));
}

export function fmtPct(ratio: number | undefined | null): string {
  if (ratio === undefined || ratio === null || Number.isNaN(ratio)) return '–';
  return `${(ratio * 100).toFixed(0)}%`;
}

/** `median (min–max)` of a Stat, optionally scaled (e.g. bytes → MB). */
export function fmtStat(s: Stat | undefined, scale = 1): string {
  if (!s) return '–';
  return `${fmt(s.median * scale)} (${fmt(s.min * scale)}–${fmt(s.max * scale)})`;
}

export type Align = 'left' | 'right';

/**
 * A GitHub-flavoured Markdown table with padded columns (readable as plain text on a terminal too).
 * Numbers are right-aligned by default, text left-aligned; `|` inside a cell is escaped.
 */
export function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[], align?: readonly Align[]): string {
  const cells = rows.map((r) => headers.map((_, i) => cellText(r[i])));
  const al: Align[] = headers.map((_, i) => align?.[i] ?? (rows.length > 0 && rows.every((r) => typeof r[i] === 'number') ? 'right' : 'left'));
  const width = headers.map((h, i) => Math.max(3, h.length, ...cells.map((r) => (r[i] as string).length)));
  const pad = (s: string, i: number): string => ((al[i] as Align) === 'right' ? s.padStart(width[i] as number) : s.padEnd(width[i] as number));
  const line = (r: readonly string[]): string => `| ${r.map((c, i) => pad(c, i)).join(' | ')} |`;
  const rule = `| ${width.map((w, i) => ((al[i] as Align) === 'right' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(headers.map((h) => h)), rule, ...cells.map(line)].join('\n');
}

function cellText(v: string | number | undefined): string {
  if (v === undefined) return '';
  const s = typeof v === 'number' ? fmt(v) : v;
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
