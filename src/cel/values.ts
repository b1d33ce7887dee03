// CEL values as JavaScript holds them (the @marcbachmann/cel-js representation), with cel-go's
// value semantics on top: kinds, heterogeneous equality, ordering, and the conversions between
// JSON and CEL that kro performs (schema-driven on the way in, kro's EnsureJSONSafe on the way
// out).
//
// Representation: int = bigint, uint = UnsignedInt, double = number, string, bool, null,
// bytes = Uint8Array, list = Array, map = plain object (string keys) or Map (any keys),
// timestamp = Date (timestamp.ts's Timestamp keeps nanoseconds and the zone), duration = Duration, optional = Optional, type = the library's Type.
import { Optional } from '@marcbachmann/cel-js';
import { Duration, UnsignedInt } from '@marcbachmann/cel-js/evaluator';
import { setOwn } from '../json.js';
import { compareTimestamps, isGoZeroTime } from './timestamp.js';
import type { OpenApiSchema } from './types.js';

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
    setOwn(obj, prop, v);
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

/**
 * The first entry of a map object built with typed keys (makeCelMap), with its typed key;
 * undefined for any other value.
 */
export function firstTypedEntry(m: object): [unknown, unknown] | undefined {
  const table = typedKeys(m);
  if (!table) return undefined;
  for (const k in m) return [table.has(k) ? table.get(k) : k, (m as Record<string, unknown>)[k]];
  return undefined;
}

/** The entries of a CEL map, with their typed keys. */
export function mapEntries(m: object): [unknown, unknown][] {
  if (m instanceof Map) {
    // Via the iterator: the library's schema-typed objects (a Map subclass) load their fields
    // lazily there, and report declared-but-absent fields as undefined.
    const out: [unknown, unknown][] = [];
    for (const [k, v] of m as Map<unknown, unknown>) if (v !== undefined) out.push([k, v]);
    return out;
  }
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
  return r === 0 ? 0 : r * flip;
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
      return compareTimestamps(a as Date, b as Date) === 0;
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
      // Library values (quantity, ip, cidr, semver, url, conditions) define their own equality.
      return hasEquals(a) && a.equals(b);
  }
}

// Objects, maps and lists converted through a schema (jsonToCel): kro hands a typed resource to
// CEL wrapped with its schema (UnstructuredToVal), and those wrappers compare only with maps and
// lists (see schemaValueEquals). Lists keep their x-kubernetes-list-type: a `map` list is keyed
// by its map keys, a `set` list by its elements, and both compare regardless of order.
type SchemaShape = 'value' | 'set' | { readonly mapKeys: readonly string[] };
const schemaValues = new WeakMap<object, SchemaShape>();

function fromSchema<T extends object>(v: T, shape: SchemaShape = 'value'): T {
  schemaValues.set(v, shape);
  return v;
}

function listShape(s: OpenApiSchema): SchemaShape {
  const type = s['x-kubernetes-list-type'];
  const keys = s['x-kubernetes-list-map-keys'];
  if (type === 'set') return 'set';
  if (type === 'map' && Array.isArray(keys)) return { mapKeys: keys as string[] };
  return 'value';
}

/**
 * kro's `==` with a left operand read from a typed resource (an object, map or list converted
 * through a schema): undefined, cel-go's "no such overload", where the right operand is not a
 * map (or list), here or in a field or element of such a value further down (`dyn(obj) == 1`,
 * `dyn(deployment.spec) == {'replicas': 'x', ...}`); otherwise as celEquals, except for lists of
 * x-kubernetes-list-type map and set (order does not matter; a map list matches elements by key,
 * and only with elements read from a resource too). The right operand's provenance does not
 * matter otherwise (`1 == dyn(obj)` is false), and neither do values inside list and map
 * literals: cel-go's literal containers count an element's error as equal (`[dyn(obj)] == [1]`
 * is true in kro), which kro-gen does not follow (docs/kro-differences.md).
 */
export function schemaValueEquals(a: unknown, b: unknown): boolean | undefined {
  return b === null ? false : typedEquals(a, b);
}

/** As schemaValueEquals, without cel-go's null test first (a typed list's `in` compares so). */
export function typedEquals(a: unknown, b: unknown): boolean | undefined {
  const shape = typeof a === 'object' && a !== null ? schemaValues.get(a) : undefined;
  if (shape === undefined) return celEquals(a, b);
  const kind = celKind(a);
  if (celKind(b) !== kind) return undefined;
  if (kind === 'map') return typedMapEquals(a as object, b as object);
  const [x, y] = [a as unknown[], [...(b as Iterable<unknown>)]];
  if (x.length !== y.length) return false;
  if (shape === 'set') return y.every((v) => x.some((e) => e === v));
  if (shape !== 'value') return mapListEquals(x, y, shape.mapKeys);
  for (let i = 0; i < x.length; i++) {
    const r = typedEquals(x[i], y[i]);
    if (r !== true) return r;
  }
  return true;
}

/** Whether `v` was read from a typed resource (see schemaValueEquals). */
export function isSchemaValue(v: unknown): boolean {
  return typeof v === 'object' && v !== null && schemaValues.has(v);
}

function typedMapEquals(a: object, b: object): boolean | undefined {
  const x = mapEntries(a);
  if (x.length !== mapEntries(b).length) return false;
  for (const [k, v] of x) {
    const other = mapLookup(b, k);
    if (!other.found) return false;
    const r = typedEquals(v, other.value);
    if (r !== true) return r;
  }
  return true;
}

// A map list equals a list whose every element, a resource's object, has an element of the same
// key here that equals it.
function mapListEquals(
  x: readonly unknown[],
  y: readonly unknown[],
  keys: readonly string[],
): boolean | undefined {
  const keyOf = (e: unknown): unknown[] => keys.map((k) => mapLookup(e as object, k).value);
  for (const v of y) {
    if (!isSchemaValue(v) || celKind(v) !== 'map') return false;
    const key = keyOf(v);
    const match = x.find((e) => celKind(e) === 'map' && keyOf(e).every((p, i) => p === key[i]));
    if (match === undefined) return false;
    const r = typedEquals(match, v);
    if (r !== true) return r;
  }
  return true;
}

function hasEquals(v: unknown): v is { equals(other: unknown): boolean } {
  return typeof v === 'object' && v !== null && typeof (v as { equals?: unknown }).equals === 'function';
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
      return compareTimestamps(a as Date, b as Date);
    case 'duration': {
      const x = toNanos(a as Duration);
      const y = toNanos(b as Duration);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Go time formats (Kubernetes' metav1.Duration / metav1.Time and OpenAPI string formats)
// ---------------------------------------------------------------------------------------------

const GO_UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  μs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** Go's time.ParseDuration ("1h30m", "-1.5s", "300ms"), in nanoseconds; undefined if invalid. */
export function parseGoDuration(text: string): bigint | undefined {
  let s = text;
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s.startsWith('-');
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return undefined;
  let total = 0n;
  const part = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/;
  while (s !== '') {
    const m = part.exec(s);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) return undefined;
    const unit = GO_UNITS[m[3] as string] as bigint;
    const frac = m[2] ?? '';
    total += BigInt(m[1] || '0') * unit;
    if (frac) total += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    s = s.slice(m[0].length);
  }
  if (total > 9223372036854775807n + (neg ? 1n : 0n)) return undefined;
  return neg ? -total : total;
}

// OpenAPI `format: duration` (go-openapi strfmt) also accepts "<n> <unit>" with day and week units.
const STRFMT_UNITS: Readonly<Record<string, bigint>> = {
  ...GO_UNITS,
  d: 86_400_000_000_000n,
  w: 604_800_000_000_000n,
};

function parseStrfmtDuration(text: string): bigint | undefined {
  const go = parseGoDuration(text);
  if (go !== undefined) return go;
  const m = /^\s*(\d+)\s*([a-zµμ]+)\s*$/i.exec(text);
  const unit = m ? STRFMT_UNITS[(m[2] as string).toLowerCase()] : undefined;
  return m && unit !== undefined ? BigInt(m[1] as string) * unit : undefined;
}

/** Go's time.Duration.String(): "1h0m0s", "1.5s", "300ms", "2µs", "0s". */
export function formatGoDuration(ns: bigint): string {
  const neg = ns < 0n;
  const u = neg ? -ns : ns;
  const sign = neg ? '-' : '';
  const fraction = (v: bigint, digits: number): string => {
    const scale = 10n ** BigInt(digits);
    const rest = (v % scale).toString().padStart(digits, '0').replace(/0+$/, '');
    return `${v / scale}${rest ? `.${rest}` : ''}`;
  };
  if (u < 1_000_000_000n) {
    if (u === 0n) return '0s';
    if (u < 1_000n) return `${sign}${u}ns`;
    if (u < 1_000_000n) return `${sign}${fraction(u, 3)}µs`;
    return `${sign}${fraction(u, 6)}ms`;
  }
  const secs = u / 1_000_000_000n;
  let out = `${fraction((secs % 60n) * 1_000_000_000n + (u % 1_000_000_000n), 9)}s`;
  if (secs >= 60n) out = `${(secs / 60n) % 60n}m${out}`;
  if (secs >= 3600n) out = `${secs / 3600n}h${out}`;
  return sign + out;
}

function durationFromNanos(ns: bigint): Duration {
  return new Duration(ns / 1_000_000_000n, Number(ns % 1_000_000_000n));
}

/**
 * metav1.Time's unstructured form: RFC 3339 in UTC with whole seconds (`2024-01-02T03:04:05Z`);
 * Go's zero time is null.
 */
export function kubernetesTime(d: Date): string | null {
  return isGoZeroTime(d) ? null : `${d.toISOString().slice(0, 19)}Z`;
}

// ---------------------------------------------------------------------------------------------
// JSON -> CEL, driven by an OpenAPI schema (kro's UnstructuredToVal)
// ---------------------------------------------------------------------------------------------

/** A value that does not fit its schema; the conversion keeps a best-effort value instead. */
export interface ValueIssue {
  /** JSON path of the value, e.g. `spec.ports[0].port`. */
  readonly path: string;
  readonly message: string;
}

export interface ToCelResult {
  readonly value: unknown;
  readonly issues: readonly ValueIssue[];
}

/**
 * Converts JSON data (as parsed: numbers, strings, arrays, objects; bigint accepted for
 * integers) to CEL values as kro does for a schema-typed object: `integer` becomes int,
 * `number` double even when integral, `string` formats date / date-time / duration / byte
 * become timestamp / duration / bytes, int-or-string keeps either, and anything without a
 * structural schema (preserve-unknown-fields, no type) is inferred like Kubernetes' unstructured
 * JSON decoding (`inferCel`). Mismatches are reported, not thrown; the value then falls back to
 * inference. Keys that the schema does not declare are dropped (Kubernetes prunes them) unless
 * unknown fields are preserved. One-element `allOf` wrappers (the published Kubernetes schemas
 * put a `$ref` with a default in one) are looked through.
 */
export function jsonToCel(data: unknown, schema?: OpenApiSchema | null): ToCelResult {
  const issues: ValueIssue[] = [];
  const value = convert(data, schema, '', issues);
  return { value, issues };
}

/** `jsonToCel(data, schema).value`, without collecting issues (the renderer's hot path). */
export function jsonToCelValue(data: unknown, schema?: OpenApiSchema | null): unknown {
  return convert(data, schema, '', undefined);
}

/**
 * Infers CEL values from plain JSON, as kro does for data without a schema (cel-go's
 * NativeToValue over decoded Kubernetes JSON): whole numbers that fit int64 are ints, every other
 * number is a double.
 */
export function inferCel(data: unknown): unknown {
  if (data === null || data === undefined) return null;
  switch (typeof data) {
    case 'number':
      return inferNumber(data);
    case 'object': {
      if (Array.isArray(data)) return data.map(inferCel);
      const obj = data as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(obj)) setOwn(out, k, inferCel(obj[k]));
      return celObject(out);
    }
    default:
      return data;
  }
}

function inferNumber(n: number): bigint | number {
  return Number.isInteger(n) && Math.abs(n) <= TWO_63 ? BigInt(n) : n;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function schemaTypeOf(s: OpenApiSchema): string {
  const t = s.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return (t as readonly string[]).find((x) => x !== 'null') ?? '';
  return '';
}

function isNullable(s: OpenApiSchema): boolean {
  return s['nullable'] === true || (Array.isArray(s.type) && (s.type as readonly string[]).includes('null'));
}

const flattened = new WeakMap<OpenApiSchema, OpenApiSchema>();

function flatten(s: OpenApiSchema): OpenApiSchema {
  if (s.allOf === undefined) return s;
  let f = flattened.get(s);
  if (!f) {
    f = s;
    const [inner] = s.allOf;
    if (inner && s.allOf.length === 1 && schemaTypeOf(s) === '' && !s.properties) {
      const { allOf: _wrapped, ...rest } = s;
      f = { ...flatten(inner), ...rest };
    }
    flattened.set(s, f);
  }
  return f;
}

const EMBEDDED_META: Readonly<Record<string, OpenApiSchema>> = {
  apiVersion: { type: 'string' },
  kind: { type: 'string' },
  metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
};

// Go's encoding/base64 StdEncoding, as strfmt.Base64 decodes: padded, line breaks ignored.
function decodeBase64(s: string): Uint8Array | undefined {
  const compact = s.replace(/[\r\n]/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  return new Uint8Array(Buffer.from(compact, 'base64'));
}

/** Reports a value that does not fit its schema (when issues are collected) and infers it. */
function mismatch(data: unknown, path: string, issues: ValueIssue[] | undefined, message: string): unknown {
  issues?.push({ path: path || '<root>', message });
  return inferCel(data);
}

// Paths are only built when issues are collected.
function convert(
  data: unknown,
  schema: OpenApiSchema | null | undefined,
  path: string,
  issues: ValueIssue[] | undefined,
): unknown {
  if (!schema) return inferCel(data);
  const s = flatten(schema);
  if (data === null || data === undefined) {
    if (issues && !isNullable(s))
      issues.push({ path: path || '<root>', message: 'null for a schema with nullable=false' });
    return null;
  }
  if (s['x-kubernetes-int-or-string'] === true) {
    if (typeof data === 'string' || typeof data === 'bigint') return data;
    if (typeof data === 'number' && Number.isInteger(data) && Math.abs(data) <= TWO_63) return BigInt(data);
    return mismatch(data, path, issues, 'expected an integer or a string');
  }
  let type = schemaTypeOf(s);
  if (type === '' && (s.properties || s['x-kubernetes-embedded-resource'] === true)) type = 'object';
  switch (type) {
    case 'object':
      return convertObject(data, s, path, issues);
    case 'array': {
      if (!Array.isArray(data)) return mismatch(data, path, issues, 'expected an array');
      const items = s.items && !Array.isArray(s.items) ? (s.items as OpenApiSchema) : undefined;
      return fromSchema(
        data.map((v, i) => convert(v, items, issues ? `${path}[${i}]` : '', issues)),
        listShape(s),
      );
    }
    case 'string':
      if (typeof data !== 'string') return mismatch(data, path, issues, 'expected a string');
      return s.format === undefined ? data : convertFormatted(data, s.format, path, issues);
    case 'number':
      if (typeof data === 'number') return data;
      if (typeof data === 'bigint') return Number(data);
      return mismatch(data, path, issues, 'expected a number');
    case 'integer':
      if (typeof data === 'bigint') return data;
      if (typeof data === 'number' && Number.isInteger(data)) return BigInt(data);
      return mismatch(
        data,
        path,
        issues,
        typeof data === 'number' ? `expected an integer, got ${data}` : 'expected an integer',
      );
    case 'boolean':
      if (typeof data === 'boolean') return data;
      return mismatch(data, path, issues, 'expected a boolean');
    default:
      // No type: preserve-unknown-fields, or resource.Quantity's oneOf string/number.
      return inferCel(data);
  }
}

function convertObject(
  data: unknown,
  s: OpenApiSchema,
  path: string,
  issues: ValueIssue[] | undefined,
): unknown {
  if (!isPlainObject(data)) return mismatch(data, path, issues, 'expected an object');
  const props = s.properties;
  const ap = s.additionalProperties;
  const additional = typeof ap === 'object' && ap !== null ? ap : undefined;
  const embedded =
    props === undefined && additional === undefined && s['x-kubernetes-embedded-resource'] === true;
  if (!props && !additional && !embedded) return inferCel(data);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(data)) {
    const prop = props && Object.hasOwn(props, k) ? props[k] : undeclared(s, k, additional);
    if (prop === 'infer') setOwn(out, k, inferCel(data[k]));
    else if (prop) setOwn(out, k, convert(data[k], prop, issues ? join(path, k) : '', issues));
  }
  return fromSchema(celObject(out));
}

/**
 * The CEL library tells maps from other objects by their `constructor` property, so an object
 * holding a `constructor` key (a ConfigMap's data may) goes to CEL as a Map, which it also reads
 * as a CEL map.
 */
function celObject(out: Record<string, unknown>): object {
  return Object.hasOwn(out, 'constructor') ? new Map(Object.entries(out)) : out;
}

// The schema of a field `properties` does not declare; 'infer' where unknown fields are preserved.
function undeclared(
  s: OpenApiSchema,
  key: string,
  additional: OpenApiSchema | undefined,
): OpenApiSchema | 'infer' | undefined {
  if (s['x-kubernetes-embedded-resource'] === true && Object.hasOwn(EMBEDDED_META, key))
    return EMBEDDED_META[key];
  if (additional) return additional;
  return s['x-kubernetes-preserve-unknown-fields'] === true ? 'infer' : undefined;
}

// A string with a `format` that Kubernetes decodes: duration, date, date-time, byte.
function convertFormatted(
  data: string,
  format: string,
  path: string,
  issues: ValueIssue[] | undefined,
): unknown {
  switch (format) {
    case 'duration': {
      const ns = parseStrfmtDuration(data);
      if (ns !== undefined) return durationFromNanos(ns);
      return mismatch(data, path, issues, `invalid duration ${JSON.stringify(data)}`);
    }
    case 'date': {
      const d = /^\d{4}-\d{2}-\d{2}$/.test(data) ? new Date(`${data}T00:00:00Z`) : undefined;
      return d && !Number.isNaN(d.getTime())
        ? d
        : mismatch(data, path, issues, `invalid date ${JSON.stringify(data)}`);
    }
    case 'date-time': {
      const ok = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$/.test(data);
      const d = ok ? new Date(data) : undefined;
      return d && !Number.isNaN(d.getTime())
        ? d
        : mismatch(data, path, issues, `invalid date-time ${JSON.stringify(data)}`);
    }
    case 'byte':
      return decodeBase64(data) ?? mismatch(data, path, issues, 'invalid base64 data');
    default:
      return data;
  }
}

// ---------------------------------------------------------------------------------------------
// CEL -> JSON (kro's GoNativeType + EnsureJSONSafe)
// ---------------------------------------------------------------------------------------------

/** A CEL result that cannot be written into a manifest. */
export class JsonConversionError extends Error {
  /** Where the value sits in the converted result (`a[0].b`), `''` for the result itself. */
  path = '';
  /** What is wrong, without the path. */
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.name = 'JsonConversionError';
    this.reason = reason;
  }

  /** Records, while unwinding, that the failing value sits under `key` of its parent. */
  nestUnder(key: string | number): void {
    if (typeof key === 'number') this.path = `[${key}]${this.path}`;
    else
      this.path =
        this.path === '' || this.path.startsWith('[') ? `${key}${this.path}` : `${key}.${this.path}`;
    this.message = `${this.path}: ${this.reason}`;
  }
}

export interface CelToJsonOptions {
  /** Values returned untouched (kro's omit sentinel, which the renderer removes). */
  readonly passThrough?: (v: unknown) => boolean;
  /**
   * Keep integers beyond ±(2^53 − 1) exact, as bigint, as kro writes any int64. By default they
   * are refused, so that the result is plain JSON.
   */
  readonly bigints?: boolean;
  /**
   * Write bytes as standard base64, as Go's JSON encoding does with the `[]byte` kro puts into a
   * resource it applies. By default they are refused (kro cannot deep-copy them into a status).
   */
  readonly bytesAsBase64?: boolean;
}

// Go's %T of the natives GoNativeType produces, as kro's "map key must be string" error prints it.
const GO_TYPE_NAMES: Readonly<Record<string, string>> = {
  int: 'int64',
  uint: 'uint64',
  double: 'float64',
  bool: 'bool',
  bytes: '[]uint8',
  null: '<nil>',
};

/** Go's %T for a CEL map key (int, uint, bool or string), as kro's messages print it. */
export function goTypeName(v: unknown): string {
  const kind = celKind(v);
  return GO_TYPE_NAMES[kind] ?? kind;
}

/**
 * Converts a CEL result to JSON the way kro writes it into an object: optionals are unwrapped
 * (none is null), uint must fit int64, bytes are rejected (encode them explicitly), durations
 * become Go duration strings, timestamps RFC 3339 in UTC with seconds precision, map keys must
 * be strings; key order is kept. Throws a JsonConversionError naming the path of the value.
 */
export function celToJson(value: unknown, options: CelToJsonOptions = {}): unknown {
  return toJson(value, options);
}

function toJson(value: unknown, opts: CelToJsonOptions): unknown {
  if (opts.passThrough?.(value)) return value;
  switch (celKind(value)) {
    case 'null':
      return null;
    case 'bool':
    case 'string':
      return value;
    case 'int':
      return jsonInteger(value as bigint, opts);
    case 'uint': {
      const v = (value as UnsignedInt).valueOf();
      if (v > INT64_MAX) {
        throw new JsonConversionError(
          `unsupported type: uint value ${v} overflows int64; convert it explicitly, e.g. string(...)`,
        );
      }
      return jsonInteger(v, opts);
    }
    case 'double': {
      const d = value as number;
      if (!Number.isFinite(d))
        throw new JsonConversionError(`unsupported value: ${d} cannot be written as JSON`);
      return d;
    }
    case 'bytes':
      if (opts.bytesAsBase64) return Buffer.from(value as Uint8Array).toString('base64');
      throw new JsonConversionError(
        'unsupported type: bytes value cannot be used directly in a resource template or status field; encode it explicitly, e.g. base64.encode(...)',
      );
    case 'duration':
      return formatGoDuration(durationNanos(value as Duration));
    case 'timestamp':
      return kubernetesTime(value as Date);
    case 'optional': {
      const o = value as Optional;
      return o.hasValue() ? toJson(o.value(), opts) : null;
    }
    case 'list': {
      const out: unknown[] = [];
      for (const item of value as Iterable<unknown>) out.push(nestedJson(item, out.length, opts));
      return out;
    }
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of mapEntries(value as object)) {
        if (typeof k !== 'string')
          throw new JsonConversionError(`map key must be string, got ${goTypeName(k)}`);
        setOwn(out, k, nestedJson(v, k, opts));
      }
      return out;
    }
    default:
      throw new JsonConversionError(`unsupported type: ${celTypeName(value)}`);
  }
}

// The path of a failure is put together while unwinding, so that success builds no strings.
function nestedJson(value: unknown, key: string | number, opts: CelToJsonOptions): unknown {
  try {
    return toJson(value, opts);
  } catch (e) {
    if (e instanceof JsonConversionError) e.nestUnder(key);
    throw e;
  }
}

const INT64_MAX = 9223372036854775807n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function jsonInteger(v: bigint, opts: CelToJsonOptions): number | bigint {
  if (v <= MAX_SAFE && v >= -MAX_SAFE) return Number(v);
  if (opts.bigints) return v;
  throw new JsonConversionError(`integer ${v} cannot be represented exactly as a JSON number here`);
}
