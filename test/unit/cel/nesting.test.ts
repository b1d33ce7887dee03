// The nesting guard: expressions deeper than cel-go's parser allows are refused before any
// recursive walk, with cel-go's verdict at the shapes checked against cel-go v0.27.0 by hand.
import { describe, expect, it } from 'vitest';
import { createKroEnvironment } from '../../../src/cel/environment.js';
import { guardExpression, MAX_EXPRESSION_NESTING } from '../../../src/cel/nesting.js';

const verdict = (s: string) => ('problem' in guardExpression(s) ? 'refused' : 'ok');

describe('guardExpression', () => {
  // cel-go v0.27.0 env.Parse: plus/mul/== chains pass at 250 terms and fail at 260; 250 nested
  // parentheses, lists, calls or ternaries fail and 240 pass; runs of `!` of any length pass.
  const shapes: [string, (n: number) => string][] = [
    ['a + a ...', (n) => `${'a + '.repeat(n - 1)}a`],
    ['a * a ...', (n) => `${'a * '.repeat(n - 1)}a`],
    ['a == a ...', (n) => `${'a == '.repeat(n - 1)}a`],
  ];
  for (const [name, make] of shapes) {
    it(`${name}: 250 terms pass, 260 are refused`, () => {
      expect(verdict(make(250))).toBe('ok');
      expect(verdict(make(260))).toBe('refused');
    });
  }
  const nested: [string, (n: number) => string][] = [
    ['parentheses', (n) => `${'('.repeat(n)}a${')'.repeat(n)}`],
    ['lists', (n) => `${'['.repeat(n)}a${']'.repeat(n)}`],
    ['calls', (n) => `${'int('.repeat(n)}a${')'.repeat(n)}`],
    ['ternaries', (n) => `${'b ? a : '.repeat(n)}a`],
  ];
  for (const [name, make] of nested) {
    it(`${name}: 240 levels pass, 250 are refused`, () => {
      expect(verdict(make(240))).toBe('ok');
      expect(verdict(make(250))).toBe('refused');
    });
  }

  // Texts shorter than the limit are passed without tokenising (nesting.ts): the shortest texts
  // that reach the limit, one level per character, are exactly that long.
  it('the shortest refused texts are as long as the nesting limit', () => {
    for (const unit of ['(', '-', '[', '{']) {
      expect(verdict(unit.repeat(MAX_EXPRESSION_NESTING - 1))).toBe('ok');
      expect(verdict(unit.repeat(MAX_EXPRESSION_NESTING))).toBe('refused');
    }
    expect(verdict(`a${'.b'.repeat(124)}`)).toBe('ok');
  });

  it('folds runs of `!` as cel-go does, keeping every offset', () => {
    expect(guardExpression(`${'!'.repeat(10_000)}b`)).toEqual({ text: `${' '.repeat(10_000)}b` });
    expect(guardExpression('!!!x + "!!" + !!y != z')).toEqual({ text: '  !x + "!!" +   y != z' });
    expect(guardExpression("r'((((' + b'!!'")).toEqual({ text: "r'((((' + b'!!'" });
  });

  it('points at the operator that goes too deep', () => {
    const source = `${'a + '.repeat(300)}a`;
    const g = guardExpression(source);
    expect('problem' in g && g.problem.offset).toBe(4 * (MAX_EXPRESSION_NESTING - 1) + 2);
  });

  it('counts index and call chains on one operand', () => {
    expect(verdict(`a${'[0]'.repeat(240)}`)).toBe('ok');
    expect(verdict(`a${'[0]'.repeat(260)}`)).toBe('refused');
    expect(verdict(`a${'.f()'.repeat(130)}`)).toBe('refused');
  });

  it('refuses expressions over 100,000 code points, as cel-go', () => {
    expect(verdict(`"${'x'.repeat(99_990)}"`)).toBe('ok');
    expect(verdict(`"${'x'.repeat(100_000)}"`)).toBe('refused');
  });
});

describe('KroEnvironment with the guard', () => {
  it('refuses deep expressions with a ParseError, never a stack overflow', () => {
    const env = createKroEnvironment().declare('a', 'int');
    const r = env.check(`${'a + '.repeat(2_500)}a`);
    expect(r.valid).toBe(false);
    expect(String(r.error?.message)).toMatch(/nests more than 250 levels/);
    expect(() => env.compile(`${'-'.repeat(3_000)}a`)).toThrow(/nests more than 250/);
  });

  it('evaluates folded `!` runs like cel-go', () => {
    const env = createKroEnvironment();
    expect(env.evaluate(`${'!'.repeat(3_001)}true`)).toBe(false);
    expect(env.evaluate(`${'!'.repeat(10_000)}true`)).toBe(true);
  });

  it('type-checks and evaluates a 990-term `&&` chain (cel-go balances it)', () => {
    const env = createKroEnvironment();
    const source = `${'true && '.repeat(989)}true`;
    expect(env.check(source).valid).toBe(true);
    expect(env.evaluate(source)).toBe(true);
  });
});
