// Unary minus and int literals as cel-go's parser reads them. Its grammar takes a run of `-`
// signs together (`-'+ member`): an even run is the operand itself (`--"a"` is "a",
// `--(-9223372036854775808)` is -9223372036854775808), an odd run one negation. Only a single
// sign written before an int literal is part of the literal, which is how
// -9223372036854775808 is an int; every other int literal must fit an int64
// (`9223372036854775808`, `--9223372036854775808` and `-(9223372036854775808)` are refused).
//
// The library negates once per sign and takes any int literal. After parsing, a run is pointed at
// what cel-go makes of it (the node's `alternate`, the library's own substitution hook), and an
// int literal out of range is a parse error. Only texts that can hold either are walked.
import { type ASTNode, type Environment, ParseError } from '@marcbachmann/cel-js';
import { childrenOf } from '../celgo-checks.js';
import type { CelLibrary } from '../library.js';
import { internalsOf, isKroRegistry } from '../registration.js';

const MAX_INT = 9223372036854775807n;
const MIN_INT_MAGNITUDE = MAX_INT + 1n;

// Two signs with only space between, or an int literal of 19+ digits or 16+ hex digits.
const CANDIDATE = /-\s*-|\d{19}|0[xX][0-9a-fA-F]{16}/;

interface Node {
  readonly op: string;
  readonly args: unknown;
  readonly start: number;
  readonly input: string;
  setMeta(key: string, value: unknown): Node;
}

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && 'op' in v && 'args' in v;
}

function children(node: Node): Node[] {
  return childrenOf(node as unknown as ASTNode) as unknown as Node[];
}

// Whether `inner` follows the sign of `outer` with nothing but space between (no parenthesis).
function adjacent(outer: Node, inner: Node): boolean {
  return outer.input.slice(outer.start + 1, inner.start).trim() === '';
}

function invalidIntLiteral(node: Node): never {
  throw new ParseError({
    code: 'invalid_int_literal',
    message: 'invalid int literal',
    node: node as unknown as ASTNode,
  });
}

function normalise(root: Node): void {
  const pending: Node[] = [root];
  while (pending.length > 0) {
    const node = pending.pop() as Node;
    if (node.op === 'value') {
      if (typeof node.args === 'bigint' && node.args > MAX_INT) invalidIntLiteral(node);
      continue;
    }
    if (node.op !== '-_') {
      pending.push(...children(node));
      continue;
    }
    const run: Node[] = [node];
    let last = node;
    while (isNode(last.args) && last.args.op === '-_' && adjacent(last, last.args)) {
      last = last.args;
      run.push(last);
    }
    const operand = last.args as Node;
    if (run.length === 1 && operand.op === 'value' && adjacent(node, operand)) {
      // A signed literal: its magnitude may reach 2^63.
      if (typeof operand.args === 'bigint' && operand.args > MIN_INT_MAGNITUDE) invalidIntLiteral(operand);
      continue;
    }
    if (run.length > 1) node.setMeta('alternate', run.length % 2 === 0 ? operand : last);
    pending.push(operand);
  }
}

let installed = false;

interface PatchableParser {
  readonly registry: object;
  parse(input: string): ASTNode;
}

function install(env: Environment): void {
  if (installed) return;
  installed = true;
  const proto = Object.getPrototypeOf(internalsOf(env).parser) as PatchableParser;
  const parse = proto.parse;
  proto.parse = function (this: PatchableParser, input: string): ASTNode {
    const ast = parse.call(this, input);
    if (CANDIDATE.test(input) && isKroRegistry(this.registry)) normalise(ast as unknown as Node);
    return ast;
  };
}

export const negationLibrary: CelLibrary = {
  name: "cel-go's unary minus runs and int literal range",
  register: install,
};
