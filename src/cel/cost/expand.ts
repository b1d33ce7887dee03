// From @marcbachmann/cel-js's type-checked AST to the tree cel-go's cost estimate walks
// (expr.ts): the library keeps macros as calls and operators as their own nodes, cel-go expands
// macros into comprehensions and resolves operators to overload ids, and its estimate depends on
// both (e.g. `all` pays a loop condition per item, `+` on strings pays for their length). Each node
// takes the type the library's checker left on it (`checkedType`).

import type { ASTNode } from '@marcbachmann/cel-js';
import { COMPARABLE } from '../lib/lists.js';
import { namespaceTypeName } from '../registration.js';
import { type CostExpr, type CostType, T } from './expr.js';

/** The expression uses something the estimate does not model (e.g. `optMap`). */
export class UnsupportedExpression extends Error {}

interface LibraryType {
  readonly kind: string;
  readonly name: string;
  readonly keyType?: LibraryType;
  readonly valueType?: LibraryType;
}

const PRIMITIVES: Record<string, CostType> = {
  bool: { kind: 'bool' },
  int: { kind: 'int' },
  uint: { kind: 'uint' },
  double: { kind: 'double' },
  string: { kind: 'string' },
  bytes: { kind: 'bytes' },
  null_type: { kind: 'null' },
  type: { kind: 'type' },
  'google.protobuf.Timestamp': { kind: 'timestamp' },
  'google.protobuf.Duration': { kind: 'duration' },
};

function costType(t: LibraryType | undefined): CostType {
  if (!t) return T.dyn;
  switch (t.kind) {
    case 'list':
      return { kind: 'list', elem: costType(t.valueType) };
    case 'map':
      return { kind: 'map', key: costType(t.keyType), value: costType(t.valueType) };
    case 'optional':
      return { kind: 'optional', inner: costType(t.valueType) };
    case 'param':
      return { kind: 'param' };
    case 'dyn':
      return T.dyn;
    default:
      return PRIMITIVES[t.name] ?? { kind: 'struct', name: t.name };
  }
}

const typeOf = (n: ASTNode): CostType =>
  costType((n as unknown as { checkedType?: LibraryType }).checkedType);

const COMPARISONS: Record<string, string> = {
  '<': 'less',
  '<=': 'less_equals',
  '>': 'greater',
  '>=': 'greater_equals',
};
const ARITHMETIC: Record<string, string> = { '-': 'subtract', '*': 'multiply', '/': 'divide', '%': 'modulo' };
const SETS: Record<string, string> = {
  contains: 'list_sets_contains_list',
  intersects: 'list_sets_intersects_list',
  equivalent: 'list_sets_equivalent_list',
};
const MACROS = new Set([
  'all',
  'exists',
  'exists_one',
  'existsOne',
  'map',
  'filter',
  'transformList',
  'transformMap',
  'transformMapEntry',
]);
const ACCU = '__result__';

/** The overload ids cel-go's checker keeps for an operator whose operands have these kinds. */
function byOperand(kinds: readonly string[], table: Record<string, string>, other: string): string[] {
  if (kinds.includes('dyn')) return [...new Set([...Object.values(table), other])];
  for (const k of kinds) if (table[k]) return [table[k] as string];
  return [other];
}

class Expander {
  #next = 1;

  #id(): number {
    return this.#next++;
  }

  #call(fn: string, type: CostType, args: CostExpr[], overloads: string[], target?: CostExpr): CostExpr {
    return { kind: 'call', id: this.#id(), type, fn, target, args, overloads };
  }
  #ident(name: string, type: CostType): CostExpr {
    return { kind: 'ident', id: this.#id(), type, name };
  }
  #literal(value: unknown, type: CostType): CostExpr {
    const size = typeof value === 'string' ? BigInt([...value].length) : 1n;
    return { kind: 'literal', id: this.#id(), type, value, size };
  }
  #list(elements: CostExpr[], type: CostType): CostExpr {
    return { kind: 'list', id: this.#id(), type, elements };
  }

  expand(n: ASTNode): CostExpr {
    const type = typeOf(n);
    const a = n.args as unknown;
    switch (n.op) {
      case 'value': {
        let size: bigint | undefined = 1n;
        if (typeof a === 'string') size = BigInt([...a].length);
        else if (a instanceof Uint8Array) size = BigInt(a.length);
        return { kind: 'literal', id: this.#id(), type, value: a, size };
      }
      case 'id':
        return this.#ident(a as string, type);
      case '.': {
        const [operand, field] = a as [ASTNode, string];
        return {
          kind: 'select',
          id: this.#id(),
          type,
          operand: this.expand(operand),
          field,
          testOnly: false,
        };
      }
      case '.?': {
        const [operand, field] = a as [ASTNode, string];
        const args = [this.expand(operand), this.#literal(field, T.string)];
        return this.#call('_?._', type, args, ['select_optional_field']);
      }
      case '[]':
      case '[?]': {
        const [container, index] = (a as ASTNode[]).map((x) => this.expand(x)) as [CostExpr, CostExpr];
        if (n.op === '[?]') return this.#call('_[?_]', type, [container, index], ['optional_index']);
        const k = container.type.kind;
        const overloads =
          k === 'list'
            ? ['index_list']
            : k === 'map'
              ? ['index_map']
              : k === 'dyn'
                ? ['index_list', 'index_map']
                : ['index_message'];
        return this.#call('_[_]', type, [container, index], overloads);
      }
      case '&&':
      case '||': {
        const args = (a as ASTNode[]).map((x) => this.expand(x));
        return this.#call(n.op === '&&' ? '_&&_' : '_||_', type, args, [
          n.op === '&&' ? 'logical_and' : 'logical_or',
        ]);
      }
      case '?:':
        return this.#call(
          '_?_:_',
          type,
          (a as ASTNode[]).map((x) => this.expand(x)),
          ['conditional'],
        );
      case '!_':
        return this.#call('!_', type, [this.expand(a as ASTNode)], ['logical_not']);
      case '-_': {
        const operand = a as ASTNode;
        // cel-go reads `-1` (a sign before a number) as one literal, costing nothing.
        if (
          operand.op === 'value' &&
          typeof operand.args !== 'string' &&
          n.input.slice(n.start, operand.start).trim() === '-'
        ) {
          return { kind: 'literal', id: this.#id(), type, value: operand.args, size: 1n };
        }
        return this.#call('-_', type, [this.expand(operand)], ['negate']);
      }
      case '==':
      case '!=': {
        const args = (a as ASTNode[]).map((x) => this.expand(x));
        return this.#call(`_${n.op}_`, type, args, [n.op === '==' ? 'equals' : 'not_equals']);
      }
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const args = (a as ASTNode[]).map((x) => this.expand(x));
        const name = COMPARISONS[n.op] as string;
        const table = { string: `${name}_string`, bytes: `${name}_bytes` };
        return this.#call(
          `_${n.op}_`,
          type,
          args,
          byOperand(
            args.map((x) => x.type.kind),
            table,
            name,
          ),
        );
      }
      case '+': {
        const args = (a as ASTNode[]).map((x) => this.expand(x));
        const table = { string: 'add_string', bytes: 'add_bytes', list: 'add_list' };
        return this.#call(
          '_+_',
          type,
          args,
          byOperand(
            args.map((x) => x.type.kind),
            table,
            'add',
          ),
        );
      }
      case '-':
      case '*':
      case '/':
      case '%': {
        const args = (a as ASTNode[]).map((x) => this.expand(x));
        return this.#call(`_${n.op}_`, type, args, [ARITHMETIC[n.op] as string]);
      }
      case 'in': {
        const args = (a as ASTNode[]).map((x) => this.expand(x));
        const k = (args[1] as CostExpr).type.kind;
        const overloads = k === 'list' ? ['in_list'] : k === 'map' ? ['in_map'] : ['in_list', 'in_map'];
        return this.#call('@in', type, args, overloads);
      }
      case 'list':
        return this.#list(
          (a as ASTNode[]).map((x) => this.expand(x)),
          type,
        );
      case 'map': {
        const entries = (a as [ASTNode, ASTNode][]).map(
          ([k, v]) => [this.expand(k), this.expand(v)] as const,
        );
        return { kind: 'map', id: this.#id(), type, entries };
      }
      case 'call':
        return this.#global(n, type);
      case 'rcall':
        return this.#member(n, type);
      default:
        throw new UnsupportedExpression(String((n as { op: unknown }).op));
    }
  }

  #global(n: ASTNode, type: CostType): CostExpr {
    const [fn, rawArgs] = n.args as [string, ASTNode[]];
    if (fn === 'has') {
      const sel = rawArgs[0] as ASTNode;
      const [operand, field] = sel.args as [ASTNode, string];
      return { kind: 'select', id: this.#id(), type, operand: this.expand(operand), field, testOnly: true };
    }
    const args = rawArgs.map((x) => this.expand(x));
    const k0 = args[0]?.type.kind;
    let overload = fn;
    if (fn === 'string' && k0 === 'bytes') overload = 'bytes_to_string';
    else if (fn === 'bytes' && k0 === 'string') overload = 'string_to_bytes';
    return this.#call(fn, type, args, [overload]);
  }

  #member(n: ASTNode, type: CostType): CostExpr {
    const [fn, receiver, rawArgs] = n.args as [string, ASTNode, ASTNode[]];
    if (isNamespace(receiver)) return this.#namespaced(receiver.args as string, fn, rawArgs, type);
    const macro = rawArgs.length >= 2 && rawArgs[0]?.op === 'id';
    if (MACROS.has(fn) && macro) return this.#macro(fn, this.expand(receiver), rawArgs, type);
    if ((fn === 'optMap' || fn === 'optFlatMap') && rawArgs.length === 2 && macro)
      return this.#optMap(fn === 'optFlatMap', receiver, rawArgs as [ASTNode, ASTNode], type);
    if (fn === 'sortBy' && rawArgs.length === 2 && macro)
      return this.#sortBy(receiver, rawArgs as [ASTNode, ASTNode], type);
    if (fn === 'optMap' || fn === 'optFlatMap' || fn === 'sortBy') throw new UnsupportedExpression(fn);
    const target = this.expand(receiver);
    const args = rawArgs.map((x) => this.expand(x));
    return this.#call(fn, type, args, memberOverloads(fn, target, args), target);
  }

  /** cel-go's `cel.bind`-shaped comprehension: `name` bound to `init` in `result`. */
  #bindTo(name: string, init: CostExpr, result: CostExpr, type: CostType): CostExpr {
    return {
      kind: 'comprehension',
      id: this.#id(),
      type,
      range: this.#list([], { kind: 'list', elem: T.dyn }),
      iterVar: '#unused',
      iterVar2: undefined,
      accuVar: name,
      accuInit: init,
      loopCondition: this.#literal(false, T.bool),
      loopStep: this.#ident(name, init.type),
      result,
      bind: true,
    };
  }

  /**
   * `opt.optMap(v, e)` as cel-go's macro writes it: `opt.hasValue() ? optional.of(<e with v bound
   * to opt.value()>) : optional.none()`, the receiver expanded twice; optFlatMap without the
   * `optional.of`.
   */
  #optMap(flat: boolean, receiver: ASTNode, [v, body]: [ASTNode, ASTNode], type: CostType): CostExpr {
    const optional = typeOf(receiver);
    const inner = optional.kind === 'optional' ? optional.inner : T.dyn;
    const hasValue = this.#call('hasValue', T.bool, [], ['optional_hasValue'], this.expand(receiver));
    const value = this.#call('value', inner, [], ['optional_value'], this.expand(receiver));
    const mapped = this.expand(body);
    let some = this.#bindTo(v.args as string, value, mapped, mapped.type);
    if (!flat) some = this.#call('optional.of', type, [some], ['optional_of']);
    const none = this.#call('optional.none', type, [], ['optional_none']);
    return this.#call('_?_:_', type, [hasValue, some, none], ['conditional']);
  }

  /**
   * `list.sortBy(e, key)` as cel-go's macro (ext.Lists) writes it: the list bound to a hidden
   * variable, which is sorted by the list of its keys (`map(e, key)` over it).
   */
  #sortBy(receiver: ASTNode, [e, key]: [ASTNode, ASTNode], type: CostType): CostExpr {
    const name = '@__sortBy_input__';
    const input = this.expand(receiver);
    const keyType = typeOf(key);
    const keys = this.#macro('map', this.#ident(name, input.type), [e, key], { kind: 'list', elem: keyType });
    const overloads = COMPARABLE.has(keyType.kind)
      ? [`list_${keyType.kind}_sortByAssociatedKeys`]
      : [...COMPARABLE].map((k) => `list_${k}_sortByAssociatedKeys`);
    const sorted = this.#call(
      '@sortByAssociatedKeys',
      type,
      [keys],
      overloads,
      this.#ident(name, input.type),
    );
    return this.#bindTo(name, input, sorted, type);
  }

  #namespaced(ns: string, fn: string, rawArgs: ASTNode[], type: CostType): CostExpr {
    if (ns === 'cel' && fn === 'bind') {
      const [v, init, body] = rawArgs as [ASTNode, ASTNode, ASTNode];
      return this.#bindTo(v.args as string, this.expand(init), this.expand(body), type);
    }
    const args = rawArgs.map((x) => this.expand(x));
    let overload = `${ns}.${fn}`;
    if (ns === 'sets' && SETS[fn]) overload = SETS[fn] as string;
    else if (ns === 'strings' && fn === 'quote') overload = 'strings_quote';
    else if (ns === 'lists' && fn === 'range') overload = 'lists_range';
    return this.#call(`${ns}.${fn}`, type, args, [overload]);
  }

  #macro(fn: string, range: CostExpr, rawArgs: ASTNode[], type: CostType): CostExpr {
    const twoVar = fn.startsWith('transform') || (rawArgs.length === 3 && fn !== 'map');
    const iterVar = (rawArgs[0] as ASTNode).args as string;
    const iterVar2 = twoVar ? ((rawArgs[1] as ASTNode).args as string) : undefined;
    const body = rawArgs.slice(twoVar ? 2 : 1).map((x) => this.expand(x));
    const accu = (t: CostType): CostExpr => this.#ident(ACCU, t);
    const comprehension = (
      accuInit: CostExpr,
      loopCondition: CostExpr,
      loopStep: CostExpr,
      result: CostExpr,
    ): CostExpr => ({
      kind: 'comprehension',
      id: this.#id(),
      type,
      range,
      iterVar,
      iterVar2,
      accuVar: ACCU,
      accuInit,
      loopCondition,
      loopStep,
      result,
      bind: false,
    });
    const [first, second] = body as [CostExpr, CostExpr | undefined];
    switch (fn) {
      case 'all':
        return comprehension(
          this.#literal(true, T.bool),
          this.#call('@not_strictly_false', T.bool, [accu(T.bool)], ['not_strictly_false']),
          this.#call('_&&_', T.bool, [accu(T.bool), first], ['logical_and']),
          accu(T.bool),
        );
      case 'exists':
        return comprehension(
          this.#literal(false, T.bool),
          this.#call(
            '@not_strictly_false',
            T.bool,
            [this.#call('!_', T.bool, [accu(T.bool)], ['logical_not'])],
            ['not_strictly_false'],
          ),
          this.#call('_||_', T.bool, [accu(T.bool), first], ['logical_or']),
          accu(T.bool),
        );
      case 'exists_one':
      case 'existsOne':
        return comprehension(
          this.#literal(0n, T.int),
          this.#literal(true, T.bool),
          this.#call(
            '_?_:_',
            T.int,
            [
              first,
              this.#call('_+_', T.int, [accu(T.int), this.#literal(1n, T.int)], ['add_int64']),
              accu(T.int),
            ],
            ['conditional'],
          ),
          this.#call('_==_', T.bool, [accu(T.int), this.#literal(1n, T.int)], ['equals']),
        );
      case 'map':
      case 'filter':
      case 'transformList': {
        const transform = fn === 'filter' ? this.#ident(iterVar, elementType(range.type)) : (second ?? first);
        const filter = fn === 'filter' ? first : second ? first : undefined;
        let step = this.#call('_+_', type, [accu(type), this.#list([transform], type)], ['add_list']);
        if (filter) step = this.#call('_?_:_', type, [filter, step, accu(type)], ['conditional']);
        return comprehension(this.#list([], type), this.#literal(true, T.bool), step, accu(type));
      }
      default: {
        // transformMap(k, v, [filter,] value) and transformMapEntry(k, v, [filter,] entry)
        const transform = second ?? first;
        const filter = second ? first : undefined;
        const inserted =
          fn === 'transformMap'
            ? [accu(type), this.#ident(iterVar, T.dyn), transform]
            : [accu(type), transform];
        let step = this.#call('cel.@mapInsert', type, inserted, ['cel_mapinsert']);
        if (filter) step = this.#call('_?_:_', type, [filter, step, accu(type)], ['conditional']);
        const init: CostExpr = { kind: 'map', id: this.#id(), type, entries: [] };
        return comprehension(init, this.#literal(true, T.bool), step, accu(type));
      }
    }
  }
}

function elementType(t: CostType): CostType {
  if (t.kind === 'list') return t.elem;
  if (t.kind === 'map') return t.key;
  return T.dyn;
}

/**
 * A namespace (`sets` in `sets.contains(...)`): rules declare no variable of that name, and the
 * library types the identifier as the namespace's own type.
 */
function isNamespace(receiver: ASTNode): boolean {
  if (receiver.op !== 'id') return false;
  const t = (receiver as unknown as { checkedType?: LibraryType }).checkedType;
  return !t || t.name === namespaceTypeName(receiver.args as string);
}

/** cel-go's overload ids of a member call, where the estimate depends on them. */
function memberOverloads(fn: string, target: CostExpr, args: readonly CostExpr[]): string[] {
  const t = target.type;
  // A dyn, or a list of dyn, may hold any comparable kind: the checker keeps every overload.
  if (fn === 'sort' && (t.kind === 'dyn' || (t.kind === 'list' && !COMPARABLE.has(t.elem.kind))))
    return [...COMPARABLE].map((k) => `list_${k}_sort`);
  return [memberOverload(fn, target, args)];
}

/** cel-go's overload id of a member call, where the estimate depends on it. */
function memberOverload(fn: string, target: CostExpr, args: readonly CostExpr[]): string {
  const t = target.type;
  const a0 = args[0]?.type.kind;
  switch (fn) {
    case 'matches':
      return t.kind === 'string' || t.kind === 'dyn' ? 'matches_string' : fn;
    case 'contains':
      return t.kind === 'string' ? 'contains_string' : fn;
    case 'startsWith':
      return 'starts_with_string';
    case 'endsWith':
      return 'ends_with_string';
    case 'format':
      return 'string_format';
    case 'slice':
      return 'list_slice';
    case 'reverse':
      return t.kind === 'list' ? 'list_reverse' : 'string_reverse';
    case 'distinct':
      return 'list_distinct';
    case 'flatten':
      return args.length === 1 ? 'list_flatten_int' : 'list_flatten';
    case 'sort':
      return t.kind === 'list' ? `list_${t.elem.kind}_sort` : fn;
    case 'ip':
      return t.kind === 'struct' && t.name.toLowerCase().includes('cidr') ? 'cidr_ip' : fn;
    case 'containsIP':
      return a0 === 'string' ? 'cidr_contains_ip_string' : 'cidr_contains_ip_ip';
    case 'containsCIDR':
      return a0 === 'string' ? 'cidr_contains_cidr_string' : 'cidr_contains_cidr';
    default:
      return fn;
  }
}

/** The cel-go-shaped tree of a type-checked library AST; throws UnsupportedExpression. */
export function fromLibraryAst(ast: ASTNode): CostExpr {
  return new Expander().expand(ast);
}
