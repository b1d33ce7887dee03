// Moving values between the JSON of Kubernetes objects and CEL, as kro's runtime does.
//
// Into CEL: kro wraps each object with its kind's OpenAPI schema (Kubernetes' UnstructuredToVal),
// so an `integer` field is an int even when JSON wrote `3.0`, a `number` field is a double even
// when JSON wrote `3`, `format: byte` strings are bytes, `date-time` strings timestamps. Where no
// schema speaks (unknown kinds, preserve-unknown-fields, free-form maps) it falls back to
// NativeToValue over decoded JSON: whole numbers are ints (Kubernetes decodes JSON integers as
// int64), everything else is a double.
//
// Out of CEL: kro's GoNativeType followed by EnsureJSONSafe. Durations and timestamps become their
// Kubernetes string forms, optionals unwrap, uints must fit int64, bytes are refused (the user
// has to encode them), map keys must be strings. Key order is kept, so rendered objects follow
// the template.

import { isOmit } from '../cel/omit.js';
import type { OpenApiSchema } from '../cel/types.js';
import { celKind, celTypeName, Duration, durationNanos, mapEntries, type Optional } from '../cel/values.js';

/**
 * A JSON tree as the synthesizer holds rendered objects: JSON values, except that an integer
 * outside JavaScript's safe range stays a bigint so int64 values survive exactly. The omit
 * sentinel may appear until the resolver cleans it up.
 */
export type SynthValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | SynthValue[]
  | { [key: string]: SynthValue };

/** A value CEL produced that cannot be written into a Kubernetes object. */
export class ConversionError extends Error {
  override readonly name = 'ConversionError';
}

type Json = Record<string, unknown>;

function isMap(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function setOwn(map: Json, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    map[key] = value;
  }
}

// ---------------------------------------------------------------------------------------------
// JSON -> CEL
// ---------------------------------------------------------------------------------------------

function schemaTypeOf(s: OpenApiSchema): string {
  const t = s.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return (t as readonly string[]).find((x) => x !== 'null') ?? '';
  return '';
}

const flattened = new WeakMap<OpenApiSchema, OpenApiSchema>();

// The published Kubernetes schemas wrap a `$ref` with a default in a one-element allOf.
function flatten(s: OpenApiSchema): OpenApiSchema {
  if (s.allOf === undefined) return s;
  let f = flattened.get(s);
  if (!f) {
    f = unwrapAllOf(s);
    flattened.set(s, f);
  }
  return f;
}

function unwrapAllOf(s: OpenApiSchema): OpenApiSchema {
  if (s.allOf?.length === 1 && schemaTypeOf(s) === '' && !s.properties) {
    const [inner] = s.allOf;
    if (inner) {
      const { allOf: _wrapped, ...rest } = s;
      return { ...flatten(inner), ...rest };
    }
  }
  return s;
}

/** A JSON number as NativeToValue sees decoded Kubernetes JSON: integers are int64. */
function nativeNumber(n: number): bigint | number {
  return Number.isInteger(n) && Math.abs(n) <= 2 ** 63 ? BigInt(n) : n;
}

/** Decoded JSON as cel-go's NativeToValue presents it: no schema, whole numbers are ints. */
export function nativeToCel(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'number':
      return nativeNumber(value);
    case 'bigint':
    case 'string':
    case 'boolean':
      return value;
    default:
      break;
  }
  if (Array.isArray(value)) return value.map(nativeToCel);
  if (isMap(value)) {
    const out: Json = {};
    for (const key of Object.keys(value)) setOwn(out, key, nativeToCel(value[key]));
    return out;
  }
  return value;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeBase64(s: string): Uint8Array | undefined {
  const compact = s.replace(/[\r\n]/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) return undefined;
  return new Uint8Array(Buffer.from(compact, 'base64'));
}

// Go's time.ParseDuration units.
const DURATION_UNITS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

function parseGoDuration(s: string): Duration | undefined {
  const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(s);
  if (!m && s !== '0') return undefined;
  if (s === '0') return new Duration(0n, 0);
  const negative = s.startsWith('-');
  let nanos = 0;
  for (const part of s.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    nanos += Number(part[1]) * (DURATION_UNITS[part[2] as string] ?? 0);
  }
  const total = BigInt(Math.round(negative ? -nanos : nanos));
  return new Duration(total / 1_000_000_000n, Number(total % 1_000_000_000n));
}

/**
 * A JSON value as CEL sees it through `schema` (kro's UnstructuredToVal). Values that do not fit
 * their schema are passed on schemaless, as kro's best-effort access does for unknown fields.
 */
export function jsonToCel(value: unknown, schema: OpenApiSchema | undefined): unknown {
  if (schema === undefined) return nativeToCel(value);
  if (value === null || value === undefined) return null;
  const s = flatten(schema);
  if (s['x-kubernetes-int-or-string'] === true) {
    return typeof value === 'number' ? nativeNumber(value) : nativeToCel(value);
  }
  let type = schemaTypeOf(s);
  if (type === '' && (s.properties || s['x-kubernetes-embedded-resource'] === true)) type = 'object';
  switch (type) {
    case 'object': {
      if (!isMap(value)) return nativeToCel(value);
      const props = s.properties;
      const additional =
        typeof s.additionalProperties === 'object' && s.additionalProperties !== null
          ? (s.additionalProperties as OpenApiSchema)
          : undefined;
      if (!props && !additional) return nativeToCel(value);
      const out: Json = {};
      for (const key of Object.keys(value)) {
        const child = props && Object.hasOwn(props, key) ? props[key] : additional;
        setOwn(out, key, jsonToCel(value[key], child));
      }
      return out;
    }
    case 'array': {
      if (!Array.isArray(value)) return nativeToCel(value);
      const items = s.items && !Array.isArray(s.items) ? (s.items as OpenApiSchema) : undefined;
      return value.map((v) => jsonToCel(v, items));
    }
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
      return nativeToCel(value);
    case 'number':
      if (typeof value === 'number') return value;
      if (typeof value === 'bigint') return Number(value);
      return nativeToCel(value);
    case 'string':
      if (typeof value !== 'string') return nativeToCel(value);
      switch (s.format) {
        case 'byte':
          return decodeBase64(value) ?? value;
        case 'date-time':
        case 'date': {
          const t = Date.parse(value);
          return Number.isNaN(t) ? value : new Date(t);
        }
        case 'duration':
          return parseGoDuration(value) ?? value;
        default:
          return value;
      }
    default:
      return nativeToCel(value);
  }
}

// ---------------------------------------------------------------------------------------------
// CEL -> JSON
// ---------------------------------------------------------------------------------------------

const INT64_MAX = 2n ** 63n - 1n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function fromInt(n: bigint): number | bigint {
  return n <= MAX_SAFE && n >= -MAX_SAFE ? Number(n) : n;
}

const NS = { h: 3_600_000_000_000n, m: 60_000_000_000n, s: 1_000_000_000n, ms: 1_000_000n, us: 1000n };

function fraction(v: bigint, digits: number): string {
  const s = v.toString().padStart(digits, '0').replace(/0+$/, '');
  return s === '' ? '' : `.${s}`;
}

/** Go's time.Duration.String (metav1.Duration's JSON form): `1h2m3.5s`, `1.5ms`, `0s`. */
export function goDurationString(nanos: bigint): string {
  if (nanos === 0n) return '0s';
  const u = nanos < 0n ? -nanos : nanos;
  let out: string;
  if (u < NS.us) out = `${u}ns`;
  else if (u < NS.ms) out = `${u / NS.us}${fraction(u % NS.us, 3)}µs`;
  else if (u < NS.s) out = `${u / NS.ms}${fraction(u % NS.ms, 6)}ms`;
  else {
    const h = u / NS.h;
    const m = (u % NS.h) / NS.m;
    out = `${(u % NS.m) / NS.s}${fraction(u % NS.s, 9)}s`;
    if (h > 0n) out = `${h}h${m}m${out}`;
    else if (m > 0n) out = `${m}m${out}`;
  }
  return nanos < 0n ? `-${out}` : out;
}

// metav1.Time's unstructured form: RFC 3339, UTC, whole seconds.
function kubernetesTime(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

/**
 * A CEL result as kro writes it into an object (GoNativeType + EnsureJSONSafe). Throws a
 * ConversionError with kro's wording for values that have no JSON form.
 */
export function celToJson(value: unknown): unknown {
  if (isOmit(value)) return value;
  switch (celKind(value)) {
    case 'null':
      return null;
    case 'bool':
    case 'string':
      return value;
    case 'int':
      return fromInt(value as bigint);
    case 'uint': {
      const n = (value as { valueOf(): bigint }).valueOf();
      if (n > INT64_MAX) {
        throw new ConversionError(
          `unsupported type: uint value ${n} overflows int64; convert it explicitly, e.g. string(...)`,
        );
      }
      return fromInt(n);
    }
    case 'double': {
      const n = value as number;
      if (!Number.isFinite(n)) throw new ConversionError(`unsupported value: ${n} has no JSON form`);
      return n;
    }
    case 'bytes':
      throw new ConversionError(
        'unsupported type: bytes value cannot be used directly in a resource template or status field; encode it explicitly, e.g. base64.encode(...)',
      );
    case 'duration':
      return goDurationString(durationNanos(value as Duration));
    case 'timestamp':
      return kubernetesTime(value as Date);
    case 'list': {
      const out: unknown[] = [];
      for (const item of value as Iterable<unknown>) out.push(celToJson(item));
      return out;
    }
    case 'map': {
      const out: Json = {};
      for (const [k, v] of mapEntries(value as object)) {
        if (typeof k !== 'string') throw new ConversionError(`map key must be string, got ${celTypeName(k)}`);
        setOwn(out, k, celToJson(v));
      }
      return out;
    }
    case 'optional': {
      const o = value as Optional;
      return o.hasValue() ? celToJson(o.value()) : null;
    }
    default:
      throw new ConversionError(`unsupported type: ${celTypeName(value)}`);
  }
}
