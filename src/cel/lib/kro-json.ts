// kro's JSON library (pkg/cel/library/json.go). json.marshal converts the CEL value the way
// kro's conversion.GoNativeType does (durations and timestamps become their Kubernetes string
// forms, optionals unwrap, map keys must be strings) and then writes exactly what Go's
// json.Marshal writes: sorted keys, HTML-escaped <, > and &, bytes as base64. json.unmarshal
// follows Go's json.Unmarshal into `any`: every number is a double.
import { type Environment, EvaluationError } from '@marcbachmann/cel-js';
import { chargeString } from '../budget.js';
import type { CelLibrary } from '../library.js';
import { isOmit } from '../omit.js';
import { registerNamespacedFunction } from '../registration.js';
import {
  celKind,
  celTypeName,
  type Duration,
  durationNanos,
  formatGoDuration,
  goTypeName,
  kubernetesTime,
  mapEntries,
  type Optional,
} from '../values.js';
import {
  GoJsonError,
  type GoJsonValue,
  type GoNative,
  goJsonMarshal,
  goJsonUnmarshal,
} from './kro-gojson.js';

class ConversionError extends Error {}

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
      return formatGoDuration(durationNanos(v as Duration));
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
