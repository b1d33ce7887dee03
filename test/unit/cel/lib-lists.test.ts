// Expected values follow cel-go's ext/lists.go documentation and implementation.
import { describe, expect, it } from 'vitest';
import { createKroEnvironment } from '../../../src/cel/environment.js';
import { env, ev } from '../../helpers/kro-env.js';

describe('lists extension', () => {
  it('slice', () => {
    expect(ev('[1, 2, 3, 4].slice(1, 3)')).toEqual([2n, 3n]);
    expect(ev('[1, 2, 3, 4].slice(2, 4)')).toEqual([3n, 4n]);
    expect(() => ev('[1, 2].slice(-1, 1)')).toThrow(/negative indexes not supported/);
    expect(() => ev('[1, 2].slice(2, 1)')).toThrow(/start index must be less than or equal to end index/);
    expect(() => ev('[1, 2].slice(0, 3)')).toThrow(/list is length 2/);
  });

  it('flatten, one level by default or to a depth', () => {
    expect(ev('[1, [2, 3], [4]].flatten()')).toEqual([1n, 2n, 3n, 4n]);
    expect(ev('[1, [2, [3, 4]]].flatten()')).toEqual([1n, 2n, [3n, 4n]]);
    expect(ev('[1, 2, [], [], [3, 4]].flatten()')).toEqual([1n, 2n, 3n, 4n]);
    expect(ev('[1, [2, [3, [4]]]].flatten(2)')).toEqual([1n, 2n, 3n, [4n]]);
    expect(() => ev('[1, [2]].flatten(-1)')).toThrow(/level must be non-negative/);
  });

  it('sort and sortBy', () => {
    expect(ev('[3, 2, 1].sort()')).toEqual([1n, 2n, 3n]);
    expect(ev("['b', 'c', 'a'].sort()")).toEqual(['a', 'b', 'c']);
    expect(ev('[b"b", b"a"].sort()')).toEqual([new Uint8Array([97]), new Uint8Array([98])]);
    expect(() => ev("[1, 'b'].sort()")).toThrow(/list elements must have the same type/);
    // cel-go declares sort() for each comparable element type: a list of lists is refused when
    // checked, `[]` sorts as a list(int), a dyn list's sort is dyn.
    expect(env.check('[[1, 2, 3]].sort()')).toMatchObject({ valid: false });
    expect(env.check('[].sort()')).toMatchObject({ valid: true, type: 'list<int>' });
    expect(env.check('dyn([1]).sort()')).toMatchObject({ valid: true, type: 'dyn' });
    expect(env.check('[].sort() + ["a"]')).toMatchObject({ valid: false });
    expect(
      ev(
        "[{'name': 'foo', 'score': 0}, {'name': 'bar', 'score': -10}, {'name': 'baz', 'score': 1000}].sortBy(e, e.score).map(e, e.name)",
      ),
    ).toEqual(['bar', 'foo', 'baz']);
    expect(ev("['aa', 'b', 'ccc'].sortBy(s, -s.size())")).toEqual(['ccc', 'aa', 'b']);
  });

  it('distinct keeps the first of equal elements (CEL equality: 1 == 1.0)', () => {
    expect(ev('[1, 2, 2, 3, 3, 3].distinct()')).toEqual([1n, 2n, 3n]);
    expect(ev("['b', 'b', 'c', 'a', 'c'].distinct()")).toEqual(['b', 'c', 'a']);
    expect(ev("[1, 'b', 2, 'b'].distinct()")).toEqual([1n, 'b', 2n]);
    expect(ev('[1, 1.0, 1u].distinct()')).toEqual([1n]);
  });

  it('reverse and lists.range', () => {
    expect(ev('[5, 3, 1, 2].reverse()')).toEqual([2n, 1n, 3n, 5n]);
    expect(ev('lists.range(5)')).toEqual([0n, 1n, 2n, 3n, 4n]);
    expect(ev('lists.range(0)')).toEqual([]);
    expect(env.check('lists.range(3)')).toMatchObject({ valid: true, type: 'list<int>' });
  });

  it('keeps element types through the checker', () => {
    const typed = createKroEnvironment().declare('l', 'list<string>');
    expect(typed.check('l.sort()')).toMatchObject({ valid: true, type: 'list<string>' });
    expect(typed.check('l.slice(0, 1)')).toMatchObject({ valid: true, type: 'list<string>' });
    expect(typed.check('l.sortBy(s, s.size())')).toMatchObject({ valid: true, type: 'list<string>' });
    expect(typed.check('l.sortBy(s, [s])').valid).toBe(false);
  });
});
