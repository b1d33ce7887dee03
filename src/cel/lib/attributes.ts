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
import { celKind, celTypeName, UnsignedInt } from '../values.js';
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

// cel-go qualifies the value inside an optional through its native Go value, so an optional
// nested in it collapses first: `dyn(optional.of(optional.none()))[?"k"]` indexes null (none),
// `dyn(optional.of(optional.of({"k": 5}))).k` is optional.of(5).
function qualified(obj: unknown): unknown {
  return obj instanceof Optional ? collapseOptional(obj) : obj;
}

// cel-go qualifies an empty optional by returning it before it evaluates the index:
// `optional.none()[?(1 / 0)]` is optional.none().
function evaluateIndex(ev: Evaluator, node: IndexNode, scope: Scope): unknown {
  const obj = qualified(ev.run(node.left, scope));
  if (obj instanceof Optional && !obj.hasValue()) return obj;
  const index = ev.run(node.right, scope);
  const target = obj instanceof Optional ? obj.value() : obj;
  checkQualifier(ev, node, target, index);
  // A uint indexes a list as the int it is (the library looked it up as a key).
  const listIndex = index instanceof UnsignedInt && celKind(target) === 'list';
  return node.handle(obj, listIndex ? BigInt(index.valueOf()) : index, node, ev);
}

// A field select on a list is a string qualifier too: `dyn([1]).a` and `dyn([1]).?a` fail.
function evaluateSelect(ev: Evaluator, node: IndexNode, scope: Scope): unknown {
  const obj = qualified(ev.run(node.left, scope));
  const target = obj instanceof Optional && obj.hasValue() ? obj.value() : obj;
  if (Array.isArray(target) || target instanceof Set) {
    throw ev.createError(
      'invalid_argument',
      "unsupported index type 'string' in list",
      node as unknown as ASTNode,
    );
  }
  return node.handle(obj, node.right, node, ev);
}

const QUALIFIER_KINDS = new Set(['string', 'int', 'uint', 'bool', 'double']);
const INT64_LIMIT = 2 ** 63;

// cel-go turns an index into a qualifier of the value's kind: only strings, ints, uints, bools and
// doubles make one (`dyn(m)[[]]` fails: invalid qualifier type). A list then takes ints, uints and
// integral doubles only, with or without `[?`: `dyn([1])[?"a"]` fails where the library found
// no entry.
function checkQualifier(ev: Evaluator, node: IndexNode, obj: unknown, index: unknown): void {
  const kind = celKind(index);
  if (!QUALIFIER_KINDS.has(kind)) {
    throw ev.createError(
      'invalid_qualifier',
      `invalid qualifier type: ${celTypeName(index)}`,
      node as unknown as ASTNode,
    );
  }
  if (celKind(obj) !== 'list') return;
  if (kind === 'string' || kind === 'bool') {
    throw ev.createError(
      'invalid_argument',
      `unsupported index type '${kind}' in list`,
      node as unknown as ASTNode,
    );
  }
  if (typeof index === 'number' && !(Number.isInteger(index) && Math.abs(index) < INT64_LIMIT)) {
    throw ev.createError(
      'invalid_argument',
      `unsupported index value ${index} in list`,
      node as unknown as ASTNode,
    );
  }
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
    const select = this.op === '.' || this.op === '.?';
    const meta = select ? (this as { meta?: { alternate?: unknown; macro?: unknown } }).meta : undefined;
    if (select && !meta?.alternate && !meta?.macro && isKroRegistry(ev.registry)) {
      this.evaluate = evaluateSelect as IndexNode['evaluate'];
      return evaluateSelect(ev, node, scope);
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
