// cel-go's static cost estimate on expressions whose cost is worked out by hand from its rules
// (the differential against the API server is test/e2e/validation/rule-cost.test.ts).
import { describe, expect, it } from 'vitest';
import { maxStaticCost } from '../../../src/cel/cost/index.js';
import { TypeEnv } from '../../../src/cel/typecheck.js';
import { type CelType, INT, listOf, STRING } from '../../../src/cel/types.js';

function cost(expr: string, self: CelType, sizes: Record<string, bigint>): bigint | undefined {
  const r = TypeEnv.create(new Map([['self', self]])).check(expr);
  if (!r.ok || !r.ast) throw new Error(`does not check: ${expr}`);
  return maxStaticCost(r.ast, (path) => sizes[path.join('.')]);
}

describe('maxStaticCost', () => {
  it('charges all/exists per item: loop condition, step and body', () => {
    // exists: 1 + 1 + n(3 + 1 + 2); all: 1 + 1 + n(2 + 1 + exists); integers have size 0, so == costs 2.
    const n = 1291n;
    const sizes = { self: n, 'self.@items': 0n };
    expect(cost('self.all(x, self.exists(y, x == y))', listOf(INT), sizes)).toBe(6n * n * n + 5n * n + 2n);
  });

  it('charges string comparisons a tenth of the shorter string, rounded up', () => {
    const sizes = { self: 10n, 'self.@items': 3_145_726n };
    // 1 (self) + 1 (result) + 10 * (2 + 1 + (314573 + 1 + 2))
    expect(cost('self.all(x, x == self[0])', listOf(STRING), sizes)).toBe(2n + 10n * (3n + 314_576n));
  });

  it('reads `-1` as a literal and `-(1)` as a negation', () => {
    const sizes = { self: 100n };
    expect(cost('self.all(x, x > -1)', listOf(INT), sizes)).toBe(2n + 100n * 5n);
    expect(cost('self.all(x, x > -(1))', listOf(INT), sizes)).toBe(2n + 100n * 6n);
  });

  it('charges regex matches by string and pattern length', () => {
    // ceil((3145726 + 1) * 0.1) * ceil(8 * 0.25) + 1 (self)
    expect(cost("self.matches('^[a-z]+$')", STRING, { self: 3_145_726n })).toBe(314_573n * 2n + 1n);
  });
});
