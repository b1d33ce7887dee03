// kro's JSON library (pkg/cel/library/json.go). json.marshal converts the CEL value the way
// kro's conversion.GoNativeType does (durations and timestamps become their Kubernetes string
// forms, optionals unwrap, map keys must be strings) and then writes exactly what Go's
// json.Marshal writes: sorted keys, HTML-escaped <, > and &, bytes as base64. json.unmarshal
// follows Go's json.Unmarshal into `any`: every number is a double.
import { type Environment, EvaluationError } from '@marcbachmann/cel-js';
import { chargeString } from '../budget.js';
import { registerNamespacedFunction } from '../environment.js';
import type { CelLibrary } from '../library.js';
import { isOmit } from '../omit.js';
import { celKind, celTypeName, type Duration, durationNanos, mapEntries, type Optional } from '../values.js';
import {
  GoJsonError,
  type GoJsonValue,
  type GoNative,
  goJsonMarshal,
  goJsonUnmarshal,
} from './kro-gojson.js';

class ConversionError extends Error {}

const NANOS_PER = { h: 3_600_000_000_000n, m: 60_000_000_000n, s: 1_000_000_000n } as const;

// Go's time.Duration.String: "1h2m3.5s", "1.5ms", "-1h30m0s", "0s".
export function goDurationString(totalNanos: bigint): string {
  if (totalNanos === 0n) return '0s';
  const neg = totalNanos < 0n;
  const u = neg ? -totalNanos : totalNanos;
  const frac = (v: bigint, digits: number): string => {
    const s = v.toString().padStart(digits, '0').replace(/0+$/, '');
    return s === '' ? '' : `.${s}`;
  };
  let out: string;
  if (u < NANOS_PER.s) {
    if (u < 1000n) out = `${u}ns`;
    else if (u < 1_000_000n) out = `${u / 1000n}${frac(u % 1000n, 3)}µs`;
    else out = `${u / 1_000_000n}${frac(u % 1_000_000n, 6)}ms`;
  } else {
    const h = u / NANOS_PER.h;
    const m = (u % NANOS_PER.h) / NANOS_PER.m;
    const s = (u % NANOS_PER.m) / NANOS_PER.s;
    out = `${s}${frac(u % NANOS_PER.s, 9)}s`;
    if (h > 0n) out = `${h}h${m}m${out}`;
    else if (m > 0n) out = `${m}m${out}`;
  }
  return neg ? `-${out}` : out;
}

// metav1.Time's unstructured form: RFC 3339 in UTC with whole seconds; the zero time is null.
const GO_ZERO_TIME = (() => {
  // Date.UTC maps years 0-99 to 1900-1999, so year 1 is set explicitly.
  const d = new Date(0);
  d.setUTCFullYear(1, 0, 1);
  return d.getTime();
})();

function kubernetesTime(d: Date): string | null {
  if (d.getTime() === GO_ZERO_TIME) return null;
  return `${d.toISOString().slice(0, 19)}Z`;
}

// Go's %T for the natives GoNativeType produces, used in kro's "map key must be string" error.
function goTypeName(v: unknown): string {
  switch (celKind(v)) {
    case 'int':
      return 'int64';
    case 'uint':
      return 'uint64';
    case 'double':
      return 'float64';
    case 'bool':
      return 'bool';
    case 'bytes':
      return '[]uint8';
    case 'null':
      return '<nil>';
    default:
      return 'string';
  }
}

// Library value classes carry their CEL type name as their toStringTag.
function opaqueTypeName(v: unknown): string {
  if (typeof v === 'object' && v !== null && typeof Reflect.get(v, Symbol.toStringTag) === 'string') {
    const tag = Reflect.get(v, Symbol.toStringTag) as string;
    return tag.startsWith('Type<') ? 'type' : tag;
  }
  return celTypeName(v);
}

/** kro's conversion.GoNativeType, producing the input of Go's json.Marshal. */
export function toGoNative(v: unknown): GoNative {
  if (isOmit(v)) return { kind: 'omit' };
  switch (celKind(v)) {
    case 'null':
      return null;
    case 'bool':
      return v as boolean;
    case 'string':
      return v as string;
    case 'int':
      return { kind: 'int', value: v as bigint };
    case 'uint':
      return { kind: 'int', value: (v as { valueOf(): bigint }).valueOf() };
    case 'double':
      return { kind: 'float', value: v as number };
    case 'bytes':
      return { kind: 'bytes', value: v as Uint8Array };
    case 'duration':
      return goDurationString(durationNanos(v as Duration));
    case 'timestamp':
      return kubernetesTime(v as Date);
    case 'list':
      return [...(v as Iterable<unknown>)].map(toGoNative);
    case 'map': {
      const out = new Map<string, GoNative>();
      for (const [k, val] of mapEntries(v as object)) {
        if (typeof k !== 'string') throw new ConversionError(`map key must be string, got ${goTypeName(k)}`);
        out.set(k, toGoNative(val));
      }
      return out;
    }
    case 'optional': {
      const o = v as Optional;
      return o.hasValue() ? toGoNative(o.value()) : null;
    }
    default:
      throw new ConversionError(`unsupported type: ${opaqueTypeName(v)}`);
  }
}

export function jsonMarshal(v: unknown): string {
  let native: GoNative;
  try {
    native = toGoNative(v);
  } catch (e) {
    if (e instanceof ConversionError)
      throw new EvaluationError(`json.marshal failed to convert value: ${e.message}`);
    throw e;
  }
  try {
    const s = goJsonMarshal(native);
    chargeString(s.length);
    return s;
  } catch (e) {
    if (e instanceof GoJsonError)
      throw new EvaluationError(`json.marshal failed to encode value: ${e.message}`);
    throw e;
  }
}

export function jsonUnmarshal(s: string): GoJsonValue {
  try {
    return goJsonUnmarshal(s);
  } catch (e) {
    if (e instanceof GoJsonError)
      throw new EvaluationError(`json.unmarshal failed to parse JSON: ${e.message}`);
    throw e;
  }
}

export const kroJsonLibrary: CelLibrary = {
  name: 'json',
  register(env: Environment): void {
    registerNamespacedFunction(env, 'json', 'unmarshal(string): dyn', jsonUnmarshal);
    registerNamespacedFunction(env, 'json', 'marshal(dyn): string', jsonMarshal);
  },
};
