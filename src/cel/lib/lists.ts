// cel-go's lists extension (ext.Lists, latest version): slice, flatten, sort, sortBy, distinct,
// reverse and lists.range. Sorting is stable (cel-go's order of equal keys is unspecified).
import { type ASTNode, type Environment, EvaluationError } from '@marcbachmann/cel-js';
import { charge, chargeIteration, chargeList } from '../budget.js';
import type { CelLibrary } from '../library.js';
import { registerNamespacedFunction } from '../registration.js';
import { celEquals, celKind, celTypeName, compareSameKind, mapEntries } from '../values.js';
import {
  bindValue,
  type CelType,
  type Checker,
  type Evaluator,
  iterVarName,
  type MacroInput,
  type Scope,
} from './comprehensions.js';

function fail(message: string): never {
  throw new EvaluationError(message);
}

function items(list: unknown): unknown[] {
  return Array.isArray(list) ? list : [...(list as Iterable<unknown>)];
}

export function range(n: bigint): bigint[] {
  const count = n > 0n ? n : 0n;
  chargeList(Number(count > 9007199254740991n ? 9007199254740991n : count));
  const out: bigint[] = new Array(Number(count));
  for (let i = 0; i < out.length; i++) out[i] = BigInt(i);
  return out;
}

export function slice(list: unknown, start: bigint, end: bigint): unknown[] {
  const l = items(list);
  if (start < 0n || end < 0n) fail(`cannot slice(${start}, ${end}), negative indexes not supported`);
  if (start > end)
    fail(`cannot slice(${start}, ${end}), start index must be less than or equal to end index`);
  if (BigInt(l.length) < end) fail(`cannot slice(${start}, ${end}), list is length ${l.length}`);
  chargeList(Number(end - start));
  return l.slice(Number(start), Number(end));
}

export function flatten(list: unknown, depth = 1n): unknown[] {
  if (depth < 0n) fail('level must be non-negative');
  const out: unknown[] = [];
  const walk = (l: unknown[], d: bigint): void => {
    for (const v of l) {
      if (d > 0n && celKind(v) === 'list') walk(items(v), d - 1n);
      else out.push(v);
    }
  };
  walk(items(list), depth);
  chargeList(out.length);
  return out;
}

export function reverse(list: unknown): unknown[] {
  const l = items(list);
  chargeList(l.length);
  return l.slice().reverse();
}

export function distinct(list: unknown): unknown[] {
  const l = items(list);
  const out: unknown[] = [];
  for (const v of l) {
    charge(out.length + 1);
    if (!out.some((u) => celEquals(u, v))) out.push(v);
  }
  return out;
}

/** The element kinds ext.Lists declares `sort` and `sortBy` for (cel-go's comparableTypes). */
export const COMPARABLE = new Set([
  'int',
  'uint',
  'double',
  'bool',
  'duration',
  'timestamp',
  'string',
  'bytes',
]);

/** Sorts `list` by `keys` (same length), as cel-go's @sortByAssociatedKeys. */
export function sortByKeys(list: unknown, keyList: unknown): unknown[] {
  const l = items(list);
  const keys = items(keyList);
  if (l.length !== keys.length) {
    fail(
      `@sortByAssociatedKeys() expected a list of the same size as the associated keys list, but got ${l.length} and ${keys.length} elements respectively`,
    );
  }
  if (l.length === 0) return l;
  const kind = celKind(keys[0]);
  if (!COMPARABLE.has(kind)) fail('list elements must be comparable');
  for (const k of keys) if (celKind(k) !== kind) fail('list elements must have the same type');
  charge(l.length * Math.ceil(Math.log2(l.length + 1)));
  const order = l.map((_, i) => i);
  order.sort((a, b) => {
    const c = compareSameKind(keys[a], keys[b]);
    return c === undefined || Number.isNaN(c) ? 0 : c;
  });
  return order.map((i) => l[i]);
}

export function sort(list: unknown): unknown[] {
  return sortByKeys(list, list);
}

// ---------------------------------------------------------------------------------------------
// sortBy(var, keyExpr)
// ---------------------------------------------------------------------------------------------

interface SortByMacro {
  readonly async: false;
  readonly name: string;
  readonly receiver: ASTNode;
  readonly key: ASTNode;
  scope: Scope | undefined;
  typeCheck(checker: Checker, m: SortByMacro, scope: Scope): CelType;
  evaluate(ev: Evaluator, m: SortByMacro, scope: Scope): unknown;
}

const COMPARABLE_TYPE_NAMES = new Set([...COMPARABLE].map((k) => celTypeNameOfKind(k)));

function celTypeNameOfKind(k: string): string {
  if (k === 'timestamp') return 'google.protobuf.Timestamp';
  if (k === 'duration') return 'google.protobuf.Duration';
  return k;
}

function sortByExpander({ args, receiver }: MacroInput): SortByMacro {
  return {
    async: false,
    name: iterVarName(args[0] as ASTNode, 'sortBy(var, key) variable name must be a simple identifier'),
    receiver: receiver as ASTNode,
    key: args[1] as ASTNode,
    scope: undefined,
    typeCheck(checker, m, scope) {
      const t = checker.check(m.receiver, scope);
      let elem: CelType;
      // A free element (`[]`'s) stays free, as cel-go's type variable does.
      if (t.kind === 'list') elem = t.valueType ?? checker.dynType;
      else if (t.kind === 'dyn') elem = checker.dynType;
      else
        throw checker.createError(
          'invalid_argument_type',
          `sortBy() receiver must be a list, got '${checker.formatType(t)}'`,
          m.receiver,
        );
      m.scope = scope.forkWithVariable(m.name, elem);
      const k = checker.check(m.key, m.scope);
      if (k.kind !== 'dyn' && k.kind !== 'param' && !COMPARABLE_TYPE_NAMES.has(k.name)) {
        throw checker.createError(
          'invalid_argument_type',
          `sortBy() key must be comparable, got '${checker.formatType(k)}'`,
          m.key,
        );
      }
      // A free element sorted by itself: the first @sortByAssociatedKeys overload, list(int)
      // keys, binds it (`[].sortBy(x, x)` is a list(int) in cel-go).
      if (t.kind === 'list')
        return elem.kind === 'param' && k.kind === 'param' ? checker.getType('list<int>') : t;
      // On dyn, cel-go's @sortByAssociatedKeys(list(T), list(key)) leaves T free (`.max()` binds
      // it), unless a dyn key matches every overload, each with a T of its own: then it is dyn.
      return k.kind === 'dyn' ? checker.dynType : checker.getType('list<T>');
    },
    evaluate(ev, m, scope) {
      const recv = ev.run(m.receiver, scope);
      // cel-go expands sortBy to a comprehension: a map's keys reach @sortByAssociatedKeys, which
      // finds no overload; anything else is no range to iterate.
      const inner = (m.scope as Scope).reuse(scope);
      if (celKind(recv) === 'map') {
        // The keys are computed first, over the map's keys, so a failing key wins.
        for (const [k] of mapEntries(recv as object)) {
          chargeIteration();
          ev.run(m.key, bindValue(inner, k, ev));
        }
        fail('no such overload: sortBy() receiver must be a list, got map');
      }
      if (celKind(recv) !== 'list') fail(`sortBy() receiver must be a list, got ${celTypeName(recv)}`);
      const l = items(recv);
      const keys = l.map((v) => {
        chargeIteration();
        return ev.run(m.key, bindValue(inner, v, ev));
      });
      return sortByKeys(l, keys);
    },
  };
}

function registerLists(env: Environment): void {
  registerNamespacedFunction(env, 'lists', 'range(int): list<int>', range);
  env.registerFunction('list<A>.slice(int, int): list<A>', slice);
  env.registerFunction('list<list<A>>.flatten(): list<A>', (l: unknown) => flatten(l));
  env.registerFunction('list.flatten(int): list', flatten);
  env.registerFunction('list<A>.reverse(): list<A>', reverse);
  env.registerFunction('list<A>.distinct(): list<A>', distinct);
  // One overload per comparable type, as cel-go declares it: `[].sort()` is a list(int) and the
  // sort of a dyn list is dyn.
  for (const k of COMPARABLE) {
    const t = celTypeNameOfKind(k);
    env.registerFunction(`list<${t}>.sort(): list<${t}>`, sort);
  }
  env.registerFunction('list.sortBy(ast, ast): list', sortByExpander as never);
}

export const listsLibrary: CelLibrary = {
  name: 'cel-go ext.Lists',
  register: registerLists,
};
