// Mixed-type list and map literals: refused in x-kubernetes-validations rules as the API server's
// environment (cel-go's HomogeneousAggregateLiterals) refuses them, accepted in kro expressions as
// kro v0.9.3 accepts them. Messages are cel-go's (checker/format.go spellings); the differential
// rows are in test/e2e/validation/rule-cost-table.ts (`mixed-*`).
import { describe, expect, it } from 'vitest';
import { createKroEnvironment } from '../../../src/cel/environment.js';
import { mixedLiteralProblem } from '../../../src/cel/homogeneous-literals.js';
import { TypeEnv } from '../../../src/cel/typecheck.js';
import { STRING } from '../../../src/cel/types.js';

function problem(expr: string): string | undefined {
  const env = TypeEnv.create(new Map([['self', STRING]]), { crdRules: true });
  const r = env.check(expr);
  if (!r.ok || !r.ast) throw new Error(`does not check: ${expr}`);
  return mixedLiteralProblem(r.ast, env.table)?.message;
}

describe('mixed-type literals in rules', () => {
  it.each([
    ["[1, 'a']", "expected type 'int' but found 'string'"],
    ['[1, 2, 3.0]', "expected type 'int' but found 'double'"],
    ["[null, 'a']", "expected type 'null' but found 'string'"],
    ["[[1], ['a']]", "expected type 'list(int)' but found 'list(string)'"],
    ["{'a': 1, 'b': 'x'}", "expected type 'int' but found 'string'"],
    ["{1: 'a', 'b': 'c'}", "expected type 'int' but found 'string'"],
    ['[dyn(1), 1]', "expected type 'dyn' but found 'int'"],
    ["[self, timestamp('2020-01-01T00:00:00Z')]", "expected type 'string' but found 'timestamp'"],
    ["[?optional.of('a'), 2]", "expected type 'string' but found 'int'"],
    // The first by position, wherever it is nested.
    ["[[1, 'a'], [true, 2u]]", "expected type 'int' but found 'string'"],
  ])('%s', (expr, message) => {
    expect(problem(expr)).toBe(message);
  });

  it.each([
    '[1, 2]',
    '[[], [1]]',
    '[?optional.of(1), 2]',
    "{?'a': optional.of(1), 'b': 2}",
    "'%d %s'.format([1, 'a'])",
    "[self, 'a']",
  ])('%s is homogeneous (or exempt)', (expr) => {
    expect(problem(expr)).toBeUndefined();
  });

  it('stays allowed in kro expressions', () => {
    expect(createKroEnvironment().evaluate("[1, 'a'].size()")).toBe(2n);
  });
});
