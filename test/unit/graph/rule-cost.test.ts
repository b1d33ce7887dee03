// kro-gen's verdict on the rule cost differential's table (test/e2e/validation/rule-cost-table.ts),
// whose expected values come from the real API server: `kro-gen validate` must refuse exactly the
// rules and CRD totals the API server refuses, with the same factor.
import { describe, expect, it } from 'vitest';
import { RULE_COST_CASES } from '../../e2e/validation/rule-cost-table.js';
import { kroGenCostVerdict } from '../../helpers/rule-cost.js';

describe('rule cost estimate, on the table the API server judged', () => {
  for (const c of RULE_COST_CASES) {
    it(c.name, async () => {
      expect(await kroGenCostVerdict(c)).toEqual([...c.expected].sort());
    });
  }
});
