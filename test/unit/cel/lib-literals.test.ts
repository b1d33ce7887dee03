// Expected values follow cel-go: optional list elements / map entries (cel.OptionalTypes),
// map literal keys of type int, uint, bool or string, and "Failed with repeated key".
import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { createKroEnvironment } from '../../../src/cel/environment.js';
import { env, ev } from '../../helpers/kro-env.js';

describe('optional elements and entries', () => {
  it('[?x] keeps present values only', () => {
    expect(ev('[?optional.none(), 1]')).toEqual([1n]);
    expect(ev('[?{}.?c, ?optional.of(42), ?optional.none()]')).toEqual([42n]);
    expect(ev("['a', ?m.?b]", { m: { b: 'x' } })).toEqual(['a', 'x']);
    expect(ev('[[?optional.of(1)], ?optional.of([2])]')).toEqual([[1n], [2n]]);
  });

  it('{?k: v} keeps present entries only', () => {
    expect(ev("{?'k': optional.none(), 'j': 1}")).toEqual({ j: 1n });
    expect(ev("{?'k': optional.of(2)}")).toEqual({ k: 2n });
    expect(ev("{?'nested_map': optional.ofNonZeroValue({?'map': {}.?c}), 'singleton': true}")).toEqual({
      singleton: true,
    });
  });

  it('types the element as the optional value type', () => {
    expect(env.check('[?optional.of(1), 2]')).toMatchObject({ valid: true, type: 'list<int>' });
    expect(env.check('[?1]').valid).toBe(false);
    expect(() => ev('[?dyn(1)]')).toThrow(/must be optional/);
  });

  it('a ? anywhere else is still a parse error', () => {
    expect(() => env.compile('size(?x)')).toThrow(/Unexpected token/);
    expect(() => env.compile('?x')).toThrow(/Unexpected token/);
  });

  it('leaves plain library environments alone', () => {
    expect(() => new Environment({ enableOptionalTypes: true }).parse('[?x]')).toThrow();
  });
});

describe('map literal keys', () => {
  it('keeps int and bool keys typed and finds them by CEL key equality', () => {
    expect(ev('{1: "a", 2: "b"}[2]')).toBe('b');
    expect(ev('{1: "a", 2: "b"}.map(k, k * 10)')).toEqual([10n, 20n]);
    expect(ev('{true: 1}.map(k, type(k) == bool)')).toEqual([true]);
    expect(ev('{1u: 1.0, 2: 2.0, 3u: 3.0}[3.0]')).toBe(3);
    expect(ev('2u in {1u: 1, 2: 2}')).toBe(true);
  });

  it('rejects repeated keys and unsupported key types', () => {
    expect(() => ev('{true: 1, false: 2, true: 3}')).toThrow(/repeated key/);
    expect(() => ev("{'a': 1, 'a': 2}")).toThrow(/repeated key/);
    expect(() => ev('{0: 1, 0u: 2}')).toThrow(/repeated key/);
    expect(() => ev('{1.5: 1}')).toThrow(/unsupported map key type/);
    expect(() => ev('{null: false}')).toThrow(/unsupported map key type/);
  });
});

describe('has()', () => {
  it('tests presence on any map operand', () => {
    expect(ev("has({'a': 1, 'b': 2}.a)")).toBe(true);
    expect(ev("has({'a': 1}.c)")).toBe(false);
    expect(ev('has({}.a)')).toBe(false);
    expect(ev('has(x.y)', { x: { y: null } })).toBe(true);
    expect(() => ev('has(x.missing.y)', { x: {} })).toThrow(/No such key/);
  });

  it('looks through optionals', () => {
    expect(ev("has({'x': {'y': 'z'}}.?x.y)")).toBe(true);
    expect(ev('has({}.?x.y)')).toBe(false);
    expect(ev("has({'foo': optional.none()}.foo)")).toBe(true);
    expect(ev("has({?'foo': optional.none()}.foo)")).toBe(false);
  });

  it('tests declared fields of schema-typed objects', () => {
    const typed = createKroEnvironment().declareObject('d', { spec: { replicas: 'int', name: 'string' } });
    const vars = { d: { spec: { replicas: 3n } } };
    expect(typed.evaluate('has(d.spec.replicas)', vars)).toBe(true);
    expect(typed.evaluate('has(d.spec.name)', vars)).toBe(false);
    expect(typed.check('has(d.spec.nosuch)').valid).toBe(false);
  });

  it('requires a field selection', () => {
    expect(env.check('has(x)').valid).toBe(false);
  });
});

describe('a __proto__ key in a map literal (found by differential fuzzing)', () => {
  it('is an entry like any other', () => {
    expect(ev('{"__proto__": 2}["__proto__"]')).toBe(2n);
    expect(ev('"__proto__" in {"__proto__": 2}')).toBe(true);
    expect(ev('size({"a": 1}.merge({"__proto__": 2}))')).toBe(2n);
  });
});

describe('maps with typed keys in calls checked as dyn (found by differential fuzzing)', () => {
  it('are dispatched by their typed keys at run time', () => {
    expect(ev('size({1: "a"}.merge(dyn({2: "b"})))')).toBe(2n);
    expect(ev('size({true: 1}.merge(dyn({false: 2})))')).toBe(2n);
  });
});
