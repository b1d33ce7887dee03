// kro's maps library (pkg/cel/library/maps.go): `m.merge(other)` (shallow, other wins) and
// `a.deepMerge(b)` (nested maps merged recursively; lists and scalars from b replace a's).
import { type Environment, EvaluationError } from '@marcbachmann/cel-js';
import { chargeList } from '../budget.js';
import type { CelLibrary } from '../library.js';
import { celKind, celTypeName, makeCelMap, mapEntries, mapLookup } from '../values.js';

function isMap(v: unknown): v is object {
  return celKind(v) === 'map';
}

// The results are built as kro's mutable maps are: a key is present when a CEL-equal key is
// (an int key 1 and a uint key 1u are one key), and its typed key is kept (makeCelMap).

/** `self.merge(other)`: every entry of other, plus self's entries for keys other lacks. */
export function merge(self: unknown, other: unknown): object {
  if (!isMap(self) || !isMap(other)) {
    throw new EvaluationError(`no such overload: merge(${celTypeName(self)}, ${celTypeName(other)})`);
  }
  const out = mapEntries(other);
  const present = makeCelMap(out);
  for (const [k, v] of mapEntries(self)) if (!mapLookup(present, k).found) out.push([k, v]);
  chargeList(out.length);
  return makeCelMap(out);
}

function deepMergeMaps(self: object, other: object): object {
  const otherEntries = mapEntries(other);
  if (otherEntries.length === 0) return self;
  const selfEntries = mapEntries(self);
  if (selfEntries.length === 0) return other;
  const out = selfEntries;
  const index = makeCelMap(selfEntries.map(([k], i) => [k, i] as const));
  for (const [k, ov] of otherEntries) {
    const at = mapLookup(index, k);
    if (!at.found) {
      out.push([k, ov]);
      continue;
    }
    const entry = out[at.value as number] as [unknown, unknown];
    entry[1] = isMap(entry[1]) && isMap(ov) ? deepMergeMaps(entry[1], ov) : ov;
  }
  chargeList(out.length);
  return makeCelMap(out);
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
