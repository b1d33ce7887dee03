// Sizes and costs as cel-go's checker counts them: ranges of uint64 values that saturate at
// 2^64-1 (so bigint throughout), and its cost constants (cel-go common/cost.go).

export const MAX_U64 = (1n << 64n) - 1n;
const TWO_TO_64 = 2 ** 64;

/** A range of sizes (string length in characters, bytes, list items or map entries). */
export interface Size {
  readonly min: bigint;
  readonly max: bigint;
}
/** A range of costs. */
export type Cost = Size;

export const UNKNOWN_SIZE: Size = { min: 0n, max: MAX_U64 };
export const fixed = (n: bigint): Size => ({ min: n, max: n });
export const ZERO = fixed(0n);
export const ONE = fixed(1n);

export function addU64(a: bigint, b: bigint): bigint {
  const s = a + b;
  return s > MAX_U64 ? MAX_U64 : s;
}
export function mulU64(a: bigint, b: bigint): bigint {
  const p = a * b;
  return p > MAX_U64 ? MAX_U64 : p;
}
/** `x * factor` rounded up, through float64 as cel-go does. */
export function mulFactor(x: bigint, factor: number): bigint {
  const xf = Number(x);
  if (xf > 0 && factor > 0 && xf > TWO_TO_64 / factor) return MAX_U64;
  const ceil = Math.ceil(xf * factor);
  return ceil >= TWO_TO_64 ? MAX_U64 : BigInt(ceil);
}
export const add = (a: Size, b: Size): Size => ({ min: addU64(a.min, b.min), max: addU64(a.max, b.max) });
export const mul = (a: Size, b: Size): Size => ({ min: mulU64(a.min, b.min), max: mulU64(a.max, b.max) });
export const byFactor = (a: Size, f: number): Size => ({
  min: mulFactor(a.min, f),
  max: mulFactor(a.max, f),
});
/** The smaller of two bigints (Math.min takes numbers only). */
export function lesser(a: bigint, b: bigint): bigint {
  if (b < a) return b;
  return a;
}
function greater(a: bigint, b: bigint): bigint {
  if (b > a) return b;
  return a;
}
export const union = (a: Size, b: Size): Size => ({ min: lesser(a.min, b.min), max: greater(a.max, b.max) });
export const sum = (costs: readonly Cost[]): Cost => costs.reduce(add, ZERO);

/** cel-go's cost constants (common/cost.go). */
export const STRING_TRAVERSAL = 0.1;
export const REGEX_LENGTH = 0.25;
export const LIST_CREATE = 10n;
export const MAP_CREATE = 30n;
