// cel-go's static cost estimate (checker.Cost), which the API server runs on every
// x-kubernetes-validations rule when a CRD is created and compares with its limits. It walks the
// expression the way cel-go expands it (macros as comprehensions, operators as calls with overload
// ids: see expand.ts) and charges each node as cel-go does: 1 per identifier and per field selected
// from a map or object, string work by the length of the strings (a tenth per character), a loop's
// body times the most items its range may hold. Sizes not visible in the expression come from a
// SizeEstimator (the API server's: the rule's schema, see src/schema/cel-sizes.ts) by the node's
// field path from its variable, `@items`, `@keys` and `@values` naming elements.

import type { CostExpr, CostType } from './expr.js';
import { libraryCallCost } from './kubernetes.js';
import {
  add,
  addU64,
  byFactor,
  type Cost,
  fixed,
  LIST_CREATE,
  lesser,
  MAP_CREATE,
  MAX_U64,
  mul,
  mulU64,
  ONE,
  REGEX_LENGTH,
  type Size,
  STRING_TRAVERSAL,
  sum,
  UNKNOWN_SIZE,
  union,
  ZERO,
} from './size.js';

/** What an estimator sees of a node: its field path, type, expression and size from the expression. */
export interface CostNode {
  readonly path: readonly string[] | undefined;
  readonly type: CostType;
  readonly expr: CostExpr | undefined;
  readonly computedSize: Size | undefined;
}

/** Sizes of data the expression reads, by path (the API server's sizeEstimator). */
export type SizeEstimator = (node: CostNode) => Size | undefined;

/** The estimate of one call: its cost and, for strings, bytes, lists and maps, its result size. */
export interface CallEstimate {
  readonly cost: Cost;
  readonly resultSize?: Size;
}

/** The sizes of a container's keys (indexes) and values, when known from the expression. */
interface EntrySize {
  readonly container: 'list' | 'map';
  readonly key: Size;
  readonly value: Size;
}
const unionEntry = (a: EntrySize | undefined, b: EntrySize | undefined): EntrySize | undefined =>
  a && b ? { container: a.container, key: union(a.key, b.key), value: union(a.value, b.value) } : undefined;

interface LocalVar {
  readonly path: readonly string[];
  readonly size: Size | undefined;
  readonly entry: EntrySize | undefined;
}

const ACCUMULATORS = new Set(['__result__', '@result']);

function isScalar(t: CostType): boolean {
  switch (t.kind) {
    case 'bool':
    case 'double':
    case 'duration':
    case 'int':
    case 'timestamp':
    case 'uint':
      return true;
    case 'optional':
      return isScalar(t.inner);
    default:
      return false;
  }
}

/** The expression's own size: literals and literal lists and maps. */
function literalSize(e: CostExpr): Size | undefined {
  if (e.kind === 'literal') return e.size === undefined ? undefined : fixed(e.size);
  if (e.kind === 'list') return fixed(BigInt(e.elements.length));
  if (e.kind === 'map') return fixed(BigInt(e.entries.length));
  return undefined;
}

class Coster {
  readonly #paths = new Map<number, readonly string[]>();
  readonly #locals = new Map<string, LocalVar[]>();
  readonly #sizes = new Map<number, Size>();
  readonly #entries = new Map<number, EntrySize>();
  readonly #estimate: SizeEstimator;

  constructor(estimate: SizeEstimator) {
    this.#estimate = estimate;
  }

  estimateSize(node: CostNode): Size | undefined {
    return node.path && node.path.length > 0 ? this.#estimate(node) : undefined;
  }

  /** A node's size as functions see it: from the expression, else by its path, else unknown. */
  sizeOf(node: CostNode): Size {
    return node.computedSize ?? this.estimateSize(node) ?? UNKNOWN_SIZE;
  }

  #peek(name: string): LocalVar | undefined {
    const stack = this.#locals.get(name);
    return stack?.[stack.length - 1];
  }
  #push(name: string, v: LocalVar): void {
    const stack = this.#locals.get(name) ?? [];
    stack.push(v);
    this.#locals.set(name, stack);
  }
  #pop(name: string): void {
    this.#locals.get(name)?.pop();
  }

  #path(e: CostExpr): readonly string[] {
    if (e.kind === 'ident') {
      const v = this.#peek(e.name);
      if (v) return v.path;
    }
    return this.#paths.get(e.id) ?? [];
  }

  node(e: CostExpr): CostNode {
    let path: readonly string[] | undefined = this.#path(e);
    if (path.length > 0 && ACCUMULATORS.has(path[0] as string)) path = undefined;
    return { path, type: e.type, expr: e, computedSize: this.size(e) };
  }

  size(e: CostExpr): Size | undefined {
    const known = this.#sizes.get(e.id);
    if (known) return known;
    const own = literalSize(e);
    if (own) return own;
    const path = this.#path(e);
    const estimated =
      path.length > 0 ? this.#estimate({ path, type: e.type, expr: e, computedSize: undefined }) : undefined;
    if (estimated) {
      this.#sizes.set(e.id, estimated);
      return estimated;
    }
    if (isScalar(e.type)) return ONE;
    if (e.kind === 'ident') return this.#peek(e.name)?.size;
    return undefined;
  }

  #sizeOrUnknown(e: CostExpr): Size {
    return this.size(e) ?? UNKNOWN_SIZE;
  }

  entry(e: CostExpr): EntrySize | undefined {
    return this.#entries.get(e.id) ?? (e.kind === 'ident' ? this.#peek(e.name)?.entry : undefined);
  }

  #setSize(e: CostExpr, s: Size | undefined): void {
    if (s) this.#sizes.set(e.id, s);
  }
  #setEntry(e: CostExpr, s: EntrySize | undefined): void {
    if (s) this.#entries.set(e.id, s);
  }

  cost(e: CostExpr): Cost {
    switch (e.kind) {
      case 'literal':
        return ZERO;
      case 'ident': {
        const v = this.#peek(e.name);
        this.#paths.set(e.id, v ? v.path : [e.name]);
        return ONE;
      }
      case 'select': {
        const operand = this.cost(e.operand);
        this.#paths.set(e.id, [...this.#path(e.operand), e.field]);
        // has(): the API server counts presence tests as free (PresenceTestHasCost(false)).
        if (e.testOnly) return operand;
        const k = e.operand.type.kind;
        return k === 'map' || k === 'struct' || k === 'param' ? add(operand, ONE) : operand;
      }
      case 'call':
        return this.#call(e);
      case 'list': {
        let total = ZERO;
        let item: Size = { min: e.elements.length === 0 ? 0n : MAX_U64, max: 0n };
        for (const el of e.elements) {
          total = add(total, this.cost(el));
          item = union(item, this.#sizeOrUnknown(el));
        }
        this.#setEntry(e, { container: 'list', key: ONE, value: item });
        return add(total, fixed(LIST_CREATE));
      }
      case 'map': {
        let total = ZERO;
        const empty = e.entries.length === 0;
        let key: Size = { min: empty ? 0n : MAX_U64, max: 0n };
        let value: Size = { min: empty ? 0n : MAX_U64, max: 0n };
        for (const [k, v] of e.entries) {
          total = add(add(total, this.cost(k)), this.cost(v));
          key = union(key, this.#sizeOrUnknown(k));
          value = union(value, this.#sizeOrUnknown(v));
        }
        this.#setEntry(e, { container: 'map', key, value });
        return add(total, fixed(MAP_CREATE));
      }
      case 'comprehension':
        return e.bind ? this.#bind(e) : this.#comprehension(e);
    }
  }

  #iterVar(name: string, range: CostExpr, part: 'key' | 'value' | 'single'): void {
    const entry = this.entry(range);
    const container = entry?.container ?? (range.type.kind === 'list' ? 'list' : 'map');
    const isList = container === 'list';
    const useValue = part === 'value' || (part === 'single' && isList);
    const sub = useValue ? (isList ? '@items' : '@values') : isList ? '@indices' : '@keys';
    const size = entry ? (useValue ? entry.value : entry.key) : undefined;
    this.#push(name, { path: [...this.#path(range), sub], size, entry: undefined });
  }

  #pushAccumulator(e: Extract<CostExpr, { kind: 'comprehension' }>): void {
    const init = e.accuInit;
    this.#push(e.accuVar, { path: this.#path(init), size: this.size(init), entry: this.entry(init) });
  }

  #comprehension(e: Extract<CostExpr, { kind: 'comprehension' }>): Cost {
    let total = add(this.cost(e.range), this.cost(e.accuInit));
    this.#pushAccumulator(e);
    if (e.iterVar2 !== undefined) {
      this.#iterVar(e.iterVar, e.range, 'key');
      this.#iterVar(e.iterVar2, e.range, 'value');
    } else {
      this.#iterVar(e.iterVar, e.range, 'single');
    }
    const loop = this.cost(e.loopCondition);
    const step = this.cost(e.loopStep);
    this.#pop(e.iterVar);
    if (e.iterVar2 !== undefined) this.#pop(e.iterVar2);
    total = add(total, this.cost(e.result));
    this.#pop(e.accuVar);
    const count = this.#sizeOrUnknown(e.range);
    total = add(total, mul(count, add(step, loop)));
    if (e.accuInit.kind === 'literal') this.#setSize(e, this.size(e.accuInit));
    else if (e.accuInit.kind === 'list' || e.accuInit.kind === 'map') {
      this.#setSize(e, count);
      this.#setEntry(e, this.entry(e.loopStep));
    }
    return total;
  }

  #bind(e: Extract<CostExpr, { kind: 'comprehension' }>): Cost {
    let total = add(this.cost(e.range), this.cost(e.accuInit));
    this.#pushAccumulator(e);
    total = add(total, this.cost(e.result));
    this.#pop(e.accuVar);
    this.#setSize(e, this.size(e.result));
    this.#setEntry(e, this.entry(e.result));
    return total;
  }

  #call(e: Extract<CostExpr, { kind: 'call' }>): Cost {
    if (e.fn === 'dyn' && e.args.length === 1) {
      const arg = e.args[0] as CostExpr;
      const c = this.cost(arg);
      this.#setSize(e, this.size(arg));
      this.#setEntry(e, this.entry(arg));
      return add(ONE, c);
    }
    const argCosts = e.args.map((a) => this.cost(a));
    const args = e.args.map((a) => this.node(a));
    if (e.overloads.length === 0) return ZERO;
    let total = ZERO;
    let target: CostNode | undefined;
    if (e.target) {
      total = this.cost(e.target);
      target = this.node(e.target);
    }
    let fnCost: Cost = { min: MAX_U64, max: 0n };
    let resultSize: Size | undefined;
    for (const overload of e.overloads) {
      const est = this.#functionCost(e, overload, target, args, argCosts);
      fnCost = union(fnCost, est.cost);
      if (est.resultSize) resultSize = resultSize ? union(resultSize, est.resultSize) : est.resultSize;
      if ((overload === 'index_list' || overload === 'index_map') && e.args.length > 0) {
        const container = e.args[0] as CostExpr;
        resultSize = this.entry(container)?.value;
        this.#paths.set(e.id, [...this.#path(container), overload === 'index_list' ? '@items' : '@values']);
      }
      resultSize ??= this.size(e);
    }
    this.#setSize(e, resultSize);
    return add(total, fnCost);
  }

  #functionCost(
    e: Extract<CostExpr, { kind: 'call' }>,
    overload: string,
    target: CostNode | undefined,
    args: readonly CostNode[],
    argCosts: readonly Cost[],
  ): CallEstimate {
    const argSum = sum(argCosts);
    const library = libraryCallCost(this, e.fn, overload, target, args);
    if (library)
      return {
        cost: add(library.cost, argSum),
        ...(library.resultSize ? { resultSize: library.resultSize } : {}),
      };
    const size = (n: CostNode): Size => n.computedSize ?? UNKNOWN_SIZE;
    const a0 = args[0] as CostNode;
    const a1 = args[1] as CostNode;
    switch (overload) {
      case 'string_format':
        if (target) return { cost: add(byFactor(size(target), STRING_TRAVERSAL), argSum) };
        break;
      case 'string_to_bytes':
        if (args.length === 1) {
          const s = size(a0);
          return {
            cost: add(byFactor(s, STRING_TRAVERSAL), argSum),
            resultSize: { min: s.min, max: mulU64(s.max, 4n) },
          };
        }
        break;
      case 'bytes_to_string':
        if (args.length === 1) {
          const s = size(a0);
          return {
            cost: add(byFactor(s, STRING_TRAVERSAL), argSum),
            resultSize: { min: s.min / 4n, max: s.max },
          };
        }
        break;
      case 'strings_quote':
        if (args.length === 1) {
          const s = size(a0);
          return {
            cost: add(byFactor(s, STRING_TRAVERSAL), argSum),
            resultSize: { min: addU64(s.min, 2n), max: addU64(mulU64(s.max, 2n), 2n) },
          };
        }
        break;
      case 'starts_with_string':
      case 'ends_with_string':
        if (args.length === 1) return { cost: add(byFactor(size(a0), STRING_TRAVERSAL), argSum) };
        break;
      case 'in_list':
        if (args.length === 2) return { cost: add(byFactor(size(a1), 1), argSum) };
        break;
      case 'matches_string':
        if (target && args.length === 1) {
          const str = byFactor(add(size(target), ONE), STRING_TRAVERSAL);
          return { cost: add(mul(str, byFactor(size(a0), REGEX_LENGTH)), argSum) };
        }
        break;
      case 'contains_string':
        if (target && args.length === 1) {
          const str = byFactor(size(target), STRING_TRAVERSAL);
          return { cost: add(mul(str, byFactor(size(a0), STRING_TRAVERSAL)), argSum) };
        }
        break;
      case 'logical_or':
      case 'logical_and': {
        const l = argCosts[0] as Cost;
        const r = argCosts[1] as Cost;
        return { cost: { min: l.min, max: addU64(l.max, r.max) } };
      }
      case 'conditional': {
        const result = union(size(a1), size(args[2] as CostNode));
        this.#setEntry(e, unionEntry(this.entry(e.args[1] as CostExpr), this.entry(e.args[2] as CostExpr)));
        const c = add(argCosts[0] as Cost, union(argCosts[1] as Cost, argCosts[2] as Cost));
        return { cost: c, resultSize: result };
      }
      case 'add_string':
      case 'add_bytes':
      case 'add_list':
        if (args.length === 2) {
          const result = add(size(a0), size(a1));
          this.#setEntry(e, unionEntry(this.entry(e.args[0] as CostExpr), this.entry(e.args[1] as CostExpr)));
          if (overload === 'add_list') return { cost: add(ONE, argSum), resultSize: result };
          return { cost: add(byFactor(result, STRING_TRAVERSAL), argSum), resultSize: result };
        }
        break;
      case 'less_string':
      case 'greater_string':
      case 'less_equals_string':
      case 'greater_equals_string':
      case 'less_bytes':
      case 'greater_bytes':
      case 'less_equals_bytes':
      case 'greater_equals_bytes':
      case 'equals':
      case 'not_equals': {
        const l = size(a0);
        const r = size(a1);
        const smallest = lesser(l.max, r.max);
        return {
          cost: add(byFactor({ min: smallest > 0n ? 1n : 0n, max: smallest }, STRING_TRAVERSAL), argSum),
        };
      }
    }
    return { cost: add(ONE, argSum) };
  }
}

export type { Coster };

/** The cost range cel-go estimates for `expr`, with sizes not visible in it from `estimate`. */
export function estimateCost(expr: CostExpr, estimate: SizeEstimator): Cost {
  return new Coster(estimate).cost(expr);
}
