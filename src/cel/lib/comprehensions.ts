// Comprehension macros with cel-go semantics: the standard one-variable macros (all, exists,
// exists_one/existsOne, map, filter) replace the library's built-ins so every iteration is
// charged to the evaluation budget and an empty literal's element type is `dyn` (the library
// threw on `[].all(e, e > 0)`), and cel-go's two-variable comprehensions (ext.TwoVarComprehensions)
// are added: all/exists/existsOne(k, v, p), transformList, transformMap, transformMapEntry.
//
// Macros use the library's macro API: the expander runs at parse time and returns typeCheck and
// evaluate hooks. The shapes of the checker, evaluator and scope objects those hooks receive are
// declared below (the library does not export them).
import { type ASTNode, type Environment, ParseError } from '@marcbachmann/cel-js';
import { chargeIteration, chargeList } from '../budget.js';
import type { CelLibrary } from '../library.js';
import { replaceBuiltinFunction } from '../registration.js';
import { celEquals, makeCelMap, mapEntries } from '../values.js';
import { attributeValue } from './attributes.js';

// ---------------------------------------------------------------------------------------------
// The library's macro hook shapes
// ---------------------------------------------------------------------------------------------

export interface CelType {
  readonly kind: string;
  readonly name: string;
  readonly keyType?: CelType;
  readonly valueType?: CelType;
  readonly hasDynType: boolean;
  unify(registry: unknown, other: CelType): CelType | null;
}

export interface Scope {
  forkWithVariable(name: string, type: CelType): Scope;
  reuse(parent: Scope): Scope;
  setIterValue(value: unknown, ev: Evaluator): Scope;
}

export interface Checker {
  readonly registry: {
    getListType(t: CelType): CelType;
    getMapType(k: CelType, v: CelType): CelType;
    getOptionalType(t: CelType): CelType;
  };
  readonly dynType: CelType;
  readonly boolType: CelType;
  readonly intType: CelType;
  check(node: ASTNode, scope: Scope): CelType;
  getType(name: string): CelType;
  formatType(t: CelType): string;
  createError(code: string, message: string, node?: ASTNode): Error;
}

export interface Evaluator {
  run(node: ASTNode, scope: Scope): unknown;
  tryEval(node: ASTNode, scope: Scope): unknown;
  createError(code: string, message: string, node?: ASTNode): Error;
}

export interface MacroInput {
  readonly ast: ASTNode;
  readonly args: readonly ASTNode[];
  readonly receiver: ASTNode | null;
}

export interface Macro {
  readonly async: false;
  typeCheck(checker: Checker, macro: Macro, scope: Scope): CelType;
  evaluate(ev: Evaluator, macro: Macro, scope: Scope): unknown;
}

// ---------------------------------------------------------------------------------------------
// Helpers shared by macro-based libraries
// ---------------------------------------------------------------------------------------------

/** The bound variable name of a macro argument; a parse error unless it is a plain identifier. */
export function iterVarName(node: ASTNode, message: string): string {
  if (node.op === 'id') return node.args;
  throw new ParseError({ code: 'invalid_macro_argument', message, node });
}

/** Element and key types when iterating a value of type `t` (lists: index/element, maps: key/value). */
export function iterationTypes(
  checker: Checker,
  t: CelType,
  node: ASTNode,
): { kind: 'list' | 'map' | 'dyn'; first: CelType; second: CelType } {
  const dyn = checker.dynType;
  // A free element type (`[]`'s) stays free, as cel-go's type variable does: `[].map(x, x + 1)`
  // binds it to int.
  const concrete = (x: CelType | undefined): CelType => x ?? dyn;
  if (t.kind === 'list') return { kind: 'list', first: checker.intType, second: concrete(t.valueType) };
  if (t.kind === 'map') return { kind: 'map', first: concrete(t.keyType), second: concrete(t.valueType) };
  if (t.kind === 'dyn') return { kind: 'dyn', first: dyn, second: dyn };
  throw checker.createError(
    'invalid_comprehension_range',
    `Expression of type '${checker.formatType(t)}' cannot be range of a comprehension (must be list, map, or dynamic).`,
    node,
  );
}

/** `t` if it can be a condition (bool or dyn), else a check error labelled with `what`. */
export function requireBool(checker: Checker, t: CelType, node: ASTNode, what: string): void {
  if (t.kind === 'dyn' || t.name === 'bool') return;
  throw checker.createError(
    'invalid_condition_type',
    `${what} must return bool, got '${checker.formatType(t)}'`,
    node,
  );
}

/** The items a comprehension iterates: [index or key, element or value] pairs. */
export function iterationPairs(ev: Evaluator, range: unknown, node: ASTNode): [unknown, unknown][] {
  if (Array.isArray(range)) return range.map((v, i) => [BigInt(i), v]);
  if (range instanceof Set) return [...range].map((v, i) => [BigInt(i), v]);
  if (range && typeof range === 'object') {
    const c = (range as object).constructor;
    if (c === Object || c === undefined || range instanceof Map) return mapEntries(range);
  }
  throw ev.createError(
    'invalid_comprehension_range',
    'Expression cannot be range of a comprehension (must be list, map, or dynamic).',
    node,
  );
}

/** Elements of a list, keys of a map: what one-variable macros bind. */
function iterationElements(ev: Evaluator, range: unknown, node: ASTNode): readonly unknown[] {
  if (Array.isArray(range)) return range;
  if (range instanceof Set) return [...range];
  return iterationPairs(ev, range, node).map(([k]) => k);
}

function checkTwoVarNames(a: ASTNode, b: ASTNode): [string, string] {
  const first = iterVarName(a, 'argument must be a simple name');
  const second = iterVarName(b, 'argument must be a simple name');
  if (first === second) {
    throw new ParseError({
      code: 'invalid_macro_argument',
      message: `duplicate variable name: ${first}`,
      node: b,
    });
  }
  return [first, second];
}

/** The iteration variables a macro's leading arguments name: one, or two distinct ones. */
function macroVarNames(args: readonly ASTNode[], label: string, twoVars: boolean): string[] {
  return twoVars
    ? checkTwoVarNames(args[0] as ASTNode, args[1] as ASTNode)
    : [iterVarName(args[0] as ASTNode, `${label} invalid predicate iteration variable`)];
}

/**
 * Binds `value` to the scope's variable. The library checks it against the variable's checked
 * type (converting a map to a declared object type); cel-go never checks at run time, and a type
 * the library's checker bound differently from cel-go's ([] taken as a list of int) must not fail
 * the evaluation, so a value of another type is bound as it is.
 */
export function bindValue(scope: Scope, value: unknown, ev: Evaluator): Scope {
  try {
    return scope.setIterValue(value, ev);
  } catch (err) {
    if ((err as { code?: string }).code !== 'variable_type_mismatch') throw err;
    (scope as unknown as { iterValue: unknown }).iterValue = value;
    return scope;
  }
}

/**
 * Runs `visit` once per iteration with the scope in which the macro's variables are bound
 * (one variable: list element or map key; two: index/key and element/value). Stops when
 * `visit` returns false. Each iteration is charged to the budget.
 */
export function iterate(
  ev: Evaluator,
  scopes: readonly Scope[],
  parent: Scope,
  range: unknown,
  node: ASTNode,
  visit: (inner: Scope, first: unknown, second: unknown) => boolean | undefined,
): void {
  const live = enterScopes(scopes, parent);
  if (live.length === 1) {
    const s = live[0] as Scope;
    const items = iterationElements(ev, range, node);
    for (let i = 0; i < items.length; i++) {
      chargeIteration();
      const v = items[i];
      if (visit(bindValue(s, v, ev), v, undefined) === false) return;
    }
    return;
  }
  const [s1, s2] = live as [Scope, Scope];
  for (const [a, b] of iterationPairs(ev, range, node)) {
    chargeIteration();
    bindValue(s1, a, ev);
    if (visit(bindValue(s2, b, ev), a, b) === false) return;
  }
}

// ---------------------------------------------------------------------------------------------
// Quantifiers
// ---------------------------------------------------------------------------------------------

type QuantifierKind = 'all' | 'exists' | 'existsOne';

interface QuantifierMacro extends Macro {
  readonly kind: QuantifierKind;
  readonly label: string;
  readonly names: readonly string[];
  readonly receiver: ASTNode;
  readonly predicate: ASTNode;
  scopes: Scope[];
}

function quantifierExpander(kind: QuantifierKind, label: string, twoVars: boolean) {
  return ({ args, receiver }: MacroInput): QuantifierMacro => {
    const names = macroVarNames(args, label, twoVars);
    return {
      async: false,
      kind,
      label,
      names,
      receiver: receiver as ASTNode,
      predicate: args[args.length - 1] as ASTNode,
      scopes: [],
      typeCheck: checkQuantifier,
      evaluate: evaluateQuantifier,
    };
  };
}

function bindScopes(
  checker: Checker,
  scope: Scope,
  m: { names: readonly string[]; receiver: ASTNode },
): Scope[] {
  const types = iterationTypes(checker, checker.check(m.receiver, scope), m.receiver);
  if (m.names.length === 1) {
    const t = types.kind === 'list' ? types.second : types.first;
    return [scope.forkWithVariable(m.names[0] as string, t)];
  }
  const first = scope.forkWithVariable(m.names[0] as string, types.first);
  return [first, first.forkWithVariable(m.names[1] as string, types.second)];
}

function checkQuantifier(checker: Checker, macro: Macro, scope: Scope): CelType {
  const m = macro as QuantifierMacro;
  m.scopes = bindScopes(checker, scope, m);
  const inner = m.scopes[m.scopes.length - 1] as Scope;
  requireBool(checker, checker.check(m.predicate, inner), m.predicate, `${m.label} predicate`);
  return checker.boolType;
}

/** Points the macro's scopes at the runtime scope (the library's own pattern for bound variables). */
function enterScopes(scopes: readonly Scope[], parent: Scope): Scope[] {
  const live: Scope[] = [];
  let p = parent;
  for (const s of scopes) {
    p = s.reuse(p);
    live.push(p);
  }
  return live;
}

function evaluateQuantifier(ev: Evaluator, macro: Macro, scope: Scope): unknown {
  const m = macro as QuantifierMacro;
  const range = ev.run(m.receiver, scope);
  let firstError: unknown;
  let count = 0;
  let decided: boolean | undefined;
  if (m.kind === 'existsOne') {
    iterate(ev, m.scopes, scope, range, m.receiver, (inner) => {
      const r = ev.run(m.predicate, inner);
      if (r === true) count++;
      else if (r !== false) throw predicateTypeError(ev, m, r);
      return true;
    });
    return count === 1;
  }
  const stopOn = m.kind === 'exists';
  iterate(ev, m.scopes, scope, range, m.receiver, (inner) => {
    const r = ev.tryEval(m.predicate, inner);
    if (r === stopOn) {
      decided = r;
      return false;
    }
    if (r !== !stopOn) firstError ??= r instanceof Error ? r : predicateTypeError(ev, m, r);
    return true;
  });
  if (decided !== undefined) return decided;
  if (firstError !== undefined) throw firstError;
  return !stopOn;
}

// cel-go expands the macros to `||`, `&&` or `?:` over the predicate, which find no overload for
// a value that is no bool.
function predicateTypeError(ev: Evaluator, m: { label: string; predicate: ASTNode }, r: unknown): Error {
  return ev.createError(
    'no_such_overload',
    `no such overload: ${m.label} predicate must return bool, got '${typeof r}'`,
    m.predicate,
  );
}

// ---------------------------------------------------------------------------------------------
// map / filter / transformList / transformMap / transformMapEntry
// ---------------------------------------------------------------------------------------------

type TransformKind = 'map' | 'filter' | 'transformList' | 'transformMap' | 'transformMapEntry';

interface TransformMacro extends Macro {
  readonly kind: TransformKind;
  readonly label: string;
  readonly names: readonly string[];
  readonly receiver: ASTNode;
  readonly filter: ASTNode | undefined;
  readonly transform: ASTNode;
  scopes: Scope[];
}

function transformExpander(kind: TransformKind, label: string, twoVars: boolean, withFilter: boolean) {
  return ({ args, receiver }: MacroInput): TransformMacro => {
    const names = macroVarNames(args, label, twoVars);
    const rest = args.slice(names.length);
    return {
      async: false,
      kind,
      label,
      names,
      receiver: receiver as ASTNode,
      filter: withFilter ? rest[0] : kind === 'filter' ? rest[0] : undefined,
      transform: (kind === 'filter' ? args[0] : rest[rest.length - 1]) as ASTNode,
      scopes: [],
      typeCheck: checkTransform,
      evaluate: evaluateTransform,
    };
  };
}

function checkTransform(checker: Checker, macro: Macro, scope: Scope): CelType {
  const m = macro as TransformMacro;
  m.scopes = bindScopes(checker, scope, m);
  const inner = m.scopes[m.scopes.length - 1] as Scope;
  if (m.filter) requireBool(checker, checker.check(m.filter, inner), m.filter, `${m.label} filter predicate`);
  const t = checker.check(m.transform, inner);
  const reg = checker.registry;
  switch (m.kind) {
    case 'map':
    case 'filter':
    case 'transformList':
      return reg.getListType(t);
    case 'transformMap': {
      const types = iterationTypes(checker, checker.check(m.receiver, scope), m.receiver);
      return reg.getMapType(types.first, t);
    }
    case 'transformMapEntry':
      if (t.kind === 'map') return t;
      if (t.kind === 'dyn') return checker.getType('map');
      throw checker.createError(
        'invalid_argument_type',
        `${m.label} transform must return a map, got '${checker.formatType(t)}'`,
        m.transform,
      );
  }
}

function insertEntry(
  ev: Evaluator,
  out: Map<unknown, unknown>,
  key: unknown,
  value: unknown,
  node: ASTNode,
): void {
  for (const k of out.keys()) {
    if (celEquals(k, key))
      throw ev.createError('duplicate_key', `insert failed: key ${String(key)} already exists`, node);
  }
  out.set(key, value);
}

function evaluateTransform(ev: Evaluator, macro: Macro, scope: Scope): unknown {
  const m = macro as TransformMacro;
  const range = ev.run(m.receiver, scope);
  const toMap = m.kind === 'transformMap' || m.kind === 'transformMapEntry';
  const list: unknown[] = [];
  const map = new Map<unknown, unknown>();
  iterate(ev, m.scopes, scope, range, m.receiver, (inner, first) => {
    if (m.filter) {
      const keep = ev.run(m.filter, inner);
      if (keep === false) return true;
      if (keep !== true)
        throw predicateTypeError(ev, { label: `${m.label} filter`, predicate: m.filter }, keep);
    }
    switch (m.kind) {
      case 'filter':
        // cel-go's step is `accu + [x]`: the element is read through the variable, an attribute.
        list.push(attributeValue(first, ev as Evaluator & { readonly registry: object }));
        break;
      case 'map':
      case 'transformList':
        list.push(ev.run(m.transform, inner));
        break;
      case 'transformMap':
        insertEntry(ev, map, first, ev.run(m.transform, inner), m.transform);
        break;
      case 'transformMapEntry': {
        const entry = ev.run(m.transform, inner);
        if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
          throw ev.createError(
            'invalid_argument_type',
            `${m.label} transform must return a map`,
            m.transform,
          );
        }
        for (const [k, v] of mapEntries(entry)) insertEntry(ev, map, k, v, m.transform);
        break;
      }
    }
    return true;
  });
  if (toMap) {
    chargeList(map.size);
    return makeCelMap(map);
  }
  chargeList(list.length);
  return list;
}

// ---------------------------------------------------------------------------------------------
// Registration
// ---------------------------------------------------------------------------------------------

function registerComprehensions(env: Environment): void {
  const replace = (sig: string, fn: (input: MacroInput) => Macro) =>
    replaceBuiltinFunction(env, sig, fn as never);
  const add = (sig: string, fn: (input: MacroInput) => Macro) =>
    env.registerFunction(sig, fn as (...args: unknown[]) => unknown);

  replace('list.all(ast, ast): bool', quantifierExpander('all', 'all(var, predicate)', false));
  replace('list.exists(ast, ast): bool', quantifierExpander('exists', 'exists(var, predicate)', false));
  replace(
    'list.exists_one(ast, ast): bool',
    quantifierExpander('existsOne', 'exists_one(var, predicate)', false),
  );
  replace('list.map(ast, ast): list<dyn>', transformExpander('map', 'map(var, transform)', false, false));
  replace(
    'list.map(ast, ast, ast): list<dyn>',
    transformExpander('map', 'map(var, filter, transform)', false, true),
  );
  replace(
    'list.filter(ast, ast): list<dyn>',
    transformExpander('filter', 'filter(var, predicate)', false, false),
  );
  add('dyn.existsOne(ast, ast): bool', quantifierExpander('existsOne', 'existsOne(var, predicate)', false));

  add('dyn.all(ast, ast, ast): bool', quantifierExpander('all', 'all(k, v, predicate)', true));
  add('dyn.exists(ast, ast, ast): bool', quantifierExpander('exists', 'exists(k, v, predicate)', true));
  add(
    'dyn.existsOne(ast, ast, ast): bool',
    quantifierExpander('existsOne', 'existsOne(k, v, predicate)', true),
  );
  add(
    'dyn.exists_one(ast, ast, ast): bool',
    quantifierExpander('existsOne', 'exists_one(k, v, predicate)', true),
  );
  for (const kind of ['transformList', 'transformMap', 'transformMapEntry'] as const) {
    const ret = kind === 'transformList' ? 'list<dyn>' : 'map<dyn, dyn>';
    add(
      `dyn.${kind}(ast, ast, ast): ${ret}`,
      transformExpander(kind, `${kind}(k, v, transform)`, true, false),
    );
    add(
      `dyn.${kind}(ast, ast, ast, ast): ${ret}`,
      transformExpander(kind, `${kind}(k, v, filter, transform)`, true, true),
    );
  }
}

export const comprehensionsLibrary: CelLibrary = {
  name: 'CEL comprehension macros and cel-go ext.TwoVarComprehensions',
  register: registerComprehensions,
};
