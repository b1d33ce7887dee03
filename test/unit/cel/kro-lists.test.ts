import { describe, expect, it } from 'vitest';
import { insertAtIndex, kroListsLibrary, removeAtIndex, setAtIndex } from '../../../src/cel/lib/kro-lists.js';
import { type Case, envWith, runTable } from '../../helpers/cel-table.js';

// Expected values and error texts below were produced by evaluating each expression with kro's
// own CEL environment (kro@0302e659: cel-go v0.31.0, k8s.io/apiserver v0.36.3, Go 1.26), not by
// the code under test. Ints are written as decimal strings so 64-bit values stay exact.
const LIST_CASES: readonly Case[] = [
  { expr: 'lists.setAtIndex([1, 2, 3], 1, 99)', type: 'list', value: [1, 99, 3] },
  { expr: 'lists.setAtIndex(["a", "b", "c"], 0, "z")', type: 'list', value: ['z', 'b', 'c'] },
  { expr: 'lists.setAtIndex([1, 2, 3], 3, 99)', error: 'lists.setAtIndex: index 3 out of bounds [0, 3)' },
  { expr: 'lists.setAtIndex([1, 2, 3], -1, 99)', error: 'lists.setAtIndex: index -1 out of bounds [0, 3)' },
  { expr: "lists.setAtIndex([1, 2, 3], 1, 'x')", compileError: true },
  { expr: 'lists.setAtIndex([], 0, 1)', error: 'lists.setAtIndex: index 0 out of bounds [0, 0)' },
  { expr: 'lists.insertAtIndex([1, 2, 3], 1, 99)', type: 'list', value: [1, 99, 2, 3] },
  { expr: 'lists.insertAtIndex([1, 2, 3], 0, 99)', type: 'list', value: [99, 1, 2, 3] },
  { expr: 'lists.insertAtIndex([1, 2, 3], 3, 99)', type: 'list', value: [1, 2, 3, 99] },
  {
    expr: 'lists.insertAtIndex([1, 2, 3], 4, 99)',
    error: 'lists.insertAtIndex: index 4 out of bounds [0, 3]',
  },
  {
    expr: 'lists.insertAtIndex([1, 2, 3], -1, 99)',
    error: 'lists.insertAtIndex: index -1 out of bounds [0, 3]',
  },
  { expr: 'lists.insertAtIndex([], 0, 1)', type: 'list', value: [1] },
  { expr: 'lists.removeAtIndex([1, 2, 3], 1)', type: 'list', value: [1, 3] },
  { expr: 'lists.removeAtIndex([1, 2, 3], 0)', type: 'list', value: [2, 3] },
  { expr: 'lists.removeAtIndex([1, 2, 3], 2)', type: 'list', value: [1, 2] },
  { expr: 'lists.removeAtIndex([1, 2, 3], 3)', error: 'lists.removeAtIndex: index 3 out of bounds [0, 3)' },
  { expr: 'lists.removeAtIndex([1, 2, 3], -1)', error: 'lists.removeAtIndex: index -1 out of bounds [0, 3)' },
  { expr: 'lists.removeAtIndex([], 0)', error: 'lists.removeAtIndex: index 0 out of bounds [0, 0)' },
  { expr: 'lists.setAtIndex([1, 2, 3], 1u, 99)', compileError: true },
  { expr: "lists.removeAtIndex({'a': 1}, 0)", compileError: true },
];

describe('kro lists library', () => {
  const env = envWith(kroListsLibrary);
  runTable(env, LIST_CASES);

  it('never mutates its input', () => {
    const xs = [1n, 2n, 3n];
    expect(setAtIndex(xs, 0n, 9n)).toEqual([9n, 2n, 3n]);
    expect(insertAtIndex(xs, 1n, 9n)).toEqual([1n, 9n, 2n, 3n]);
    expect(removeAtIndex(xs, 2n)).toEqual([1n, 2n]);
    expect(xs).toEqual([1n, 2n, 3n]);
  });
});
