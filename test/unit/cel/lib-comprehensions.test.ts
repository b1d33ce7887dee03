// Expected values follow cel-go's parser/macro.go (one-variable macros) and
// ext/comprehensions.go (two-variable forms): lists bind index and element, maps key and value;
// all/exists absorb errors when another element decides the result; existsOne and the
// transforms fail on the first error.
import { describe, expect, it } from 'vitest';
import { createKroEnvironment } from '../../../src/cel/environment.js';
import { env, ev } from '../../helpers/kro-env.js';

describe('one-variable macros', () => {
  it('all / exists / exists_one / existsOne', () => {
    expect(ev('[1, 2, 3].all(e, e > 0)')).toBe(true);
    expect(ev('[1, 2, 3].exists(e, e == 2)')).toBe(true);
    expect(ev('[1, 2, 3].exists_one(e, e > 2)')).toBe(true);
    expect(ev('[1, 2, 3].existsOne(e, e > 1)')).toBe(false);
    expect(ev("{'a': 1, 'b': 2}.exists(k, k == 'b')")).toBe(true);
  });

  it('an empty literal iterates as dyn (the library threw on this)', () => {
    expect(ev('[].all(e, e > 0)')).toBe(true);
    expect(ev('[].exists(e, e == 2)')).toBe(false);
  });

  it('all and exists absorb an error when another element decides', () => {
    expect(ev('[1, 2, 3].all(e, 6 / (2 - e) == 6)')).toBe(false);
    expect(() => ev('[1, 2, 3].all(e, e / 0 != 17)')).toThrow(/division by zero/);
    expect(ev('[0, 1].exists(e, 1 / e == 1)')).toBe(true);
    expect(() => ev('[1, 2].exists_one(e, e / 0 == 1)')).toThrow(/division by zero/);
  });

  it('map and filter', () => {
    expect(ev('[1, 2, 3].map(i, i * 2)')).toEqual([2n, 4n, 6n]);
    expect(ev('[1, 2, 3].map(i, i > 1, i * 10)')).toEqual([20n, 30n]);
    expect(ev('[1, 2, 3].filter(i, i > 1)')).toEqual([2n, 3n]);
    expect(ev("{'a': 1, 'b': 2}.map(k, k)")).toEqual(['a', 'b']);
    expect(env.check('[1, 2].map(i, i * 2)')).toMatchObject({ valid: true, type: 'list<int>' });
  });

  it('int map keys stay ints while iterating', () => {
    expect(ev("{6: 'six', 7: 'seven', 8: 'eight'}.exists_one(foo, foo % 5 == 2)")).toBe(true);
  });

  it('rejects a non-identifier variable at parse time', () => {
    expect(() => env.compile('[1].map(1, 2)')).toThrow(/invalid predicate iteration variable/);
  });
});

describe('two-variable comprehensions', () => {
  it('quantifiers bind index/element and key/value', () => {
    expect(ev('[1, 2, 3].all(i, v, i > -1 && v > 0)')).toBe(true);
    expect(ev('[1, 2, 3].exists(i, v, i == 1 && v == 2)')).toBe(true);
    expect(ev("{'key1': 1, 'key2': 2}.exists(k, v, k == 'key2' && v == 2)")).toBe(true);
    expect(ev("{'a': 1, 'b': 1}.existsOne(k, v, v == 1)")).toBe(false);
    expect(ev("{'a': 1, 'b': 2}.exists_one(k, v, v == 1)")).toBe(true);
  });

  it('transformList', () => {
    expect(ev('[10, 20].transformList(i, v, v + i)')).toEqual([10n, 21n]);
    expect(ev('[1, 2, 3].transformList(i, v, i > 0, v * 2)')).toEqual([4n, 6n]);
    expect(ev("{'a': 1}.transformList(k, v, k + string(v))")).toEqual(['a1']);
  });

  it('transformMap keeps the keys (list indices become int keys)', () => {
    expect(ev("{'a': 1, 'b': 2}.transformMap(k, v, v + 1)")).toEqual({ a: 2n, b: 3n });
    expect(ev("{'a': 1, 'b': 2}.transformMap(k, v, v > 1, v)")).toEqual({ b: 2n });
    expect(ev('[10, 20].transformMap(i, v, v)[1]')).toBe(20n);
    expect(ev('[10, 20].transformMap(i, v, v).map(k, type(k) == int)')).toEqual([true, true]);
  });

  it('transformMapEntry builds the map from returned entries and rejects repeated keys', () => {
    expect(ev("{'a': 'x', 'b': 'y'}.transformMapEntry(k, v, {v: k})")).toEqual({ x: 'a', y: 'b' });
    expect(ev("{'a': 1, 'b': 2}.transformMapEntry(k, v, v > 1, {k + k: v})")).toEqual({ bb: 2n });
    expect(() => ev("{'a': 'x', 'b': 'x'}.transformMapEntry(k, v, {v: k})")).toThrow(/already exists/);
  });

  it('checks variable names and types', () => {
    expect(() => env.compile('[1].all(x, x, x > 0)')).toThrow(/duplicate variable name: x/);
    expect(() => env.compile('[1].transformList(1, v, v)')).toThrow(/simple name/);
    const typed = createKroEnvironment().declare('l', 'list<string>');
    expect(typed.check('l.transformList(i, v, i)')).toMatchObject({ valid: true, type: 'list<int>' });
    expect(typed.check('l.transformMap(i, v, v.size())')).toMatchObject({
      valid: true,
      type: 'map<int, int>',
    });
    expect(typed.check('l.all(i, v, v)').valid).toBe(false);
  });
});

describe('cel.bind', () => {
  it('binds a value for the body', () => {
    expect(ev('cel.bind(x, 2, x * x)')).toBe(4n);
    expect(ev('cel.bind(valid, [1, 2, 3], [3, 4, 5].exists(e, e in valid))')).toBe(true);
  });

  it('computes the value only when the body reads it, as cel-go does', () => {
    expect(ev('cel.bind(x, 1 / 0, 2)')).toBe(2n);
    expect(ev('cel.bind(x, 1 / 0, [].map(y, x))')).toEqual([]);
    expect(ev('cel.bind(x, 1 / 0, true || x == 1)')).toBe(true);
    expect(() => ev('cel.bind(x, 1 / 0, [1].map(y, x))')).toThrow(/division by zero/);
    expect(() => ev('cel.bind(x, 1 / 0, x)')).toThrow(/division by zero/);
  });

  it('reads the value in the scope the macro was evaluated in', () => {
    expect(ev('[1, 2].map(a, cel.bind(x, a * 2, [3, 4].map(b, x + b)))')).toEqual([
      [5n, 6n],
      [7n, 8n],
    ]);
    expect(ev('cel.bind(x, 1, cel.bind(x, x + 1, x))')).toBe(2n);
  });
});

describe('a bound value of another type than the checker bound (found by differential fuzzing)', () => {
  it('is bound as it is, as cel-go never checks at run time', () => {
    // The library types [] + [durations] as a list of its free parameter and sort() binds it to int.
    expect(ev('([] + [duration("1ns"), duration("0s")]).sort().all(d, true)')).toBe(true);
    expect(ev('optional.of("-0").optMap(a, optional.none()).optMap(b, 1).value()')).toBe(1n);
  });
});
