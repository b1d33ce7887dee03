// Unary minus runs and int literal ranges as cel-go's parser reads them (found by the CEL
// differential fuzzing against kro, docs/cel.md).
import { describe, expect, it } from 'vitest';
import { env, ev } from '../../helpers/kro-env.js';

describe('runs of unary minus', () => {
  it('are the operand when even, one negation when odd', () => {
    expect(ev('--"a"')).toBe('a');
    expect(ev('--(-9223372036854775808)')).toBe(-9223372036854775808n);
    expect(ev('---1')).toBe(-1n);
    expect(ev('3 - -2')).toBe(5n);
  });

  it('stop at a parenthesis', () => {
    expect(() => ev('-(-9223372036854775808)')).toThrow(/overflow/);
  });
});

describe('int literals', () => {
  it('take a single sign, so -9223372036854775808 is an int', () => {
    expect(ev('-9223372036854775808')).toBe(-9223372036854775808n);
    expect(ev('- 9223372036854775808')).toBe(-9223372036854775808n);
    expect(ev('-0x8000000000000000')).toBe(-9223372036854775808n);
  });

  it('must otherwise fit an int64', () => {
    for (const bad of [
      '9223372036854775808',
      '--9223372036854775808',
      '---9223372036854775808',
      '-(9223372036854775808)',
      '[0x8000000000000000]',
      '-9223372036854775809',
    ]) {
      expect(env.check(bad)).toMatchObject({ valid: false });
    }
  });
});
