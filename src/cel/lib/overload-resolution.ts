// Overload resolution as cel-go's checker does it, where the library's checker differs:
// - a call with a dyn argument (or receiver) that several overloads accept has the result type
//   they share, or dyn when they differ: `[v].max()` with `v` dyn is dyn in cel-go (int, double,
//   string, ... overloads), the library took the first overload's `int`;
// - a type parameter left free (the element of `[]`, the value of `optional.none()`) unifies with
//   whatever the call needs: `[].flatten()`, `optional.unwrap([])`, `optional.none().value() + []`
//   are valid in cel-go, the library found no overload. When a check fails and an operand's type
//   still holds a free parameter, the operands are checked again with the parameters as dyn.
//   (A check that succeeds keeps the library's binding, which is cel-go's: the first overload
//   binds the parameter, so `[].max()` is int in both.)
// Only nodes checked against kro-gen registries are affected.
import type { ASTNode, Environment } from '@marcbachmann/cel-js';
import { childrenOf } from '../celgo-checks.js';
import type { CelLibrary } from '../library.js';
import { isKroRegistry } from '../registration.js';

interface Type {
  readonly kind: string;
  readonly name: string;
  readonly hasDynType: boolean;
  readonly hasPlaceholderType: boolean;
  templated(registry: object, bindings: { get(name: string): Type }): Type;
}

interface Decl {
  readonly macro?: unknown;
  readonly returnType: Type;
}

interface Candidates {
  readonly registry: object;
  readonly returnType?: Type | null;
  readonly declarations: readonly Decl[];
  add(d: Decl): void;
  findFunction(args: readonly Type[], receiver?: Type | null): { returnType: Type } | null;
}

interface CheckedNode {
  readonly op: string;
  readonly args: unknown;
  checkedType?: Type;
  candidates?: Candidates;
  argTypes?: Type[];
}

interface TypeChecker {
  readonly registry: object;
  readonly dynType: Type;
}

type NodeCheck = (this: CheckedNode, chk: TypeChecker, ast: CheckedNode, scope: unknown) => Type;

// The operands whose types the node's check reads: call arguments, receiver, operands.
function operands(node: CheckedNode): CheckedNode[] {
  return childrenOf(node as unknown as ASTNode) as unknown as CheckedNode[];
}

// Replaces free type parameters in the checked operand types by dyn; false when there were none.
function freeParametersAsDyn(chk: TypeChecker, node: CheckedNode): boolean {
  const dyn = { get: () => chk.dynType };
  let changed = false;
  for (const o of operands(node)) {
    const t = o.checkedType;
    if (!t?.hasPlaceholderType) continue;
    o.checkedType = t.templated(chk.registry, dyn);
    changed = true;
  }
  return changed;
}

// One-declaration candidate lists, to ask the library whether that declaration matches.
const single = new WeakMap<object, WeakMap<Decl, Candidates>>();

function matchOne(
  all: Candidates,
  decl: Decl,
  args: readonly Type[],
  receiver: Type | null,
): Type | undefined {
  let byDecl = single.get(all.registry);
  if (!byDecl) {
    byDecl = new WeakMap();
    single.set(all.registry, byDecl);
  }
  let c = byDecl.get(decl);
  if (!c) {
    const Ctor = all.constructor as new (registry: object) => Candidates;
    c = new Ctor(all.registry);
    c.add(decl);
    byDecl.set(decl, c);
  }
  return c.findFunction(args, receiver)?.returnType;
}

// cel-go's result type of a call whose operands include dyn: shared by every match, else dyn.
function dynCallType(chk: TypeChecker, node: CheckedNode, type: Type): Type {
  const cands = node.candidates;
  const args = node.argTypes;
  if (!cands || !args || cands.declarations.length < 2 || type.kind === 'dyn') return type;
  // Every overload returns this type (the library keeps their union): nothing to decide.
  if (cands.returnType?.name === type.name) return type;
  const receiver = node.op === 'rcall' ? ((node.args as unknown[])[1] as CheckedNode).checkedType : undefined;
  if ((!args.some((t) => t.hasDynType) && !receiver?.hasDynType) || !isKroRegistry(chk.registry)) return type;
  let byOperands = resolved.get(cands);
  if (!byOperands) {
    byOperands = new Map();
    resolved.set(cands, byOperands);
  }
  const key = `${receiver?.name ?? ''}(${args.map((t) => t.name).join(',')})${type.name}`;
  let dyn = byOperands.get(key);
  if (dyn === undefined) {
    dyn = cands.declarations.some((decl) => {
      if (decl.macro) return false;
      const r = matchOne(cands, decl, args, receiver ?? null);
      return r !== undefined && r.name !== type.name;
    });
    byOperands.set(key, dyn);
  }
  return dyn ? chk.dynType : type;
}

// Per candidate list and operand types: whether the call is dyn (checks repeat on every evaluation).
const resolved = new WeakMap<Candidates, Map<string, boolean>>();

// Whether `err` was raised checking `node` itself (by its overloads or its macro, which may name
// an operand), so that checking its operands again as dyn can help. Errors of nodes further down
// have had their own retry.
const retried = new WeakSet<object>();

function raisedAt(err: unknown, node: CheckedNode): boolean {
  if (typeof err !== 'object' || err === null || retried.has(err)) return false;
  retried.add(err);
  const at = (err as { node?: unknown }).node;
  return at === undefined || at === node || operands(node).includes(at as CheckedNode);
}

let installed = false;

function install(env: Environment): void {
  if (installed) return;
  installed = true;
  const sample = env.parse('x').ast as unknown as object;
  const proto = Object.getPrototypeOf(sample) as { check: NodeCheck };
  const check = proto.check;
  proto.check = function (this: CheckedNode, chk, ast, scope) {
    let type: Type;
    try {
      type = check.call(this, chk, ast, scope);
    } catch (err) {
      if (!isKroRegistry(chk.registry) || !raisedAt(err, this) || !freeParametersAsDyn(chk, this)) throw err;
      type = check.call(this, chk, ast, scope);
    }
    const op = this.op;
    if ((op === 'call' || op === 'rcall' || GUARDED_BINARY.has(op)) && isKroRegistry(chk.registry)) {
      guardFreeOperands(chk, this);
      parametersAsWildcards(chk, this);
    }
    if (type.hasPlaceholderType && (op === '+' || op === '?:') && isKroRegistry(chk.registry)) {
      type = boundByOtherOperand(chk, this, type);
    }
    return op === 'rcall' || op === 'call' ? dynCallType(chk, this, type) : type;
  };
}

// `[] + [timestamp(t)]` and `c ? [] : [duration(d)]`: cel-go unifies the free element of one
// operand with the other's, so the result is a list(timestamp) (`.max()` then picks the timestamp
// overload); the library kept the free list<A> of the first.
function boundByOtherOperand(chk: TypeChecker, node: CheckedNode, type: Type): Type {
  const args = node.args as CheckedNode[];
  const pair = node.op === '+' ? [args[0], args[1]] : node.op === '?:' ? [args[1], args[2]] : undefined;
  const [a, b] = [pair?.[0]?.checkedType, pair?.[1]?.checkedType];
  if (!a || !b) return type;
  const unified = (a as Type & { unify(r: object, t: Type): Type | null }).unify(chk.registry, b);
  return unified && !unified.hasPlaceholderType ? unified : type;
}

interface RuntimeEvaluator {
  debugTypeDeep(v: unknown): Type & { readonly wrappedType: Type };
  createError(code: string, message: string, node: unknown): Error;
}

interface BinaryCandidates {
  findBinaryOverload(left: Type, right: Type): unknown;
}

interface Declaration extends Decl {
  readonly receiverType: Type | null;
  readonly argTypes: readonly Type[];
  readonly hasPlaceholderType: boolean;
  readonly handler: (...args: unknown[]) => unknown;
}

interface Registry {
  getListType(t: Type): Type;
  getMapType(k: Type, v: Type): Type;
}

const isParam = (t: Type | undefined | null): boolean => t?.kind === 'param';

// The type a run-time operand is matched with against declared type `p`: cel-go's overload guard
// lets any value stand for a type parameter, and any list or map for a list(A) or map(K, V).
function guardType(ev: RuntimeEvaluator, chk: TypeChecker, p: Type | null | undefined, v: unknown): Type {
  if (isParam(p)) return chk.dynType;
  const t = ev.debugTypeDeep(v);
  const reg = chk.registry as unknown as Registry;
  const q = p as (Type & { valueType?: Type; keyType?: Type }) | null | undefined;
  if (q?.kind === 'list' && t.kind === 'list' && isParam(q.valueType)) return reg.getListType(chk.dynType);
  if (q?.kind === 'map' && t.kind === 'map' && isParam(q.keyType) && isParam(q.valueType)) {
    return reg.getMapType(chk.dynType, chk.dynType);
  }
  return t;
}

// A generic declaration (lists.setAtIndex(list(A), int, A), list(A).indexOf(A)) called with dyn
// operands: cel-go's run-time guard checks each operand against its parameter on its own, a type
// parameter accepting any value, so lists.setAtIndex(dyn([1]), 0, "a") is ["a"] and
// dyn([1]).indexOf("a") is -1. The library bound A from the list's elements and found no
// overload. When exactly one declaration passes that guard it is called; otherwise the library
// dispatches as before.
function parametersAsWildcards(chk: TypeChecker, node: CheckedNode): void {
  const n = node as CheckedNode & { handle?: Handle; receiverWithArgs?: CheckedNode[] };
  const handle = n.handle;
  if ((n.op !== 'call' && n.op !== 'rcall') || !n.candidates || typeof handle !== 'function') return;
  const method = n.op === 'rcall';
  const nodes = method ? n.receiverWithArgs : ((n.args as unknown[])[1] as CheckedNode[]);
  if (!nodes?.some((o) => o.checkedType?.hasDynType)) return;
  if (!n.candidates.declarations.some((d) => (d as Declaration).hasPlaceholderType && !d.macro)) return;
  const decls = n.candidates.declarations.filter((d) => !d.macro) as Declaration[];
  const cands = n.candidates;
  const passes = (decl: Declaration, values: unknown[], ev: RuntimeEvaluator): boolean => {
    const params = method ? [decl.receiverType, ...decl.argTypes] : decl.argTypes;
    const types = values.map((v, i) => guardType(ev, chk, params[i], v));
    const ok = method
      ? matchOne(cands, decl, types.slice(1), types[0] as Type)
      : matchOne(cands, decl, types, null);
    return ok !== undefined;
  };
  // The one generic declaration that passes cel-go's guard, else undefined (the library decides).
  const chosen = (values: unknown[], ev: RuntimeEvaluator): Declaration | undefined => {
    const matching = decls.filter((d) => passes(d, values, ev));
    return matching.length === 1 && matching[0]?.hasPlaceholderType ? matching[0] : undefined;
  };
  n.handle = method
    ? (values, ev, ast) => {
        const d = chosen(values as unknown[], ev as RuntimeEvaluator);
        return d ? d.handler.apply(ev, values as unknown[]) : handle(values, ev, ast);
      }
    : (values, ast, ev) => {
        const d = chosen(values as unknown[], ev as RuntimeEvaluator);
        return d ? d.handler.apply(ev, values as unknown[]) : handle(values, ast, ev);
      };
}

// The library's node handlers: (left, right, ast, ev) for operators, (args, ast, ev) for calls,
// (receiverWithArgs, ev, ast) for method calls.
type Handle = (a: unknown, b: unknown, c: unknown, d?: unknown) => unknown;

const GUARDED_BINARY = new Set(['+', '-', '*', '/', '%', '<', '<=', '>', '>=']);

// Functions cel-go binds once for all their overloads (a trait call, no type guard): sort() of a
// list holding a free parameter sorts whatever it holds.
const UNGUARDED_CALLS = new Set(['sort', 'size', 'matches', 'type', 'dyn']);

// The one overload of an operator for these operand types; none when several match.
function findBinary(cands: BinaryCandidates, l: Type, r: Type): unknown {
  try {
    return cands.findBinaryOverload(l, r);
  } catch {
    return undefined;
  }
}

const isFree = (t: Type | undefined): boolean => t?.kind === 'param';

// A type holding a free parameter: `A`, or the `list(A)` of `[v].flatten()` or `dyn(l).distinct()`.
const holdsFree = (t: Type | undefined): boolean => t?.hasPlaceholderType === true;

// Whether cel-go matches a dyn operand against a declared type that holds a parameter inside it
// (dyn against list(A), list(dyn) against list(list(A))): that leaves the parameter unbound.
function dynAgainstStructure(p: Type | null | undefined, t: Type | null | undefined): boolean {
  if (!p || !t || !p.hasPlaceholderType || isParam(p)) return false;
  if (t.kind === 'dyn') return true;
  const [q, u] = [
    p as Type & { keyType?: Type; valueType?: Type },
    t as Type & { keyType?: Type; valueType?: Type },
  ];
  if (q.kind !== u.kind) return false;
  return dynAgainstStructure(q.keyType, u.keyType) || dynAgainstStructure(q.valueType, u.valueType);
}

// An operand whose free parameter cel-go leaves free too: one typed by the parameter itself, or
// made by a call that matched a dyn operand around its parameter (`dyn(l).distinct()`,
// `lists.removeAtIndex(v, 0)`, `[v].flatten()`), where cel-go's checker has nothing to bind it
// with either. (Where the library leaves free what cel-go binds, `lists.insertAtIndex([], 0,
// 1.0)`, guarding would refuse what kro answers.)
function freeInCelGo(o: CheckedNode): boolean {
  if (isFree(o.checkedType)) return true;
  const cands = o.candidates;
  const args = o.argTypes;
  // A result without dyn: one still holding the parameter, or typed by the overload cel-go bound
  // it to (`[v].flatten().sort()` is a list(int) there, so `.max()` of it is guarded as int's).
  const t = o.checkedType;
  if (!t || t.hasDynType || (o.op !== 'call' && o.op !== 'rcall') || !cands || !args) return false;
  const method = o.op === 'rcall';
  const receiver = method ? (((o.args as unknown[])[1] as CheckedNode).checkedType ?? null) : null;
  const decl = cands.declarations.find((d) => !d.macro && matchOne(cands, d, args, receiver) !== undefined);
  if (!decl) return false;
  const { receiverType, argTypes } = decl as Declaration;
  const params = method ? [receiverType, ...argTypes] : argTypes;
  const types = method ? [receiver, ...args] : args;
  // The parameter also stays free through a call that passes it on (`[v].flatten().reverse()`).
  return params.some((p, i) => dynAgainstStructure(p, types[i])) || operands(o).some(freeInCelGo);
}

// The type cel-go's run-time guard sees: the value's own for a dyn operand or one holding a free
// parameter (for a list or map, typed by its first element or entry, as cel-go's guard reads it).
function runtimeType(ev: RuntimeEvaluator, checked: Type | undefined, v: unknown): Type {
  return !checked || checked.hasDynType || holdsFree(checked) ? ev.debugTypeDeep(v) : checked;
}

// A call or operator whose operand is a free type parameter (`dyn(o).value()` is `A`): cel-go's
// checker binds the parameter to the first overload it unifies with (`uint(A)` picks
// uint(uint), `A <= true` picks bool's), and that overload's run-time guard then refuses an
// operand of another type: `uint(dyn(optional.of(1)).value())` finds no overload in kro. The
// library called the overload it picked with whatever came. A call's operand that only holds a
// free parameter is guarded the same way: `[v, [1.0]].flatten()` is a list(A), `.sum()` of it
// binds A to int (the first overload), and kro's guard refuses the list of doubles.
function guardFreeOperands(chk: TypeChecker, node: CheckedNode): void {
  const n = node as CheckedNode & {
    handle?: Handle;
    left?: CheckedNode;
    right?: CheckedNode;
    receiverWithArgs?: CheckedNode[];
  };
  const handle = n.handle;
  if (typeof handle !== 'function') return;
  if (GUARDED_BINARY.has(n.op) && n.left && n.right && n.candidates) {
    const [l, r] = [n.left.checkedType, n.right.checkedType];
    if (!l || !r || (!isFree(l) && !isFree(r)) || l.hasDynType || r.hasDynType) return;
    const cands = n.candidates as unknown as BinaryCandidates;
    const chosen = findBinary(cands, l, r);
    if (!chosen) return;
    n.handle = (left, right, ast, ev) => {
      const e = ev as RuntimeEvaluator;
      const lt = e.debugTypeDeep(left).wrappedType;
      const rt = e.debugTypeDeep(right).wrappedType;
      if (findBinary(cands, isFree(l) ? lt : l, isFree(r) ? rt : r) !== chosen) {
        throw e.createError('no_such_overload', `no such overload: ${lt.name} ${n.op} ${rt.name}`, ast);
      }
      return handle(left, right, ast, ev);
    };
    return;
  }
  if ((n.op !== 'call' && n.op !== 'rcall') || !n.candidates || !n.argTypes) return;
  const method = n.op === 'rcall';
  const nodes = method ? n.receiverWithArgs : ((n.args as unknown[])[1] as CheckedNode[]);
  if (!nodes?.some(freeInCelGo) || UNGUARDED_CALLS.has((n.args as unknown[])[0] as string)) return;
  const cands = n.candidates;
  const argTypes = n.argTypes;
  const receiver = method ? ((nodes[0] as CheckedNode).checkedType ?? null) : null;
  const decl = cands.declarations.find(
    (d) => !d.macro && matchOne(cands, d, argTypes, receiver) !== undefined,
  );
  if (!decl) return;
  const name = (n.args as unknown[])[0];
  // cel-go's guard reads the declaration as written: a type parameter in it admits any value.
  const params = method
    ? [(decl as Declaration).receiverType, ...(decl as Declaration).argTypes]
    : (decl as Declaration).argTypes;
  const traced = nodes.map(freeInCelGo);
  const guard = (values: unknown[], ev: RuntimeEvaluator, ast: unknown): void => {
    const types = values.map((v, i) =>
      params[i]?.hasPlaceholderType
        ? guardType(ev, chk, params[i], v)
        : traced[i]
          ? ev.debugTypeDeep(v)
          : runtimeType(ev, nodes[i]?.checkedType, v),
    );
    const ok = method
      ? matchOne(cands, decl, types.slice(1), types[0] as Type)
      : matchOne(cands, decl, types, null);
    if (ok === undefined) {
      throw ev.createError(
        'no_such_overload',
        `no such overload: ${name}(${types.map((t) => t.name).join(', ')})`,
        ast,
      );
    }
  };
  n.handle = method
    ? (values, ev, ast) => {
        guard(values as unknown[], ev as RuntimeEvaluator, ast);
        return handle(values, ev, ast);
      }
    : (values, ast, ev) => {
        guard(values as unknown[], ev as RuntimeEvaluator, ast);
        return handle(values, ast, ev);
      };
}

export const overloadResolutionLibrary: CelLibrary = {
  name: "cel-go's overload resolution (dyn operands, free type parameters)",
  register: install,
};
