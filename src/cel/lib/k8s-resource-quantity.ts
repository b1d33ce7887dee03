// Kubernetes `resource.Quantity` (k8s.io/apimachinery/pkg/api/resource) as plain data: parsing,
// exact arithmetic and canonical formatting, with BigInt for every amount.
//
// A Go Quantity keeps its amount in one of two forms, and the form is observable through CEL:
// `asInteger()`/`isInteger()` succeed only for the int64 form (`quantity("1.5Gi").isInteger()` and
// `quantity("1.0").isInteger()` are false in Kubernetes). So the model keeps the same two forms
// and follows the same rules for when a value leaves the int64 form.

export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

/** value * 10^scale, with value inside int64 (Go's `int64Amount`). */
export interface Int64Amount {
  readonly kind: 'int';
  readonly value: bigint;
  readonly scale: number;
}

/** unscaled * 10^-scale (Go's `inf.Dec`: its scale counts digits after the point). */
export interface DecAmount {
  readonly kind: 'dec';
  readonly unscaled: bigint;
  readonly scale: number;
}

export type QuantityAmount = Int64Amount | DecAmount;

export class Quantity {
  readonly amount: QuantityAmount;
  readonly format: QuantityFormat;
  /** The parsed text, kept when it already was canonical (Go caches it and prints it verbatim). */
  readonly cachedString: string | undefined;

  constructor(amount: QuantityAmount, format: QuantityFormat, cachedString?: string) {
    this.amount = amount;
    this.format = format;
    this.cachedString = cachedString;
  }

  /** The CEL type name, for messages that name a value's type. */
  get [Symbol.toStringTag](): string {
    return 'kubernetes.Quantity';
  }

  /** Equal values, whatever their form or format (Go's `Quantity.Equal`). */
  equals(other: Quantity): boolean {
    return compareQuantities(this, other) === 0;
  }

  toString(): string {
    return formatQuantity(this);
  }
}

export const QUANTITY_REGEX_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const QUANTITY_NUMERIC_ERROR = 'unable to parse numeric part of quantity';
export const QUANTITY_SUFFIX_ERROR = "unable to parse quantity's suffix";

export class QuantityParseError extends Error {
  override readonly name = 'QuantityParseError';
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const NANO_SCALE = -9;

function fitsInt64(v: bigint): boolean {
  return v >= INT64_MIN && v <= INT64_MAX;
}

function pow10n(n: number): bigint {
  return 10n ** BigInt(n);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

interface ScannedQuantity {
  readonly positive: boolean;
  /** The numeric text as inf.Dec reads it on the slow path (sign and leading zeros kept). */
  readonly value: string;
  readonly num: string;
  readonly denom: string;
  readonly suffix: string;
}

const SUFFIX_CHARS = 'eEinumkKMGTP';

// Splits sign, integer digits (leading zeros dropped), fraction digits and suffix the way
// apimachinery's hand-written scanner does, including its leniencies ("-", ".", "Mi" are zero).
function scanQuantity(str: string): ScannedQuantity {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') {
    pos++;
  }
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };

  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  if (i >= end) return { positive, value: str, num: str.slice(pos), denom: '', suffix: '' };
  let num = str.slice(pos, i);
  pos = i;
  if (num === '') num = '0';

  let denom = '';
  if (str[pos] === '.') {
    pos++;
    let j = pos;
    while (j < end && isDigit(str[j])) j++;
    denom = str.slice(pos, j);
    if (j >= end) return { positive, value: str, num, denom, suffix: '' };
    pos = j;
  }
  const value = str.slice(0, pos);

  const suffixStart = pos;
  let k = pos;
  while (k < end && SUFFIX_CHARS.includes(str[k] as string)) k++;
  if (k >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  if (str[k] === '-' || str[k] === '+') k++;
  while (k < end && isDigit(str[k])) k++;
  if (k < end) throw new QuantityParseError(QUANTITY_REGEX_ERROR);
  return { positive, value, num, denom, suffix: str.slice(suffixStart) };
}

interface SuffixMeaning {
  readonly base: 2 | 10;
  readonly exponent: number;
  readonly format: QuantityFormat;
}

const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIXES: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

const GO_INT64_DIGITS = /^[+-]?[0-9]+$/;

function interpretSuffix(suffix: string): SuffixMeaning | undefined {
  const dec = DECIMAL_SUFFIXES[suffix];
  if (dec !== undefined && Object.hasOwn(DECIMAL_SUFFIXES, suffix))
    return { base: 10, exponent: dec, format: 'DecimalSI' };
  const bin = BINARY_SUFFIXES[suffix];
  if (bin !== undefined && Object.hasOwn(BINARY_SUFFIXES, suffix))
    return { base: 2, exponent: bin, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const digits = suffix.slice(1);
    if (!GO_INT64_DIGITS.test(digits)) return undefined;
    const parsed = BigInt(digits);
    if (!fitsInt64(parsed)) return undefined;
    // Go narrows the parsed int64 exponent to int32.
    return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: 'DecimalExponent' };
  }
  return undefined;
}

// inf.Dec's SetString: optional leading sign, digits with at most one '.', at least one digit.
function decFromString(s: string): DecAmount | undefined {
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?$/.exec(s);
  if (!m) return undefined;
  const intPart = m[2] ?? '';
  const frac = m[3] ?? '';
  if (intPart === '' && frac === '') return undefined;
  const digits = BigInt(intPart + frac || '0');
  return { kind: 'dec', unscaled: m[1] === '-' ? -digits : digits, scale: frac.length };
}

/** Go's `resource.ParseQuantity`; throws QuantityParseError with apimachinery's messages. */
export function parseQuantity(str: string): Quantity {
  if (str.length === 0) throw new QuantityParseError(QUANTITY_REGEX_ERROR);
  if (str === '0') return new Quantity({ kind: 'int', value: 0n, scale: 0 }, 'DecimalSI', '0');

  const { positive, value, num, denom, suffix } = scanQuantity(str);
  const meaning = interpretSuffix(suffix);
  if (!meaning) throw new QuantityParseError(QUANTITY_SUFFIX_ERROR);
  const { base, exponent } = meaning;
  let format = meaning.format;

  let precision: number;
  let scale = 0;
  let mantissa = 1n;
  if (format === 'BinarySI') {
    if (exponent >= 0 && denom.length === 0) {
      mantissa = 1n << BigInt(exponent);
      precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
    } else {
      precision = -1;
    }
  } else {
    scale = exponent;
    precision = 18 - (num.length + denom.length);
  }

  // Fast path: small enough to stay an int64 amount.
  if (precision >= 0) {
    scale -= denom.length;
    if (scale >= NANO_SCALE) {
      const shifted = num + denom;
      const parsed = BigInt(shifted);
      if (!fitsInt64(parsed)) throw new QuantityParseError(QUANTITY_NUMERIC_ERROR);
      let result = parsed * mantissa;
      if (fitsInt64(result)) {
        if (!positive) result = -result;
        const amount: Int64Amount = { kind: 'int', value: result, scale };
        const canonical =
          format === 'BinarySI'
            ? exponent % 10 === 0 && (parsed & 7n) !== 0n
            : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
        return new Quantity(amount, format, canonical ? str : undefined);
      }
    }
  }

  const parsedDec = decFromString(value);
  if (!parsedDec) throw new QuantityParseError(QUANTITY_NUMERIC_ERROR);
  let unscaled = parsedDec.unscaled;
  let decScale = parsedDec.scale;
  if (base === 10) decScale = (decScale - exponent) | 0;
  else unscaled *= 1n << BigInt(exponent);

  const negative = unscaled < 0n;
  if (negative) unscaled = -unscaled;
  // Non-zero amounts are rounded up to whole nanos: asking for any amount gets at least 1n.
  if (unscaled !== 0n) ({ unscaled, scale: decScale } = roundUp(unscaled, decScale, 9));
  if (format === 'BinarySI' && compareDec(unscaled, decScale, INT64_MAX, 0) > 0) {
    unscaled = INT64_MAX;
    decScale = 0;
  }
  if (format === 'BinarySI' && compareDec(unscaled, decScale, 1n, 0) < 0 && unscaled > 0n) {
    format = 'DecimalSI';
  }
  if (negative) unscaled = -unscaled;
  return new Quantity({ kind: 'dec', unscaled, scale: decScale }, format);
}

/** The quantity Go's `resource.NewQuantity(value, format)` makes from an int64. */
export function quantityFromInt64(value: bigint, format: QuantityFormat): Quantity {
  return new Quantity({ kind: 'int', value, scale: 0 }, format);
}

// ---------------------------------------------------------------------------------------------
// Decimal helpers
// ---------------------------------------------------------------------------------------------

// inf.Dec Round(x, s, RoundUp): rescale to exactly `target` digits after the point, rounding
// away from zero when digits are dropped.
function roundUp(unscaled: bigint, scale: number, target: number): { unscaled: bigint; scale: number } {
  if (target >= scale) return { unscaled: unscaled * pow10n(target - scale), scale: target };
  // Dropping more digits than there are leaves only the rounding: no need for a huge divisor.
  if (scale - target > digitCount(unscaled)) {
    return { unscaled: unscaled === 0n ? 0n : unscaled < 0n ? -1n : 1n, scale: target };
  }
  const div = pow10n(scale - target);
  let q = unscaled / div;
  if (unscaled % div !== 0n) q += unscaled < 0n ? -1n : 1n;
  return { unscaled: q, scale: target };
}

function digitCount(v: bigint): number {
  return v === 0n ? 0 : (v < 0n ? -v : v).toString().length;
}

function compareDec(a: bigint, aScale: number, b: bigint, bScale: number): -1 | 0 | 1 {
  const sa = a < 0n ? -1 : a > 0n ? 1 : 0;
  const sb = b < 0n ? -1 : b > 0n ? 1 : 0;
  if (sa !== sb || sa === 0) return sa < sb ? -1 : sa > sb ? 1 : 0;
  // Decide by magnitude first, so exponents like 1e2000000000 never build huge BigInts.
  const magA = digitCount(a) - aScale;
  const magB = digitCount(b) - bScale;
  if (magA !== magB) return (magA > magB ? sa : -sa) as -1 | 1;
  let x = a;
  let y = b;
  if (aScale > bScale) y *= pow10n(aScale - bScale);
  else if (bScale > aScale) x *= pow10n(bScale - aScale);
  return x < y ? -1 : x > y ? 1 : 0;
}

function toDec(a: QuantityAmount): { unscaled: bigint; scale: number } {
  return a.kind === 'dec' ? { unscaled: a.unscaled, scale: a.scale } : { unscaled: a.value, scale: -a.scale };
}

function decAdd(x: QuantityAmount, y: QuantityAmount): DecAmount {
  const a = toDec(x);
  const b = toDec(y);
  const scale = Math.max(a.scale, b.scale);
  const ua = a.unscaled * pow10n(scale - a.scale);
  const ub = b.unscaled * pow10n(scale - b.scale);
  return { kind: 'dec', unscaled: ua + ub, scale };
}

function negate(a: QuantityAmount): QuantityAmount {
  return a.kind === 'dec' ? { ...a, unscaled: -a.unscaled } : { ...a, value: -a.value };
}

// ---------------------------------------------------------------------------------------------
// Queries and arithmetic
// ---------------------------------------------------------------------------------------------

export function isZeroQuantity(q: Quantity): boolean {
  return q.amount.kind === 'dec' ? q.amount.unscaled === 0n : q.amount.value === 0n;
}

export function quantitySign(q: Quantity): -1 | 0 | 1 {
  const v = q.amount.kind === 'dec' ? q.amount.unscaled : q.amount.value;
  return v < 0n ? -1 : v > 0n ? 1 : 0;
}

/** Exact comparison of the two values (Go's `Quantity.Cmp`). */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const x = toDec(a.amount);
  const y = toDec(b.amount);
  return compareDec(x.unscaled, x.scale, y.unscaled, y.scale);
}

/** Go's `Quantity.AsInt64`: only an int64-form amount without a fraction converts. */
export function quantityAsInt64(q: Quantity): bigint | undefined {
  const a = q.amount;
  if (a.kind === 'dec') return undefined;
  if (a.scale === 0) return a.value;
  if (a.scale < 0) return undefined;
  if (a.value === 0n) return 0n;
  if (a.scale > 18) return undefined;
  const v = a.value * pow10n(a.scale);
  return fitsInt64(v) ? v : undefined;
}

// Go's math.Pow10, reproduced table for table so products round exactly as Go's do.
const POW10_SMALL = Array.from({ length: 32 }, (_, i) => Number(`1e${i}`));
const POW10_POS32 = Array.from({ length: 10 }, (_, i) => Number(`1e${i * 32}`));
const POW10_NEG32 = Array.from({ length: 11 }, (_, i) => Number(`1e-${i * 32}`));

function goPow10(n: number): number {
  if (n >= 0 && n <= 308) return (POW10_POS32[n >>> 5] as number) * (POW10_SMALL[n & 31] as number);
  if (n >= -323 && n <= 0) return (POW10_NEG32[-n >>> 5] as number) / (POW10_SMALL[-n & 31] as number);
  return n > 0 ? Number.POSITIVE_INFINITY : 0;
}

/** Go's `Quantity.AsApproximateFloat64`. */
export function quantityAsApproximateFloat64(q: Quantity): number {
  const a = q.amount;
  const base = Number(a.kind === 'dec' ? a.unscaled : a.value);
  const exponent = a.kind === 'dec' ? -a.scale : a.scale;
  if (exponent === 0) return base;
  return base * goPow10(exponent);
}

// int64Amount.Add: succeeds only when every intermediate stays inside int64.
function int64AmountAdd(a: Int64Amount, b: Int64Amount): Int64Amount | undefined {
  if (b.value === 0n) return a;
  if (a.value === 0n) return b;
  if (a.scale === b.scale) {
    const c = a.value + b.value;
    return fitsInt64(c) ? { kind: 'int', value: c, scale: a.scale } : undefined;
  }
  if (a.scale > b.scale) {
    const scaled = a.value * pow10n(a.scale - b.scale);
    if (!fitsInt64(scaled)) return undefined;
    const c = scaled + b.value;
    return fitsInt64(c) ? { kind: 'int', value: c, scale: b.scale } : undefined;
  }
  const scaled = b.value * pow10n(b.scale - a.scale);
  if (!fitsInt64(scaled)) return undefined;
  const c = a.value + scaled;
  return fitsInt64(c) ? { kind: 'int', value: c, scale: a.scale } : undefined;
}

/** Go's `Quantity.Add` on a copy: a zero receiver takes the operand's format. */
export function addQuantities(q: Quantity, y: Quantity): Quantity {
  let format = q.format;
  if (q.amount.kind === 'int' && y.amount.kind === 'int') {
    if (q.amount.value === 0n) format = y.format;
    const sum = int64AmountAdd(q.amount, y.amount);
    if (sum) return new Quantity(sum, format);
  } else if (isZeroQuantity(q)) {
    format = y.format;
  }
  return new Quantity(decAdd(q.amount, y.amount), format);
}

/** Go's `Quantity.Sub` on a copy. */
export function subtractQuantities(q: Quantity, y: Quantity): Quantity {
  const format = isZeroQuantity(q) ? y.format : q.format;
  if (q.amount.kind === 'int' && y.amount.kind === 'int') {
    const negated = -y.amount.value;
    // Go negates in int64 and wraps for the most negative value; we keep the exact value and
    // let it leave the int64 form instead (see docs/kro-differences.md).
    if (fitsInt64(negated)) {
      const diff = int64AmountAdd(q.amount, { kind: 'int', value: negated, scale: y.amount.scale });
      if (diff) return new Quantity(diff, format);
    }
  }
  return new Quantity(decAdd(q.amount, negate(y.amount)), format);
}

// ---------------------------------------------------------------------------------------------
// Canonical formatting
// ---------------------------------------------------------------------------------------------

const DECIMAL_SUFFIX_BY_EXPONENT: ReadonlyMap<number, string> = new Map(
  Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]),
);
const BINARY_SUFFIX_BY_EXPONENT: ReadonlyMap<number, string> = new Map(
  Object.entries(BINARY_SUFFIXES).map(([s, e]) => [e, s]),
);

function removeFactors(value: bigint, factor: bigint): { amount: bigint; times: number } {
  let amount = value;
  let times = 0;
  while (amount !== 0n && amount % factor === 0n) {
    amount /= factor;
    times++;
  }
  return { amount, times };
}

// The value rounded away from zero to an integer, and whether that lost nothing.
function roundedInteger(a: QuantityAmount): { value: bigint; exact: boolean } {
  const { unscaled, scale } = toDec(a);
  if (scale <= 0) return { value: unscaled * pow10n(-scale), exact: true };
  const r = roundUp(unscaled, scale, 0);
  return { value: r.unscaled, exact: r.unscaled * pow10n(scale) === unscaled };
}

/**
 * Go's `Quantity.String`: the canonical form (largest suffix or exponent that loses nothing,
 * no fraction digits) in the quantity's format, or the parsed text when that was canonical.
 * Like Go, a decimal exponent without an SI suffix prints no suffix at all.
 */
export function formatQuantity(q: Quantity): string {
  if (q.cachedString !== undefined) return q.cachedString;
  if (isZeroQuantity(q)) return '0';

  let format = q.format;
  let binaryValue = 0n;
  if (format === 'BinarySI') {
    const { unscaled, scale } = toDec(q.amount);
    const below = compareDec(unscaled, scale, -1024n, 0) > 0 && compareDec(unscaled, scale, 1024n, 0) < 0;
    if (below) format = 'DecimalSI';
    else {
      const r = roundedInteger(q.amount);
      if (r.exact) binaryValue = r.value;
      else format = 'DecimalSI';
    }
  }

  if (format === 'BinarySI') {
    const { amount, times } = removeFactors(binaryValue, 1024n);
    return `${amount}${BINARY_SUFFIX_BY_EXPONENT.get(times * 10) ?? ''}`;
  }

  const { unscaled, scale } = toDec(q.amount);
  const stripped = removeFactors(unscaled, 10n);
  let amount = stripped.amount;
  let exponent = -scale + stripped.times;
  while (exponent % 3 !== 0) {
    amount *= 10n;
    exponent--;
  }
  if (format === 'DecimalSI') return `${amount}${DECIMAL_SUFFIX_BY_EXPONENT.get(exponent) ?? ''}`;
  return exponent === 0 ? `${amount}` : `${amount}e${exponent}`;
}
