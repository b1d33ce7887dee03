// `==` and `!=` typed as cel-go types them: one overload each, `(A, A) -> bool`, where A binds
// to the first operand's type and the second must be assignable to it (dyn to anything, null to
// objects, timestamps, durations and optionals; type-parameters.ts). The library declares
// equality type by type, with fallbacks for dyn, and none for the object types kro-gen registers
// from schemas, so it refused `deployment.spec == deployment.spec` and accepted
// `optional.of(a) == optional.of(b)` for two object types a and b (its `optional == optional` takes
// any two optionals). Deciding with cel-go's one rule instead of adding overloads type by type
// covers every pair at once. Only typing environments refuse by the rule; evaluated ones only
// accept what the rule accepts and the library did not (they compare values, typed-equality.ts).
import type { Environment } from '@marcbachmann/cel-js';
import type { CelLibrary } from '../library.js';
import {
  addNodeCheckHooks,
  checkerOf,
  isKroRegistry,
  isTypingRegistry,
  typeParameter,
} from '../registration.js';
import { type LibType, resolve, type TypeRegistry } from './type-parameters.js';

interface CheckedNode {
  readonly op: string;
  readonly args: unknown;
  readonly checkedType?: LibType;
}

interface Checker {
  readonly registry: object;
  readonly dynType: LibType;
  createError(code: string, message: string, node: unknown): Error;
  formatType(t: LibType): string;
}

let installed = false;

function install(env: Environment): void {
  if (installed) return;
  installed = true;
  const dyn = (checkerOf(env) as Checker).dynType;
  const param = (name: string): LibType => typeParameter(dyn, name);
  const a = param('A');
  const equality = (chk: Checker, node: CheckedNode): LibType | string | undefined => {
    if (node.op !== '==' && node.op !== '!=') return undefined;
    const [l, r] = (node.args as CheckedNode[]).map((o) => o.checkedType);
    if (!l || !r) return undefined;
    const bool = (chk.registry as { getType(n: string): LibType }).getType('bool');
    const sig = [{ params: [a, a], result: bool }];
    if (resolve(chk.registry as TypeRegistry, param, chk.dynType, sig, [l, r])) return bool;
    // The library's wording, which describeError turns into cel-go's.
    return `no such overload: ${chk.formatType(l)} ${node.op} ${chk.formatType(r)}`;
  };
  addNodeCheckHooks<CheckedNode, Checker, LibType>(env, {
    ops: ['==', '!='],
    // Evaluated environments too: their handlers compare values whatever the static types
    // (typed-equality.ts), and `timestamp(t) == null` must reach them.
    onError(node, chk, err) {
      if ((err as { node?: unknown } | null)?.node !== node || !isKroRegistry(chk.registry)) return undefined;
      const t = equality(chk, node);
      return typeof t === 'string' ? undefined : t;
    },
    after(node, chk, type) {
      if (!isTypingRegistry(chk.registry)) return type;
      const t = equality(chk, node);
      if (typeof t === 'string') throw chk.createError('no_such_overload', t, node);
      return type;
    },
  });
}

export const equalityTypingLibrary: CelLibrary = {
  name: "cel-go's typing of == and != (one overload, (A, A))",
  register: install,
};
