import { UnsignedInt } from '@marcbachmann/cel-js/evaluator';
import { describe, expect, it } from 'vitest';
import { kroJsonLibrary } from '../../../src/cel/lib/kro-json.js';
import { deepMerge, kroMapsLibrary, merge } from '../../../src/cel/lib/kro-maps.js';
import { mapEntries } from '../../../src/cel/values.js';
import { type Case, envWith, runTable } from '../../helpers/cel-table.js';

// Expected values and error texts below were produced by evaluating each expression with kro's
// own CEL environment (kro@0302e659: cel-go v0.31.0, k8s.io/apiserver v0.36.3, Go 1.26), not by
// the code under test. Ints are written as decimal strings so 64-bit values stay exact.
const MAP_CASES: readonly Case[] = [
  { expr: '{}.merge({}) == {}', type: 'bool', value: true },
  { expr: "{}.merge({'a': 1}) == {'a': 1}", type: 'bool', value: true },
  { expr: "{'a': 1}.merge({'a': 2, 'b': 2}) == {'a': 2, 'b': 2}", type: 'bool', value: true },
  { expr: "{'a': 1}.merge({'b': 2})", type: 'map', value: { a: 1, b: 2 } },
  {
    expr: "{'a': {'x': 1, 'y': 2}}.merge({'a': {'y': 3, 'z': 4}})",
    type: 'map',
    value: { a: { y: 3, z: 4 } },
  },
  { expr: "{'a': 1}.merge({'b': 'x'})", compileError: true },
  { expr: "{'a': 1}.merge([1])", compileError: true },
  { expr: "{'a': {'x': 1}}.deepMerge({'a': {'y': 2}})", type: 'map', value: { a: { x: 1, y: 2 } } },
  { expr: "{'a': {'x': 1}}.deepMerge({'a': {'x': 9}})", type: 'map', value: { a: { x: 9 } } },
  { expr: "{'a': {'x': 1}}.deepMerge({'a': 5})", type: 'map', value: { a: 5 } },
  { expr: "{'a': 5}.deepMerge({'a': {'x': 1}})", type: 'map', value: { a: { x: 1 } } },
  { expr: "{'a': [1, 2]}.deepMerge({'a': [3]})", type: 'map', value: { a: [3] } },
  { expr: "{'a': 1}.deepMerge([1, 2, 3])", error: 'no such overload' },
  { expr: "[1, 2].deepMerge({'a': 1})", error: 'no such overload' },
  { expr: "{'a': 1}.deepMerge('nope')", error: 'no such overload' },
  { expr: "'nope'.deepMerge({'a': 1})", error: 'no such overload' },
  { expr: '1.deepMerge(2)', error: 'no such overload' },
  { expr: '{}.deepMerge({})', type: 'map', value: {} },
  {
    expr: "json.marshal({'b': {'y': 1}, 'a': 1}.deepMerge({'b': {'x': 2}, 'c': 3}))",
    type: 'string',
    value: '{"a":1,"b":{"x":2,"y":1},"c":3}',
  },
];

describe('kro maps library', () => {
  const env = envWith(kroMapsLibrary, kroJsonLibrary);
  runTable(env, MAP_CASES);

  it("treats CEL-equal keys as one key, as kro's mutable maps do (found by differential fuzzing)", () => {
    const u = (n: bigint) => new UnsignedInt(n);
    const merged = merge(new Map([[u(1n), 'self']]), new Map([[u(1n), 'other']]));
    expect(mapEntries(merged)).toEqual([[u(1n), 'other']]);
    expect(mapEntries(merge(new Map([[1n, 'self']]), new Map([[u(1n), 'other']])))).toEqual([
      [u(1n), 'other'],
    ]);
  });

  it('reports non-map operands', () => {
    expect(() => merge({ a: 1n }, [1n])).toThrow('no such overload: merge(map, list)');
    expect(() => merge([1n], { a: 1n })).toThrow('no such overload: merge(list, map)');
    expect(() => deepMerge({ a: 1n }, [1n])).toThrow('no such overload');
    expect(() => deepMerge('x', { a: 1n })).toThrow('no such overload');
  });

  it('keeps non-string keys and leaves inputs untouched', () => {
    const a = new Map<unknown, unknown>([
      [1n, 'a'],
      [2n, 'b'],
    ]);
    const b = new Map<unknown, unknown>([
      [2n, 'c'],
      [3n, 'd'],
    ]);
    expect(mapEntries(deepMerge(a, b))).toEqual([
      [1n, 'a'],
      [2n, 'c'],
      [3n, 'd'],
    ]);
    expect(mapEntries(merge(a, b)).sort()).toEqual([
      [1n, 'a'],
      [2n, 'c'],
      [3n, 'd'],
    ]);
    expect([...a]).toEqual([
      [1n, 'a'],
      [2n, 'b'],
    ]);
    const base = { a: { x: 1n } };
    deepMerge(base, { a: { y: 2n } });
    expect(base).toEqual({ a: { x: 1n } });
  });
});
