// A lower bound of the API server's static cost estimate for an x-kubernetes-validations rule.
// The API server refuses a CRD whose rule may cost more than 10,000,000 steps
// (apiextensions' StaticEstimatedCostLimit), estimating list and map sizes from maxItems or, when
// a list is unbounded, from the largest request it accepts (3 MiB) divided by the smallest JSON
// an item can be. Its estimator counts every operation; this one counts only the iterations of
// nested comprehension macros (all, exists, exists_one, map, filter) over lists and maps reached
// from `self`, which is always less. A rule is reported only when that count alone passes the
// limit a hundredfold, so what is refused here the API server refuses too; rules nearer the limit
// are left to it (docs/kro-differences.md).
import { type ASTNode, parse } from '@marcbachmann/cel-js';
import type { SchemaNode } from '../schema/model.js';

/** apiextensions' StaticEstimatedCostLimit: the most one rule may be estimated to cost. */
export const RULE_COST_LIMIT = 10_000_000;
/** How far past the limit the iteration count alone must be before kro-gen reports it. */
const CLEAR_FACTOR = 100;
/** The API server's largest request body (3 MiB), which bounds unbounded lists. */
const MAX_REQUEST_BYTES = 3 * 1024 * 1024;
const MACROS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

/** The fewest bytes a value of `node` takes in JSON (Kubernetes' estimateMinSizeJSON). */
function minSize(node: SchemaNode): number {
  switch (node.kind) {
    case 'string':
      return 2; // ""
    case 'integer':
    case 'float':
      return 1; // 0
    case 'boolean':
      return 4; // true
    default:
      return 2; // {} or []
  }
}

/** How many items a list or map of `node` may hold, or undefined for other nodes. */
function cardinality(node: SchemaNode): number | undefined {
  if (node.kind === 'array') {
    return node.maxItems ?? Math.floor((MAX_REQUEST_BYTES - 2) / (minSize(node.items) + 1));
  }
  // A map entry is at least `"":` plus its value and a comma.
  if (node.kind === 'map') return Math.floor((MAX_REQUEST_BYTES - 2) / (minSize(node.values) + 4));
  return undefined;
}

function isNode(v: unknown): v is ASTNode {
  return typeof v === 'object' && v !== null && 'op' in v && 'args' in v;
}

const KEY_NODE: SchemaNode = {
  kind: 'string',
  path: [],
  validations: [],
  immutable: false,
} as unknown as SchemaNode;

/** The schema node an expression stands for, when it is `self`, an iteration variable or a field of one. */
function resolve(e: ASTNode, scope: ReadonlyMap<string, SchemaNode>): SchemaNode | undefined {
  if (e.op === 'id') return scope.get(e.args as string);
  if (e.op === '.' || e.op === '.?') {
    const [base, field] = e.args as [ASTNode, string];
    const b = resolve(base, scope);
    if (b?.kind === 'struct') return b.fields.find((f) => f.name === field)?.node;
    if (b?.kind === 'map') return b.values;
  }
  return undefined;
}

/**
 * The most iterations the nested macros of `rule` may make, when it is over the limit by far
 * (else undefined). `self` is the field the rule is on.
 */
export function clearlyOverBudget(rule: string, self: SchemaNode): number | undefined {
  let ast: ASTNode;
  try {
    ast = parse(rule).ast;
  } catch {
    return undefined; // reported as not compiling
  }
  let worst = 0;
  // Iterative walk: each entry carries the variables in scope and the iterations around it.
  const pending: [ASTNode, ReadonlyMap<string, SchemaNode>, number][] = [[ast, new Map([['self', self]]), 1]];
  while (pending.length > 0) {
    const [node, scope, outer] = pending.pop() as [ASTNode, ReadonlyMap<string, SchemaNode>, number];
    if (node.op === 'value' || node.op === 'id') continue;
    if (node.op === 'rcall') {
      const [name, receiver, args] = node.args as [string, ASTNode, ASTNode[]];
      const variable = args[0];
      if (MACROS.has(name) && variable?.op === 'id' && args.length >= 2) {
        const range = resolve(receiver, scope);
        const n = range ? cardinality(range) : undefined;
        const inner = outer * (n ?? 1);
        worst = Math.max(worst, inner);
        const item = range?.kind === 'array' ? range.items : range?.kind === 'map' ? KEY_NODE : undefined;
        const bodyScope = new Map(scope);
        if (item) bodyScope.set(variable.args as string, item);
        else bodyScope.delete(variable.args as string);
        pending.push([receiver, scope, outer]);
        for (const body of args.slice(1)) pending.push([body, bodyScope, inner]);
        continue;
      }
    }
    const collect = (v: unknown): void => {
      if (isNode(v)) pending.push([v, scope, outer]);
      else if (Array.isArray(v)) for (const x of v) collect(x);
    };
    collect(node.args);
  }
  return worst > RULE_COST_LIMIT * CLEAR_FACTOR ? worst : undefined;
}
