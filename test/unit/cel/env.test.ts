import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import {
  createKroEnvironment,
  NAMESPACE_IDENTIFIERS,
  registerNamespacedFunction,
} from '../../../src/cel/environment.js';

describe('createKroEnvironment', () => {
  it('accepts mixed-type aggregate literals like cel-go', () => {
    const env = createKroEnvironment();
    expect(env.evaluate('[1, "a", true]')).toEqual([1n, 'a', true]);
  });

  it('enables optional syntax', () => {
    const env = createKroEnvironment().declare('schema', 'dyn');
    expect(env.evaluate('schema.spec.?ingress.orValue("none")', { schema: { spec: {} } })).toBe('none');
  });

  it('type-checks declared variables', () => {
    const env = createKroEnvironment().declare('x', 'int');
    expect(env.check('x + 1')).toMatchObject({ valid: true, type: 'int' });
    expect(env.check('x + "a"').valid).toBe(false);
    expect(env.check('y').valid).toBe(false);
  });

  it('gives every caller an isolated clone', () => {
    const a = createKroEnvironment().declare('x', 'int');
    const b = createKroEnvironment();
    expect(a.isDeclared('x')).toBe(true);
    expect(b.isDeclared('x')).toBe(false);
    b.declare('x', 'string');
    expect(b.evaluate('x + "!"', { x: 'hi' })).toBe('hi!');
  });

  it('treats undeclared identifiers as dyn when asked', () => {
    const env = createKroEnvironment({ unlistedVariablesAreDyn: true });
    expect(env.evaluate('a + 1', { a: 2n })).toBe(3n);
  });

  it('refuses to declare a namespace identifier as a variable', () => {
    expect(() => createKroEnvironment().declare('cel', 'dyn')).toThrow(/namespace/);
  });
});

describe('registerNamespacedFunction', () => {
  it('makes ns.fn(...) callable and type-checked, the handler sees only the arguments', () => {
    const env = new Environment();
    registerNamespacedFunction(env, 'demo', 'twice(string): string', (s: string) => s + s);
    registerNamespacedFunction(env, 'demo', 'twice(int): int', (n: bigint) => n * 2n);
    expect(env.evaluate('demo.twice("ab")')).toBe('abab');
    expect(env.evaluate('demo.twice(4)')).toBe(8n);
    expect(env.check('demo.twice("x")')).toMatchObject({ valid: true, type: 'string' });
    expect(env.check('demo.twice(true)').valid).toBe(false);
  });

  it('lists the namespaces dependency extraction must skip', () => {
    for (const ns of ['optional', 'cel', 'random', 'json', 'hash', 'lists', 'strings', 'base64', 'runtime']) {
      expect(NAMESPACE_IDENTIFIERS.has(ns)).toBe(true);
    }
  });
});
