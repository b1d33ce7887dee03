// cel-go's static cost estimate on expressions whose cost is worked out by hand from its rules
// (the differential against the API server is test/e2e/validation/rule-cost.test.ts).
import { describe, expect, it } from 'vitest';
import { maxStaticCost } from '../../../src/cel/cost/index.js';
import { TypeEnv } from '../../../src/cel/typecheck.js';
import { type CelType, INT, listOf, STRING } from '../../../src/cel/types.js';

function cost(expr: string, self: CelType, sizes: Record<string, bigint>): bigint | undefined {
  const r = TypeEnv.create(new Map([['self', self]]), { crdRules: true }).check(expr);
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

  it('charges sortBy as a bind of the list sorted by its keys: n^2 x 2 plus the key map', () => {
    // bind: [] 10 + self 1; sorting: input 1 + map (1 + 10 + 1 + n x 13) + 2n^2 + 1 + 10.
    const n = 100n;
    expect(cost('self.sortBy(e, e)', listOf(INT), { self: n })).toBe(2n * n * n + 13n * n + 35n);
  });

  it('charges optMap as hasValue() ? optional.of(bind of value()) : optional.none()', () => {
    // optional.of(self) 2, twice; hasValue 1; bind 10 + value 1 + v 1; optional.of 1.
    expect(cost('optional.of(self).optMap(v, v)', STRING, { self: 10n })).toBe(18n);
    // The same without the optional.of around the bind, plus the body's own optional.of(v).
    expect(cost('optional.of(self).optFlatMap(v, optional.of(v))', STRING, { self: 10n })).toBe(18n);
  });

  it('charges namespaced calls without their namespace, sets by the product of the sizes', () => {
    // self 1 + self 1 + n x n + 1
    expect(cost('sets.contains(self, self)', listOf(INT), { self: 30n })).toBe(903n);
  });
});
