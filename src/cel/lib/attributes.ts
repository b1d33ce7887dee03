// Values read the way cel-go reads attributes. cel-go plans a variable (declared, a comprehension's
// or cel.bind's) and a conditional `c ? a : b` as attributes, and resolves an attribute that holds
// an optional through the optional's native Go value before wrapping it again. Nested optionals
// therefore collapse to one level when read that way: a variable holding
// optional.of(optional.of(0)) reads as optional.of(0), one holding optional.of(optional.none()) as
// optional.of(null). (The optMap / optFlatMap macros expand to a conditional, see optional.ts.)
// Selects and indexes on other values keep what they find.
//
// The library keeps the nesting. Its scope classes (variables) and the ternary node's evaluation
// are adjusted for kro-gen registries only; a value that is not a nested optional passes as it is.
import { type ASTNode, type Environment, Optional } from '@marcbachmann/cel-js';
import type { CelLibrary } from '../library.js';
import { internalsOf, isKroRegistry, rootScopeOf } from '../registration.js';
import type { Evaluator, Scope } from './comprehensions.js';

/** An optional as cel-go's attribute resolution returns it: one level, innermost value. */
export function collapseOptional(v: Optional): Optional {
  if (!v.hasValue()) return v;
  let inner = v.value();
  if (!(inner instanceof Optional)) return v;
  while (inner instanceof Optional) {
    if (!inner.hasValue()) return Optional.of(null);
    inner = inner.value();
  }
  return Optional.of(inner);
}

/** `v` as read through an attribute in a kro-gen environment. */
export function attributeValue(v: unknown, ev: { readonly registry: object }): unknown {
  return v instanceof Optional && isKroRegistry(ev.registry) ? collapseOptional(v) : v;
}

interface ScopeWithValues {
  getCheckedValue(ev: Evaluator & { registry: object }, node: ASTNode): unknown;
  forkWithVariable(name: string, type: unknown): ScopeWithValues;
}

interface TernaryNode {
  readonly op: string;
  readonly condition: ASTNode;
  readonly left: ASTNode;
  readonly right: ASTNode;
  setMeta(key: string, value: unknown): unknown;
}

interface PatchableParser {
  readonly registry: object;
  parseExpression(): ASTNode;
}

let installed = false;

function patchScope(proto: ScopeWithValues): void {
  const read = proto.getCheckedValue;
  proto.getCheckedValue = function (this: ScopeWithValues, ev, node) {
    return attributeValue(read.call(this, ev, node), ev);
  };
}

// Branches cel-go resolves as attributes of their own (a variable, a select or index, another
// conditional): their value is already what cel-go's resolution gives. Any other branch is
// wrapped in an attribute without qualifiers, which collapses a nested optional.
const ATTRIBUTE_OPS = new Set(['id', '.', '.?', '[]', '[?]', '?:']);

// The library sets the ternary's branches while checking, which always precedes evaluation.
function evaluateTernary(ev: Evaluator & { registry: object }, node: TernaryNode, scope: Scope): unknown {
  const c = ev.run(node.condition, scope);
  // cel-go: a condition that is no bool finds no overload of the conditional.
  if (c !== true && c !== false) throw ev.createError('no_such_overload', 'no such overload', node.condition);
  const branch = c ? node.left : node.right;
  const v = ev.run(branch, scope);
  return ATTRIBUTE_OPS.has(branch.op) ? v : attributeValue(v, ev);
}

interface IndexNode {
  readonly op: string;
  readonly left: ASTNode;
  readonly right: ASTNode;
  handle(obj: unknown, index: unknown, node: IndexNode, ev: Evaluator): unknown;
  evaluate(ev: Evaluator & { registry: object }, node: IndexNode, scope: Scope): unknown;
}

// cel-go qualifies an empty optional by returning it before it evaluates the index:
// `optional.none()[?(1 / 0)]` is optional.none().
function evaluateIndex(ev: Evaluator, node: IndexNode, scope: Scope): unknown {
  const obj = ev.run(node.left, scope);
  if (obj instanceof Optional && !obj.hasValue()) return obj;
  return node.handle(obj, ev.run(node.right, scope), node, ev);
}

function install(env: Environment): void {
  if (installed) return;
  installed = true;
  const root = rootScopeOf(env) as ScopeWithValues;
  const overlay = root.forkWithVariable('x', undefined);
  patchScope(Object.getPrototypeOf(root) as ScopeWithValues);
  patchScope(Object.getPrototypeOf(overlay) as ScopeWithValues);

  // Index nodes pick their evaluation on first use; kro-gen's take the one above.
  const nodeProto = Object.getPrototypeOf(env.parse('x[0]').ast) as IndexNode;
  const evaluate = nodeProto.evaluate;
  nodeProto.evaluate = function (this: IndexNode, ev, node, scope) {
    if ((this.op === '[]' || this.op === '[?]') && isKroRegistry(ev.registry)) {
      this.evaluate = evaluateIndex as IndexNode['evaluate'];
      return evaluateIndex(ev, node, scope);
    }
    return evaluate.call(this, ev, node, scope);
  };

  const proto = Object.getPrototypeOf(internalsOf(env).parser) as PatchableParser;
  const parseExpression = proto.parseExpression;
  proto.parseExpression = function (this: PatchableParser): ASTNode {
    const node = parseExpression.call(this) as unknown as TernaryNode;
    if (node.op === '?:' && isKroRegistry(this.registry)) node.setMeta('evaluate', evaluateTernary);
    return node as unknown as ASTNode;
  };
}

export const attributesLibrary: CelLibrary = {
  name: "cel-go's attribute resolution (nested optionals read as one)",
  register: install,
};
