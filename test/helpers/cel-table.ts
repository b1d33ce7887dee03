// Table-driven tests of CEL libraries: a case evaluates one expression and expects a CEL type and
// value, an evaluation error's first line, or a compile error.
import { Environment } from '@marcbachmann/cel-js';
import { expect, it } from 'vitest';
import type { CelLibrary } from '../../src/cel/library.js';

export interface Case {
  readonly expr: string;
  readonly type?: string;
  readonly value?: unknown;
  readonly error?: string;
  readonly compileError?: boolean;
}

export function envWith(...libs: CelLibrary[]): Environment {
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

export function runTable(env: Environment, cases: readonly Case[]): void {
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
