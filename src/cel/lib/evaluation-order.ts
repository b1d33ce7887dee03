// Operands evaluated left to right, as cel-go evaluates them. cel-go evaluates a call's arguments
// (receiver first) and a list literal's elements in order and stops at the first error, so when
// several fail the leftmost one is reported: `[1 / 0, uint(-1)]` is a division by zero in kro.
// The library evaluates these operand arrays from the last to the first, which reported the
// overflow. Nodes of kro-gen registries take the in-order evaluation on first use; a node the
// library rewrote (a macro, a constant, an empty list) keeps its own.
//
// `a || b` and `a && b` evaluate both sides unless the left one decides; when neither decides,
// the left side's error is reported before the right side's, and a side that is no bool finds no
// overload (cel-go's evalOr/evalAnd): `dyn(7u) || bool("x")` finds no overload in kro. The
// library reported the right side's error.
import type { ASTNode, Environment } from '@marcbachmann/cel-js';
import type { CelLibrary } from '../library.js';
import { isKroRegistry } from '../registration.js';
import type { Evaluator, Scope } from './comprehensions.js';

interface OperandsNode {
  readonly op: string;
  readonly args: unknown;
  readonly receiverWithArgs?: readonly ASTNode[];
  readonly meta: { readonly evaluate: unknown; readonly alternate?: unknown; readonly macro?: unknown };
  handle(...args: unknown[]): unknown;
  evaluate(ev: Evaluator & { registry: object }, node: OperandsNode, scope: Scope): unknown;
}

type Evaluate = OperandsNode['evaluate'];

function inOrder(ev: Evaluator, nodes: readonly ASTNode[], scope: Scope): unknown {
  const out = new Array<unknown>(nodes.length);
  let async = false;
  for (let i = 0; i < nodes.length; i++) {
    out[i] = ev.run(nodes[i] as ASTNode, scope);
    if (out[i] instanceof Promise) async = true;
  }
  return async ? Promise.all(out) : out;
}

const callInOrder: Evaluate = (ev, node, scope) =>
  node.handle(inOrder(ev, (node.args as [string, ASTNode[]])[1], scope), node, ev);
const methodCallInOrder: Evaluate = (ev, node, scope) =>
  node.handle(inOrder(ev, node.receiverWithArgs ?? [], scope), ev, node);
const listInOrder: Evaluate = (ev, node, scope) => inOrder(ev, node.args as ASTNode[], scope);

function logicalError(ev: Evaluator, v: unknown, node: ASTNode): Error {
  if (v instanceof Error) return v;
  return ev.createError('no_such_overload', `no such overload: logical operator on ${typeof v}`, node);
}

// `||` stops on true, `&&` on false. A pending (async) side is left to the library.
function logical(stopOn: boolean, library: Evaluate): Evaluate {
  return (ev, node, scope) => {
    const [left, right] = node.args as [ASTNode, ASTNode];
    const l = ev.tryEval(left, scope);
    if (l === stopOn) return stopOn;
    const r = ev.tryEval(right, scope);
    if (r === stopOn) return stopOn;
    if (l instanceof Promise || r instanceof Promise) return library(ev, node, scope);
    if (typeof l !== 'boolean') throw logicalError(ev, l, left);
    if (typeof r !== 'boolean') throw logicalError(ev, r, right);
    return !stopOn;
  };
}

let installed = false;

function install(env: Environment): void {
  if (installed) return;
  installed = true;
  const sample = (src: string): OperandsNode => env.parse(src).ast as unknown as OperandsNode;
  // The library's own evaluation of each node kind, to recognise nodes it did not rewrite.
  const replacements = new Map<unknown, Evaluate>([
    [sample('f(1, 2)').meta.evaluate, callInOrder],
    [sample('x.f(1)').meta.evaluate, methodCallInOrder],
    [sample('[1, 2]').meta.evaluate, listInOrder],
  ]);
  const or = sample('x || y').meta.evaluate as Evaluate;
  const and = sample('x && y').meta.evaluate as Evaluate;
  replacements.set(or, logical(true, or));
  replacements.set(and, logical(false, and));
  const proto = Object.getPrototypeOf(sample('[1, 2]')) as OperandsNode;
  const evaluate = proto.evaluate;
  proto.evaluate = function (this: OperandsNode, ev, node, scope) {
    const op = this.op;
    const meta =
      op === 'call' || op === 'rcall' || op === 'list' || op === '||' || op === '&&' ? this.meta : undefined;
    const mine = !meta || meta.alternate || meta.macro ? undefined : replacements.get(meta.evaluate);
    if (mine && isKroRegistry(ev.registry)) {
      this.evaluate = mine;
      return mine(ev, node, scope);
    }
    return evaluate.call(this, ev, node, scope);
  };
}

export const evaluationOrderLibrary: CelLibrary = {
  name: "cel-go's evaluation order (operands left to right, the first error wins)",
  register: install,
};
