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
import { inCelGoOrder } from './celgo-overload-order.js';
import { type LibType, resolve, type Signature, type TypeRegistry } from './type-parameters.js';

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

export interface TypeChecker {
  readonly registry: object;
  readonly dynType: Type;
}

type NodeCheck = (this: CheckedNode, chk: TypeChecker, ast: CheckedNode, scope: unknown) => Type;

// The operands whose types the node's check reads: call arguments, receiver, operands.
function operands(node: CheckedNode): CheckedNode[] {
  return childrenOf(node as unknown as ASTNode) as unknown as CheckedNode[];
}

// A WeakMap of nodes that checks rarely write to but read for every call and operator: until the
// first write, reads return at once without the hash lookup.
class RareMarks<V> {
  #map = new WeakMap<object, V>();
  #written = false;
  get(node: object): V | undefined {
    return this.#written ? this.#map.get(node) : undefined;
  }
  has(node: object): boolean {
    return this.#written && this.#map.has(node);
  }
  set(node: object, value: V): void {
    this.#written = true;
    this.#map.set(node, value);
  }
}

// Nodes whose value may not have their checked type (see unchecked).
const unsound = new RareMarks<true>();

// The operand types with their free parameters, before freeParametersAsDyn made them dyn.
const uncovered = new RareMarks<Type>();

// Replaces free type parameters in the checked operand types by dyn; false when there were none.
function freeParametersAsDyn(chk: TypeChecker, node: CheckedNode): boolean {
  const dyn = { get: () => chk.dynType };
  let changed = false;
  for (const o of operands(node)) {
    const t = o.checkedType;
    if (!t?.hasPlaceholderType) continue;
    if (!uncovered.has(o)) uncovered.set(o, t);
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
  const byOperands = resolved.get(cands);
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

// A memo per candidate list. A registry adds a declaration to a list it has made already when a
// function is registered after a check (the library then clears its own caches of the list), so
// a memo holds while the list's declaration count does.
class PerList<V> {
  readonly #memo = new WeakMap<object, { readonly size: number; readonly value: V }>();
  readonly #make: (list: Candidates) => V;
  constructor(make: (list: Candidates) => V) {
    this.#make = make;
  }
  get(list: Candidates): V {
    const size = list.declarations.length;
    let m = this.#memo.get(list);
    if (m?.size !== size) {
      m = { size, value: this.#make(list) };
      this.#memo.set(list, m);
    }
    return m.value;
  }
}

// Per candidate list and operand types: whether the call is dyn (checks repeat on every evaluation).
const resolved = new PerList(() => new Map<string, boolean>());

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
    let bound = false;
    if ((op === 'call' || op === 'rcall' || GUARDED_BINARY.has(op)) && isKroRegistry(chk.registry)) {
      const resolved = freeParameterCall(chk, this);
      if (resolved) {
        type = resolved;
        bound = true;
      }
      guardFreeOperands(chk, this);
      parametersAsWildcards(chk, this);
    }
    if (!bound && type.hasPlaceholderType && (op === '+' || op === '?:') && isKroRegistry(chk.registry)) {
      type = boundByOtherOperand(chk, this, type);
    }
    // A conditional's value is a branch's: one that may not be of its checked type makes it so too
    // (`int(c ? 0 : dyn(0.0).orValue(0))` is guarded as int(int) in kro and finds no overload).
    if (op === '?:') {
      const [, l, r] = this.args as CheckedNode[];
      if ((l && unsound.has(l)) || (r && unsound.has(r))) unsound.set(this, true);
    } else if (op === 'rcall') markUnsoundCall(this);
    return (op === 'rcall' || op === 'call') && !bound ? dynCallType(chk, this, type) : type;
  };
}

// Method calls whose value may not be of their checked type: cel.bind's is its body's; the
// value() of a nested optional that an attribute read collapsed (attributes.ts) is null, not the
// optional it is typed (`optional.of(1).optMap(x, optional.none()).value()`).
function markUnsoundCall(node: CheckedNode): void {
  const [name, target, args] = node.args as [string, CheckedNode, CheckedNode[]];
  if (name === 'bind' && args?.length === 3 && (target as { args?: unknown })?.args === 'cel') {
    if (args[2] && unsound.has(args[2])) unsound.set(node, true);
  } else if (name === 'value' && args?.length === 0) {
    const t = target?.checkedType as (Type & { valueType?: Type }) | undefined;
    if (t?.kind === 'optional' && t.valueType?.kind === 'optional') unsound.set(node, true);
  }
}

interface Overload extends Decl {
  readonly receiverType?: Type | null;
  readonly argTypes?: readonly Type[];
  readonly leftType?: Type;
  readonly rightType?: Type;
}

const NUMERIC = new Set(['int', 'uint', 'double']);
const ORDERING = new Set(['<', '<=', '>', '>=']);

// The operand nodes of a call or operator, receiver first: their number and the i-th, read in
// place (this runs for every call and operator of every check), or all of them in an array.
function operandCount(node: CheckedNode): number {
  const args = node.args as unknown[];
  if (node.op === 'call') return (args[1] as unknown[]).length;
  if (node.op === 'rcall') return 1 + (args[2] as unknown[]).length;
  return 2;
}

function operandAt(node: CheckedNode, i: number): CheckedNode {
  const args = node.args as unknown[];
  if (node.op === 'call') return (args[1] as CheckedNode[])[i] as CheckedNode;
  if (node.op === 'rcall') return (i === 0 ? args[1] : (args[2] as CheckedNode[])[i - 1]) as CheckedNode;
  return args[i] as CheckedNode;
}

function callOperands(node: CheckedNode): CheckedNode[] {
  return Array.from({ length: operandCount(node) }, (_, i) => operandAt(node, i));
}

// An operand's checked type with its free parameters (before freeParametersAsDyn).
export const operandType = (o: CheckedNode): Type | undefined => uncovered.get(o) ?? o.checkedType;

// A call whose operands hold free type parameters, or that makes a generic result from a dyn
// operand, typed as cel-go's checker types it (type-parameters.ts); undefined where the library's
// type stands. No overload: a check error, as in cel-go.
function freeParameterCall(chk: TypeChecker, node: CheckedNode): Type | undefined {
  const op = node.op;
  const name = (node.args as unknown[])[0];
  const count = operandCount(node);
  const cands = node.candidates;
  // or/orValue are macros here (they evaluate their argument only when needed); cel-go
  // declares optional(V).or(optional(V)) and optional(V).orValue(V).
  const orCall = op === 'rcall' && count === 2 && (name === 'or' || name === 'orValue');
  if (!orCall && (!cands || (cands as { macro?: unknown }).macro)) return undefined;
  // Operands with free parameters, a generic result made from a dyn operand, and a dyn receiver
  // (the library skipped checking the arguments of a method on dyn): read without an array, as
  // most calls stop here.
  let free = false;
  let anyDyn = false;
  let allDyn = true;
  for (let i = 0; i < count; i++) {
    const t = operandType(operandAt(node, i));
    if (t === undefined) return undefined;
    if (t.hasPlaceholderType) free = true;
    if (t.hasDynType) anyDyn = true;
    if (t.kind !== 'dyn') allDyn = false;
  }
  const receiver = op === 'rcall' ? operandType(operandAt(node, 0)) : undefined;
  // The value is the receiver's, or the argument's (`optional.none().orValue(dyn(7u).orValue({}))`).
  // So is the value inside a nested optional that an attribute read collapsed (attributes.ts):
  // `(c ? optional.of(optional.none()) : x).orValue(y)` is null, not the optional it is typed.
  const nested = (receiver as { valueType?: Type } | undefined)?.valueType?.kind === 'optional';
  if (orCall && (receiver?.kind !== 'optional' || nested || callOperands(node).some((o) => unsound.has(o)))) {
    unsound.set(node, true);
  }
  const generic = orCall || (anyDyn && hasGenericResult(cands));
  // A method on dyn with dyn arguments matches every overload of its arity: nothing to check.
  if (!free && !generic && (receiver?.kind !== 'dyn' || allDyn)) return undefined;
  // The library checks again on every evaluation: one resolution per operand types, looked up
  // by their names one level at a time (no key is built).
  let at = cands ? resolutions.get(cands) : orResolutions.get(chk.registry);
  if (!at) {
    at = { next: new Map() };
    orResolutions.set(chk.registry, at);
  }
  // An operator's first argument is its left operand, not a name.
  at = step(step(at, op), orCall || op === 'call' || op === 'rcall' ? String(name) : '');
  for (let i = 0; i < count; i++) at = step(at, (operandType(operandAt(node, i)) as Type).name);
  let outcome = at.outcome;
  if (outcome === undefined) {
    const sigs = orCall ? [orSignature(chk, name)] : [];
    const decls = orCall || !cands ? [] : (cands.declarations as Overload[]);
    outcome = resolveCall(chk, node, sigs, decls, callOperands(node).map(operandType) as Type[]);
    at.outcome = outcome;
  }
  if (typeof outcome !== 'string') return outcome;
  throw (chk as unknown as { createError(c: string, m: string, n: unknown): Error }).createError(
    'no_matching_overload',
    outcome,
    node,
  );
}

// cel-go's optional(V).or(optional(V)) and optional(V).orValue(V).
function orSignature(chk: TypeChecker, name: unknown): Signature {
  const reg = chk.registry as unknown as TypeRegistry;
  const v = paramType(chk, 'V');
  const opt = reg.getOptionalType(v);
  return { params: [opt, name === 'or' ? opt : v], result: name === 'or' ? opt : v };
}

// Resolutions by candidate list (or registry, for or/orValue), then operation, function name and
// operand type names: the result type, or the message of the check error.
interface Resolutions {
  readonly next: Map<string, Resolutions>;
  outcome?: Type | string;
}

const resolutions = new PerList<Resolutions>(() => ({ next: new Map() }));
const orResolutions = new WeakMap<object, Resolutions>();

function step(at: Resolutions, key: string): Resolutions {
  let next = at.next.get(key);
  if (!next) {
    next = { next: new Map() };
    at.next.set(key, next);
  }
  return next;
}

// Whether any of a candidate list's declarations (not macros) has a type parameter.
const genericDeclarations = new PerList((list) =>
  list.declarations.some((d) => (d as Declaration).hasPlaceholderType && !d.macro),
);
const hasGenericDeclaration = (cands: Candidates): boolean => genericDeclarations.get(cands);

// Whether any of a candidate list's declarations returns a type holding a parameter.
const genericResults = new PerList((list) => list.declarations.some((d) => d.returnType.hasPlaceholderType));
const hasGenericResult = (cands: Candidates | undefined): boolean => !!cands && genericResults.get(cands);

// Parameter types by name, made once: the registry keeps the list, map and optional types it
// builds from them, keyed by identity.
const paramTypes = new Map<string, LibType>();

export function paramType(chk: TypeChecker, name: string): LibType {
  let t = paramTypes.get(name);
  if (!t) {
    const Ctor = chk.dynType.constructor as new (d: object) => LibType;
    t = new Ctor({ kind: 'param', name, type: name });
    paramTypes.set(name, t);
  }
  return t;
}

function resolveCall(
  chk: TypeChecker,
  node: CheckedNode,
  sigs: (Signature & { decl?: Overload })[],
  decls: readonly Overload[],
  operands: readonly Type[],
): Type | string {
  const nodes = callOperands(node);
  const name = (node.args as unknown[])[0];
  const reg = chk.registry as unknown as TypeRegistry;
  const binary = node.op !== 'call' && node.op !== 'rcall';
  for (const d of decls) {
    const params = binary
      ? [d.leftType, d.rightType]
      : [...(node.op === 'rcall' ? [d.receiverType] : []), ...(d.argTypes ?? [])];
    if (params.some((p) => !p)) continue;
    // Cross-type numeric ordering: refused in kro's environment (celgo-checks.ts).
    if (ORDERING.has(node.op) && NUMERIC.has(String(params[0])) && NUMERIC.has(String(params[1]))) {
      if (String(params[0]) !== String(params[1])) continue;
    }
    sigs.push({ params: params as LibType[], result: d.returnType, decl: d });
  }
  const key = binary ? node.op : `${node.op}:${String(name)}:${nodes.length - (node.op === 'rcall' ? 1 : 0)}`;
  const ordered = inCelGoOrder(key, sigs, (s) => s.params);
  const r = resolve(reg, (n) => paramType(chk, n), chk.dynType, ordered, operands);
  if (r) return r.type as Type;
  const dyn = { get: () => chk.dynType };
  const shown = operands.map((t) => t.templated(chk.registry, dyn).name);
  return binary
    ? `no such overload: ${shown[0]} ${node.op} ${shown[1]}`
    : node.op === 'rcall'
      ? `found no matching overload for '${shown[0]}.${String(name)}(${shown.slice(1).join(', ')})'`
      : `found no matching overload for '${String(name)}(${shown.join(', ')})'`;
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
  if (!hasGenericDeclaration(n.candidates)) return;
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
// list holding a free parameter sorts whatever it holds, size() dispatches on the value (traits.Sizer).
const UNGUARDED_CALLS = new Set(['sort', 'size', 'matches', 'type', 'dyn']);

// The one overload of an operator for these operand types; none when several match.
function findBinary(cands: BinaryCandidates, l: Type, r: Type): unknown {
  try {
    return cands.findBinaryOverload(l, r);
  } catch {
    return undefined;
  }
}

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
  if (unchecked(o)) return true;
  // A macro whose result holds a parameter it left free (`dyn(l).sortBy(x, k)` is a list(T):
  // cel-go's @sortByAssociatedKeys(list(T), ...) matched the dyn receiver without binding T).
  if (holdsFree(o.checkedType) && (o as { meta?: { macro?: unknown } }).meta?.macro) return true;
  // A list literal with such an element (`[x].min()` with `x` free) whose element type joined
  // the parameter (no dyn): the guard reads the list's first element.
  if (o.op === 'list') return !o.checkedType?.hasDynType && operands(o).some(freeInCelGo);
  // A list concatenation left with a free element (`[] + v` with `v` dyn is a list(A)).
  if (o.op === '+' && holdsFree(o.checkedType) && !o.checkedType?.hasDynType) return true;
  const cands = o.candidates;
  const args = o.argTypes;
  // A result without dyn: one still holding the parameter, or typed by the overload cel-go bound
  // it to (`[v].flatten().sort()` is a list(int) there, so `.max()` of it is guarded as int's).
  const t = o.checkedType;
  if (!t || t.hasDynType || (o.op !== 'call' && o.op !== 'rcall') || !cands || !args) return false;
  const method = o.op === 'rcall';
  const receiver = method ? (((o.args as unknown[])[1] as CheckedNode).checkedType ?? null) : null;
  const matches = (d: Decl): boolean => !d.macro && matchOne(cands, d, args, receiver) !== undefined;
  // No declaration with a parameter: none meets a dyn operand around it, only an operand can
  // pass one on (asked first: it is mostly no, and matching every declaration is not free).
  if (!hasGenericDeclaration(cands)) return operands(o).some(freeInCelGo) && cands.declarations.some(matches);
  const decl = cands.declarations.find(matches);
  if (!decl) return false;
  const { receiverType, argTypes } = decl as Declaration;
  const params = method ? [receiverType, ...argTypes] : argTypes;
  const types = method ? [receiver, ...args] : args;
  // The parameter also stays free through a call that passes it on (`[v].flatten().reverse()`).
  return params.some((p, i) => dynAgainstStructure(p, types[i])) || operands(o).some(freeInCelGo);
}

// An operand whose checked type its value may not have: a free parameter, or or/orValue on a
// receiver that is no optional (cel-go types `dyn(x).orValue(1u)` as uint, and its run time
// returns a receiver that is no optional as it is).
const unchecked = (o: CheckedNode | undefined): boolean =>
  !!o && (isParam(operandType(o)) || (unsound.has(o) && !o.checkedType?.hasDynType));

// The type cel-go's run-time guard sees: the value's own for a dyn or free operand, or one holding
// a free parameter (for a list or map, typed by its first element or entry, as cel-go's guard reads it).
function runtimeType(ev: RuntimeEvaluator, o: CheckedNode | undefined, v: unknown): Type {
  const checked = o?.checkedType;
  return !checked || checked.hasDynType || holdsFree(checked) || unchecked(o) ? ev.debugTypeDeep(v) : checked;
}

// A call or operator whose operand may not be of its checked type (a free type parameter:
// `dyn(o).value()` is `A`; see unchecked): cel-go's checker binds the parameter to the first
// overload it unifies with (`uint(A)` picks uint(uint)), and that overload's run-time guard then
// refuses an operand of another type: `uint(dyn(optional.of(1)).value())` finds no overload in
// kro. The library called the overload it picked with whatever came. A call's operand that only
// holds a free parameter is guarded the same way: `[v, [1.0]].flatten()` is a list(A), `.sum()` of
// it binds A to int (the first overload), and kro's guard refuses the list of doubles (freeInCelGo).
// Operators have no such guard in cel-go: they dispatch on the values.
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
    const l = n.left.checkedType;
    const r = n.right.checkedType;
    const freeL = unchecked(n.left);
    const freeR = unchecked(n.right);
    if (!l || !r || (!freeL && !freeR)) return;
    const cands = n.candidates as unknown as BinaryCandidates;
    // The result may then be of another type than checked (A - duration is checked as a duration
    // and is a timestamp for a timestamp A).
    unsound.set(n, true);
    // cel-go binds each operator to one function that dispatches on the values (a trait guard,
    // then the left value's own Add, Compare, ...), whatever overload the checker chose: an
    // operand whose value may not be of its checked type is dispatched on as dyn.
    n.handle = (left, right, ast, ev) => {
      const e = ev as RuntimeEvaluator;
      const lt = freeL || l.hasDynType ? e.debugTypeDeep(left).wrappedType : l;
      const rt = freeR || r.hasDynType ? e.debugTypeDeep(right).wrappedType : r;
      const o = findBinary(cands, lt, rt) as { handler: Handle } | undefined;
      if (!o) throw e.createError('no_such_overload', `no such overload: ${lt.name} ${n.op} ${rt.name}`, ast);
      return o.handler(left, right, ast, ev);
    };
    return;
  }
  if ((n.op !== 'call' && n.op !== 'rcall') || !n.candidates || !n.argTypes) return;
  const method = n.op === 'rcall';
  const nodes = method ? n.receiverWithArgs : ((n.args as unknown[])[1] as CheckedNode[]);
  if (!nodes) return;
  if (UNGUARDED_CALLS.has((n.args as unknown[])[0] as string) || !nodes.some(freeInCelGo)) {
    if (nodes.some((o) => unsound.has(o))) guardKinds(n, nodes, handle);
    return;
  }
  const cands = n.candidates;
  const argTypes = n.argTypes;
  const receiver = method ? ((nodes[0] as CheckedNode).checkedType ?? null) : null;
  // The first in cel-go's order: A.getSeconds() is checked as timestamp's.
  const inOrder = inCelGoOrder(
    `${n.op}:${String((n.args as unknown[])[0])}:${argTypes.length}`,
    cands.declarations,
    (d) => {
      const o = d as Overload;
      return [...(method ? [o.receiverType] : []), ...(o.argTypes ?? [])].filter((t) => !!t) as object[];
    },
  );
  const decl = inOrder.find((d) => !d.macro && matchOne(cands, d, argTypes, receiver) !== undefined);
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
          : runtimeType(ev, nodes[i], v),
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
  n.handle = guarded(method, handle, guard);
}

// A call with an operand whose value may be of another kind than checked (or/orValue on a receiver
// that is no optional, `dyn(0u).orValue([]).sort()`) that guardFreeOperands leaves to the library:
// cel-go's function, trait-bound or guarded, finds no overload for a value of a kind no
// declaration takes (a parameter or dyn takes any); the library's handler would crash on it.
// A type's kind, primitives by name (the library's kind of string, int, ... is 'primitive').
const kindOf = (t: Type): string => (t.kind === 'primitive' ? t.name : t.kind);

function guardKinds(n: CheckedNode & { handle?: Handle }, nodes: CheckedNode[], handle: Handle): void {
  const method = n.op === 'rcall';
  const decls = (n.candidates?.declarations ?? []).filter((d) => !d.macro) as Declaration[];
  const kinds = nodes.map((_, i) => {
    const set = new Set<string>();
    for (const d of decls) {
      const p = method ? (i === 0 ? d.receiverType : d.argTypes[i - 1]) : d.argTypes[i];
      if (p) set.add(p.kind === 'param' ? 'dyn' : kindOf(p));
    }
    return set;
  });
  const name = (n.args as unknown[])[0];
  const guard = (values: unknown[], ev: RuntimeEvaluator, ast: unknown): void => {
    values.forEach((v, i) => {
      const set = kinds[i];
      if (!set || set.has('dyn') || !unsound.has(nodes[i] as object)) return;
      const kind = kindOf(ev.debugTypeDeep(v));
      if (!set.has(kind)) throw ev.createError('no_such_overload', `no such overload: ${name}(${kind})`, ast);
    });
  };
  n.handle = guarded(method, handle, guard);
}

// A call's handler that runs `guard` on the operand values first: (receiverWithArgs, ev, ast) for
// methods, (args, ast, ev) for functions.
function guarded(
  method: boolean,
  handle: Handle,
  guard: (values: unknown[], ev: RuntimeEvaluator, ast: unknown) => void,
): Handle {
  return method
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
