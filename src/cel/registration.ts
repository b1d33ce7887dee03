// The toolkit kro's CEL libraries (lib/*) register themselves with: namespaced functions, and
// the access to the library's registry and parser that replacing a built-in overload needs (see
// environment.ts for why). Its own module so the libraries do not import environment.ts, which
// imports them all to build its bases.
import type { Environment } from '@marcbachmann/cel-js';
import { EvaluationError } from '@marcbachmann/cel-js';

/** A CEL function implementation; `this` is the library's evaluator, rarely needed. */
export type CelHandler = (...args: never[]) => unknown;

// Namespaces the library itself declares, with the type it gave them.
const BUILTIN_NAMESPACE_TYPES: Readonly<Record<string, string>> = {
  cel: 'CelNamespace',
  optional: 'OptionalNamespace',
};

/** The CEL type name that carries the functions of namespace `ns` (e.g. `RandomNamespace`). */
export function namespaceTypeName(ns: string): string {
  return BUILTIN_NAMESPACE_TYPES[ns] ?? `${ns[0]?.toUpperCase() ?? ''}${ns.slice(1)}Namespace`;
}

/**
 * Declares namespace `ns` in `env` (idempotent). The library reads `a.b(...)` as a method call
 * on `a`, so a namespace is a constant of its own type and its functions are methods of that
 * type; the expression text stays exactly cel-go's `random.seededString(8, "x")`.
 */
export function registerNamespace(env: Environment, ns: string): string {
  if (!/^[a-z][a-zA-Z0-9]*$/.test(ns)) throw new Error(`invalid CEL namespace name '${ns}'`);
  const typeName = namespaceTypeName(ns);
  if (env.hasVariable(ns)) return typeName;
  const ctor = { [typeName]: class {} }[typeName] as new () => object;
  env.registerType(typeName, ctor);
  env.registerConstant(ns, typeName, new ctor());
  return typeName;
}

/**
 * Registers `ns.fn(...)`: `signature` is written without the namespace, e.g.
 * `registerNamespacedFunction(env, 'random', 'seededString(int, string): string', fn)`, and the
 * handler receives only the call's arguments.
 */
export function registerNamespacedFunction(
  env: Environment,
  ns: string,
  signature: string,
  handler: CelHandler,
): void {
  const typeName = registerNamespace(env, ns);
  const impl = handler as (...args: unknown[]) => unknown;
  env.registerFunction(
    `${typeName}.${signature}`,
    function (this: unknown, _ns: unknown, ...args: unknown[]) {
      return impl.apply(this, args);
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Access to the library's registry and parser
// ---------------------------------------------------------------------------------------------

/** The parts of the library's internal function/operator declarations we read. */
export interface InternalDeclaration {
  readonly signature: string;
  readonly handler: (...args: never[]) => unknown;
}

/** The library's per-(name, arity) overload list. */
export interface InternalCandidates {
  readonly declarations: InternalDeclaration[];
}

/** The library's variable declarations (constants carry their value). */
export interface InternalVariable {
  readonly type: object;
  readonly value?: unknown;
}

/** The library's registry, as far as we touch it. */
export interface InternalRegistry {
  readonly enableOptionalTypes: boolean;
  functionCandidates(receiver: boolean, name: string, argCount: number): InternalCandidates;
  operatorCandidates(op: string): InternalCandidates;
  readonly variables: ReadonlyMap<string, InternalVariable | undefined>;
  deleteVariable(name: string): void;
}

/** The library's parser (one per environment; its prototype is shared). */
export interface InternalParser {
  readonly registry: InternalRegistry;
}

export interface Internals {
  readonly registry: InternalRegistry;
  readonly parser: InternalParser;
}

const PROBE = 'kroInternalProbe';

/**
 * An object two registries share exactly while they share one function index: a registry uses
 * its parent's index until it registers a function of its own, and every base registers the probe.
 */
export function functionIndexToken(registry: InternalRegistry): object {
  return registry.functionCandidates(false, PROBE, 1);
}
let probeCapture: Internals | undefined;
let probing = false;
let probedChecker: object | undefined;
let probedScope: object | undefined;
const internalsCache = new WeakMap<Environment, Internals>();

// Registered once in every base: parsing `kroInternalProbe()` hands us the parser (and with it
// the registry) of whichever environment parses it. Outside a probe the call is rejected.
export function registerProbe(env: Environment): void {
  env.registerFunction(`${PROBE}(ast): dyn`, (opts: { parser: InternalParser }) => {
    if (probing) probeCapture = { registry: opts.parser.registry, parser: opts.parser };
    return {
      typeCheck(checker: { createError(code: string, msg: string): Error }, _macro: unknown, scope: object) {
        if (probing) {
          probedChecker = checker;
          probedScope = scope;
        }
        throw checker.createError('no_matching_overload', `found no matching overload for '${PROBE}'`);
      },
      evaluate() {
        throw new EvaluationError(`${PROBE} is internal to kro-gen`);
      },
    };
  });
}

/** The library's type checker object behind `env` (its prototype is shared by all checkers). */
export function checkerOf(env: Environment): object {
  return probeChecker(env).checker;
}

/**
 * The library's root scope object a check of `env` starts from. Its class also holds the
 * variables of an evaluation, and `forkWithVariable` makes the scope class of bound variables;
 * both prototypes are shared by every environment.
 */
export function rootScopeOf(env: Environment): object {
  return probeChecker(env).scope;
}

// One probe per environment: several libraries ask for the same environment's checker and scope
// while a base is built, and each probe parses and checks an expression.
const probedCheckers = new WeakMap<Environment, { checker: object; scope: object }>();

function probeChecker(env: Environment): { checker: object; scope: object } {
  const cached = probedCheckers.get(env);
  if (cached) return cached;
  probing = true;
  probedChecker = undefined;
  probedScope = undefined;
  // The probe's check fails by design and its error is dropped: no stack trace to capture.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    env.check(`${PROBE}(0)`);
  } finally {
    probing = false;
    Error.stackTraceLimit = stackTraceLimit;
  }
  const checker = probedChecker as object | undefined;
  const scope = probedScope as object | undefined;
  if (!checker || !scope) throw new Error('kro-gen: could not reach the CEL type checker');
  const found = { checker, scope };
  probedCheckers.set(env, found);
  return found;
}

// A variable no expression can name (not an identifier) marks kro-gen registries; clones
// inherit it with the rest of their parent's declarations.
export const MARKER = '@kro-gen';

// Marks the registries of typing environments (checked, never evaluated) the same way.
export const TYPING_MARKER = '@kro-gen-typing';

/** Whether a registry belongs to a kro-gen typing environment (environment.ts, typing). */
export function isTypingRegistry(registry: object): boolean {
  return (registry as { variables?: Map<string, unknown> }).variables?.has(TYPING_MARKER) === true;
}

// The registry last found marked: checks and evaluations ask for every node, mostly of the same
// registry. A mark stays (only library constants are ever deleted, environment.ts #takeName).
let lastMarked: object | undefined;

/** Whether a registry belongs to an environment built by kro-gen. */
export function isKroRegistry(registry: object): boolean {
  if (registry === lastMarked) return true;
  const marked = (registry as { variables?: Map<string, unknown> }).variables?.has(MARKER) === true;
  if (marked) lastMarked = registry;
  return marked;
}

/** The registry and parser behind `env` (an environment built by this module or cloned from one). */
export function internalsOf(env: Environment): Internals {
  const cached = internalsCache.get(env);
  if (cached) return cached;
  probing = true;
  probeCapture = undefined;
  try {
    env.parse(`${PROBE}(0)`);
  } finally {
    probing = false;
  }
  const got = probeCapture as Internals | undefined;
  if (!got) throw new Error('kro-gen: could not reach the CEL registry (environment not built by kro-gen?)');
  internalsCache.set(env, got);
  return got;
}

// Built-in overloads we replaced, mapped to their replacement (null: dropped, the new overload
// was registered normally). A registry rebuilds its overload index from its flat declaration
// list whenever a clone registers a function or operator of its own, and that list still holds
// the library's originals, so the index's `add` is taught to substitute them.
//
// The library's declaration objects are shared by every registry in the process (clones copy the
// list, not the declarations), and each base makes its own replacements (the omit base's
// comprehension macros are not the plain base's), so the table is kept per base: keyed by the
// base's marker declaration, which its clones inherit with the rest of its variables. Registries
// of other bases and plain library registries see none of them.
type Replacements = WeakMap<object, InternalDeclaration | null>;
const replacementsByBase = new WeakMap<object, Replacements>();
let candidatesPatched = false;

function markerOf(registry: object): object | undefined {
  const decl = (registry as { variables?: Map<string, unknown> }).variables?.get(MARKER);
  return typeof decl === 'object' && decl !== null ? decl : undefined;
}

/** The replacements made while building the base `registry` descends from (created on demand). */
function replacementsFor(registry: object): Replacements {
  const marker = markerOf(registry);
  if (!marker) throw new Error('kro-gen: built-ins can only be replaced in a kro-gen environment');
  let table = replacementsByBase.get(marker);
  if (!table) {
    table = new WeakMap();
    replacementsByBase.set(marker, table);
  }
  return table;
}

function patchCandidates(candidates: InternalCandidates): void {
  if (candidatesPatched) return;
  candidatesPatched = true;
  const proto = Object.getPrototypeOf(candidates) as {
    add(this: { registry: object }, decl: InternalDeclaration): void;
  };
  const add = proto.add;
  proto.add = function (decl) {
    const marker = markerOf(this.registry);
    const replaced = marker ? replacementsByBase.get(marker)?.get(decl) : undefined;
    if (replaced === undefined) return add.call(this, decl);
    if (replaced !== null) add.call(this, replaced);
  };
}

function parseFunctionSignature(signature: string): [boolean, string, number] {
  const m = /^(?:([a-zA-Z0-9.<>]+)\.)?(\w+)\(([^)]*)\)\s*:/.exec(signature);
  if (!m) throw new Error(`invalid signature '${signature}'`);
  const params = (m[3] ?? '').trim();
  let count = 0;
  if (params) {
    let depth = 0;
    count = 1;
    for (const ch of params) {
      if (ch === '<') depth++;
      else if (ch === '>') depth--;
      else if (ch === ',' && depth === 0) count++;
    }
  }
  return [m[1] !== undefined, m[2] as string, count];
}

// The library prints `list` as `list<dyn>` and `map` as `map<dyn, dyn>` in signatures. Replacing
// a built-in compares against every overload of its name (of its operator: the relations have
// dozens), so each signature is normalised once per process.
const normalisedSignatures = new Map<string, string>();

function normaliseSignature(s: string): string {
  let n = normalisedSignatures.get(s);
  if (n === undefined) {
    n = s
      .replace(/\s+/g, '')
      .replace(/list<dyn>/g, 'list')
      .replace(/map<dyn,dyn>/g, 'map');
    normalisedSignatures.set(s, n);
  }
  return n;
}

// The index of the declaration `signature` names, or -1. Most signatures are written exactly as
// the library writes them, so an exact match is tried before normalising every candidate (the
// relations have dozens). Both find the same one: a list never holds two overloads whose
// signatures normalise alike (the library refuses overlapping overloads).
function indexOfSignature(decls: readonly InternalDeclaration[], signature: string): number {
  for (let i = 0; i < decls.length; i++)
    if ((decls[i] as InternalDeclaration).signature === signature) return i;
  const wanted = normaliseSignature(signature);
  return decls.findIndex((d) => normaliseSignature(d.signature) === wanted);
}

/**
 * Replaces the built-in overload `signature` (written as the library writes it, e.g.
 * `string.matches(string): bool`) with `handler`, declared as `newSignature` when the types
 * change too. Only allowed while building a base. Returns the replaced handler.
 */
export function replaceBuiltinFunction(
  env: Environment,
  signature: string,
  handler: CelHandler,
  newSignature: string = signature,
): (...args: never[]) => unknown {
  const { registry } = internalsOf(env);
  const key = parseFunctionSignature(signature);
  const decls = registry.functionCandidates(...key).declarations;
  const i = indexOfSignature(decls, signature);
  if (i < 0) throw new Error(`no built-in overload '${signature}' to replace`);
  const old = decls[i] as InternalDeclaration;
  patchCandidates(registry.functionCandidates(...key));
  decls.splice(i, 1);
  replacementsFor(registry).set(old, null);
  env.registerFunction(newSignature, handler as (...args: unknown[]) => unknown);
  return old.handler;
}

const ownOperatorTables = new WeakSet<Environment>();

// A registry shares its parent's operator index until it registers an operator of its own;
// registering one on a private type makes the index ours before we edit it.
function ensureOwnOperatorTable(env: Environment): void {
  if (ownOperatorTables.has(env)) return;
  ownOperatorTables.add(env);
  class KroInternalOperand {}
  env.registerType('KroInternalOperand', KroInternalOperand);
  env.registerOperator('KroInternalOperand == KroInternalOperand', () => false);
}

/**
 * Replaces the built-in operator overload `signature`, written as the library writes it:
 * `string + string: string` for binary operators, `-_int: int` for unary ones. The library
 * refuses a second overload for the same operand types, so the declaration object is rebuilt
 * with the new handler (and optionally a corrected `returnType`) and swapped in place.
 */
export function replaceBuiltinOperator(
  env: Environment,
  signature: string,
  handler: CelHandler,
  returnType?: string,
): void {
  ensureOwnOperatorTable(env);
  const { registry } = internalsOf(env);
  const binary = /^\s*(.+?)\s+(==|!=|<=|>=|<|>|in|[-+*/%])\s+(.+?)\s*:\s*(\S+)\s*$/.exec(signature);
  const unary = /^\s*([-!]_)/.exec(signature);
  const op = binary ? (binary[2] as string) : unary ? (unary[1] as string) : undefined;
  if (!op) throw new Error(`invalid operator signature '${signature}'`);
  const candidates = registry.operatorCandidates(op) as InternalCandidates & {
    add(d: InternalDeclaration): void;
  };
  const decls = candidates.declarations;
  const i = indexOfSignature(decls, signature);
  if (i < 0) throw new Error(`no built-in operator overload '${signature}' to replace`);
  const old = decls[i] as InternalDeclaration & Record<string, unknown>;
  const Ctor = old.constructor as new (init: Record<string, unknown>) => InternalDeclaration;
  const replacement = new Ctor({
    op: old['operator'],
    leftType: old['leftType'],
    rightType: old['rightType'],
    returnType: returnType
      ? (registry as unknown as { getType(n: string): unknown }).getType(returnType)
      : old['returnType'],
    handler,
    async: false,
  });
  patchCandidates(candidates);
  decls[i] = replacement;
  replacementsFor(registry).set(old, replacement);
  // add() is the only way to clear the index's lookup caches; take the extra entry back out.
  candidates.add(replacement);
  decls.pop();
}

/** The library's per-node type check, shared by every AST node through one prototype. */
export type NodeCheck<N, C, T> = (this: N, chk: C, ast: unknown, scope: unknown) => T;

/** Wraps the library's per-node check (once per process: every node shares the prototype). */
export function wrapNodeCheck<N, C, T>(
  env: Environment,
  wrap: (check: NodeCheck<N, C, T>) => NodeCheck<N, C, T>,
): void {
  const proto = Object.getPrototypeOf(env.parse('x').ast) as { check: NodeCheck<N, C, T> };
  proto.check = wrap(proto.check);
}

/** What a library does around the per-node check (see addNodeCheckHooks). */
export interface NodeCheckHooks<N, C, T> {
  /** The node operations (`==`, `rcall`, ...) `after` is for. */
  readonly ops: readonly string[];
  /** The node's type after the library's check (or onError's), possibly replaced. */
  readonly after?: (node: N, chk: C, type: T) => T;
  /** A type for a node whose check failed, or undefined to let the error stand (any operation). */
  readonly onError?: (node: N, chk: C, err: unknown) => T | undefined;
}

type AnyHooks = NodeCheckHooks<unknown, unknown, unknown>;
type After = NonNullable<AnyHooks['after']>;

// Every check of every node goes through each wrapper of the shared prototype, one stack frame
// each, and deep expressions (990-term `&&` chains, which cel-go accepts) come close to the stack
// limit: libraries that only act before or after the check share this one wrapper. The library
// checks again on every evaluation, so the wrapper finds the hooks of a node's operation with
// one lookup.
const hooks: AnyHooks[] = [];
const afterByOp = new Map<string, After[]>();

/** Adds hooks around the library's per-node check; all hooks share one wrapper. */
export function addNodeCheckHooks<N extends { readonly op: string }, C, T>(
  env: Environment,
  h: NodeCheckHooks<N, C, T>,
): void {
  if (hooks.length === 0) {
    wrapNodeCheck<{ readonly op: string }, unknown, unknown>(
      env,
      (check) =>
        function (this: { readonly op: string }, chk, ast, scope) {
          let type: unknown;
          try {
            type = check.call(this, chk, ast, scope);
          } catch (err) {
            for (const { onError } of hooks) {
              type = onError?.(this, chk, err);
              if (type !== undefined) break;
            }
            if (type === undefined) throw err;
          }
          const after = afterByOp.get(this.op);
          if (after !== undefined) for (const f of after) type = f(this, chk, type);
          return type;
        },
    );
  }
  const any = h as unknown as AnyHooks;
  hooks.push(any);
  if (!any.after) return;
  for (const op of any.ops) {
    let list = afterByOp.get(op);
    if (!list) {
      list = [];
      afterByOp.set(op, list);
    }
    list.push(any.after);
  }
}

const typeParameters = new Map<string, object>();

/**
 * The library's type parameter `name` (the `A` of `list<A>`), made once per name with the class of
 * the library's type `dyn`. The registry keeps the list, map and optional types built from it by
 * identity.
 */
export function typeParameter<T extends object>(dyn: T, name: string): T {
  let p = typeParameters.get(name);
  if (!p) {
    const Ctor = dyn.constructor as new (d: object) => object;
    p = new Ctor({ kind: 'param', name, type: name });
    typeParameters.set(name, p);
  }
  return p as T;
}
