// kro's CEL environment on @marcbachmann/cel-js.
//
// One base environment per option set is built once (every library from lib/index.ts
// registered, built-ins replaced where cel-go differs) and each caller gets a cheap isolated
// clone to declare its own variables in. The library locks a registry once it has been cloned,
// so the base can never be changed by a caller.
//
// A few things cel-go has cannot be expressed through the library's public API: replacing a
// built-in overload (`matches` with RE2, ASCII-only `lowerAscii`, ...) and the optional
// aggregate-literal syntax `[?x]` / `{?k: v}`. For those we take hold of the registry and parser
// objects the library creates (a macro's expander receives the parser, and the parser holds the
// registry) and adjust their tables and methods from our side; the library's code is untouched.
// Every adjustment applies only to registries carrying kro-gen's marker declaration, so plain
// @marcbachmann/cel-js environments in the same process keep the library's behaviour.
import {
  type ASTNode,
  type Context,
  Environment,
  EvaluationError,
  ParseError,
  type TypeCheckResult,
} from '@marcbachmann/cel-js';
import { boundedMemo } from '../bounded-memo.js';
import { type BudgetLimits, resolveBudget, runWithBudget } from './budget.js';
import { crdRuleLibraries, libraries } from './lib/index.js';
import type { KroCelOptions } from './library.js';
import { ExpressionLimitError, guardExpression } from './nesting.js';
import {
  type CelHandler,
  type InternalVariable,
  internalsOf,
  MARKER,
  registerProbe,
  TYPING_MARKER,
} from './registration.js';
import { leaveSpare, takeSpareParses } from './spare-parses.js';

// namespaceTypeName moved to registration.ts with the rest of the libraries' toolkit; editors
// (src/lsp) still import it from here.
export { namespaceTypeName } from './registration.js';
export type { ASTNode, TypeCheckResult };
export { EvaluationError, ParseError };

// ---------------------------------------------------------------------------------------------
// Namespaces
// ---------------------------------------------------------------------------------------------

/**
 * Identifiers that name function namespaces or library constants, never variables. Dependency
 * extraction skips them (`random` in `random.seededString(...)` is not a resource).
 */
export const NAMESPACE_IDENTIFIERS: ReadonlySet<string> = new Set([
  'base64',
  'cel',
  'format',
  'google',
  'hash',
  'ip',
  'json',
  'lists',
  'map',
  'math',
  'optional',
  'random',
  'runtime',
  'sets',
  'strings',
]);

// ---------------------------------------------------------------------------------------------
// Base environments
// ---------------------------------------------------------------------------------------------

/** A base environment and what it knows before any caller declares anything. */
interface Base {
  readonly env: Environment;
  readonly names: LibraryNames;
}

const bases = new Map<string, Base>();

const LIBRARY_ENV_OPTIONS = {
  homogeneousAggregateLiterals: false,
  enableOptionalTypes: true,
  unlistedVariablesAreDyn: false,
} as const;

function buildBase(opts: KroCelOptions): Base {
  const env = new Environment(LIBRARY_ENV_OPTIONS);
  env.registerVariable(MARKER, 'dyn');
  registerProbe(env);
  takeSpareParses(internalsOf(env).parser);
  for (const lib of opts.crdRules ? [...libraries, ...crdRuleLibraries] : libraries) {
    try {
      lib.register(env, opts);
    } catch (e) {
      throw new Error(`registering CEL library '${lib.name}' failed: ${(e as Error).message}`, { cause: e });
    }
  }
  return { env, names: libraryNamesOf(env) };
}

function baseFor(opts: KroCelOptions): Base {
  const key = `${opts.omit ? 'omit' : 'plain'}${opts.crdRules ? '+crd-rules' : ''}`;
  let base = bases.get(key);
  if (!base) {
    base = buildBase(opts);
    bases.set(key, base);
  }
  return base;
}

// ---------------------------------------------------------------------------------------------
// Object types declared in bulk (typing environments)
// ---------------------------------------------------------------------------------------------
//
// The library's `registerType` also registers a `type(T): type` overload for each type and checks
// it against every `type` overload registered before it, and a registry that registers any
// function copies and re-indexes every overload of its base (~300) first. kro-gen declares a type
// per object of every resource's schema (`__type_<id>.spec`, ...): one RGD of 10,000 resources
// declares 20,000, and the checks grew with the square of that. The types kro-gen derives from
// schemas are named uniquely by construction (the library refuses a name registered twice before
// it gets to the overload), so the check can never find an overlap.
//
// A typing environment therefore descends from a base that adds one overload, `type(A): type`,
// after every other `type` overload: the checker picks it only for an argument no earlier overload
// takes, which is exactly the types declared through `declareObjectTypes`, and types the call as
// `type` as their own overload did. While `declareObjectTypes` runs, the library's
// `registerFunctionOverload` (taught once, on the registries' shared prototype, as the overload
// index's `add` is in registration.ts) drops the `type(T)` overloads instead of registering them:
// declaring a type is then a constant amount of work, and a typing environment never re-indexes
// its base's overloads. Typing environments check expressions and are never evaluated (the shared
// overload returns the type only of a value made by one of the library's type constructors).

// Exactly what the library's registerType registers for type T.
const TYPE_OVERLOAD = /^type\([\w.]+\): type$/;

interface OverloadRegistry {
  registerFunctionOverload(signature: unknown, ...rest: unknown[]): unknown;
}

// True while a typing environment declares object types (declareObjectTypes).
let declaringObjectTypes = false;

function dropTypeOverloadsWhileDeclaring(registry: object): void {
  const proto = Object.getPrototypeOf(registry) as OverloadRegistry;
  if (typeOverloadsTaught.has(proto)) return;
  typeOverloadsTaught.add(proto);
  const registerFunctionOverload = proto.registerFunctionOverload;
  proto.registerFunctionOverload = function (this: OverloadRegistry, signature, ...rest) {
    if (declaringObjectTypes && typeof signature === 'string' && TYPE_OVERLOAD.test(signature)) return;
    return registerFunctionOverload.call(this, signature, ...rest);
  };
}

const typeOverloadsTaught = new WeakSet<object>();
const typingBases = new Map<Base, Environment>();

function typingBaseFor(base: Base): Environment {
  let env = typingBases.get(base);
  if (env === undefined) {
    env = base.env.clone();
    env.registerVariable(TYPING_MARKER, 'dyn');
    env.registerFunction('type(A): type', function (this: TypeLookup, value: unknown) {
      const decl = value instanceof Object ? this.objectTypesByConstructor.get(value.constructor) : undefined;
      if (decl === undefined) throw new EvaluationError('kro-gen: a typing environment is not evaluated');
      return decl.typeType;
    });
    // Every registry shares one prototype: the base's (already reached) stands for this one's.
    dropTypeOverloadsWhileDeclaring(internalsOf(base.env).registry);
    typingBases.set(base, env);
  }
  return env;
}

/**
 * What a fresh typing environment of an option set answers before anything is declared in it:
 * the names it already declares (library constants, the type names, markers) and which of them
 * are library constants a variable may take. TypeEnv declares its variables in the library only
 * when an expression needs the library, and answers `canDeclare` from these until then.
 */
export interface TypingNames {
  readonly declared: ReadonlySet<string>;
  readonly constants: ReadonlySet<string>;
}

const typingNamesByBase = new Map<Base, TypingNames>();

export function typingNames(opts: Pick<KroEnvironmentOptions, 'omit' | 'crdRules'> = {}): TypingNames {
  const base = baseFor({ omit: opts.omit ?? false, crdRules: opts.crdRules ?? false });
  let names = typingNamesByBase.get(base);
  if (names === undefined) {
    // The typing base declares its marker on top of the base's names (typingBaseFor); the base's
    // registry is already at hand, the typing base's would take a probe parse.
    const declared = new Set(internalsOf(base.env).registry.variables.keys());
    declared.add(TYPING_MARKER);
    names = { declared, constants: base.names.constants };
    typingNamesByBase.set(base, names);
  }
  return names;
}

// What the shared overload's handler reads from the library's evaluator (its `this`).
interface TypeLookup {
  readonly objectTypesByConstructor: ReadonlyMap<unknown, { readonly typeType: unknown }>;
}

// ---------------------------------------------------------------------------------------------
// Variables named like library constants
// ---------------------------------------------------------------------------------------------
//
// cel-go lets a declared variable share its name with a function namespace or a type name (kro
// declares resource ids as variables, and `optional`, `random`, `json`, `map`, `int` are valid
// ids): `optional.of(x)` still calls the namespaced function, because the checker tries the
// qualified function name `optional.of` before anything else, while `optional.spec.x`, `optional`
// and `type(v) == map` read the variable. The library instead declares a namespace as a constant
// of its own type whose functions are methods, so one name cannot be both.
//
// A variable that takes such a name therefore replaces the constant, and the constant moves to an
// alias no expression can spell. After parsing, the targets of namespaced calls (and, for the
// `google` type constants, qualified type names such as `google.protobuf.Timestamp`) are pointed
// at the alias; every other use of the name reads the variable, as in cel-go.

/** The names a base declares itself, and the methods of each namespace constant. */
interface LibraryNames {
  readonly constants: ReadonlySet<string>;
  /** The names of every function and method the base declares (`size`, `of`, `seededString`, ...). */
  readonly functions: ReadonlySet<string>;
  /** Namespace constant name to the names of its functions (`optional` -> `of`, `none`, ...). */
  readonly methods: ReadonlyMap<string, ReadonlySet<string>>;
}

function libraryNamesOf(env: Environment): LibraryNames {
  const defs = env.getDefinitions();
  const constants = new Set<string>();
  const byType = new Map<string, string>();
  for (const v of defs.variables) {
    if (v.name === MARKER) continue;
    constants.add(v.name);
    byType.set(v.type, v.name);
  }
  const methods = new Map<string, Set<string>>();
  const functions = new Set<string>();
  for (const f of defs.functions) {
    functions.add(f.name);
    const owner = f.receiverType === null ? undefined : byType.get(f.receiverType);
    if (owner === undefined || !NAMESPACE_IDENTIFIERS.has(owner)) continue;
    let set = methods.get(owner);
    if (!set) {
      set = new Set();
      methods.set(owner, set);
    }
    set.add(f.name);
  }
  return { constants, functions, methods };
}

/**
 * The names of the functions and methods of the kro environment: those an environment
 * createKroEnvironment makes lists in `getDefinitions()`, read once per base (a typing environment
 * adds one more `type` overload, of a name the base has already).
 */
export function libraryFunctionNames(opts: KroCelOptions = { omit: false }): ReadonlySet<string> {
  return baseFor(opts).names.functions;
}

/** `ns.fn` for every namespaced function of the kro environment (`optional.of`, `random.seededString`, ...). */
export function namespacedFunctionNames(opts: KroCelOptions = { omit: false }): ReadonlySet<string> {
  const out = new Set<string>();
  for (const [ns, fns] of baseFor(opts).names.methods) for (const fn of fns) out.add(`${ns}.${fn}`);
  return out;
}

/** The name a library constant is moved to when a variable takes its name; not an identifier. */
function constantAlias(name: string): string {
  return `@library:${name}`;
}

// Whether `path` leads from a constant's value to one of the things it declares (the `google`
// constant holds `protobuf.Timestamp` and `protobuf.Duration`), not just to a container on the way.
function namesMember(value: unknown, path: readonly string[]): boolean {
  let cur = value;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null || !Object.hasOwn(cur, key)) return false;
    cur = (cur as Record<string, unknown>)[key];
  }
  return typeof cur === 'object' && cur !== null && Object.getPrototypeOf(cur) !== Object.prototype;
}

/**
 * Points the uses of taken-over library constants in `ast` at their aliases: the target of a call
 * to one of the namespace's functions, and a select chain that names one of the constant's own
 * members. `taken` maps each taken name to the constant's declaration.
 */
function redirectLibraryUses(
  ast: ASTNode,
  taken: ReadonlyMap<string, InternalVariable>,
  names: LibraryNames,
): void {
  const pending: ASTNode[] = [ast];
  while (pending.length > 0) {
    const n = pending.pop() as ASTNode;
    switch (n.op) {
      case 'value':
      case 'id':
        break;
      case 'rcall': {
        const [method, target, args] = n.args;
        if (target.op === 'id' && taken.has(target.args) && names.methods.get(target.args)?.has(method)) {
          (target as { args: string }).args = constantAlias(target.args);
        } else {
          pending.push(target);
        }
        pending.push(...args);
        break;
      }
      case '.':
      case '.?': {
        const path: string[] = [];
        let root: ASTNode = n;
        while (root.op === '.' || root.op === '.?') {
          path.unshift(root.args[1]);
          root = root.args[0];
        }
        if (root.op === 'id' && taken.has(root.args)) {
          if (n.op === '.' && namesMember(taken.get(root.args)?.value, path)) {
            (root as { args: string }).args = constantAlias(root.args);
          }
          break;
        }
        pending.push(n.args[0]);
        break;
      }
      case 'call':
        pending.push(...n.args[1]);
        break;
      case 'list':
        pending.push(...n.args);
        break;
      case 'map':
        for (const [k, v] of n.args) pending.push(k, v);
        break;
      case '!_':
      case '-_':
        pending.push(n.args);
        break;
      default:
        pending.push(...(n.args as readonly ASTNode[]));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The environment callers use
// ---------------------------------------------------------------------------------------------

export interface KroEnvironmentOptions {
  /** kro's alpha feature gate `CELOmitFunction` (default off, as in kro). */
  readonly omit?: boolean;
  /**
   * An environment for static checking that declares object types through `declareObjectTypes`
   * (see "Object types declared in bulk"); never evaluated.
   */
  readonly typing?: boolean;
  /** Evaluation budget overrides (see budget.ts). */
  readonly budget?: Partial<BudgetLimits>;
  /** The base for x-kubernetes-validations rules (KroCelOptions.crdRules). */
  readonly crdRules?: boolean;
  /** Treat undeclared identifiers as `dyn` variables instead of a check error. */
  readonly unlistedVariablesAreDyn?: boolean;
}

/** A CEL type as the library writes it: `int`, `list<string>`, `map<string, dyn>`, `dyn`, ... */
export type CelTypeName = string;

/** A nested object declaration: field name to type name or nested object. */
export interface ObjectSchemaDecl {
  readonly [field: string]: string | ObjectSchemaDecl;
}

export interface CompiledExpression {
  readonly source: string;
  readonly ast: ASTNode;
  /** Type-checks against the declared variables; never throws. */
  check(): TypeCheckResult;
  /** Evaluates under the environment's budget; throws EvaluationError/BudgetExceededError. */
  evaluate(vars?: Context): unknown;
}

/** A library parse result: call it to evaluate; `check()` type-checks; `ast` is the tree. */
export type ParsedExpression = ReturnType<Environment['parse']>;

export class KroEnvironment {
  /** The underlying library environment (a private clone of the shared base). */
  readonly raw: Environment;
  readonly budget: BudgetLimits;
  readonly #names: LibraryNames;
  // Library constants a declared variable has taken the name of, with their declarations.
  readonly #taken: Map<string, InternalVariable>;
  readonly #typing: boolean;

  constructor(
    raw: Environment,
    budget: BudgetLimits,
    names: LibraryNames = { constants: new Set(), functions: new Set(), methods: new Map() },
    taken: ReadonlyMap<string, InternalVariable> = new Map(),
    typing = false,
  ) {
    this.raw = raw;
    this.budget = budget;
    this.#names = names;
    this.#taken = new Map(taken);
    this.#typing = typing;
  }

  /**
   * Runs `register`, which registers object types in `raw`, without a `type(T)` overload per type:
   * the typing base's shared one stands for them (see "Object types declared in bulk"). Only in
   * a typing environment, and only for types whose names nothing else registers.
   */
  declareObjectTypes(register: () => void): void {
    if (!this.#typing)
      throw new Error('kro-gen: object types are declared in bulk only in a typing environment');
    const outer = declaringObjectTypes;
    declaringObjectTypes = true;
    try {
      register();
    } finally {
      declaringObjectTypes = outer;
    }
  }

  /**
   * Declares variable `name` with a CEL type (default `dyn`). A name the library uses for a
   * function namespace or a type (`optional`, `json`, `map`, `int`, ...) is allowed, as in cel-go:
   * the name then reads the variable, and calls of the namespace's functions still work.
   */
  declare(name: string, type: CelTypeName = 'dyn'): this {
    this.#takeName(name);
    this.raw.registerVariable(name, type);
    return this;
  }

  /** Declares variable `name` as an object with typed fields; missing fields are check errors. */
  declareObject(name: string, schema: ObjectSchemaDecl): this {
    this.#takeName(name);
    this.raw.registerVariable({ name, schema: schema as Record<string, string> });
    return this;
  }

  /** Whether `name` resolves to something: a declared variable or a library constant. */
  isDeclared(name: string): boolean {
    return this.raw.hasVariable(name);
  }

  /** Whether `name` is a constant of the libraries (a namespace such as `json`, or `google`), taken or not. */
  isLibraryConstant(name: string): boolean {
    return this.#names.constants.has(name);
  }

  /** Whether `name` can still be declared: it is free, or a library constant no variable has taken. */
  canDeclare(name: string): boolean {
    return !this.raw.hasVariable(name) || (this.#names.constants.has(name) && !this.#taken.has(name));
  }

  /** Adds a function to this environment only (base libraries are shared and locked). */
  registerFunction(signature: string, handler: CelHandler): this {
    this.raw.registerFunction(signature, handler as (...args: unknown[]) => unknown);
    return this;
  }

  /** Parses `source` with the library, resolving names the way cel-go does; throws ParseError. */
  parse(source: string): ParsedExpression {
    // Bounded before the library parses: its parser and every later walk recurse (see nesting.ts).
    const parsed = this.raw.parse(guardedText(source));
    if (this.#taken.size > 0) redirectLibraryUses(parsed.ast, this.#taken, this.#names);
    return parsed;
  }

  /**
   * Leaves `ast`, which `parse(source)` returned and the caller no longer holds, for the next parse
   * of `source` by an environment that parses alike (spare-parses.ts). A tree whose names were
   * redirected (a variable here took a library constant's name) is not what a parse gives.
   */
  leaveSpare(source: string, ast: ASTNode): void {
    if (this.#taken.size === 0) leaveSpare(internalsOf(this.raw).parser, guardedText(source), ast);
  }

  /** Parses `source`; throws ParseError. */
  compile(source: string): CompiledExpression {
    const parsed = this.parse(source);
    const budget = this.budget;
    return {
      source,
      ast: parsed.ast,
      check: () => reportedType(parsed.check()),
      evaluate: (vars?: Context) => runWithBudget(budget, () => parsed(vars)),
    };
  }

  /** Parses and type-checks; never throws. */
  check(source: string): TypeCheckResult {
    let parsed: ParsedExpression;
    try {
      parsed = this.parse(source);
    } catch (error) {
      return { valid: false, error: error as ParseError };
    }
    return reportedType(parsed.check());
  }

  /** Parses and evaluates `source` with `vars` under the budget. */
  evaluate(source: string, vars?: Context): unknown {
    if (this.#taken.size === 0) {
      const text = guardedText(source);
      return runWithBudget(this.budget, () => this.raw.evaluate(text, vars));
    }
    const parsed = this.parse(source);
    return runWithBudget(this.budget, () => parsed(vars));
  }

  /** A further isolated copy (this environment can no longer declare afterwards). */
  clone(): KroEnvironment {
    return new KroEnvironment(this.raw.clone(), this.budget, this.#names, this.#taken, this.#typing);
  }

  // Moves a library constant named `name` out of the way (see "Variables named like library
  // constants" above); a name some caller declared stays taken and the library refuses it.
  #takeName(name: string): void {
    if (!this.#names.constants.has(name) || this.#taken.has(name)) return;
    const { registry } = internalsOf(this.raw);
    const decl = registry.variables.get(name);
    if (decl === undefined) return;
    registry.deleteVariable(name);
    this.raw.registerConstant(constantAlias(name), decl.type as never, decl.value);
    this.#taken.set(name, decl);
  }
}

// The limits checked once per text and process: every expression is parsed at least twice (its
// inspection and its type check), and the same texts recur across RGDs.
const guardedOnce = boundedMemo(20_000, guardExpression);

// The text the library may parse; throws ExpressionLimitError past the limits in nesting.ts.
function guardedText(source: string): string {
  const guarded = guardedOnce(source);
  if ('problem' in guarded) throw new ExpressionLimitError(guarded.problem);
  return guarded.text;
}

// Type parameters left unresolved (the element type of `[]`) are reported as dyn, as cel-go does.
function reportedType(r: TypeCheckResult): TypeCheckResult {
  if (!r.valid || !r.type || !/\b[A-Z]\b/.test(r.type)) return r;
  return { ...r, type: r.type.replace(/\b[A-Z]\b/g, 'dyn') };
}

/** A fresh environment with every kro library, ready for variable declarations. */
export function createKroEnvironment(opts: KroEnvironmentOptions = {}): KroEnvironment {
  const base = baseFor({ omit: opts.omit ?? false, crdRules: opts.crdRules ?? false });
  const parent = opts.typing ? typingBaseFor(base) : base.env;
  const raw =
    opts.unlistedVariablesAreDyn === undefined
      ? parent.clone()
      : parent.clone({ unlistedVariablesAreDyn: opts.unlistedVariablesAreDyn });
  return new KroEnvironment(raw, resolveBudget(opts.budget), base.names, new Map(), opts.typing ?? false);
}
