/**
 * Numeric bounds as the validator enforces them (minimum, maximum, exclusive*, the int32 format range) and
 * the realistic ranges generation prefers inside them (unixtime: this century in seconds).
 */
import fc from 'fast-check';
import { UnsatisfiableSchema, type Node } from './schema.js';
import { constrained } from './strings.js';

export const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 } as const;
/** unixtime values are seconds since 1970; 2000-01-01 .. 2100-01-01 looks like a real certificate date. */
export const UNIXTIME = { min: 946_684_800, max: 4_102_444_800 } as const;

/** Formats that only integers satisfy (AJV's int32/int64 and our unixtime check Number.isInteger). */
export const integerFormat = (node: Node): boolean => node.format === 'int32' || node.format === 'int64' || node.format === 'unixtime';

/** Inclusive integer bounds the validator enforces (schema keywords plus the int32 range). */
export function enforcedIntBounds(node: Node): { min?: number; max?: number } {
  const lows: number[] = [];
  const highs: number[] = [];
  if (node.minimum !== undefined) lows.push(Math.ceil(node.minimum));
  if (node.exclusiveMinimum !== undefined) lows.push(Math.floor(node.exclusiveMinimum) + 1);
  if (node.maximum !== undefined) highs.push(Math.floor(node.maximum));
  if (node.exclusiveMaximum !== undefined) highs.push(Math.ceil(node.exclusiveMaximum) - 1);
  if (node.format === 'int32') {
    lows.push(INT32.min);
    highs.push(INT32.max);
  }
  const out: { min?: number; max?: number } = {};
  if (lows.length > 0) out.min = Math.max(...lows);
  if (highs.length > 0) out.max = Math.min(...highs);
  return out;
}

/** Integer range to generate from: the enforced bounds, narrowed to a realistic range when that still fits. */
export function generationIntRange(node: Node): { min: number; max: number } {
  const enforced = enforcedIntBounds(node);
  const min = enforced.min ?? Number.MIN_SAFE_INTEGER;
  const max = enforced.max ?? Number.MAX_SAFE_INTEGER;
  if (min > max) throw new UnsatisfiableSchema(`an integer in [${min}, ${max}]`);
  const realistic = node.format === 'unixtime' ? UNIXTIME : node.format === 'int64' ? { min, max } : INT32;
  const lo = Math.max(min, realistic.min);
  const hi = Math.min(max, realistic.max);
  return lo <= hi ? { min: lo, max: hi } : { min, max };
}

/** Integers within the bounds, respecting multipleOf. */
export function integerArb(node: Node): fc.Arbitrary<number> {
  const { min, max } = generationIntRange(node);
  const m = node.multipleOf;
  if (m === undefined || m <= 0) return fc.integer({ min, max });
  const lo = Math.ceil(min / m);
  const hi = Math.floor(max / m);
  if (lo > hi) throw new UnsatisfiableSchema(`a multiple of ${m} in [${min}, ${max}]`);
  const k = fc.integer({ min: Math.max(lo, Number.MIN_SAFE_INTEGER), max: Math.min(hi, Number.MAX_SAFE_INTEGER) });
  return constrained([() => k.map((x) => x * m)], (v) => Number.isInteger(v) && (v / m) % 1 === 0, `an integer multiple of ${m}`);
}

/** Numbers (doubles) within the bounds; some integers too, since clients send `5` as often as `5.5`. */
export function numberArb(node: Node): fc.Arbitrary<number> {
  if (integerFormat(node) || (node.multipleOf !== undefined && Number.isInteger(node.multipleOf))) return integerArb(node);
  const c: fc.DoubleConstraints = { noNaN: true, noDefaultInfinity: true };
  const lo = Math.max(node.minimum ?? -Infinity, node.exclusiveMinimum ?? -Infinity);
  const hi = Math.min(node.maximum ?? Infinity, node.exclusiveMaximum ?? Infinity);
  if (lo > -Infinity) c.min = lo;
  if (hi < Infinity) c.max = hi;
  if (node.exclusiveMinimum !== undefined && lo === node.exclusiveMinimum) c.minExcluded = true;
  if (node.exclusiveMaximum !== undefined && hi === node.exclusiveMaximum) c.maxExcluded = true;
  if (lo > hi || (lo === hi && (c.minExcluded || c.maxExcluded))) throw new UnsatisfiableSchema(`a number in [${lo}, ${hi}]`);
  const inRange = (v: number): boolean =>
    (c.minExcluded ? v > lo : v >= lo) && (c.maxExcluded ? v < hi : v <= hi);
  const doubles = fc.double(c);
  const m = node.multipleOf;
  if (m !== undefined && m > 0) {
    // AJV checks (v / m) % 1 === 0 in floating point: keep only the multiples it agrees with.
    const kLo = Math.max(Math.ceil(lo / m), -1e9);
    const kHi = Math.min(Math.floor(hi / m), 1e9);
    if (kLo > kHi) throw new UnsatisfiableSchema(`a multiple of ${m} in [${lo}, ${hi}]`);
    const k = fc.integer({ min: kLo, max: kHi });
    return constrained([() => k.map((x) => x * m)], (v) => inRange(v) && (v / m) % 1 === 0, `a multiple of ${m}`);
  }
  const intLo = Math.max(c.minExcluded ? Math.floor(lo) + 1 : Math.ceil(lo), -1e9);
  const intHi = Math.min(c.maxExcluded ? Math.ceil(hi) - 1 : Math.floor(hi), 1e9);
  return intLo <= intHi ? fc.oneof(doubles, fc.integer({ min: intLo, max: intHi })) : doubles;
}
