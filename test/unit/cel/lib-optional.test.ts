// Expected values follow cel-go's optional library (cel/library.go) and the cel-spec
// optionals conformance file.
import { Optional } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { env, ev } from '../../helpers/kro-env.js';

describe('optional values', () => {
  it('optMap and optFlatMap', () => {
    expect(ev('optional.of(42).optMap(y, y + 1).value()')).toBe(43n);
    expect(ev('optional.none().optMap(y, y + 1).hasValue()')).toBe(false);
    expect(ev("{'key': {'subkey': 'v'}}.?key.optFlatMap(k, k.?subkey).value()")).toBe('v');
    expect(ev("{'key': {}}.?key.optFlatMap(k, k.?subkey).hasValue()")).toBe(false);
    expect(() => ev('optional.of(1).optFlatMap(k, k + 1)')).toThrow(/must return an optional/);
    expect(() => env.compile('optional.of(1).optMap(1, 2)')).toThrow(/simple identifier/);
  });

  it('optional.ofNonZeroValue treats zero values as absent', () => {
    for (const zero of ['null', "''", '0', '0u', '0.0', 'false', '[]', '{}', "b''", "duration('0s')"]) {
      expect(ev(`optional.ofNonZeroValue(${zero}).hasValue()`)).toBe(false);
    }
    expect(ev("optional.ofNonZeroValue('hello').value()")).toBe('hello');
    expect(ev('optional.ofNonZeroValue([0]).hasValue()')).toBe(true);
  });

  it('compares optionals for equality', () => {
    expect(ev('optional.none() == optional.none()')).toBe(true);
    expect(ev('optional.of(1) == optional.of(1)')).toBe(true);
    expect(ev('optional.of(1) != optional.none()')).toBe(true);
    expect(ev('optional.of(1) == optional.of(2)')).toBe(false);
  });

  it('first, last, unwrap, unwrapOpt, type', () => {
    expect(ev('[1, 2, 3].first().value()')).toBe(1n);
    expect(ev('[1, 2, 3].last().value()')).toBe(3n);
    expect(ev('[].first().hasValue()')).toBe(false);
    expect(ev('optional.unwrap([optional.of(42), optional.none()])')).toEqual([42n]);
    expect(ev('[optional.of(1), optional.none(), optional.of(3)].unwrapOpt()')).toEqual([1n, 3n]);
    expect(ev('type(optional.none()) == optional_type')).toBe(true);
  });

  it('selecting on an empty optional type-checks', () => {
    expect(ev('optional.none().?field.hasValue()')).toBe(false);
    expect(ev('optional.none()[?0].hasValue()')).toBe(false);
  });

  it('kro-style defaults', () => {
    const vars = { schema: { spec: { name: 'web' } } };
    expect(ev('schema.spec.?ingress.orValue("none")', vars)).toBe('none');
    expect(ev('schema.spec.?name.orValue("none")', vars)).toBe('web');
    expect(ev('schema.spec.?ingress', vars)).toBeInstanceOf(Optional);
  });
});

describe('optional.ofNonZeroValue on timestamps (found by differential fuzzing)', () => {
  it("treats Go's zero time as zero, not the Unix epoch", () => {
    expect(ev('optional.ofNonZeroValue(timestamp("0001-01-01T00:00:00Z")).hasValue()')).toBe(false);
    expect(ev('optional.ofNonZeroValue(timestamp(0)).hasValue()')).toBe(true);
  });
});

describe('optMap on a value that is not an optional', () => {
  it('fails as cel-go does, with no such overload', () => {
    expect(() => ev('dyn(1).optMap(x, x)')).toThrow(/no such overload: hasValue\(int\)/);
  });
});

describe('or and orValue as cel-go evaluates them (found by differential fuzzing)', () => {
  it('return a receiver that is not an optional as it is', () => {
    expect(ev('dyn(1).or(optional.of(2))')).toBe(1n);
    expect(ev('dyn(1).orValue(2)')).toBe(1n);
    expect(() => ev('dyn(1 / 0).orValue(1)')).toThrow(/division by zero/);
  });

  it('return the argument of an empty receiver as it is, and evaluate it only then', () => {
    expect(ev('optional.none().or(dyn(3))')).toBe(3n);
    expect(ev('optional.of(1).orValue(1 / 0)')).toBe(1n);
    expect(ev('optional.of(1).or(optional.of(1 / 0)).value()')).toBe(1n);
  });
});

describe('nested optionals read through a variable or a conditional (found by differential fuzzing)', () => {
  const inner = (v: unknown) => (v as Optional).value();
  it('collapse to one level, as cel-go resolves attributes', () => {
    expect(inner(ev('cel.bind(x, optional.of(optional.of(0)), x)'))).toBe(0n);
    expect(inner(ev('[optional.of(optional.of(optional.of(0)))].map(x, x)[0]'))).toBe(0n);
    expect(ev('(true ? optional.of(optional.none()) : optional.none()).value()')).toBeNull();
    expect(ev('optional.of(1).optMap(x, optional.none()).value()')).toBeNull();
    expect(inner(ev('v', { v: Optional.of(Optional.of(1n)) }))).toBe(1n);
  });

  it('stay nested everywhere else', () => {
    expect(ev('optional.of(optional.of(0)).value()')).toBeInstanceOf(Optional);
    expect(ev('[optional.of(optional.of(1))][0].value()')).toBeInstanceOf(Optional);
  });
});

describe('indexing an empty optional (found by differential fuzzing)', () => {
  it('returns it without evaluating the index, as cel-go does', () => {
    expect((ev('optional.none()[?(1 / 0)]') as Optional).hasValue()).toBe(false);
    expect((ev('optional.none()[1 / 0]') as Optional).hasValue()).toBe(false);
    expect(() => ev('optional.of([1])[?(1 / 0)]')).toThrow(/division by zero/);
  });
});

describe('an optional that holds null (found by differential fuzzing)', () => {
  it('finds no value() overload on its null, as cel-go does (kro-gen crashed)', () => {
    expect(() => ev('optional.of(0u).optMap(i0, optional.none()).value().value()')).toThrow(
      /no such overload: value\(null/,
    );
  });
});

describe('a conditional whose condition is no bool (found by differential fuzzing)', () => {
  it('finds no overload, as cel-go reports it', () => {
    expect(() => ev('dyn(0.0) ? 1 : 2')).toThrow(/no such overload/);
  });
});
