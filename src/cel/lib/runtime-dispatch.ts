// cel-go's run-time dispatch where it accepts what the library's checked overloads refuse:
// - unary minus is one trait binding in cel-go (anything with a Negate method but a bool), not a
//   set of typed overloads, so `-dyn(duration(d))` negates the duration; the checker still
//   refuses `-duration(d)` (only int and double are declared);
// - flatten() has its type guards disabled, so a dyn receiver holding any list is flattened,
//   scalars kept as they are (`dyn([1, [2]]).flatten()` is [1, 2]); the library matched the
//   value against list(list(A)) and found no overload.
// - flatten() of a list(dyn) has a free element in cel-go (its list(list(A)) matches a dyn element
//   without binding A), so a Kubernetes list function called on the result binds A to its first
//   overload and its guard refuses other elements: `[dyn([true])].flatten().min()` finds no
//   overload in kro. The library bound A to dyn; the result is typed list(A) again, and the
//   free-parameter guard (overload-resolution.ts) does the rest.
// Only nodes checked against kro-gen registries are affected.
import type { Environment } from '@marcbachmann/cel-js';
import type { CelLibrary } from '../library.js';
import { addNodeCheckHooks, isKroRegistry } from '../registration.js';
import { celKind, type Duration, durationNanos } from '../values.js';
import { durationFromNanos } from './core.js';
import { flatten } from './lists.js';
import { operandType } from './overload-resolution.js';

interface Type {
  readonly kind: string;
  readonly name?: string;
  readonly valueType?: Type;
  readonly hasPlaceholderType?: boolean;
}

interface Declaration {
  readonly argTypes: readonly Type[];
  readonly returnType: Type;
}

type Handle = (a: unknown, b: unknown, c: unknown) => unknown;

interface RuntimeEvaluator {
  createError(code: string, message: string, node: unknown): Error;
}

interface CheckedNode {
  readonly op: string;
  readonly args: unknown;
  handle?: Handle;
  receiverWithArgs?: { readonly checkedType?: Type }[];
  candidates?: { readonly declarations: readonly Declaration[] };
}

// `-v`: the library's handler is (operand, ast, ev). A duration is negated (one Negate trait);
// an operand whose value is of another kind than checked (`-dyn([]).orValue(0.0)`, typed double as
// cel-go types it, holds the list) has no Negate method and finds no overload.
function negateByValue(node: CheckedNode, operand: { readonly checkedType?: Type }): void {
  const handle = node.handle;
  if (typeof handle !== 'function') return;
  const dyn = operand.checkedType?.kind === 'dyn';
  node.handle = (value, ast, ev) => {
    const kind = celKind(value);
    if (kind === 'duration') return durationFromNanos(-durationNanos(value as Duration));
    if (dyn || kind === 'int' || kind === 'double') return handle(value, ast, ev);
    throw (ev as RuntimeEvaluator).createError('no_such_overload', `no such overload: -${kind}`, ast);
  };
}

// `v.flatten()` of a list(dyn): cel-go's list(A) with A free, the declaration's own result type.
function flattenType(node: CheckedNode, type: Type): Type {
  const receiver = node.receiverWithArgs;
  if (receiver?.length !== 1 || receiver[0]?.checkedType?.valueType?.kind !== 'dyn') return type;
  const decl = node.candidates?.declarations.find((d) => d.argTypes.length === 0);
  return decl?.returnType.hasPlaceholderType ? decl.returnType : type;
}

// `v.flatten()` with v dyn: the library's handler is (receiverWithArgs, ev, ast).
function flattenUnguarded(node: CheckedNode): void {
  const handle = node.handle;
  const operands = node.receiverWithArgs;
  if (operands?.length !== 1 || operands[0]?.checkedType?.kind !== 'dyn' || typeof handle !== 'function')
    return;
  node.handle = (values, ev, ast) => {
    const list = (values as unknown[])[0];
    return celKind(list) === 'list' ? flatten(list) : handle(values, ev, ast);
  };
}

// `-A` with A free (`-optional.none().value()`): cel-go's checker binds A to the first negate
// overload it declares, negate_double, so the result is a double (`(-[][0]) + 1` is refused).
function negateDouble(node: CheckedNode): Type | undefined {
  return node.candidates?.declarations.find((d) => d.returnType.name === 'double')?.returnType;
}

// After the library's check of a node: the dispatch cel-go does at run time.
function afterCheck(node: CheckedNode, registry: object, type: Type): Type {
  const op = node.op;
  // The operation first: it rules out most nodes at less cost than the registry's marker.
  if (op !== '-_' && (op !== 'rcall' || (node.args as unknown[])[0] !== 'flatten')) return type;
  if (!isKroRegistry(registry)) return type;
  if (op === '-_') {
    const operand = node.args as { readonly checkedType?: Type };
    negateByValue(node, operand);
    return operandType(operand as never)?.kind === 'param' ? (negateDouble(node) ?? type) : type;
  }
  flattenUnguarded(node);
  return flattenType(node, type);
}

let installed = false;

function install(env: Environment): void {
  if (installed) return;
  installed = true;
  addNodeCheckHooks<CheckedNode, { readonly registry: object }, Type>(env, {
    ops: ['-_', 'rcall'],
    after: (node, chk, type) => afterCheck(node, chk.registry, type),
  });
}

export const runtimeDispatchLibrary: CelLibrary = {
  name: "cel-go's run-time dispatch (trait bindings, unguarded functions)",
  register: install,
};
