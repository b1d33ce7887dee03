// CEL values as JavaScript holds them (the @marcbachmann/cel-js representation), with cel-go's
// value semantics on top: kinds, heterogeneous equality, ordering, and the conversions between
// JSON and CEL that kro performs (schema-driven on the way in, kro's EnsureJSONSafe on the way
// out).
//
// Representation: int = bigint, uint = UnsignedInt, double = number, string, bool, null,
// bytes = Uint8Array, list = Array, map = plain object (string keys) or Map (any keys),
// timestamp = Date, duration = Duration, optional = Optional, type = the library's Type.
import { Optional } from '@marcbachmann/cel-js';
import { Duration, UnsignedInt } from '@marcbachmann/cel-js/evaluator';

export { Duration, Optional, UnsignedInt };

export type CelKind =
  | 'null'
  | 'bool'
  | 'int'
  | 'uint'
  | 'double'
  | 'string'
  | 'bytes'
  | 'list'
  | 'map'
  | 'timestamp'
  | 'duration'
  | 'optional'
  | 'type'
  | 'object';

/** The CEL kind of a runtime value. */
export function celKind(v: unknown): CelKind {
  switch (typeof v) {
    case 'bigint':
      return 'int';
    case 'number':
      return 'double';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'object': {
      if (v === null) return 'null';
      const c = (v as object).constructor;
      if (c === Object || c === undefined || c === Map) return 'map';
      if (c === Array || c === Set) return 'list';
      if (v instanceof UnsignedInt) return 'uint';
      if (v instanceof Uint8Array) return 'bytes';
      if (v instanceof Date) return 'timestamp';
      if (v instanceof Duration) return 'duration';
      if (v instanceof Optional) return 'optional';
      if (isTypeValue(v)) return 'type';
      if (v instanceof Map) return 'map';
      return 'object';
    }
    default:
      return 'object';
  }
}

/** Type values are the library's `Type` objects (`type(1)`); recognised by their tag. */
export function isTypeValue(v: unknown): v is { readonly name: string } {
  return typeof v === 'object' && v !== null && Object.prototype.toString.call(v).startsWith('[object Type<');
}

/** cel-go's name for the type of a runtime value (`int`, `list`, `google.protobuf.Timestamp`...). */
export function celTypeName(v: unknown): string {
  const k = celKind(v);
  switch (k) {
    case 'null':
      return 'null_type';
    case 'timestamp':
      return 'google.protobuf.Timestamp';
    case 'duration':
      return 'google.protobuf.Duration';
    case 'optional':
      return 'optional_type';
    case 'object':
      return (v as object).constructor?.name ?? 'object';
    default:
      return k;
  }
}

/** The entries of a CEL map. */
export function mapEntries(m: object): [unknown, unknown][] {
  if (m instanceof Map) return [...m.entries()];
  return Object.entries(m);
}

/** Looks a key up in a CEL map, treating numerically equal int/uint/double keys as the same key. */
export function mapLookup(m: object, key: unknown): { found: boolean; value?: unknown } {
  if (m instanceof Map) {
    if (m.has(key)) return { found: true, value: m.get(key) };
    const num = numericKey(key);
    if (num === undefined) return { found: false };
    for (const [k, v] of m) {
      if (numericKey(k) === num) return { found: true, value: v };
    }
    return { found: false };
  }
  if (typeof key !== 'string') return { found: false };
  return Object.hasOwn(m, key)
    ? { found: true, value: (m as Record<string, unknown>)[key] }
    : { found: false };
}

function numericKey(k: unknown): bigint | undefined {
  if (typeof k === 'bigint') return k;
  if (k instanceof UnsignedInt) return k.valueOf();
  if (typeof k === 'number' && Number.isInteger(k)) return BigInt(k);
  return undefined;
}

function toNanos(d: Duration): bigint {
  return d.seconds * 1_000_000_000n + BigInt(d.nanos);
}

/** Total nanoseconds of a duration (the library may keep seconds and nanos with mixed signs). */
export function durationNanos(d: Duration): bigint {
  return toNanos(d);
}

function numericValue(v: unknown): number | bigint | undefined {
  if (typeof v === 'bigint' || typeof v === 'number') return v;
  if (v instanceof UnsignedInt) return v.valueOf();
  return undefined;
}

/** Compares two numbers of any CEL numeric kind exactly (no precision loss for big ints). */
export function compareNumbers(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number')
    return a < b ? -1 : a > b ? 1 : a === b ? 0 : Number.NaN;
  const [x, y, flip] = typeof a === 'number' ? [a, b as bigint, 1] : [b as number, a as bigint, -1];
  // x is a double, y a bigint
  if (Number.isNaN(x)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return flip;
  if (x === Number.NEGATIVE_INFINITY) return -flip;
  const xi = BigInt(Math.trunc(x));
  let r: number;
  if (xi !== y) r = xi < y ? -1 : 1;
  else {
    const frac = x - Math.trunc(x);
    r = frac > 0 ? 1 : frac < 0 ? -1 : 0;
  }
  return r * flip;
}

/**
 * cel-go equality (`==`): numbers compare by value across int, uint and double; lists and maps
 * compare element-wise; values of different kinds are unequal (never an error).
 */
export function celEquals(a: unknown, b: unknown): boolean {
  if (a === b) return typeof a !== 'number' || !Number.isNaN(a);
  const na = numericValue(a);
  if (na !== undefined) {
    const nb = numericValue(b);
    return nb !== undefined && compareNumbers(na, nb) === 0;
  }
  const ka = celKind(a);
  if (ka !== celKind(b)) return false;
  switch (ka) {
    case 'bytes': {
      const x = a as Uint8Array;
      const y = b as Uint8Array;
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
      return true;
    }
    case 'list': {
      const x = [...(a as Iterable<unknown>)];
      const y = [...(b as Iterable<unknown>)];
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) if (!celEquals(x[i], y[i])) return false;
      return true;
    }
    case 'map': {
      const x = mapEntries(a as object);
      const y = b as object;
      if (x.length !== mapEntries(y).length) return false;
      for (const [k, v] of x) {
        const other = mapLookup(y, k);
        if (!other.found || !celEquals(v, other.value)) return false;
      }
      return true;
    }
    case 'timestamp':
      return (a as Date).getTime() === (b as Date).getTime();
    case 'duration':
      return toNanos(a as Duration) === toNanos(b as Duration);
    case 'optional': {
      const x = a as Optional;
      const y = b as Optional;
      if (!x.hasValue() || !y.hasValue()) return x.hasValue() === y.hasValue();
      return celEquals(x.value(), y.value());
    }
    case 'type':
      return (a as { name: string }).name === (b as { name: string }).name;
    default:
      return false;
  }
}

/** UTF-8 byte order of two strings (= code point order), as Go compares strings. */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) sort after every BMP code unit in code point order.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length < 0 ? -1 : a.length === b.length ? 0 : 1;
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length === b.length ? 0 : 1;
}

/**
 * Orders two values of the same comparable kind (int, uint, double, bool, string, bytes,
 * timestamp, duration); `undefined` when they are not comparable.
 */
export function compareSameKind(a: unknown, b: unknown): number | undefined {
  const k = celKind(a);
  if (k !== celKind(b)) return undefined;
  switch (k) {
    case 'int':
    case 'uint':
    case 'double':
      return compareNumbers(numericValue(a) as number | bigint, numericValue(b) as number | bigint);
    case 'bool':
      return a === b ? 0 : a ? 1 : -1;
    case 'string':
      return compareStrings(a as string, b as string);
    case 'bytes':
      return compareBytes(a as Uint8Array, b as Uint8Array);
    case 'timestamp':
      return Math.sign((a as Date).getTime() - (b as Date).getTime());
    case 'duration': {
      const x = toNanos(a as Duration);
      const y = toNanos(b as Duration);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    default:
      return undefined;
  }
}
