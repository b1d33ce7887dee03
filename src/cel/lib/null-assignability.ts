// null where cel-go's checker lets it stand for another type: cel-go keeps its legacy checker's
// rule that null is assignable to messages (kro's schema object types), timestamps, durations and
// opaque types such as optionals. So kro accepts `c ? deployment.spec : null` (typed as the
// object), `schema.spec.?cfg.orValue(null)`, `c ? [obj] : [null]`, `obj in [null]` and
// `[obj] + [null]`; the library joins and matches types by name, so kro-gen refused them.
//
// The rule is taught where the library decides, not expression by expression:
// - the library's type join (`unify`, behind the ternary, or/orValue and list and map literals):
//   where it finds none and a side holds null, the two types are joined as cel-go joins a type
//   parameter's two bindings (type-parameters.ts: null assignable to a nullable type, the first
//   kept unless the second is less specific). So `c ? obj : null` is the object and
//   `c ? null : obj` is null, as in cel-go;
// - list and map literals: cel-go joins their elements the other way round, keeping the later
//   one (`[obj, null]` is a list(null), `[null, obj]` a list(obj)), so a literal holding null is
//   joined again from its last element (literals.ts does so for the literals it checks itself);
// - operators and calls the library found no overload for, with an operand holding null: resolved
//   over their declarations as cel-go resolves them (`==` and `!=`: equality-typing.ts).
// Only typing environments get the joined types: an evaluated environment gets dyn, because the
// library checks a list's or map's elements against their static type when it reads them, and a
// list(duration) may hold null in cel-go. Only kro-gen registries are affected.
import type { Environment } from '@marcbachmann/cel-js';
import type { CelLibrary } from '../library.js';
import {
  addNodeCheckHooks,
  checkerOf,
  isKroRegistry,
  isTypingRegistry,
  typeParameter,
} from '../registration.js';
import { type LibType, resolve, type Signature, type TypeRegistry } from './type-parameters.js';

interface Type extends LibType {
  unify(registry: object, other: Type): Type | null;
}

interface Declaration {
  readonly macro?: unknown;
  readonly leftType?: LibType;
  readonly rightType?: LibType;
  readonly receiverType?: LibType | null;
  readonly argTypes?: readonly LibType[];
  readonly returnType: LibType;
}

interface CheckedNode {
  readonly op: string;
  readonly args: unknown;
  readonly meta: { readonly macro?: unknown };
  readonly checkedType?: Type;
  /** The declarations of an operator or call (set before the library looks for an overload). */
  readonly candidates?: { readonly declarations: readonly Declaration[] };
}

interface Checker {
  readonly registry: object;
  readonly dynType: Type;
}

type ParamType = (name: string) => LibType;

// Whether `t` is null or holds null in a list, map or optional.
function holdsNull(t: LibType | undefined): boolean {
  if (t === undefined) return false;
  if (t.name === 'null') return true;
  return holdsNull(t.valueType) || holdsNull(t.keyType);
}

// cel-go's join of a literal's element (or map value) types, where one holds null: each later
// one first. Undefined where none holds null (the library's join stands).
function literalJoin(chk: Checker, types: readonly (Type | undefined)[]): Type | undefined {
  if (!types.some(holdsNull)) return undefined;
  let out: Type | undefined;
  for (const t of types) {
    if (t === undefined) return undefined;
    out = out ? (t.unify(chk.registry, out) ?? chk.dynType) : t;
  }
  return out;
}

// A list or map literal the library checked (not literals.ts), typed again where it holds null.
function literalType(node: CheckedNode, chk: Checker, type: Type): Type {
  if ((node.op !== 'list' && node.op !== 'map') || node.meta.macro || !isTypingRegistry(chk.registry)) {
    return type;
  }
  const reg = chk.registry as unknown as TypeRegistry;
  if (node.op === 'list') {
    const joined = literalJoin(
      chk,
      (node.args as CheckedNode[]).map((e) => e.checkedType),
    );
    return joined ? (reg.getListType(joined) as Type) : type;
  }
  const entries = node.args as [CheckedNode, CheckedNode][];
  const joined = literalJoin(
    chk,
    entries.map(([, v]) => v.checkedType),
  );
  return joined ? (reg.getMapType(type.keyType as LibType, joined) as Type) : type;
}

// The operand nodes of an operator or call, receiver first; undefined for other nodes.
function operandNodes(node: CheckedNode): CheckedNode[] | undefined {
  const args = node.args as unknown[];
  if (node.op === 'call') return args[1] as CheckedNode[];
  if (node.op === 'rcall') return [args[1] as CheckedNode, ...(args[2] as CheckedNode[])];
  if (Array.isArray(args) && args.length === 2 && node.candidates) return args as CheckedNode[];
  return undefined;
}

// An operator or call the library found no overload for, with an operand holding null: its type
// as cel-go resolves it; undefined where cel-go finds no overload either.
function resolvedWithNull(chk: Checker, node: CheckedNode, param: ParamType): Type | undefined {
  const decls = node.candidates?.declarations;
  const nodes = decls ? operandNodes(node) : undefined;
  if (!decls || !nodes) return undefined;
  const operands = nodes.map((a) => a.checkedType);
  if (!operands.some(holdsNull) || operands.some((t) => t === undefined)) return undefined;
  // (`==` and `!=` are equality-typing.ts's.)
  if (node.op === '==' || node.op === '!=') return undefined;
  const sigs: Signature[] = decls.flatMap((d) => {
    if (d.macro) return [];
    if (d.leftType && d.rightType) return [{ params: [d.leftType, d.rightType], result: d.returnType }];
    const params = [...(node.op === 'rcall' ? [d.receiverType] : []), ...(d.argTypes ?? [])];
    return params.every((p) => p) ? [{ params: params as LibType[], result: d.returnType }] : [];
  });
  const r = resolve(chk.registry as unknown as TypeRegistry, param, chk.dynType, sigs, operands as Type[]);
  return r?.type as Type | undefined;
}

let installed = false;

function install(env: Environment): void {
  if (installed) return;
  installed = true;
  const dyn = (checkerOf(env) as { dynType: Type }).dynType;
  const proto = Object.getPrototypeOf(dyn) as Type;
  const param = (name: string): LibType => typeParameter(dyn, name);
  const a = param('A');
  // The join of two types: the binding of one type parameter both are assigned to.
  const join = [{ params: [a, a], result: a }];
  const unify = proto.unify;
  proto.unify = function (this: Type, registry: object, other: Type): Type | null {
    const joined = unify.call(this, registry, other);
    if (joined || !(holdsNull(this) || holdsNull(other)) || !isKroRegistry(registry)) return joined;
    const r = resolve(registry as TypeRegistry, param, dyn, join, [this, other]);
    if (!r) return null;
    return isTypingRegistry(registry) ? (r.type as Type) : dyn;
  };
  addNodeCheckHooks<CheckedNode, Checker, Type>(env, {
    ops: ['list', 'map'],
    onError(node, chk, err) {
      if ((err as { node?: unknown } | null)?.node !== node || !isKroRegistry(chk.registry)) return undefined;
      const resolved = resolvedWithNull(chk, node, param);
      if (!resolved) return undefined;
      return isTypingRegistry(chk.registry) ? resolved : chk.dynType;
    },
    after: literalType,
  });
}

export const nullAssignabilityLibrary: CelLibrary = {
  name: "cel-go's null assignability (null for objects, timestamps, durations, optionals)",
  register: install,
};
