// cel-go's run-time dispatch where the library's differed (found by the CEL differential fuzzing
// against kro, docs/cel.md). Every expected value or error is kro v0.9.3's, read from the oracle
// of test/fuzz/cel.
import { describe, expect, it } from 'vitest';
import type { Duration } from '../../../src/cel/values.js';
import { ev } from '../../helpers/kro-env.js';

const nanos = (v: unknown): bigint => {
  const d = v as Duration;
  return d.seconds * 1_000_000_000n + BigInt(d.nanos);
};

describe('trait bindings: an operator cel-go binds once for every operand with the trait', () => {
  it('negates a dyn duration (the checker still refuses -duration(d))', () => {
    expect(nanos(ev('-dyn(duration("1s"))'))).toBe(-1_000_000_000n);
    expect(nanos(ev('-dyn(duration("-1.5h"))'))).toBe(5_400_000_000_000n);
    expect(ev('-dyn(1)')).toBe(-1n);
    expect(() => ev('-dyn(duration("-9223372036854775807ns") - duration("1ns"))')).toThrow(/overflow/);
    expect(() => ev('-dyn(1u)')).toThrow(/no such overload/);
    expect(() => ev('-dyn(true)')).toThrow(/no such overload/);
  });
});

describe('flatten() takes any list, as cel-go disables its type guards', () => {
  it('keeps the scalars of a dyn list', () => {
    expect(ev('dyn([1, 2]).flatten()')).toEqual([1n, 2n]);
    expect(ev('dyn([1, [2]]).flatten()')).toEqual([1n, 2n]);
    expect(ev('dyn([]).flatten()')).toEqual([]);
    expect(() => ev('dyn(1).flatten()')).toThrow(/no (such|matching) overload/);
  });
});

describe('sum() adds with the accumulator’s own addition, as Kubernetes’ library does', () => {
  it('a duration plus a timestamp is a timestamp', () => {
    expect(ev('string([dyn(duration("1s")), timestamp("2000-01-01T00:00:00Z")].sum())')).toBe(
      '2000-01-01T00:00:01Z',
    );
    expect(
      ev('string([duration("1.5h"), duration("59s"), dyn(timestamp("0001-01-01T00:00:00Z"))].sum())'),
    ).toBe('0001-01-01T01:30:59Z');
    expect(
      ev('string([dyn(duration("1s")), dyn(timestamp("2000-01-01T00:00:00Z")), duration("1s")].sum())'),
    ).toBe('2000-01-01T00:00:02Z');
  });

  it('fails on any other mix, and past the timestamp range', () => {
    expect(() =>
      ev('[dyn(duration("1s")), timestamp("2000-01-01T00:00:00Z"), timestamp("2000-01-01T00:00:00Z")].sum()'),
    ).toThrow(/no such overload/);
    expect(() => ev('[dyn(1), "a"].sum()')).toThrow(/no such overload/);
    expect(() => ev('[dyn(duration("1s")), timestamp("9999-12-31T23:59:59Z")].sum()')).toThrow(/overflow/);
  });
});

describe('a list holding a free type parameter is guarded by the overload cel-go binds it to', () => {
  // distinct() of a dyn value and flatten() of a list(dyn) leave their element free in cel-go;
  // min/max/sum/isSorted bind it to their first overload (int) and its guard refuses the list.
  it.each([
    '[1u, dyn(3u)].sort().distinct().max()',
    '[dyn([2.0]), [1.0]].flatten().sum()',
    '[dyn([true])].flatten(7).flatten().min()',
    '[dyn("a"), [2.0]].flatten().max()',
    '[dyn([2.0]), ["a"]].flatten().isSorted()',
    '[dyn([]), [duration("1.5h")]].flatten().min()',
    '[dyn([]), [1.0]].flatten().reverse().sum()',
    '[[7u, 4294967295u], dyn([])].flatten().sort().max()',
  ])('%s finds no overload', (src) => {
    expect(() => ev(src)).toThrow(/no such overload/);
  });

  it('passes lists of the bound type, and any list where the declaration has a type parameter', () => {
    expect(ev('[1, dyn(3)].sort().distinct().max()')).toBe(3n);
    expect(ev('[dyn([]), [1]].flatten().sum()')).toBe(1n);
    expect(ev('[dyn([2.0]), ["a"]].flatten().indexOf("a")')).toBe(1n);
    expect(ev('[dyn(1), [2.0]].flatten().size()')).toBe(2n);
  });
});

describe('a comprehension predicate that is no bool finds no overload (cel-go expands to ||, && and ?:)', () => {
  it.each(['[42].exists(x, dyn(1.5))', '[42].all(x, dyn(1.5))', '[42].exists_one(x, dyn(1.5))'])(
    '%s',
    (src) => {
      expect(() => ev(src)).toThrow(/no such overload/);
    },
  );
});

// cel-go qualifies the value inside an optional through its native Go value, and a filter()
// step reads the element through its variable: a nested optional collapses to one level there.
describe('nested optionals reached through a select, an index or filter() collapse as in kro', () => {
  it.each([
    ['optional.of(dyn(optional.none()))[?4294967295u].hasValue()', false],
    ['optional.of(dyn(optional.of(1)))[?0].hasValue()', false],
    ['dyn(optional.of(optional.none()))[?"k"].hasValue()', false],
    ['dyn(optional.of(optional.none())).k.hasValue()', false],
    ['dyn(optional.of(optional.of([5])))[?0].value()', 5n],
    ['dyn(optional.of(optional.of({"k": 5}))).k.value()', 5n],
    ['dyn(optional.of(optional.of(optional.of({"k": 5}))))["k"].value()', 5n],
    ['[optional.of(optional.none())].filter(x, true).unwrapOpt()', [null]],
    ['[optional.of(optional.of(1))].filter(x, true)[0].value()', 1n],
  ])('%s', (src, value) => {
    expect(ev(src)).toEqual(value);
  });
});

// cel-go's evalOr/evalAnd: both sides unless the left decides, then the left error first.
describe('which error wins in || and &&', () => {
  it.each([
    ['dyn(7u) || bool("x")', /no (such|matching) overload/],
    ['(1 / 0 > 1) || int("x") > 0', /division by zero/],
    ['dyn(bytes("a")).min() && 1 / 0 > 1', /no (such|matching) overload/],
    ['json.unmarshal("42").isLinkLocalUnicast() && json.unmarshal("x") > 0', /no (such|matching) overload/],
    ['false || dyn(1)', /no (such|matching) overload/],
  ])('%s', (src, error) => {
    expect(() => ev(src)).toThrow(error);
  });

  it('a side that decides still wins over an error', () => {
    expect(ev('dyn(7u) || true')).toBe(true);
    expect(ev('1 / 0 > 1 && false')).toBe(false);
  });
});

describe("cel-go's guards of join() and sortBy()", () => {
  it('join() of a list whose first element is no string finds no overload; a later one is invalid input', () => {
    expect(() => ev('[dyn(0.0), ""].join("-")')).toThrow(/no such overload/);
    expect(() => ev('["", dyn(0.0)].join("-")')).toThrow(/join: invalid input/);
  });

  it('sortBy() of a dyn map finds no overload, of a scalar has nothing to iterate', () => {
    expect(() => ev('dyn({}).sortBy(x, 0.0)')).toThrow(/no such overload/);
    expect(() => ev('dyn(2).sortBy(x, true)')).toThrow(/must be a list/);
    expect(() => ev('dyn(2).sortBy(x, true)')).not.toThrow(/no such overload/);
    // The keys are computed over the map's keys first (kro's error, checked against the oracle).
    expect(() => ev('dyn({"a": 1}).sortBy(k, uint(optional.none().value()))')).toThrow(/not present/);
    expect(() => ev('dyn({"a": 1}).sortBy(k, k + 1)')).toThrow(/no such overload: dyn<string> \+ int/);
  });
});
