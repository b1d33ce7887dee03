// The evaluation budget: runaway expressions stop with an error naming the limit. Counting,
// not timing: every assertion is about units spent or limits hit.
import { describe, expect, it } from 'vitest';
import {
  BudgetExceededError,
  chargeIteration,
  chargeList,
  chargeString,
  DEFAULT_BUDGET,
  resolveBudget,
  runWithBudget,
  spent,
} from '../../../src/cel/budget.js';
import { createKroEnvironment } from '../../../src/cel/environment.js';

const env = createKroEnvironment({ unlistedVariablesAreDyn: true });

function budgetError(fn: () => unknown): BudgetExceededError {
  try {
    fn();
  } catch (e) {
    if (e instanceof BudgetExceededError) return e;
    throw e;
  }
  throw new Error('expected the budget to be exceeded');
}

describe('evaluation budget', () => {
  it('stops lists.range(1000000) before building it', () => {
    const e = budgetError(() => env.evaluate('lists.range(1000000)'));
    expect(e.limit).toBe('maxListLength');
    expect(e.message).toMatch(/maxListLength = 500000/);
  });

  it('stops nested comprehensions over large lists', () => {
    const e = budgetError(() =>
      env.evaluate('lists.range(2000).map(i, lists.range(2000).map(j, i + j)).size()'),
    );
    expect(e.limit).toBe('maxCost');
    expect(e.message).toMatch(/expression cost exceeds 1000000 units/);
  });

  it('stops strings that grow by repeated concatenation', () => {
    const doubling = (depth: number): string => {
      let expr = 'size(s0)';
      for (let i = depth; i >= 1; i--)
        expr = `cel.bind(s${i}, s${i - 1} + s${i - 1}, ${expr.replace(`s0)`, `s${depth})`)})`;
      return `cel.bind(s0, "0123456789", ${expr})`;
    };
    expect(env.evaluate(doubling(10))).toBe(10240n);
    const e = budgetError(() => env.evaluate(doubling(30)));
    expect(['maxCost', 'maxStringLength']).toContain(e.limit);
  });

  it('stops huge format and join results', () => {
    const small = createKroEnvironment({ unlistedVariablesAreDyn: true, budget: { maxStringLength: 100 } });
    expect(budgetError(() => small.evaluate('"%s%s".format([s, s])', { s: 'x'.repeat(60) })).limit).toBe(
      'maxStringLength',
    );
    expect(budgetError(() => small.evaluate('[s, s].join("-")', { s: 'x'.repeat(60) })).limit).toBe(
      'maxStringLength',
    );
    expect(small.evaluate('[s, s].join("-")', { s: 'x'.repeat(40) })).toHaveLength(81);
  });

  it('is configurable per environment', () => {
    const tight = createKroEnvironment({ unlistedVariablesAreDyn: true, budget: { maxCost: 50 } });
    expect(tight.evaluate('lists.range(10).map(i, i * 2).size()')).toBe(10n);
    expect(budgetError(() => tight.evaluate('lists.range(40).map(i, i * 2).size()')).limit).toBe('maxCost');
    expect(() => resolveBudget({ maxCost: 0 })).toThrow(RangeError);
    expect(resolveBudget()).toBe(DEFAULT_BUDGET);
  });

  it('counts per evaluation and per compiled program run', () => {
    const tight = createKroEnvironment({ unlistedVariablesAreDyn: true, budget: { maxCost: 50 } });
    const program = tight.compile('lists.range(10).map(i, i).size()');
    for (let i = 0; i < 20; i++) expect(program.evaluate()).toBe(10n);
  });

  it('charges iterations, list elements and string characters', () => {
    const limits = resolveBudget({ maxCost: 1000 });
    runWithBudget(limits, () => {
      chargeIteration();
      expect(spent()).toBe(1);
      chargeList(9);
      expect(spent()).toBe(11);
      chargeString(95);
      expect(spent()).toBe(22);
      runWithBudget(limits, () => expect(spent()).toBe(0));
      expect(spent()).toBe(22);
    });
    expect(spent()).toBe(0);
  });

  it('keeps size limits even without an active budget', () => {
    expect(() => chargeString(DEFAULT_BUDGET.maxStringLength + 1)).toThrow(BudgetExceededError);
    expect(() => chargeList(DEFAULT_BUDGET.maxListLength + 1)).toThrow(BudgetExceededError);
    expect(() => chargeIteration()).not.toThrow();
  });
});
