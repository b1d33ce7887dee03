// `validation=` markers (and `immutable=true`) become x-kubernetes-validations rules in the CRD;
// the API server compiles each against the field's schema when the CRD is created and refuses the
// CRD when one does not compile. kro does not check them, so a broken rule would pass kro and
// then fail at apply time. We compile each rule here, with `self` (and `oldSelf`, for transition
// rules) typed from the field's schema.
//
// Approximations (docs/kro-differences.md): the environment is kro's, which holds the Kubernetes
// CEL libraries the API server offers plus kro's own functions (a rule calling one of kro's
// passes here but not on the API server); of the API server's static cost estimate only a lower
// bound is computed (rule-cost.ts), and only rules far over the limit are refused.

import { TypeEnv } from '../cel/typecheck.js';
import { formatCelType } from '../cel/types.js';
import { type Diagnostic, error, quoted } from '../diagnostics.js';
import type { Locator } from '../rgd/model.js';
import type { SchemaNode, StructNode } from '../schema/model.js';
import { celTypeFromSchemaNode } from '../schema/resolver.js';
import { clearlyOverBudget, RULE_COST_LIMIT } from './rule-cost.js';

/** Diagnostics for every rule under `spec` that does not compile, once per rule text and place. */
export function checkValidationRules(spec: StructNode, loc: Locator | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seenNodes = new Set<SchemaNode>();
  const seenRules = new Set<string>();
  const pending: SchemaNode[] = [spec];
  while (pending.length > 0) {
    const node = pending.pop() as SchemaNode;
    if (seenNodes.has(node)) continue;
    seenNodes.add(node);
    for (const v of node.validations) {
      const key = `${JSON.stringify(node.path)}\u0000${v.rule}`;
      if (seenRules.has(key)) continue;
      seenRules.add(key);
      const self = celTypeFromSchemaNode(node, 'self');
      const env = TypeEnv.create(
        new Map([
          ['self', self],
          ['oldSelf', self],
        ]),
      );
      const r = env.check(v.rule);
      // The API server also wants a bool (cel-go's "cel expression must evaluate to a bool").
      const over = r.ok ? clearlyOverBudget(v.rule, node) : undefined;
      const problem = !r.ok
        ? `does not compile: ${r.message}`
        : !['bool', 'dyn'].includes(formatCelType(r.type))
          ? `must evaluate to a bool, not ${formatCelType(r.type)}`
          : over !== undefined
            ? `is over the API server's cost budget: its nested iterations alone may take ${over.toExponential(1)} steps, the limit for a rule is ${RULE_COST_LIMIT.toExponential(0)} (the API server refuses the CRD; add maxItems to the lists it iterates)`
            : undefined;
      if (problem) {
        out.push(
          error(
            `validation rule ${quoted(v.rule)} ${problem}`,
            loc?.at(node.path),
            'schema/invalid-validation-rule',
          ),
        );
      }
    }
    if (node.kind === 'struct') for (const f of node.fields) pending.push(f.node);
    else if (node.kind === 'array') pending.push(node.items);
    else if (node.kind === 'map') pending.push(node.values);
  }
  return out;
}
