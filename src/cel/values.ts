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

// Maps with non-string keys: the library looks keys up as object properties (so `m[1]`, `m[1u]`
// and `m[1.0]` all find property "1", which matches CEL's numeric key equality), so such maps are
// plain objects too, with the typed keys kept in a hidden side table for iteration and output.
const TYPED_KEYS: unique symbol = Symbol('kro-gen.celMapKeys');

type TypedKeyTable = Map<string, unknown>;

function typedKeys(m: object): TypedKeyTable | undefined {
  return (m as { [TYPED_KEYS]?: TypedKeyTable })[TYPED_KEYS];
}

/** The property name a CEL map key is stored under. */
function keyProperty(key: unknown): string | undefined {
  switch (typeof key) {
    case 'string':
      return key;
    case 'bigint':
    case 'boolean':
      return String(key);
    case 'number':
      return Number.isInteger(key) ? BigInt(key).toString() : undefined;
    default:
      return key instanceof UnsignedInt ? String(key.valueOf()) : undefined;
  }
}

/**
 * Builds a CEL map from typed entries (keys already validated as int, uint, bool or string and
 * unique). Falls back to a `Map` when two different keys share a property name (`1` and `'1'`).
 */
export function makeCelMap(entries: Iterable<readonly [unknown, unknown]>): object {
  const list = [...entries];
  const obj: Record<string, unknown> = {};
  let table: TypedKeyTable | undefined;
  for (const [k, v] of list) {
    const prop = keyProperty(k);
    if (prop === undefined || prop === '__proto__' || Object.hasOwn(obj, prop)) return new Map(list);
    obj[prop] = v;
    if (typeof k !== 'string') {
      table ??= new Map();
      table.set(prop, k);
    } else if (table) table.set(prop, k);
  }
  if (table) {
    for (const prop of Object.keys(obj)) if (!table.has(prop)) table.set(prop, prop);
    Object.defineProperty(obj, TYPED_KEYS, { value: table });
  }
  return obj;
}

/** The entries of a CEL map, with their typed keys. */
export function mapEntries(m: object): [unknown, unknown][] {
  if (m instanceof Map) return [...m.entries()];
  const table = typedKeys(m);
  const entries = Object.entries(m);
  if (!table) return entries;
  return entries.map(([k, v]) => [table.has(k) ? table.get(k) : k, v]);
}

/** Looks a key up in a CEL map, treating numerically equal int/uint/double keys as the same key. */
export function mapLookup(m: object, key: unknown): { found: boolean; value?: unknown } {
  if (m instanceof Map) {
    if (m.has(key)) return { found: true, value: m.get(key) };
    for (const [k, v] of m) if (celEquals(k, key)) return { found: true, value: v };
    return { found: false };
  }
  const prop = keyProperty(key);
  if (prop === undefined || !Object.hasOwn(m, prop)) return { found: false };
  const table = typedKeys(m);
  const stored = table ? table.get(prop) : prop;
  if (stored !== key && !celEquals(stored, key)) return { found: false };
  return { found: true, value: (m as Record<string, unknown>)[prop] };
}

function toNanos(d: Duration): bigint {
  return d.seconds * 1_000_000_000n + BigInt(d.nanos);
}

/** Total nanoseconds of a duration (the library may keep seconds and nanos with mixed signs). */
export function durationNanos(d: Duration): bigint {
  return toNanos(d);
}

function numericValue(v: unknown): number | bigint | UnsignedInt | undefined {
  if (typeof v === 'bigint' || typeof v === 'number' || v instanceof UnsignedInt) return v;
  return undefined;
}

const TWO_63 = 2 ** 63; // float64(math.MaxInt64) in Go
const TWO_64 = 2 ** 64;

/**
 * cel-go's ordering of two numbers of any numeric kind: int and uint compare exactly, a double
 * against an int or uint compares after converting the integer to a double (as cel-go does, so
 * 2^63-1 and 2^63 compare equal). NaN when a NaN is involved (cel-go: "NaN values cannot be
 * ordered").
 */
export function compareNumbers(a: number | bigint | UnsignedInt, b: number | bigint | UnsignedInt): number {
  const x = a instanceof UnsignedInt ? a.valueOf() : a;
  const y = b instanceof UnsignedInt ? b.valueOf() : b;
  if (typeof x === 'bigint' && typeof y === 'bigint') return x < y ? -1 : x > y ? 1 : 0;
  if (typeof x === 'number' && typeof y === 'number') {
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const flip = typeof x === 'number' ? 1 : -1;
  const d = (typeof x === 'number' ? x : y) as number;
  const n = (typeof x === 'number' ? y : x) as bigint;
  const unsigned = (typeof x === 'number' ? b : a) instanceof UnsignedInt;
  if (Number.isNaN(d)) return Number.NaN;
  let r: number;
  if (unsigned ? d < 0 : d < -TWO_63) r = -1;
  else if (unsigned ? d > TWO_64 : d > TWO_63) r = 1;
  else {
    const nd = Number(n);
    r = d < nd ? -1 : d > nd ? 1 : 0;
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
      return compareNumbers(numericValue(a) as number, numericValue(b) as number);
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
