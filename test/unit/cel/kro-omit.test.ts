import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { kroOmitLibrary } from '../../../src/cel/lib/kro-omit.js';
import { isOmit, OMIT } from '../../../src/cel/omit.js';

function envWith(omit: boolean): Environment {
  const env = new Environment({ homogeneousAggregateLiterals: false, enableOptionalTypes: true });
  kroOmitLibrary.register(env, { omit });
  return env;
}

describe('kro omit()', () => {
  it('exists only behind the CELOmitFunction gate', () => {
    expect(() => envWith(false).evaluate('omit()')).toThrow();
    expect(envWith(true).evaluate('omit()')).toBe(OMIT);
  });

  it('can be chosen by a conditional and sit inside lists and maps', () => {
    const env = envWith(true);
    expect(isOmit(env.evaluate("'' != '' ? 'x' : omit()"))).toBe(true);
    expect(env.evaluate("true ? 'x' : omit()")).toBe('x');
    const list = env.evaluate('[1, omit()]') as unknown[];
    expect(list[0]).toBe(1n);
    expect(isOmit(list[1])).toBe(true);
  });

  // kro: "omit() is a field-removal sentinel and cannot be compared"; here comparing fails too.
  it('cannot be compared', () => {
    expect(() => envWith(true).evaluate('omit() == omit()')).toThrow();
  });
});
