import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { fnv64a, kroHashLibrary, md5, sha256 } from '../../../src/cel/lib/kro-hash.js';
import { kroJsonLibrary } from '../../../src/cel/lib/kro-json.js';
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

const HASH_CASES: readonly Case[] = [
  {
    expr: "json.marshal(hash.sha256('x'))",
    type: 'string',
    value: '"LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE="',
  },
  { expr: "hash.fnv64a('hello world')", type: 'bytes', value: 'd5pl5wI80uc=' },
  { expr: "hash.fnv64a('')", type: 'bytes', value: 'y/Kc5IQiIyU=' },
  {
    expr: "hash.sha256('hello world')",
    type: 'bytes',
    value: 'uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=',
  },
  { expr: "hash.sha256('')", type: 'bytes', value: '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' },
  { expr: "hash.md5('hello world')", type: 'bytes', value: 'XrY7u+Ae7tCTyyK7j1rNww==' },
  { expr: "hash.md5('')", type: 'bytes', value: '1B2M2Y8AsgTpgAmY7PhCfg==' },
  { expr: 'hash.fnv64a(123)', compileError: true },
  { expr: 'hash.sha256(123)', compileError: true },
  { expr: 'hash.md5(123)', compileError: true },
];

describe('kro hash library', () => {
  const env = envWith(kroHashLibrary, kroJsonLibrary);
  runTable(env, HASH_CASES);

  it('returns bytes of the digest length', () => {
    expect(fnv64a('x')).toHaveLength(8);
    expect(sha256('x')).toHaveLength(32);
    expect(md5('x')).toHaveLength(16);
  });

  // FNV-1a 64 reference vectors (offset basis for "", and "a").
  it('matches FNV-1a 64 reference values', () => {
    expect(Buffer.from(fnv64a('')).toString('hex')).toBe('cbf29ce484222325');
    expect(Buffer.from(fnv64a('a')).toString('hex')).toBe('af63dc4c8601ec8c');
  });
});
