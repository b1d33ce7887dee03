// What cel-go's type checker refuses that the library's accepts, and cel-go's wording for the
// overload errors both report. kro passes cel-go's checker messages through to the RGD's
// condition, so kro-gen words them the same way:
//   - ordering across numeric types (`1 < 1.5`): kro's environment has no cross-type numeric
//     comparisons, so only `(int, int)`, `(uint, uint)`, `(double, double)` have overloads (except
//     inside a comprehension's scope, see innerScopeArgs);
//   - indexing an object (a schema-typed message) with `[...]`: only lists and maps are indexable;
//   - an optional select (`.?f`) of a field the object's type does not declare;
//   - a constant pattern of find/findAll that RE2 cannot compile.
// Values of type `dyn` pass, as in cel-go (the run time compares and indexes them).
import type { ASTNode } from '@marcbachmann/cel-js';
import { compileRe2 } from './re2.js';
import { boundCount } from './references.js';
import type { CelType, CelTypeTable } from './types.js';

export interface CelGoProblem {
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

/** The library's checked type of a node, as far as this module reads it. */
interface CheckedType {
  readonly kind: string;
  readonly name: string;
  readonly keyType?: CheckedType;
  readonly valueType?: CheckedType;
}

const REGEX_FUNCTIONS = new Set(['find', 'findAll']);
const ORDERING: Readonly<Record<string, string>> = { '<': '_<_', '<=': '_<=_', '>': '_>_', '>=': '_>=_' };
const NUMERIC = new Set(['int', 'uint', 'double']);

// A type with no dyn or type parameter in it.
function isConcrete(t: CheckedType): boolean {
  return (
    !(t as { hasDynType?: boolean }).hasDynType && !(t as { hasPlaceholderType?: boolean }).hasPlaceholderType
  );
}

function checkedTypeOf(node: unknown): CheckedType | undefined {
  return (node as { checkedType?: CheckedType } | undefined)?.checkedType;
}

function isNode(v: unknown): v is ASTNode {
  return typeof v === 'object' && v !== null && 'op' in v && 'args' in v;
}

/** cel-go's spelling of a checked type: `list(int)`, `map(string, dyn)`, kro's object type names. */
export function celGoTypeName(t: CheckedType, table: CelTypeTable): string {
  switch (t.kind) {
    case 'list':
      return `list(${t.valueType ? celGoTypeName(t.valueType, table) : 'dyn'})`;
    case 'map':
      return `map(${t.keyType ? celGoTypeName(t.keyType, table) : 'dyn'}, ${t.valueType ? celGoTypeName(t.valueType, table) : 'dyn'})`;
    case 'optional':
      return `optional_type(${t.valueType ? celGoTypeName(t.valueType, table) : 'dyn'})`;
    case 'message':
      return table.get(t.name)?.name ?? t.name;
    default:
      return t.name === 'null' ? 'null_type' : t.name;
  }
}

/**
 * The type of `ast` when it is a call `type(x)`, as cel-go knows it (`type(string)`); the library
 * reports only `type`, and kro writes cel-go's name into the status schema.
 */
export function typeCallType(ast: ASTNode, table: CelTypeTable): CelType | undefined {
  if (ast.op !== 'call' || !Array.isArray(ast.args)) return undefined;
  const [name, args] = ast.args as unknown[];
  if (name !== 'type' || !Array.isArray(args) || args.length !== 1) return undefined;
  const t = checkedTypeOf(args[0]);
  return t ? { kind: 'type', of: celGoTypeName(t, table) } : undefined;
}

/**
 * cel-go's wording of the library's `List index must be int, got 'string'` at `node` (the index
 * expression the error names): `found no matching overload for '_[_]' applied to '(list(string),
 * string)'`; undefined when the list's checked type is not known.
 */
export function celGoListIndexMessage(
  summary: string,
  node: unknown,
  table: CelTypeTable,
): string | undefined {
  const index = /^List index must be int, got '(.*)'$/.exec(summary);
  if (!index || !isNode(node) || !Array.isArray(node.args)) return undefined;
  const list = checkedTypeOf(node.args[0]);
  if (list?.kind !== 'list') return undefined;
  const fn = node.op === '[?]' ? '_[?_]' : '_[_]';
  return `found no matching overload for '${fn}' applied to '(${celGoTypeName(list, table)}, ${celGoTypeText(index[1] ?? '', table)})'`;
}

/**
 * The first problem cel-go's checker would report in `ast`, parsed from `source`, which the library
 * has checked without error.
 */
export function celGoProblem(ast: ASTNode, table: CelTypeTable, source: string): CelGoProblem | undefined {
  if (!MAY_HAVE_PROBLEM.test(source)) return undefined;
  return problemIn(ast, table, false, { unfiltered: false });
}

// Every problem above is at an ordering (`<`, `<=`, `>`, `>=`), an index (`[`, `[?`), an optional
// select (`.?`) or a find/findAll call, and the parser makes none of those nodes from a text
// without these characters (the nesting guard only blanks out `!`). Most expressions (plain
// selects such as `schema.spec.name`) have none, and the walk then cannot report anything.
const MAY_HAVE_PROBLEM = /[<>[?]|find/;

/**
 * cel-go's checker leaves a comprehension's scope without the filter too: once it has checked
 * one, everything it checks afterwards (in operand order) has cross-type comparisons
 * (`cel.bind(x, 1, x) < 1u` checks in kro).
 */
interface WalkState {
  unfiltered: boolean;
}

// Operands first: cel-go reports the innermost problem it meets first. (Runs after every check
// that passes: walked without a closure or an array of children per node.)
function problemIn(
  node: ASTNode,
  table: CelTypeTable,
  scoped: boolean,
  state: WalkState,
): CelGoProblem | undefined {
  let inner: Set<ASTNode> | undefined;
  if (node.op !== 'value' && node.op !== 'id') {
    const macro = innerScopeArgs(node);
    inner = scoped ? undefined : macro;
    const found = problemInOperands(checkOrder(node, macro), table, scoped, inner, state);
    if (found) return found;
  }
  const found = problemAt(node, table, scoped || state.unfiltered);
  if (inner) state.unfiltered = true;
  return found;
}

// The operands in the order cel-go's checker visits them: a method call's arguments before its
// receiver (`cel.bind(x, "a", x).startsWith(1 < 1.5 ? "a" : "b")` is refused in kro: the
// comparison is checked before the comprehension); a comprehension macro's receiver first.
function checkOrder(node: ASTNode, macro: Set<ASTNode> | undefined): unknown {
  if (node.op !== 'rcall' || macro || !Array.isArray(node.args)) return node.args;
  // Read by index, not destructured: cold code (docs/architecture.md).
  const operands = node.args as [string, ASTNode, ASTNode[]];
  return [operands[2], operands[1]];
}

function problemInOperands(
  v: unknown,
  table: CelTypeTable,
  scoped: boolean,
  inner: Set<ASTNode> | undefined,
  state: WalkState,
): CelGoProblem | undefined {
  if (isNode(v)) return problemIn(v, table, scoped || (inner?.has(v) ?? false), state);
  if (!Array.isArray(v)) return undefined;
  // Indexed: cold code (docs/architecture.md).
  for (let i = 0; i < v.length; i++) {
    const found = problemInOperands(v[i], table, scoped, inner, state);
    if (found) return found;
  }
  return undefined;
}

/**
 * The operands of a comprehension macro that cel-go checks in the comprehension's own scope: the
 * loop variables and body (the range and cel.bind's value are checked outside it). cel-go's
 * checker opens that scope without the environment's filter of cross-type numeric overloads, so
 * inside it `x < 1u` with an int `x` checks (and evaluates) in kro as it does outside only with
 * cross-type comparisons enabled.
 */
function innerScopeArgs(node: ASTNode): Set<ASTNode> | undefined {
  if (node.op !== 'rcall' || !Array.isArray(node.args)) return undefined;
  // Read by index, not destructured: cold code (docs/architecture.md).
  const operands = node.args as [string, ASTNode, ASTNode[]];
  const name = operands[0];
  const target = operands[1];
  const args = operands[2];
  if (!Array.isArray(args)) return undefined;
  if (name === 'bind' && target?.op === 'id' && target.args === 'cel' && args.length === 3) {
    return new Set([args[0] as ASTNode, args[2] as ASTNode]);
  }
  return boundCount(name, args.length) > 0 ? new Set(args) : undefined;
}

/** The operand nodes of `node` (call arguments, receiver, operands, list elements, map entries). */
export function childrenOf(node: ASTNode): ASTNode[] {
  const out: ASTNode[] = [];
  const collect = (v: unknown): void => {
    if (isNode(v)) out.push(v);
    else if (Array.isArray(v)) for (let i = 0; i < v.length; i++) collect(v[i]);
  };
  if (node.op === 'value' || node.op === 'id') return out;
  collect(node.args);
  return out;
}

function problemOf(node: ASTNode, message: string): CelGoProblem {
  return { message, start: node.start, end: node.end };
}

function problemAt(node: ASTNode, table: CelTypeTable, scoped: boolean): CelGoProblem | undefined {
  const op = node.op as string;
  const args = node.args as unknown;
  if (ORDERING[op] !== undefined && Array.isArray(args)) {
    if (scoped) return undefined;
    const l = checkedTypeOf(args[0]);
    const r = checkedTypeOf(args[1]);
    if (l && r && NUMERIC.has(l.name) && NUMERIC.has(r.name) && l.name !== r.name) {
      return problemOf(
        node,
        `found no matching overload for '${ORDERING[op]}' applied to '(${l.name}, ${r.name})'`,
      );
    }
    return undefined;
  }
  if ((op === '[]' || op === '[?]') && Array.isArray(args)) {
    const l = checkedTypeOf(args[0]);
    const r = checkedTypeOf(args[1]);
    const fn = op === '[]' ? '_[_]' : '_[?_]';
    const refuse = (): CelGoProblem =>
      problemOf(
        node,
        `found no matching overload for '${fn}' applied to '(${celGoTypeName(l as CheckedType, table)}, ${celGoTypeName(r as CheckedType, table)})'`,
      );
    if (l?.kind === 'message' && r && r.kind !== 'dyn' && table.get(l.name)) return refuse();
    // A map's key type admits only itself: {1: 2}[1u] and {"a": 1}[?1] are refused, through an
    // optional too (optional.of({true: 1})[?1]).
    const m = l?.kind === 'optional' ? l.valueType : l;
    const key = m?.kind === 'map' ? m.keyType : undefined;
    if (key && r && isConcrete(key) && r.kind !== 'dyn' && r.kind !== 'param' && key.name !== r.name) {
      return refuse();
    }
    // cel-go plans a constant index as a qualifier when it builds the program: null and bytes are
    // none (dyn(m)[null] fails before any evaluation).
    const index = args[1] as ASTNode | undefined;
    if (index?.op === 'value' && (index.args === null || index.args instanceof Uint8Array)) {
      return problemOf(node, `invalid qualifier type: ${index.args === null ? 'types.Null' : 'types.Bytes'}`);
    }
    return undefined;
  }
  if (op === 'rcall' && Array.isArray(args) && REGEX_FUNCTIONS.has(args[0] as string)) {
    // kro's programs compile find/findAll's constant patterns up front (Kubernetes' regex
    // optimisations), so a bad one fails before any evaluation.
    const pattern = (args[2] as ASTNode[])[0];
    if (pattern?.op === 'value' && typeof pattern.args === 'string') {
      try {
        compileRe2(pattern.args);
      } catch (e) {
        return problemOf(node, (e as Error).message);
      }
    }
    return undefined;
  }
  if (op === '.?' && Array.isArray(args) && typeof args[1] === 'string') {
    const t = checkedTypeOf(args[0]);
    // `.?` on an optional selects from the value inside.
    const l = t?.kind === 'optional' ? t.valueType : t;
    const object = l?.kind === 'message' ? table.get(l.name) : undefined;
    if (object && !object.preserveUnknown && !Object.hasOwn(object.fields, args[1])) {
      // At the field's name, as cel-go reports it.
      return { message: `undefined field '${args[1]}'`, start: node.end - args[1].length, end: node.end };
    }
  }
  return undefined;
}

const BINARY: Readonly<Record<string, string>> = {
  '==': '_==_',
  '!=': '_!=_',
  '+': '_+_',
  '-': '_-_',
  '*': '_*_',
  '/': '_/_',
  '%': '_%_',
  '<': '_<_',
  '<=': '_<=_',
  '>': '_>_',
  '>=': '_>=_',
  in: '@in',
};

/** A library type name (`list<int>`, `map<string, x>`, a registered object name) in cel-go's spelling. */
function celGoTypeText(text: string, table: CelTypeTable): string {
  return text
    .replace(/[\w.]+/g, (name) => {
      // cel-go's checker writes these types so in its messages (their values' types are null_type,
      // google.protobuf.Duration and google.protobuf.Timestamp).
      if (name === 'null') return 'null';
      if (name === 'google.protobuf.Duration') return 'duration';
      if (name === 'google.protobuf.Timestamp') return 'timestamp';
      if (name === 'optional') return 'optional_type';
      return table.get(name)?.name ?? name;
    })
    .replace(/</g, '(')
    .replace(/>/g, ')');
}

/**
 * cel-go's wording of the library's overload errors: `no such overload: int == double` becomes
 * `found no matching overload for '_==_' applied to '(int, double)'`, `found no matching overload
 * for 'size(int)'` becomes `... for 'size' applied to '(int)'`, and a method call on `int`
 * `... for 'startsWith' applied to 'int.(string)'`, ternary branches of two types `... for '_?_:_'
 * applied to '(bool, string, int)'`, and a macro over a scalar `expression of type
 * 'string' cannot be range of a comprehension (...)`. A call of a name `isFunction` does not know is
 * `undeclared reference to 'name' (in container '')`. Anything else is returned unchanged.
 */
export function celGoOverloadMessage(
  summary: string,
  table: CelTypeTable,
  isFunction: (name: string) => boolean = () => true,
): string {
  const binary = /^no such overload: (.+) (==|!=|\+|-|\*|\/|%|<=|>=|<|>|in) (.+)$/.exec(summary);
  if (binary) {
    const [, l = '', op = '', r = ''] = binary;
    return `found no matching overload for '${BINARY[op]}' applied to '(${celGoTypeText(l, table)}, ${celGoTypeText(r, table)})'`;
  }
  const unary = /^no such overload: ([!-])(\S+)$/.exec(summary);
  if (unary) {
    const [, op = '', t = ''] = unary;
    return `found no matching overload for '${op}_' applied to '(${celGoTypeText(t, table)})'`;
  }
  const call = /^found no matching overload for '([^(]+)\((.*)\)'$/.exec(summary);
  if (call) {
    const [, callee = '', args = ''] = call;
    const list = `(${celGoTypeText(args, table)})`;
    // A method on a value (`int.startsWith`) or a namespaced function (`base64.decode`).
    const ns = /^(\w+)Namespace\.(\w+)$/.exec(callee);
    const named = ns ? `${NAMESPACE_NAMES[ns[1] ?? ''] ?? (ns[1] ?? '').toLowerCase()}.${ns[2]}` : callee;
    const cut = ns ? -1 : calleeCut(callee, table);
    // A name no function has: cel-go cannot resolve the reference at all.
    const bare = ns ? undefined : callee.slice(cut + 1);
    if (bare !== undefined && !isFunction(bare)) return `undeclared reference to '${bare}' (in container '')`;
    if (cut < 0) return `found no matching overload for '${named}' applied to '${list}'`;
    const receiver = celGoTypeText(callee.slice(0, cut), table);
    return `found no matching overload for '${callee.slice(cut + 1)}' applied to '${receiver}.${list}'`;
  }
  // Branches of two types: cel-go has no overload of the conditional for them (its condition is
  // bool here: the library reports a non-bool condition first).
  const ternary = /^Ternary branches must have the same type, got '(.*)' and '(.*)'$/.exec(summary);
  if (ternary) {
    const [, a = '', b = ''] = ternary;
    return `found no matching overload for '_?_:_' applied to '(bool, ${celGoTypeText(a, table)}, ${celGoTypeText(b, table)})'`;
  }
  // or/orValue are macros in the library, which words their argument's type on its own; cel-go
  // has no overload `optional(V).orValue(W)` for it.
  const orValue =
    /^optional\.(or|orValue)\(\w+\) argument must be compatible type, got '(.*)' and '(.*)'$/.exec(summary);
  if (orValue) {
    const [, fn = '', l = '', r = ''] = orValue;
    const receiver = fn === 'or' ? celGoTypeText(l, table) : `optional_type(${celGoTypeText(l, table)})`;
    return `found no matching overload for '${fn}' applied to '${receiver}.(${celGoTypeText(r, table)})'`;
  }
  // A macro over a scalar: cel-go's sentence starts lower-case and has no full stop.
  const range = /^Expression (of type '.*' cannot be range of a comprehension \(.*\))\.$/.exec(summary);
  if (range) return `expression ${celGoTypeText(range[1] ?? '', table)}`;
  return summary;
}

// The library's namespace types (environment.ts namespaceTypeName) back to the namespace.
const NAMESPACE_NAMES: Readonly<Record<string, string>> = { Cel: 'cel', Optional: 'optional' };

const RECEIVER_TYPES = new Set([
  'int',
  'uint',
  'double',
  'string',
  'bool',
  'bytes',
  'dyn',
  'null',
  'map',
  'list',
]);

// Where a callee splits into a receiver type and a method name; -1 for a plain or namespaced function.
function calleeCut(callee: string, table: CelTypeTable): number {
  const cut = callee.lastIndexOf('.');
  if (cut < 0) return -1;
  const receiver = callee.slice(0, cut);
  const isType =
    receiver.includes('<') ||
    RECEIVER_TYPES.has(receiver) ||
    table.get(receiver) !== undefined ||
    receiver.startsWith('google.protobuf.') ||
    receiver.startsWith('kubernetes.') ||
    receiver.startsWith('kro.');
  return isType ? cut : -1;
}
