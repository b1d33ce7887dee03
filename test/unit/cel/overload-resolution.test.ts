// cel-go's overload resolution where the library's checker differed (found by the CEL differential
// fuzzing against kro, docs/cel.md): results of calls with dyn operands, and free type parameters.
import { describe, expect, it } from 'vitest';
import { TypeEnv } from '../../../src/cel/typecheck.js';
import { DYN, formatCelType } from '../../../src/cel/types.js';
import { ev } from '../../helpers/kro-env.js';

const env = TypeEnv.create(new Map([['v', DYN]]));

function typeOf(expr: string): string {
  const r = env.check(expr);
  return r.ok ? formatCelType(r.type) : `error: ${r.message}`;
}

describe('calls with dyn operands', () => {
  it('are dyn when the overloads they match return different types', () => {
    expect(typeOf('[v].max()')).toBe('dyn');
    expect(typeOf('[v].sum()')).toBe('dyn');
    expect(typeOf('[v].max() + "a"')).toBe('string');
  });

  it('keep the type every matching overload returns', () => {
    expect(typeOf('v.indexOf("a")')).toBe('int');
    expect(typeOf('size(v)')).toBe('int');
  });

  it('keep the first overload when no operand is dyn, as cel-go binds a free parameter', () => {
    expect(typeOf('[].max()')).toBe('int');
    expect(typeOf('[].max() + "a"')).toMatch(
      /^error: found no matching overload for '_\+_' applied to '\(int, string\)'/,
    );
  });
});

describe('free type parameters', () => {
  it('unify with what the call needs', () => {
    expect(typeOf('[].flatten()')).toMatch(/^list/);
    expect(typeOf('optional.unwrap([])')).toMatch(/^list/);
    expect(typeOf('[].unwrapOpt()')).toMatch(/^list/);
    expect(typeOf('optional.none().value() + []')).toMatch(/^list/);
    expect(typeOf('0u >= optional.none().value()')).toBe('bool');
    expect(typeOf('optional.none().value().distinct()')).toMatch(/^list/);
    expect(typeOf('[].sortBy(x, optional.none().value())')).toMatch(/^list/);
  });

  it('still leave real mismatches refused', () => {
    expect(typeOf('[1].flatten()')).toMatch(/^error/);
    expect(typeOf('optional.unwrap([1])')).toMatch(/^error/);
  });
});

// Values kro gives (checked against the oracle of test/fuzz/cel): the overload cel-go's checker
// binds a free parameter to guards its operands at run time.
describe('an operand typed by a free type parameter is checked at run time against the bound overload', () => {
  it.each([
    'uint(dyn(optional.of(1)).value())',
    'uint(dyn(optional.of(timestamp("2000-01-01T00:00:00Z"))).value())',
    'int(dyn(optional.of(b"a")).value())',
    'dyn(optional.of(1)).value() <= true',
    'dyn(optional.of(1)).value() + "a"',
  ])('%s finds no overload', (src) => {
    expect(() => ev(src)).toThrow(/no such overload/);
  });

  it('passes operands of the bound type', () => {
    expect(ev('uint(dyn(optional.of(1u)).value()) == 1u')).toBe(true);
    expect(ev('dyn(optional.of(true)).value() <= true')).toBe(true);
    expect(ev('dyn(optional.of(1)).value() + 1')).toBe(2n);
    expect(ev('dyn(optional.of(1)).value() == "a"')).toBe(false);
    expect(ev('size(dyn(optional.of("ab")).value())')).toBe(2n);
  });
});

describe('a free list element unifies with the other operand of + and ?: (kro values, checked against the oracle)', () => {
  it.each([
    ['string(([] + [timestamp("2000-01-01T00:00:00Z")]).max())', '2000-01-01T00:00:00Z'],
    ['string(([] + [timestamp("2000-01-01T00:00:00Z")])[0])', '2000-01-01T00:00:00Z'],
    ['string(([timestamp("2000-01-01T00:00:00Z")] + []).max())', '2000-01-01T00:00:00Z'],
    ['string((true ? [] : [duration("-1ns")]).sum())', '0s'],
    ['type((true ? [] : [1.0]).sum()) == double', true],
  ])('%s', (src, value) => {
    expect(ev(src)).toBe(value);
  });
});

// kro's values (checked against the oracle of test/fuzz/cel): cel-go's run-time guard lets any
// value stand for a type parameter, checking each operand on its own.
describe('a generic declaration called with dyn operands takes any value for its type parameters', () => {
  it('lists.setAtIndex / insertAtIndex, indexOf / lastIndexOf', () => {
    expect(ev('lists.setAtIndex(dyn([1]), 0, "a")')).toEqual(['a']);
    expect(ev('lists.insertAtIndex(dyn([1]), 0, "a")')).toEqual(['a', 1n]);
    expect(ev('dyn([1]).indexOf("a")')).toBe(-1n);
    expect(ev('dyn([1]).lastIndexOf("a")')).toBe(-1n);
    expect(ev('dyn("abc").indexOf("b")')).toBe(1n);
  });

  it('element types the declaration names are still checked on the first element', () => {
    expect(() => ev('[dyn(1)].unwrapOpt()')).toThrow(/no such overload/);
    expect(() => ev('[optional.of(1), dyn(1)].unwrapOpt()')).toThrow(/value int is not optional/);
    expect(() => ev('dyn([1]).join()')).toThrow(/no (such|matching) overload/);
  });
});
