// The typed value encoding both sides of the differential run use (the oracle's Go side is
// oracle/main.go): `{t, v}` for scalars, `{t: 'list', l}`, `{t: 'map', e: [[k, v], ...]}`,
// `{t: 'optional', v?}`. JSON alone cannot tell int from uint from double, keep -0, NaN or
// 64-bit integers, or carry bytes, so numbers travel as decimal strings, doubles as their
// shortest round-trip text ('NaN', 'Infinity', '-0'), bytes as base64, durations as
// nanoseconds and timestamps as nanoseconds since the epoch. Library types (`kubernetes.Quantity`,
// `net.IP`, ...) carry their CEL type name and their string form.
import { Optional } from '@marcbachmann/cel-js';
import { Duration, UnsignedInt } from '@marcbachmann/cel-js/evaluator';
import { epochNanos, timestampFromNanos } from '../../../src/cel/timestamp.js';
import { celKind, durationNanos, makeCelMap, mapEntries } from '../../../src/cel/values.js';

export interface Typed {
  readonly t: string;
  readonly v?: string | boolean | Typed;
  readonly l?: readonly Typed[];
  readonly e?: readonly (readonly [Typed, Typed])[];
}

export function formatDouble(x: number): string {
  if (Object.is(x, -0)) return '-0';
  return String(x);
}

/** A kro-gen runtime value in the typed encoding. */
export function encodeValue(v: unknown): Typed {
  const kind = celKind(v);
  switch (kind) {
    case 'null':
      return { t: 'null' };
    case 'bool':
      return { t: 'bool', v: v as boolean };
    case 'int':
      return { t: 'int', v: String(v) };
    case 'uint':
      return { t: 'uint', v: String((v as UnsignedInt).valueOf()) };
    case 'double':
      return { t: 'double', v: formatDouble(v as number) };
    case 'string':
      return { t: 'string', v: v as string };
    case 'bytes':
      return { t: 'bytes', v: Buffer.from(v as Uint8Array).toString('base64') };
    case 'duration':
      return { t: 'duration', v: String(durationNanos(v as Duration)) };
    case 'timestamp':
      return { t: 'timestamp', v: String(epochNanos(v as Date)) };
    case 'type':
      return { t: 'type', v: (v as { name: string }).name };
    case 'optional': {
      const o = v as Optional;
      return o.hasValue() ? { t: 'optional', v: encodeValue(o.value()) } : { t: 'optional' };
    }
    case 'list':
      return { t: 'list', l: [...(v as Iterable<unknown>)].map(encodeValue) };
    case 'map':
      return {
        t: 'map',
        e: mapEntries(v as object).map(([k, x]) => [encodeValue(k), encodeValue(x)] as const),
      };
    default: {
      // Library types name their CEL type in Symbol.toStringTag.
      const tag = Object.prototype.toString.call(v).slice(8, -1);
      return { t: tag, v: String(v) };
    }
  }
}

/** The kro-gen runtime value of a typed encoding (for dyn variables). */
export function decodeValue(x: Typed): unknown {
  const text = typeof x.v === 'string' ? x.v : '';
  switch (x.t) {
    case 'null':
      return null;
    case 'bool':
      return x.v === true;
    case 'int':
      return BigInt(text);
    case 'uint':
      return new UnsignedInt(BigInt(text));
    case 'double':
      return Number(text);
    case 'string':
      return text;
    case 'bytes':
      return new Uint8Array(Buffer.from(text, 'base64'));
    case 'duration': {
      const ns = BigInt(text);
      return new Duration(ns / 1_000_000_000n, Number(ns % 1_000_000_000n));
    }
    case 'timestamp':
      return timestampFromNanos(BigInt(text));
    case 'list':
      return (x.l ?? []).map(decodeValue);
    case 'map':
      return makeCelMap((x.e ?? []).map(([k, v]) => [decodeValue(k), decodeValue(v)] as const));
    case 'optional':
      return x.v === undefined ? Optional.none() : Optional.of(decodeValue(x.v as Typed));
    default:
      throw new Error(`cannot decode a typed value of type ${x.t}`);
  }
}

/**
 * A canonical text of a typed value: equal texts mean equal values of the same CEL type. Map
 * entries are sorted (map order is unspecified in CEL); doubles compare by value, NaN equal NaN.
 */
export function canonical(x: Typed): string {
  switch (x.t) {
    case 'double': {
      const n = Number(x.v);
      return `double:${Number.isNaN(n) ? 'NaN' : formatDouble(n)}`;
    }
    case 'list':
      return `list[${(x.l ?? []).map(canonical).join(',')}]`;
    case 'map':
      return `map{${(x.e ?? [])
        .map(([k, v]) => `${canonical(k)}=>${canonical(v)}`)
        .sort()
        .join(',')}}`;
    case 'optional':
      return x.v === undefined ? 'optional.none' : `optional(${canonical(x.v as Typed)})`;
    default:
      return `${x.t}:${JSON.stringify(x.v ?? null)}`;
  }
}
