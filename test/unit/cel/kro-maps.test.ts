import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { kroJsonLibrary } from '../../../src/cel/lib/kro-json.js';
import { deepMerge, kroMapsLibrary, merge } from '../../../src/cel/lib/kro-maps.js';
import type { CelLibrary } from '../../../src/cel/library.js';

// Expected values and error texts below were produced by evaluating each expression with kro's
// own CEL environment (kro@0302e659: cel-go v0.31.0, k8s.io/apiserver v0.36.3, Go 1.26), not by
// the code under test. Ints are written as decimal strings so 64-bit values stay exact.
interface Case {
  readonly expr: string;
  readonly type?: string;
  readonly value?: unknown;
  readonly error?: string;
  readonly compileError?: boolean;
}

function envWith(...libs: CelLibrary[]): Environment {
  const env = new Environment({ homogeneousAggregateLiterals: false, enableOptionalTypes: true });
  for (const lib of libs) lib.register(env, { omit: true });
  return env;
}

function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), plain(x)]));
  if (typeof v === 'object' && v !== null && (v.constructor === Object || v.constructor === undefined)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

// The value in the form the expectations use: [CEL type name, value].
function observe(v: unknown): [string, unknown] {
  if (typeof v === 'bigint') return ['int', v.toString()];
  if (typeof v === 'number')
    return ['double', Number.isFinite(v) ? v : Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf'];
  if (typeof v === 'string') return ['string', v];
  if (typeof v === 'boolean') return ['bool', v];
  if (v instanceof Uint8Array) return ['bytes', plain(v)];
  if (Array.isArray(v)) return ['list', plain(v)];
  if (typeof v === 'object' && v !== null) {
    if (v instanceof Map || v.constructor === Object || v.constructor === undefined) return ['map', plain(v)];
    const tag = Object.prototype.toString.call(v).slice(8, -1);
    if (v.constructor?.name === 'UnsignedInt') return ['uint', String(v)];
    return [tag, String(v)];
  }
  return [typeof v, v];
}

function message(e: unknown): string {
  return ((e as { summary?: string }).summary ?? (e as Error).message).split('\n')[0] ?? '';
}

function runTable(env: Environment, cases: readonly Case[]): void {
  it.each(cases.map((c) => [c.expr, c] as const))('%s', (_expr, c) => {
    if (c.compileError) {
      expect(() => env.evaluate(c.expr)).toThrow();
      return;
    }
    if (c.error !== undefined) {
      let thrown: unknown;
      try {
        env.evaluate(c.expr);
      } catch (e) {
        thrown = e;
      }
      expect(thrown, 'expected an error').toBeDefined();
      expect(message(thrown)).toBe(c.error);
      return;
    }
    const [type, value] = observe(env.evaluate(c.expr));
    expect(type).toBe(c.type);
    expect(value).toEqual(c.value);
  });
}

const MAP_CASES: readonly Case[] = [
  { expr: '{}.merge({}) == {}', type: 'bool', value: true },
  { expr: "{}.merge({'a': 1}) == {'a': 1}", type: 'bool', value: true },
  { expr: "{'a': 1}.merge({'a': 2, 'b': 2}) == {'a': 2, 'b': 2}", type: 'bool', value: true },
  { expr: "{'a': 1}.merge({'b': 2})", type: 'map', value: { a: 1, b: 2 } },
  {
    expr: "{'a': {'x': 1, 'y': 2}}.merge({'a': {'y': 3, 'z': 4}})",
    type: 'map',
    value: { a: { y: 3, z: 4 } },
  },
  { expr: "{'a': 1}.merge({'b': 'x'})", compileError: true },
  { expr: "{'a': 1}.merge([1])", compileError: true },
  { expr: "{'a': {'x': 1}}.deepMerge({'a': {'y': 2}})", type: 'map', value: { a: { x: 1, y: 2 } } },
  { expr: "{'a': {'x': 1}}.deepMerge({'a': {'x': 9}})", type: 'map', value: { a: { x: 9 } } },
  { expr: "{'a': {'x': 1}}.deepMerge({'a': 5})", type: 'map', value: { a: 5 } },
  { expr: "{'a': 5}.deepMerge({'a': {'x': 1}})", type: 'map', value: { a: { x: 1 } } },
  { expr: "{'a': [1, 2]}.deepMerge({'a': [3]})", type: 'map', value: { a: [3] } },
  { expr: "{'a': 1}.deepMerge([1, 2, 3])", error: 'no such overload' },
  { expr: "[1, 2].deepMerge({'a': 1})", error: 'no such overload' },
  { expr: "{'a': 1}.deepMerge('nope')", error: 'no such overload' },
  { expr: "'nope'.deepMerge({'a': 1})", error: 'no such overload' },
  { expr: '1.deepMerge(2)', error: 'no such overload' },
  { expr: '{}.deepMerge({})', type: 'map', value: {} },
  {
    expr: "json.marshal({'b': {'y': 1}, 'a': 1}.deepMerge({'b': {'x': 2}, 'c': 3}))",
    type: 'string',
    value: '{"a":1,"b":{"x":2,"y":1},"c":3}',
  },
];

describe('kro maps library', () => {
  const env = envWith(kroMapsLibrary, kroJsonLibrary);
  runTable(env, MAP_CASES);

  it('reports non-map operands', () => {
    expect(() => merge({ a: 1n }, [1n])).toThrow('no such overload: merge(map, list)');
    expect(() => merge([1n], { a: 1n })).toThrow('no such overload: merge(list, map)');
    expect(() => deepMerge({ a: 1n }, [1n])).toThrow('no such overload');
    expect(() => deepMerge('x', { a: 1n })).toThrow('no such overload');
  });

  it('keeps non-string keys (as a Map) and leaves inputs untouched', () => {
    const a = new Map<unknown, unknown>([
      [1n, 'a'],
      [2n, 'b'],
    ]);
    const b = new Map<unknown, unknown>([
      [2n, 'c'],
      [3n, 'd'],
    ]);
    expect([...(deepMerge(a, b) as Map<unknown, unknown>)]).toEqual([
      [1n, 'a'],
      [2n, 'c'],
      [3n, 'd'],
    ]);
    expect([...(merge(a, b) as Map<unknown, unknown>)].sort()).toEqual([
      [1n, 'a'],
      [2n, 'c'],
      [3n, 'd'],
    ]);
    expect([...a]).toEqual([
      [1n, 'a'],
      [2n, 'b'],
    ]);
    const base = { a: { x: 1n } };
    deepMerge(base, { a: { y: 2n } });
    expect(base).toEqual({ a: { x: 1n } });
  });
});
