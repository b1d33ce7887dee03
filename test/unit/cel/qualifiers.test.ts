// Indexes and selects as cel-go qualifies them (each expected result is kro's, checked against
// the oracle of test/fuzz/cel): only strings, ints, uints, bools and doubles index; a list takes
// ints, uints and integral doubles only, with `[?` too; a map's key type admits only itself.
import { describe, expect, it } from 'vitest';
import { TypeEnv } from '../../../src/cel/typecheck.js';
import { DYN } from '../../../src/cel/types.js';
import { ev } from '../../helpers/kro-env.js';

const typeEnv = TypeEnv.create(new Map([['v', DYN]]));
const checkError = (src: string): string | undefined => {
  const r = typeEnv.check(src);
  return r.ok ? undefined : r.message;
};

describe('run time', () => {
  it.each([
    ['dyn([1])[?"a"]', /unsupported index type 'string' in list/],
    ['dyn([1])["a"]', /unsupported index type 'string' in list/],
    ['dyn([1])[?true]', /unsupported index type 'bool' in list/],
    ['dyn([1])[?1.5]', /unsupported index value 1.5 in list/],
    ['dyn([1]).a', /unsupported index type 'string' in list/],
    ['dyn([1]).?a', /unsupported index type 'string' in list/],
    ['optional.of(dyn([1])).?a', /unsupported index type 'string' in list/],
    ['dyn({"a": 1})[?[]]', /invalid qualifier type/],
    ['{"a": 1}[?dyn([])]', /invalid qualifier type/],
    ['dyn({"a": 1})[duration("1s")]', /invalid qualifier type/],
    ['dyn({"a": 1})[?optional.none()]', /invalid qualifier type/],
    ['dyn({"a": 1})[?dyn(null)]', /invalid qualifier type/],
  ])('%s fails', (src, error) => {
    expect(() => ev(src)).toThrow(error);
  });

  it('valid qualifiers are unchanged', () => {
    expect(ev('dyn([1])[?1.0].hasValue()')).toBe(false);
    expect(ev('dyn([1, 2])[1u]')).toBe(2n);
    expect(ev('dyn([1, 2])[1.0]')).toBe(2n);
    expect(ev('dyn({1: 2})[?1.0].value()')).toBe(2n);
    expect(ev('dyn({"a": 1})[?1.5].hasValue()')).toBe(false);
    expect(ev('dyn("abc")[?0].hasValue()')).toBe(false);
    expect(ev('dyn({"a": 1}).a')).toBe(1n);
    expect(ev('optional.none().?a.hasValue()')).toBe(false);
    expect(ev('optional.none()[?[]].hasValue()')).toBe(false);
  });
});

describe('check time', () => {
  it.each([
    ['{1: 2}[1u]', "found no matching overload for '_[_]' applied to '(map(int, int), uint)'"],
    ['{"a": 1}[?1]', "found no matching overload for '_[?_]' applied to '(map(string, int), int)'"],
    ['{true: 1}[1]', "found no matching overload for '_[_]' applied to '(map(bool, int), int)'"],
    ['dyn({"a": 1})[null]', 'invalid qualifier type: types.Null'],
    ['dyn({"a": 1})[?b"a"]', 'invalid qualifier type: types.Bytes'],
  ])('%s', (src, message) => {
    expect(checkError(src)).toBe(message);
  });

  it('passes keys of the map key type and dyn', () => {
    expect(checkError('{"a": 1}[?"a"]')).toBeUndefined();
    expect(checkError('{"a": 1}[dyn(1)]')).toBeUndefined();
    expect(checkError('{dyn(1): 1}[1u]')).toBeUndefined();
  });
});
