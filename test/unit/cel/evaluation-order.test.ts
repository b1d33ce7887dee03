// cel-go evaluates a call's receiver and arguments and a list literal's elements from left to
// right and reports the first error; each expected error below is kro's (checked against the
// oracle of test/fuzz/cel).
import { describe, expect, it } from 'vitest';
import { ev } from '../../helpers/kro-env.js';

describe('operands are evaluated left to right, the first error wins', () => {
  it.each([
    ['[1 / 0, uint(-7)]', /division by zero/],
    ['[uint(-7), 1 / 0]', /unsigned integer overflow|overflow/],
    ['[1 / 0, optional.none().value()]', /division by zero/],
    ['[optional.none().value(), 1 / 0]', /not present|dereference/],
    ['dyn([optional.none().value(), uint(-7)])', /not present|dereference/],
    ['lists.setAtIndex([1], 1 / 0, int(uint(-1)))', /division by zero/],
    ['"a".substring(1 / 0, int(uint(-1)))', /division by zero/],
    ['"a".substring(int(uint(-1)), 1 / 0)', /overflow/],
  ])('%s', (src, error) => {
    expect(() => ev(src)).toThrow(error);
  });

  it('values are unchanged', () => {
    expect(ev('[1, 2, 3]')).toEqual([1n, 2n, 3n]);
    expect(ev('"abc".substring(1, 2)')).toBe('b');
    expect(ev('lists.setAtIndex([1, 2], 1, 3)')).toEqual([1n, 3n]);
  });
});
