// Indexing a value whose type is a free type parameter, as cel-go's checker types it. cel-go
// declares `_[_]` and `_[?_]` as overloads (list and map, plain and inside an optional), so an
// operand of a free type `A` (`optional.none().value()`) or `optional(A)` (`optional.none()`)
// unifies with the first of them and the result is a new free parameter: `optional.none()[?0]`
// is an optional(V), whose `.value().min()` then binds V to int as any free parameter does
// (type-parameters.ts). The library refused the index and overload-resolution.ts checked it again
// with the parameter as dyn, which made the result dyn.
// Only nodes checked against kro-gen registries are affected.
import type { Environment } from '@marcbachmann/cel-js';
import type { CelLibrary } from '../library.js';
import { isKroRegistry, wrapNodeCheck } from '../registration.js';
import { paramType, type TypeChecker } from './overload-resolution.js';
import type { LibType, TypeRegistry } from './type-parameters.js';

interface IndexNode {
  readonly op: string;
  readonly args: unknown;
}

interface Checker extends TypeChecker {
  check(node: unknown, scope: unknown): LibType;
}

const isParam = (t: LibType | undefined): boolean => t?.kind === 'param';

// The type cel-go gives `node` when its indexed operand holds a free parameter; undefined otherwise.
function freeIndexType(chk: Checker, node: IndexNode, scope: unknown): LibType | undefined {
  const left = chk.check((node.args as unknown[])[0], scope);
  const optional = left.kind === 'optional';
  if (!isParam(optional ? left.valueType : left)) return undefined;
  const v = paramType(chk, 'V');
  // A plain index of a bare parameter binds it to a list or map and yields the element; with
  // `[?` or on an optional, the element comes wrapped in an optional.
  return node.op === '[]' && !optional ? v : (chk.registry as unknown as TypeRegistry).getOptionalType(v);
}

let installed = false;

function install(env: Environment): void {
  if (installed) return;
  installed = true;
  wrapNodeCheck<IndexNode, Checker, LibType>(
    env,
    (check) =>
      function (this: IndexNode, chk, ast, scope) {
        const free =
          (this.op === '[]' || this.op === '[?]') && isKroRegistry(chk.registry)
            ? freeIndexType(chk, this, scope)
            : undefined;
        const type = check.call(this, chk, ast, scope);
        return free ?? type;
      },
  );
}

export const freeParameterIndexLibrary: CelLibrary = {
  name: "cel-go's typing of an index into a free type parameter",
  register: install,
};
