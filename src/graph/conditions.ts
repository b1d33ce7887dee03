// Static rules on the author's `schema.status.conditions` entries (kro's pkg/graph/conditions.go):
// a literal condition type may be declared by one entry only, a literal status must be
// True/False/Unknown, a literal type must not be empty, and `runtime.condition(schema, 'T')`
// may read only kro's built-in conditions (reading another custom condition is a cycle kro
// cannot order). Entries that do not parse are left to the compile step.
import type { ASTNode } from '@marcbachmann/cel-js';
import { childNodes } from '../cel/references.js';
import { excerpt } from '../diagnostics.js';
import type { JsonObject } from '../rgd/model.js';

/** kro's built-in instance condition types, readable from `schema`. */
export const BUILTIN_CONDITION_TYPES: ReadonlySet<string> = new Set([
  'InstanceManaged',
  'GraphResolved',
  'ResourcesReady',
  'Ready',
]);

const VALID_STATUSES = new Set(['True', 'False', 'Unknown']);

export interface ConditionProblem {
  /** Which entry. */
  readonly index: number;
  readonly message: string;
}

function visit(node: ASTNode, fn: (n: ASTNode) => void): void {
  fn(node);
  for (const c of childNodes(node)) visit(c, fn);
}

function runtimeCall(node: ASTNode, method: string): readonly ASTNode[] | undefined {
  if (node.op !== 'rcall') return undefined;
  const [name, target, args] = node.args;
  if (name !== method || target.op !== 'id' || target.args !== 'runtime') return undefined;
  return args;
}

function literalString(node: ASTNode | undefined): string | undefined {
  return node?.op === 'value' && typeof node.args === 'string' ? node.args : undefined;
}

// A map literal's value for `key`, when the key is written literally or as a bare name.
function mapEntryString(node: ASTNode | undefined, key: string): string | undefined {
  if (node?.op !== 'map') return undefined;
  for (const [k, v] of node.args) {
    const name = literalString(k) ?? (k.op === 'id' ? k.args : undefined);
    if (name === key) return literalString(v);
  }
  return undefined;
}

/**
 * Problems in the parsed condition entries (`undefined` for entries that did not parse), with
 * kro's messages. `texts` are the entries' CEL, quoted in messages.
 */
export function validateConditionEntries(
  asts: readonly (ASTNode | undefined)[],
  texts: readonly string[],
): ConditionProblem[] {
  const declared = new Set<string>();
  for (const [index, root] of asts.entries()) {
    if (!root) continue;
    const own = new Set<string>();
    visit(root, (n) => {
      const args = runtimeCall(n, 'newCondition');
      if (args?.length !== 1) return;
      const t = mapEntryString(args[0], 'type');
      if (t !== undefined) own.add(t);
    });
    for (const t of own) {
      if (declared.has(t))
        return [{ index, message: `condition type "${t}" is declared by more than one conditions entry` }];
      declared.add(t);
    }
  }
  const problems: ConditionProblem[] = [];
  for (const [index, root] of asts.entries()) {
    if (!root) continue;
    const text = texts[index] ?? '';
    let first: string | undefined;
    visit(root, (n) => {
      if (first !== undefined) return;
      const lookup = runtimeCall(n, 'condition');
      if (lookup?.length === 2) {
        const [obj, typeArg] = lookup;
        const typeName = literalString(typeArg);
        if (
          obj?.op === 'id' &&
          obj.args === 'schema' &&
          typeName !== undefined &&
          !BUILTIN_CONDITION_TYPES.has(typeName)
        ) {
          first = declared.has(typeName)
            ? `runtime.condition(schema, "${typeName}"): custom conditions cannot reference each other in expression "${excerpt(text)}"`
            : `runtime.condition(schema, "${typeName}"): unknown condition type; only kro's built-in types (InstanceManaged, GraphResolved, ResourcesReady, Ready) can be read from schema in expression "${excerpt(text)}"`;
        }
        return;
      }
      const create = runtimeCall(n, 'newCondition');
      if (create?.length !== 1) return;
      const status = mapEntryString(create[0], 'status');
      if (status !== undefined && !VALID_STATUSES.has(status)) {
        first = `runtime.newCondition: status must be one of True, False, Unknown (got "${status}") in expression "${excerpt(text)}"`;
        return;
      }
      if (mapEntryString(create[0], 'type') === '') {
        first = `runtime.newCondition: type must not be empty in expression "${excerpt(text)}"`;
      }
    });
    if (first !== undefined) {
      problems.push({ index, message: first });
      return problems;
    }
  }
  return problems;
}

export type ExtractedConditions =
  | { readonly ok: true; readonly conditions: readonly string[] | null; readonly rest: JsonObject }
  | { readonly ok: false; readonly message: string; readonly index?: number };

/**
 * Splits `schema.status` into the author's `conditions` entries (kro types them as conditions,
 * not as status fields) and the other fields. `conditions: null` when there is no such key.
 */
export function extractConditionExpressions(status: JsonObject): ExtractedConditions {
  if (!Object.hasOwn(status, 'conditions')) return { ok: true, conditions: null, rest: status };
  const { conditions: raw, ...rest } = status;
  if (!Array.isArray(raw)) return { ok: false, message: 'status.conditions must be a list' };
  const conditions: string[] = [];
  for (const [i, entry] of raw.entries()) {
    if (typeof entry !== 'string') {
      return { ok: false, message: `status.conditions[${i}] must be a CEL expression string`, index: i };
    }
    conditions.push(entry);
  }
  return { ok: true, conditions, rest };
}

/**
 * kro's identity fields, where omit() would silently break ownership: `metadata.name` always,
 * `metadata.namespace` for a namespaced resource of a cluster-scoped instance.
 */
export function isRequiredIdentityField(
  path: string,
  resourceNamespaced: boolean,
  instanceNamespaced: boolean,
): boolean {
  if (path === 'metadata.name') return true;
  return path === 'metadata.namespace' && resourceNamespaced && !instanceNamespaced;
}
