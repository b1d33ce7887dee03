// `validation=` markers (and `immutable=true`) become x-kubernetes-validations rules in the CRD;
// the API server compiles each against the field's schema when the CRD is created and refuses the
// CRD when one does not compile, does not give a bool, or may cost too much. kro does not check
// them, so a broken rule would pass kro and then fail at apply time. We compile each rule here,
// with `self` (and `oldSelf`, for transition rules) typed from the field's schema, and estimate
// its cost as the API server does (src/cel/cost, sizes from src/schema/cel-sizes.ts): a rule's
// cost times the times it may run per object (its cardinality) must stay within 10,000,000, and
// the sum over the CRD within 100,000,000.
//
// The environment is the API server's: kro's function implementations plus the libraries only
// the API server has, and a rule calling anything outside the API server's list (kro's own
// functions, cel.bind, base64) fails as it does there (src/cel/api-server-functions.ts), as does
// a list or map literal mixing types (src/cel/homogeneous-literals.ts).

import { apiServerCheckMessage, apiServerFunctionProblem } from '../cel/api-server-functions.js';
import { maxStaticCost } from '../cel/cost/index.js';
import { mixedLiteralProblem } from '../cel/homogeneous-literals.js';
import { formatFixed } from '../cel/lib/go-numbers.js';
import { TypeEnv } from '../cel/typecheck.js';
import { formatCelType } from '../cel/types.js';
import { type Diagnostic, error, quoted } from '../diagnostics.js';
import type { Locator } from '../rgd/model.js';
import { maxElementsAtCelPath, ruleCardinality } from '../schema/cel-sizes.js';
import type { SchemaNode, StructNode } from '../schema/model.js';
import { celTypeFromSchemaNode } from '../schema/resolver.js';

/** apiextensions' StaticEstimatedCostLimit: the most one rule may be estimated to cost. */
export const RULE_COST_LIMIT = 10_000_000n;
/** apiextensions' StaticEstimatedCRDCostLimit: the most all rules of a CRD may cost together. */
export const CRD_COST_LIMIT = 100_000_000n;
const MAX_U64 = (1n << 64n) - 1n;
const CODE = 'schema/invalid-validation-rule';

/** The API server's words for a cost over its limit (apiextensions' getCostErrorMessage). */
export function costErrorMessage(costName: string, cost: bigint, limit: bigint): string {
  const factor = Number(cost) / Number(limit);
  const shown =
    factor > 100
      ? 'more than 100x'
      : factor < 1.5
        ? `${formatFixed(factor, 6)}x`
        : `${formatFixed(factor, 1)}x`;
  return `${costName} exceeds budget by factor of ${shown} (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)`;
}

type Compiled = { readonly problem: string } | { readonly cost: bigint | undefined };

/** Compiles `rule` on `node` and estimates its cost per run. */
function compile(rule: string, node: SchemaNode): Compiled {
  const self = celTypeFromSchemaNode(node, 'self');
  const env = TypeEnv.create(
    new Map([
      ['self', self],
      ['oldSelf', self],
    ]),
    { crdRules: true },
  );
  const r = env.check(rule);
  if (!r.ok) return { problem: `does not compile: ${apiServerCheckMessage(r.message)}` };
  const missing = r.ast ? apiServerFunctionProblem(r.ast, new Set(['self', 'oldSelf'])) : undefined;
  if (missing) return { problem: `does not compile: ${missing.message}` };
  const mixed = r.ast ? mixedLiteralProblem(r.ast, env.table) : undefined;
  if (mixed) return { problem: `does not compile: ${mixed.message}` };
  // The API server also wants a bool (cel-go's "cel expression must evaluate to a bool").
  const type = formatCelType(r.type);
  if (!['bool', 'dyn'].includes(type)) return { problem: `must evaluate to a bool, not ${type}` };
  const cost = r.ast ? maxStaticCost(r.ast, (path) => maxElementsAtCelPath(node, path)) : undefined;
  return { cost };
}

function rulesOf(compiled: Map<SchemaNode, Map<string, Compiled>>, node: SchemaNode): Map<string, Compiled> {
  let byRule = compiled.get(node);
  if (byRule === undefined) {
    byRule = new Map();
    compiled.set(node, byRule);
  }
  return byRule;
}

interface Occurrence {
  readonly rule: string;
  readonly node: SchemaNode;
  readonly cost: bigint;
}

/**
 * Diagnostics for every rule under `spec` that does not compile or costs too much, once per rule
 * text and place, and for a CRD whose rules cost too much together.
 */
export function checkValidationRules(spec: StructNode, loc: Locator | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const reported = new Set<string>();
  const report = (node: SchemaNode, rule: string, message: string): void => {
    const key = `${JSON.stringify(node.path)}\u0000${rule}\u0000${message}`;
    if (reported.has(key)) return;
    reported.add(key);
    out.push(error(`validation rule ${quoted(rule)} ${message}`, loc?.at(node.path), CODE));
  };
  // A node object is shared where a custom type is used twice; the CRD holds a copy per use, and
  // each copy's rules count, so the walk visits every use but compiles each rule once per node.
  const compiled = new Map<SchemaNode, Map<string, Compiled>>();
  let total = 0n;
  const expensive: Occurrence[] = [];
  // Depth first in field order, the nodes enclosing the current one on one shared stack: most
  // nodes have no rule, and a list of enclosing nodes per visit was most of the walk's cost.
  const enclosing: SchemaNode[] = [];
  // Indexed loops: cold code (docs/architecture.md).
  const visit = (node: SchemaNode): void => {
    for (let i = 0; i < node.validations.length; i++) {
      const v = node.validations[i] as (typeof node.validations)[number];
      // Made for nodes with a rule only: most have none, and cost the walk no more than a visit.
      const byRule = rulesOf(compiled, node);
      const c = byRule.get(v.rule) ?? compile(v.rule, node);
      byRule.set(v.rule, c);
      if ('problem' in c) {
        report(node, v.rule, c.problem);
        continue;
      }
      if (c.cost === undefined) continue;
      const times = ruleCardinality(node, enclosing);
      const cost = c.cost === 0n ? 0n : c.cost * times > MAX_U64 ? MAX_U64 : c.cost * times;
      if (cost > RULE_COST_LIMIT)
        report(node, v.rule, costErrorMessage('estimated rule cost', cost, RULE_COST_LIMIT));
      total = total + cost > MAX_U64 ? MAX_U64 : total + cost;
      // The API server names the four costliest rules of at least 1% of the CRD's limit.
      if (cost >= CRD_COST_LIMIT / 100n) expensive.push({ rule: v.rule, node, cost });
    }
    if (node.kind === 'struct') {
      if (node.fields.length === 0) return;
      enclosing.push(node);
      for (let i = 0; i < node.fields.length; i++)
        visit((node.fields[i] as (typeof node.fields)[number]).node);
      enclosing.pop();
    } else if (node.kind === 'array' || node.kind === 'map') {
      enclosing.push(node);
      visit(node.kind === 'array' ? node.items : node.values);
      enclosing.pop();
    }
  };
  visit(spec);
  if (total > CRD_COST_LIMIT) {
    expensive.sort((a, b) => (a.cost === b.cost ? 0 : a.cost > b.cost ? -1 : 1));
    for (const e of expensive.slice(0, 4)) {
      report(
        e.node,
        e.rule,
        'contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema',
      );
    }
    out.push(
      error(
        costErrorMessage(
          'x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema',
          total,
          CRD_COST_LIMIT,
        ),
        loc?.at(spec.path),
        CODE,
      ),
    );
  }
  return out;
}
