// `==`, `!=` and `in` at run time as kro evaluates them. kro wraps each typed resource with its
// schema (UnstructuredToVal), and those objects, maps and lists compare only with maps and lists,
// answering "no such overload" otherwise (values.ts, schemaValueEquals): in kro
// `dyn(deployment.spec) == 1` fails where a map literal would be unequal, while
// `1 == dyn(deployment.spec)` is false and `dyn(deployment.spec) != 1` true (cel-go's `!=` is "not
// equal to true"). And cel-go compares null with anything before asking the operands' types.
// The operator nodes' handlers are wrapped after the library's check picks them, so that every
// way the library dispatches (typed overloads, dyn fallbacks) goes through one test; only nodes of
// kro-gen registries are affected.
import type { Environment } from '@marcbachmann/cel-js';
import type { CelLibrary } from '../library.js';
import { addNodeCheckHooks, isKroRegistry } from '../registration.js';
import { isSchemaValue, schemaValueEquals, typedEquals } from '../values.js';

type Handle = (left: unknown, right: unknown, ast: unknown, ev: unknown) => unknown;

interface CheckedNode {
  readonly op: string;
  handle?: Handle;
}

interface Evaluator {
  createError(code: string, message: string, node: unknown): Error;
}

const noOverload = (ev: unknown, ast: unknown): Error =>
  (ev as Evaluator).createError('no_such_overload', 'no such overload', ast);

// The handlers made for each library handler, per operator (the library's generic binary
// handler serves both; checks repeat on every evaluation).
const wrapped = {
  '==': new WeakMap<Handle, Handle>(),
  '!=': new WeakMap<Handle, Handle>(),
  in: new WeakMap<Handle, Handle>(),
};
const makers = { '==': equalityHandle, '!=': inequalityHandle, in: containsHandle };
type Op = keyof typeof makers;

// cel-go's `==` answers null against anything first (null equals only null), and `!=` is "not
// equal to true": a comparison that fails is unequal.
function equalityHandle(handle: Handle): Handle {
  return (left, right, ast, ev) => {
    if (left === null || right === null) return left === right;
    if (!isSchemaValue(left)) return handle(left, right, ast, ev);
    const eq = schemaValueEquals(left, right);
    if (eq === undefined) throw noOverload(ev, ast);
    return eq;
  };
}

function inequalityHandle(handle: Handle): Handle {
  return (left, right, ast, ev) => {
    if (left === null || right === null) return left !== right;
    if (!isSchemaValue(left)) return handle(left, right, ast, ev);
    return schemaValueEquals(left, right) !== true;
  };
}

// kro's typed list answers `in` with its elements' own equality: true if one is equal, else
// "no such overload" if one could not compare (`dyn(1) in deployment.spec.containers`), else false.
function containsHandle(handle: Handle): Handle {
  return (left, right, ast, ev) => {
    // null is in a list holding null (cel-go asks null's equality, which never fails).
    if (left === null && Array.isArray(right) && !isSchemaValue(right)) return right.includes(null);
    if (!isSchemaValue(right) || !Array.isArray(right)) return handle(left, right, ast, ev);
    let failed = false;
    for (const e of right) {
      const r = typedEquals(e, left);
      if (r === true) return true;
      if (r === undefined) failed = true;
    }
    if (failed) throw noOverload(ev, ast);
    return false;
  };
}

function wrap(node: CheckedNode, op: Op): void {
  const handle = node.handle;
  if (typeof handle !== 'function') return;
  const made = wrapped[op];
  let w = made.get(handle);
  if (!w) {
    w = makers[op](handle);
    made.set(handle, w);
    made.set(w, w);
  }
  node.handle = w;
}

let installed = false;

function install(env: Environment): void {
  if (installed) return;
  installed = true;
  addNodeCheckHooks<CheckedNode, { readonly registry: object }, unknown>(env, {
    ops: Object.keys(makers),
    after(node, chk, type) {
      const op = node.op;
      if (isKroRegistry(chk.registry)) wrap(node, op as Op);
      return type;
    },
  });
}

export const typedEqualityLibrary: CelLibrary = {
  name: "kro's equality of values read from typed resources",
  register: install,
};
