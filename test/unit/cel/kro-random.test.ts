import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { kroRandomLibrary, seededInt, seededString } from '../../../src/cel/lib/kro-random.js';
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

const RANDOM_CASES: readonly Case[] = [
  { expr: 'random.seededString(8, "my-app")', type: 'string', value: '8qejs8ek' },
  { expr: "random.seededString(10, 'test-seed')", type: 'string', value: '5czheg3o5c' },
  { expr: "random.seededString(20, 'test-seed')", type: 'string', value: '5czheg3o5czheg3o5czh' },
  {
    expr: "random.seededString(40, 'test-seed')",
    type: 'string',
    value: '5czheg3o5czheg3o5czheg3o5czheg3o5czheg3o',
  },
  { expr: "random.seededString(1, '')", type: 'string', value: 'e' },
  { expr: "random.seededString(16, 'é')", type: 'string', value: 'ifhmb46oifhmb46o' },
  { expr: "random.seededString(-1, 'test-seed')", error: 'random.seededString length must be positive' },
  { expr: "random.seededString(0, 'test-seed')", error: 'random.seededString length must be positive' },
  { expr: "random.seededString('10', 'test-seed')", compileError: true },
  { expr: 'random.seededString(10, 123)', compileError: true },
  { expr: 'random.seededString(10)', compileError: true },
  { expr: "random.seededInt(0, 100, 'test-seed')", type: 'int', value: '56' },
  { expr: "random.seededInt(30000, 32768, 'my-service')", type: 'int', value: '31247' },
  { expr: "random.seededInt(5, 6, 'seed')", type: 'int', value: '5' },
  { expr: "random.seededInt(-100, -50, 'seed')", type: 'int', value: '-58' },
  { expr: "random.seededInt(5, 5, 'seed')", error: 'random.seededInt min must be less than max' },
  { expr: "random.seededInt(10, 5, 'seed')", error: 'random.seededInt min must be less than max' },
  { expr: "random.seededInt(0, 1000000, 'seed-a')", type: 'int', value: '616453' },
  { expr: "random.seededInt(0, 1000000, 'seed-b')", type: 'int', value: '11447' },
  {
    expr: "random.seededInt(-9223372036854775808, 9223372036854775807, 'x')",
    type: 'int',
    value: '-5948949156983295932',
  },
  {
    expr: "random.seededInt(-9223372036854775808, 9223372036854775807, 'seed')",
    type: 'int',
    value: '-7371732509874106166',
  },
  { expr: "random.seededInt(-9223372036854775808, 0, 'seed')", type: 'int', value: '-7371732509874106166' },
  { expr: "random.seededInt('a', 10, 'seed')", compileError: true },
];

describe('kro random library', () => {
  const env = envWith(kroRandomLibrary);
  runTable(env, RANDOM_CASES);

  // Hand-traced with Node's crypto: sha256("my-app"), 4 bytes per character, uint32 % 36.
  it.each([
    [8n, 'my-app', '8qejs8ek'],
    [10n, 'test-seed', '5czheg3o5c'],
    [1n, '', 'e'],
    [16n, 'é', 'ifhmb46oifhmb46o'],
  ] as const)('seededString(%s, %j) is %j', (n, seed, want) => {
    expect(seededString(n, seed)).toBe(want);
  });

  it('repeats with period 8, as kro (its rehash branch never runs)', () => {
    const s = seededString(24n, 'x');
    expect(s.slice(0, 8)).toBe(s.slice(8, 16));
    expect(s.slice(0, 8)).toBe(s.slice(16, 24));
  });

  it('wraps the range like Go int64 arithmetic', () => {
    expect(seededInt(-(1n << 63n), (1n << 63n) - 1n, 'seed')).toBe(-7371732509874106166n);
    expect(seededInt(5n, 6n, 'anything')).toBe(5n);
  });
});
