// kro's maps library (pkg/cel/library/maps.go): `m.merge(other)` (shallow, other wins) and
// `a.deepMerge(b)` (nested maps merged recursively; lists and scalars from b replace a's).
import { type Environment, EvaluationError } from '@marcbachmann/cel-js';
import { setOwn } from '../../json.js';
import { chargeList } from '../budget.js';
import type { CelLibrary } from '../library.js';
import { celKind, celTypeName, mapEntries } from '../values.js';

function isMap(v: unknown): v is object {
  return celKind(v) === 'map';
}

// String-keyed results are prototype-less objects (JSON-like, any key is data); other keys need
// a Map.
function toCelMap(entries: Map<unknown, unknown>): object {
  for (const k of entries.keys()) if (typeof k !== 'string') return entries;
  const out: Record<string, unknown> = Object.create(null);
  for (const [k, v] of entries) setOwn(out, k as string, v);
  return out;
}

/** `self.merge(other)`: every entry of other, plus self's entries for keys other lacks. */
export function merge(self: unknown, other: unknown): object {
  if (!isMap(self) || !isMap(other)) {
    throw new EvaluationError(`no such overload: merge(${celTypeName(self)}, ${celTypeName(other)})`);
  }
  const out = new Map<unknown, unknown>(mapEntries(other));
  for (const [k, v] of mapEntries(self)) if (!out.has(k)) out.set(k, v);
  chargeList(out.size);
  return toCelMap(out);
}

function deepMergeMaps(self: object, other: object): object {
  const otherEntries = mapEntries(other);
  if (otherEntries.length === 0) return self;
  const selfEntries = mapEntries(self);
  if (selfEntries.length === 0) return other;
  const out = new Map<unknown, unknown>(selfEntries);
  for (const [k, ov] of otherEntries) {
    const sv = out.get(k);
    out.set(k, out.has(k) && isMap(sv) && isMap(ov) ? deepMergeMaps(sv, ov) : ov);
  }
  chargeList(out.size);
  return toCelMap(out);
}

/** `self.deepMerge(other)`; inputs are never modified. */
export function deepMerge(self: unknown, other: unknown): object {
  if (!isMap(self) || !isMap(other)) throw new EvaluationError('no such overload');
  return deepMergeMaps(self, other);
}

export const kroMapsLibrary: CelLibrary = {
  name: 'cel.lib.ext.maps',
  register(env: Environment): void {
    // The signature-string form cannot spell a two-parameter receiver type.
    env.registerFunction({
      name: 'merge',
      receiverType: 'map<K, V>',
      returnType: 'map<K, V>',
      params: [{ name: 'other', type: 'map<K, V>' }],
      handler: merge,
    });
    env.registerFunction('dyn.deepMerge(dyn): dyn', deepMerge);
  },
};
