import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { insertAtIndex, kroListsLibrary, removeAtIndex, setAtIndex } from '../../../src/cel/lib/kro-lists.js';
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
