// The lower bound of the API server's CEL cost estimate: nested iterations over unbounded lists
// and maps are refused when far over the limit; bounded or shallow ones are left alone. The
// verdicts for these shapes are checked against the real API server by the validation
// differential (test/e2e/validation/corpus.ts, rule-cost-*).
import { describe, expect, it } from 'vitest';
import { clearlyOverBudget } from '../../../src/graph/rule-cost.js';
import { buildInstanceSchema } from '../../../src/schema/build.js';
import type { SchemaNode, StructNode } from '../../../src/schema/model.js';

const { schema } = buildInstanceSchema({
  spec: {
    tags: '[]string',
    few: '[]integer | maxItems=100',
    labels: 'map[string]string',
    nested: { lists: '[][]string' },
  },
});
const field = (name: string): SchemaNode => {
  const f = (schema.spec as StructNode).fields.find((x) => x.name === name);
  if (!f) throw new Error(name);
  return f.node;
};
// (3 MiB - 2) / (2 + 1): the most empty strings a request can hold.
const UNBOUNDED_STRINGS = 1048575;

describe('clearlyOverBudget', () => {
  it('multiplies the sizes of nested iterations over unbounded lists and maps', () => {
    expect(clearlyOverBudget('self.all(x, self.exists(y, x == y))', field('tags'))).toBe(
      UNBOUNDED_STRINGS ** 2,
    );
    expect(clearlyOverBudget('self.all(k, self.all(j, k != j))', field('labels'))).toBeGreaterThan(1e9);
  });

  it('follows iteration variables and fields', () => {
    const spec = schema.spec as SchemaNode;
    expect(clearlyOverBudget('self.nested.lists.all(l, l.all(s, s != ""))', spec)).toBeGreaterThan(1e9);
    expect(clearlyOverBudget('self.tags.map(t, self.tags.filter(u, u == t))', spec)).toBe(
      UNBOUNDED_STRINGS ** 2,
    );
  });

  it('leaves bounded, shallow and unrelated rules to the API server', () => {
    expect(clearlyOverBudget('self.all(x, self.exists(y, x == y))', field('few'))).toBeUndefined();
    expect(clearlyOverBudget('self.all(x, x.size() > 0)', field('tags'))).toBeUndefined();
    expect(clearlyOverBudget('[1, 2].all(x, [3].all(y, x != y))', field('tags'))).toBeUndefined();
    expect(clearlyOverBudget('self >', field('tags'))).toBeUndefined();
  });
});
