import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { createKroEnvironment, NAMESPACE_IDENTIFIERS } from '../../../src/cel/environment.js';
import { registerNamespacedFunction } from '../../../src/cel/registration.js';

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

  // cel-go (and so kro) accepts a variable named like a function namespace or a type: a call of
  // one of the namespace's functions still calls it, every other use reads the variable.
  it('declares a variable named like a namespace or a type, and keeps the namespaced functions', () => {
    const env = createKroEnvironment()
      .declare('optional', 'map<string, string>')
      .declare('cel', 'map<string, string>')
      .declare('int', 'string');
    const vars = { optional: { a: 'x' }, cel: { b: 'y' }, int: 'z' };
    expect(env.evaluate('optional.of(optional.a).orValue("none")', vars)).toBe('x');
    expect(env.evaluate('optional.none().orValue(optional.a + cel.b)', vars)).toBe('xy');
    expect(env.evaluate('cel.bind(v, cel.b, v + v) + int', vars)).toBe('yyz');
    expect(env.evaluate('int("3") + 1', vars)).toBe(4n);
    expect(env.check('optional.of(optional.a)')).toMatchObject({ valid: true, type: 'optional<string>' });
    expect(env.check('optional.a + int')).toMatchObject({ valid: true, type: 'string' });
    expect(env.check('optional.a + 1').valid).toBe(false);
    // A clone keeps both meanings.
    const clone = env.clone();
    expect(clone.evaluate('optional.ofNonZeroValue(optional.a).hasValue()', vars)).toBe(true);
  });

  it('refuses to declare one name twice, library names included', () => {
    expect(() => createKroEnvironment().declare('x').declare('x')).toThrow(/already registered/);
    expect(() => createKroEnvironment().declare('json').declare('json')).toThrow(/already registered/);
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
    for (const ns of [
      'optional',
      'cel',
      'random',
      'json',
      'hash',
      'lists',
      'strings',
      'base64',
      'runtime',
      'ip',
    ]) {
      expect(NAMESPACE_IDENTIFIERS.has(ns)).toBe(true);
    }
  });
});

describe('library value equality', () => {
  it('compares quantities, IPs and CIDRs inside lists and maps by value', () => {
    const env = createKroEnvironment();
    expect(env.evaluate('[quantity("1Gi")] == [quantity("1024Mi")]', {})).toBe(true);
    expect(env.evaluate('[ip("10.0.0.1")] == [ip("10.0.0.2")]', {})).toBe(false);
    expect(env.evaluate('{"a": cidr("10.0.0.0/8")} == {"a": cidr("10.0.0.0/8")}', {})).toBe(true);
    expect(env.evaluate('ip("10.0.0.1") in [ip("10.0.0.1")]', {})).toBe(true);
  });
});

describe('built-in replacements', () => {
  it('survive a clone that registers functions and operators of its own', () => {
    const env = createKroEnvironment({ unlistedVariablesAreDyn: true });
    env.registerFunction('shout(string): string', (s: string) => `${s.toUpperCase()}!`);
    env.raw.registerType('Widget', class Widget {});
    env.raw.registerOperator('Widget == Widget', () => true);
    expect(env.evaluate('shout("a")')).toBe('A!');
    // kro-gen's versions, not the library's: ASCII-only casing, RE2, int64 overflow checks.
    expect(env.evaluate("'ÀB'.lowerAscii()")).toBe('Àb');
    expect(() => env.evaluate('"a".matches("(?=a)")')).toThrow(/error parsing regexp/);
    expect(() => env.evaluate('-(-9223372036854775808)')).toThrow(/overflow/);
    expect(env.evaluate("[1.0, 'a'] == [1u, 'a']")).toBe(true);
  });

  it('do not leak into plain library environments', () => {
    const plain = new Environment({ unlistedVariablesAreDyn: true });
    expect(plain.evaluate("'ÀB'.lowerAscii()")).toBe('àb');
    expect(plain.evaluate('-(-9223372036854775808)')).toBe(9223372036854775808n);
  });
});

describe('type checking', () => {
  it('reports unresolved type parameters as dyn, as cel-go does', () => {
    const env = createKroEnvironment();
    expect(env.check('[[], [[]]]')).toMatchObject({ valid: true, type: 'list<list<list<dyn>>>' });
    expect(env.compile('[]').check()).toMatchObject({ valid: true, type: 'list<dyn>' });
  });

  it('declares objects with typed fields', () => {
    const env = createKroEnvironment().declareObject('deployment', {
      spec: { replicas: 'int', selector: { matchLabels: 'map<string, string>' } },
    });
    expect(env.check('deployment.spec.replicas + 1')).toMatchObject({ valid: true, type: 'int' });
    expect(env.check('deployment.spec.nosuch').valid).toBe(false);
    expect(env.evaluate('deployment.spec.replicas * 2', { deployment: { spec: { replicas: 3n } } })).toBe(6n);
  });

  it('compiles once and evaluates many times', () => {
    const env = createKroEnvironment().declare('schema', 'dyn');
    const program = env.compile('schema.spec.name + "-svc"');
    expect(program.source).toBe('schema.spec.name + "-svc"');
    expect(program.ast.op).toBe('+');
    expect(program.evaluate({ schema: { spec: { name: 'a' } } })).toBe('a-svc');
    expect(program.evaluate({ schema: { spec: { name: 'b' } } })).toBe('b-svc');
  });
});
