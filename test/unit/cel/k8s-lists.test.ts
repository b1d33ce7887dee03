import { describe, expect, it } from 'vitest';
import { indexOf, isSorted, kubernetesListsLibrary, min, sum } from '../../../src/cel/lib/k8s-lists.js';
import { type Case, envWith, runTable } from '../../helpers/cel-table.js';

// Expected values and error texts below were produced by evaluating each expression with kro's
// own CEL environment (kro@0302e659: cel-go v0.31.0, k8s.io/apiserver v0.36.3, Go 1.26), not by
// the code under test. Ints are written as decimal strings so 64-bit values stay exact.
const LIST_CASES: readonly Case[] = [
  { expr: '[1, 2, 3].isSorted()', type: 'bool', value: true },
  { expr: '[3, 1].isSorted()', type: 'bool', value: false },
  { expr: "['a', 'b', 'b', 'c'].isSorted()", type: 'bool', value: true },
  { expr: '[2.0, 1.0].isSorted()', type: 'bool', value: false },
  { expr: '[1].isSorted()', type: 'bool', value: true },
  { expr: '[].isSorted()', type: 'bool', value: true },
  { expr: '[1u, 2u].isSorted()', type: 'bool', value: true },
  { expr: '[true, false].isSorted()', type: 'bool', value: false },
  { expr: '[false, true].isSorted()', type: 'bool', value: true },
  { expr: "[b'a', b'b'].isSorted()", type: 'bool', value: true },
  { expr: "[b'b', b'a'].isSorted()", type: 'bool', value: false },
  { expr: "[duration('1s'), duration('2s')].isSorted()", type: 'bool', value: true },
  { expr: '[1, 3].sum()', type: 'int', value: '4' },
  { expr: '[1.0, 3.0].sum()', type: 'double', value: 4 },
  { expr: '[1u, 3u].sum()', type: 'uint', value: '4' },
  { expr: '[].sum()', type: 'int', value: '0' },
  { expr: 'dyn([]).sum()', type: 'int', value: '0' },
  { expr: 'dyn([1.5, 2.0]).sum()', type: 'double', value: 3.5 },
  { expr: '[9223372036854775807, 1].sum()', error: 'integer overflow' },
  // found by differential fuzzing: durations are int64 nanoseconds
  { expr: '[duration("2562047h47m16.854775807s"), duration("1ns")].sum()', error: 'integer overflow' },
  { expr: '[1, 3].min()', type: 'int', value: '1' },
  { expr: '[1, 3].max()', type: 'int', value: '3' },
  { expr: '[].min()', error: 'min called on empty list' },
  { expr: '[].max()', error: 'max called on empty list' },
  { expr: '[1].min()', type: 'int', value: '1' },
  { expr: "['b', 'a', 'c'].min()", type: 'string', value: 'a' },
  { expr: "['b', 'a', 'c'].max()", type: 'string', value: 'c' },
  { expr: '[2.5, 1.5].min()', type: 'double', value: 1.5 },
  { expr: '[true, false].min()', type: 'bool', value: false },
  { expr: "[b'b', b'a'].min()", type: 'bytes', value: 'YQ==' },
  { expr: "[duration('2s'), duration('1s')].min()", type: 'google.protobuf.Duration', value: '1s' },
  { expr: '[1u, 5u, 3u].max()', type: 'uint', value: '5' },
  { expr: '[1, 2, 2, 3].indexOf(2)', type: 'int', value: '1' },
  { expr: "['a', 'b', 'b', 'c'].lastIndexOf('b')", type: 'int', value: '2' },
  { expr: '[1.0].indexOf(1.1)', type: 'int', value: '-1' },
  { expr: "[].indexOf('string')", type: 'int', value: '-1' },
  { expr: '[1, 2, 3].lastIndexOf(4)', type: 'int', value: '-1' },
  { expr: '[[1], [2]].indexOf([2])', type: 'int', value: '1' },
  { expr: "[{'a': 1}].indexOf({'a': 1})", type: 'int', value: '0' },
  { expr: 'dyn([1, 2.0]).indexOf(2)', type: 'int', value: '1' },
  { expr: '[1, 2].sum() == 3', type: 'bool', value: true },
  { expr: '[1, 2].isSorted() == true', type: 'bool', value: true },
  { expr: '[1, 2.0].sum()', error: 'no such overload' },
  { expr: 'dyn([1, 2.0]).sum()', error: 'no such overload' },
  { expr: 'dyn([1, 2.0]).max()', type: 'double', value: 2 },
  { expr: "dyn([1, 'a']).max()", type: 'int', value: '1' },
  { expr: "['a'].sum()", compileError: true },
  { expr: "[{'a': 1}].min()", compileError: true },
  { expr: '[[1]].isSorted()', compileError: true },
  { expr: "dyn(['a', 'b']).isSorted()", type: 'bool', value: true },
  { expr: 'dyn([1, [1]]).isSorted()', error: 'no such overload' },
  { expr: "dyn([2, 'a', 1]).isSorted()", type: 'bool', value: true },
  { expr: 'dyn([1.0, 2]).sum()', error: 'no such overload' },
  { expr: 'dyn([1u, 2]).sum()', error: 'no such overload' },
  { expr: "dyn([duration('1s'), 2]).sum()", error: 'no such overload' },
  { expr: "dyn([b'a', 'a']).min()", type: 'bytes', value: 'YQ==' },
  { expr: "dyn(['b', 1, 'a']).min()", type: 'string', value: 'a' },
  { expr: "[double('NaN'), 1.0].isSorted()", type: 'bool', value: true },
  { expr: "[1.0, double('NaN')].min()", type: 'double', value: 1 },
  { expr: "[double('NaN'), 1.0].min()", type: 'double', value: 'NaN' },
  { expr: "[1.0, double('NaN'), 0.5].max()", type: 'double', value: 1 },
  { expr: '[[1, 2], [3]].lastIndexOf([3])', type: 'int', value: '1' },
  { expr: '[18446744073709551615u, 1u].sum()', error: 'unsigned integer overflow' },
  { expr: "[duration('1s'), duration('-2s')].sum()", type: 'google.protobuf.Duration', value: '-1s' },
  { expr: '[9223372036854775807, 1, -5].sum()', error: 'integer overflow' },
  { expr: '[-9223372036854775808, -1].sum()', error: 'integer overflow' },
  { expr: '[1.5, 2.5].sum()', type: 'double', value: 4 },
  { expr: "[duration('1s'), duration('1s')].isSorted()", type: 'bool', value: true },
  { expr: "[b'', b'a'].isSorted()", type: 'bool', value: true },
  { expr: "['', 'a', 'B'].isSorted()", type: 'bool', value: false },
  { expr: "['é', 'z'].isSorted()", type: 'bool', value: false },
];

describe('kubernetes lists library', () => {
  const env = envWith(kubernetesListsLibrary);
  runTable(env, LIST_CASES);

  it('sums durations', () => {
    const d = env.evaluate("[duration('1m'), duration('1s')].sum()") as { seconds: bigint; nanos: number };
    expect([d.seconds, d.nanos]).toEqual([61n, 0]);
  });

  it('orders timestamps', () => {
    expect(
      env.evaluate("[timestamp('2020-01-01T00:00:00Z'), timestamp('2019-01-01T00:00:00Z')].isSorted()"),
    ).toBe(false);
    const max = env.evaluate(
      "[timestamp('2020-01-01T00:00:00Z'), timestamp('2019-01-01T00:00:00Z')].max()",
    ) as Date;
    expect(max.toISOString()).toBe('2020-01-01T00:00:00.000Z');
  });

  // cel-go dispatches a dyn list by its first element: the results Kubernetes gives.
  it('dispatches untyped lists by their first element', () => {
    expect(sum([1.5, 2], 'int')).toBe(3.5);
    expect(() => sum(['a'], 'int')).toThrow('no such overload: sum(list)');
    expect(() => sum([true], 'int')).toThrow('no such overload: sum(list)');
    expect(() => min([[1]], 'int')).toThrow('no such overload: min(list)');
    expect(() => isSorted([[1]], 'int')).toThrow('no such overload: isSorted(list)');
    expect(indexOf([1n, 2n], 2)).toBe(1n);
    expect(indexOf([1n, 'a'], 'a')).toBe(1n);
    expect(sum([], 'double')).toBe(0);
  });
});
