// Operands evaluated left to right, as cel-go evaluates them. cel-go evaluates a call's arguments
// (receiver first) and a list literal's elements in order and stops at the first error, so when
// several fail the leftmost one is reported: `[1 / 0, uint(-1)]` is a division by zero in kro.
// The library evaluates these operand arrays from the last to the first, which reported the
// overflow. Nodes of kro-gen registries take the in-order evaluation on first use; a node the
// library rewrote (a macro, a constant, an empty list) keeps its own.
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
  const proto = Object.getPrototypeOf(sample('[1, 2]')) as OperandsNode;
  const evaluate = proto.evaluate;
  proto.evaluate = function (this: OperandsNode, ev, node, scope) {
    const op = this.op;
    const meta = op === 'call' || op === 'rcall' || op === 'list' ? this.meta : undefined;
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
