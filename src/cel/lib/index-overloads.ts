// Indexing with `[]` and `[?]` typed as cel-go's checker types it where the operand holds a type
// parameter or dyn. cel-go declares both as overloads (list and map, plain and inside an
// optional), resolved like any call (type-parameters.ts):
// - an operand of a free type `A` (`optional.none().value()`) or `optional(A)` (`optional.none()`)
//   unifies with the first overload it fits and the result is a new free parameter:
//   `optional.none()[?0]` is an optional(V), whose `.value().min()` binds V to int;
// - where several overloads match with different results the index is dyn: `dyn(x)[?0]` and
//   `optional.of(dyn(x))[?0]` are dyn (their `.value()` is then a free parameter, as any dyn's),
//   while `optional.of(dyn(x))[?"k"]` fits only the optional map overload and is an optional(V).
// The library refused the first kind (and overload-resolution.ts checked it again with the
// parameter as dyn) and typed the second optional(dyn).
// Only nodes checked against kro-gen registries are affected.
import type { Environment } from '@marcbachmann/cel-js';
import type { CelLibrary } from '../library.js';
import { addNodeCheckHooks, isKroRegistry } from '../registration.js';
import { operandType, paramType, type TypeChecker } from './overload-resolution.js';
import { type LibType, resolve, type Signature, type TypeRegistry } from './type-parameters.js';

interface IndexNode {
  readonly op: string;
  readonly args: unknown;
}

interface Checker extends TypeChecker {
  readonly intType: LibType;
}

// cel-go's overloads of `_[_]` and `_[?_]`, in its declaration order.
function signatures(chk: Checker, op: string): Signature[] {
  const reg = chk.registry as unknown as TypeRegistry;
  const [k, v] = [paramType(chk, 'K'), paramType(chk, 'V')];
  const list = reg.getListType(v);
  const map = reg.getMapType(k, v);
  const opt = reg.getOptionalType(v);
  const int = chk.intType;
  const optionalList = { params: [reg.getOptionalType(list), int], result: opt };
  const optionalMap = { params: [reg.getOptionalType(map), k], result: opt };
  if (op === '[]') {
    return [{ params: [list, int], result: v }, { params: [map, k], result: v }, optionalList, optionalMap];
  }
  return [{ params: [list, int], result: opt }, optionalList, { params: [map, k], result: opt }, optionalMap];
}

// Resolved types by registry, operator and operand types (checks repeat on every evaluation).
const resolved = new WeakMap<object, Map<string, LibType | null>>();

// Whether the operand is one the library types otherwise than cel-go: a parameter, or dyn.
const differs = (t: LibType): boolean => t.hasPlaceholderType || t.hasDynType;

// cel-go's type of `node` when its indexed operand holds a parameter or dyn; undefined where the
// library's type stands (no overload fits: the library reports it).
function indexType(chk: Checker, node: IndexNode): LibType | undefined {
  // The operand types as checked, with the parameters overload-resolution.ts made dyn to retry.
  const [leftNode, indexNode] = node.args as Parameters<typeof operandType>[0][];
  const left = leftNode && (operandType(leftNode) as LibType | undefined);
  if (!left || !differs(left)) return undefined;
  const index = indexNode && (operandType(indexNode) as LibType | undefined);
  if (!index) return undefined;
  let byOperands = resolved.get(chk.registry);
  if (!byOperands) {
    byOperands = new Map();
    resolved.set(chk.registry, byOperands);
  }
  const key = `${node.op}:${left.name}|${index.name}`;
  let type = byOperands.get(key);
  if (type === undefined) {
    const r = chk.registry as unknown as TypeRegistry;
    type =
      resolve(r, (n) => paramType(chk, n), chk.dynType, signatures(chk, node.op), [left, index])?.type ??
      null;
    byOperands.set(key, type);
  }
  return type ?? undefined;
}

let installed = false;

function install(env: Environment): void {
  if (installed) return;
  installed = true;
  addNodeCheckHooks<IndexNode, Checker, LibType>(env, {
    ops: ['[]', '[?]'],
    after: (node, chk, type) => (isKroRegistry(chk.registry) ? (indexType(chk, node) ?? type) : type),
  });
}

export const indexOverloadsLibrary: CelLibrary = {
  name: "cel-go's typing of an index into a type parameter or dyn",
  register: install,
};
