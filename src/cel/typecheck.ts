// Static type checking of kro expressions on @marcbachmann/cel-js: variables are declared with
// CEL types derived from OpenAPI schemas (types.ts), the library's checker infers each
// expression's result type, and its errors are reworded the way cel-go words them where kro's
// users know the wording (`undefined field 'x'`, `does not support field selection`).
import type { ASTNode, TypeCheckResult } from '@marcbachmann/cel-js';
import { celGoListIndexMessage, celGoOverloadMessage, celGoProblem, typeCallType } from './celgo-checks.js';
import {
  createKroEnvironment,
  type KroEnvironment,
  type ParsedExpression,
  type TypingNames,
  typingNames,
} from './environment.js';
import type { CelLibrary } from './library.js';
import { MAX_EXPRESSION_NESTING } from './nesting.js';
import { childNodes, findReferences } from './references.js';
import { plainSelectChain, RESERVED_IDENTIFIERS } from './select-chain.js';
import {
  type CelType,
  CelTypeTable,
  DYN,
  isPartOfType,
  libraryTypeName,
  listShapePart,
  type ObjectCelType,
  parseLibraryTypeName,
  partOfType,
  planObjectTypes,
  registerObjectType,
  type SelectPaths,
  selectCovered,
} from './types.js';

export type CheckResult =
  | {
      readonly ok: true;
      readonly type: CelType;
      /** The library's AST, each node carrying its type (`checkedType`), when checking ran. */
      readonly ast?: ASTNode;
    }
  | {
      readonly ok: false;
      /** cel-go-like wording of the first problem. */
      readonly message: string;
      /** Offsets of the offending part inside the expression text, when known. */
      readonly start?: number;
      readonly end?: number;
      readonly parseError: boolean;
    };

export interface TypeEnvOptions {
  /** kro's `CELOmitFunction` feature gate. */
  readonly omit?: boolean;
  /**
   * The select paths the expressions to be checked read from each variable, e.g. `deployment` ->
   * `[['status', 'availableReplicas']]` (a variable missing here is read by none). Declaring a
   * kind's whole schema takes hundreds of types; with `uses`, object types are declared only
   * along these paths (whole where a path ends). Results are the same: an expression that reads
   * anything else is checked against the whole types, declared on demand.
   */
  readonly uses?: ReadonlyMap<string, SelectPaths>;
  /** The API server's x-kubernetes-validations environment's libraries (KroCelOptions.crdRules). */
  readonly crdRules?: boolean;
}

const NO_NAMESPACES: ReadonlySet<string> = new Set();
const NO_OBJECTS: readonly ObjectCelType[] = [];

// A name the library takes as a variable (its reserved words are in RESERVED_IDENTIFIERS).
const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

// The tests TypeEnv types without the library (#testType): the chains are checked there.
const HAS_TEST = /^has\(([A-Za-z_][A-Za-z0-9_.]*)\)$/;
const COMPARISON = /^([A-Za-z_][A-Za-z0-9_.]*) *(==|<=|>=|<|>) *(\S.*)$/;
// Printable ASCII without quotes or backslashes: the literal is its text.
const STRING_LITERAL = /^(?:"[ #-&(-[\]-~]*"|'[ #-&(-[\]-~]*')$/;
// An int literal that fits in int64 whatever its digits.
const INT_LITERAL = /^(?:0|[1-9][0-9]{0,17})$/;

// What an operand of a test TypeEnv types itself may be (#testType): a string, an int or dyn.
function testOperand(t: CelType | undefined): 'string' | 'int' | 'dyn' | undefined {
  if (t === undefined) return undefined;
  if (t.kind === 'dyn') return 'dyn';
  return t.kind === 'primitive' && (t.name === 'string' || t.name === 'int') ? t.name : undefined;
}

/**
 * The result of checking a select chain the declared types settle (TypeEnv.check): the library's
 * typed tree is made only when read (x-kubernetes-validations rules read it, graph checks do not).
 * A class, since an object literal with a getter costs V8 a slow path on every creation.
 */
class SelectChainCheck {
  readonly ok = true as const;
  readonly type: CelType;
  readonly #check: () => CheckResult;
  #ast: ASTNode | undefined;

  constructor(type: CelType, check: () => CheckResult) {
    this.type = type;
    this.#check = check;
  }

  // The library parses and checks the chain as it was read here: its result carries the tree.
  get ast(): ASTNode {
    this.#ast ??= (this.#check() as { readonly ast: ASTNode }).ast;
    return this.#ast;
  }
}

/**
 * A variable the library environment is still to be told about: its name, the object types its
 * type needs (planObjectTypes), and its type as the library writes it.
 */
interface Declaration {
  readonly name: string;
  readonly objects: readonly ObjectCelType[];
  readonly type: string;
}

/**
 * An environment with typed variables, and the table that reads its result types back.
 *
 * The library environment (`kro`) is made when first needed: most expressions are select chains
 * typed off the declared types (#selectChainType), and most RGDs have no other expression, so
 * cloning an environment and registering every object type there was work nothing read. Until
 * then the variables and their object types are only planned: the table, the registered parts and
 * the names (`canDeclare`) are kept exactly as declaring them would keep them, and `kro` declares
 * the plan, in order, when read.
 */
export class TypeEnv {
  readonly table: CelTypeTable;
  readonly #vars: Map<string, CelType>;
  // With TypeEnvOptions.uses: each registered object type name, as registered (whole or a part),
  // whether any part was registered, and the same environment with whole types.
  readonly #registered: Map<string, CelType> | undefined;
  #partial = false;
  // With TypeEnvOptions.uses: variables no expression reads, declared dyn (see #declare).
  readonly #unread = new Set<string>();
  // Variables declared with their own type (not dyn for want of a declarable schema or a reader).
  readonly #typed = new Set<string>();
  readonly #makeWhole: (() => TypeEnv) | undefined;
  #whole: TypeEnv | undefined;
  // The library environment once made, else how to make it (a fresh one, or a clone of the
  // parent's) and what to declare in it: see the class comment.
  #kro: KroEnvironment | undefined;
  readonly #makeKro: () => KroEnvironment;
  readonly #pending: Declaration[] = [];
  // Until `kro` is made: what a fresh environment of these options declares, and the names
  // declared here and in the parents.
  readonly #names: TypingNames;
  readonly #declared: Set<string>;

  private constructor(
    makeKro: () => KroEnvironment,
    names: TypingNames,
    declared: Set<string>,
    table: CelTypeTable,
    vars: Map<string, CelType>,
    registered?: Map<string, CelType>,
    makeWhole?: () => TypeEnv,
  ) {
    this.#makeKro = makeKro;
    this.#names = names;
    this.#declared = declared;
    this.table = table;
    this.#vars = vars;
    this.#registered = registered;
    this.#makeWhole = makeWhole;
  }

  /** The library environment with every variable declared (made on first read). */
  get kro(): KroEnvironment {
    return this.#kro ?? this.#make();
  }

  #make(): KroEnvironment {
    const kro = this.#makeKro();
    this.#kro = kro;
    for (const d of this.#pending) this.#declareInLibrary(kro, d);
    this.#pending.length = 0;
    return kro;
  }

  /** A fresh environment declaring `vars`. */
  static create(vars: ReadonlyMap<string, CelType>, opts: TypeEnvOptions = {}): TypeEnv {
    const omit = opts.omit ?? false;
    const crdRules = opts.crdRules ?? false;
    const makeKro = () => createKroEnvironment({ omit, crdRules, typing: true });
    const names = typingNames({ omit, crdRules });
    const env = opts.uses
      ? new TypeEnv(makeKro, names, new Set(), new CelTypeTable(), new Map(), new Map(), () =>
          TypeEnv.create(vars, { omit, crdRules }),
        )
      : new TypeEnv(makeKro, names, new Set(), new CelTypeTable(), new Map());
    env.#declare(vars, opts.uses);
    return env;
  }

  /** A copy with more variables (iterators, `each`); this environment stays usable for checks. */
  extend(vars: ReadonlyMap<string, CelType>): TypeEnv {
    const child = this.#child(() => this.#wholeEnv().extend(vars));
    child.#declare(vars);
    return child;
  }

  /**
   * A copy that also knows `lib` (e.g. kro's `runtime` library, which kro allows only in
   * `schema.status.conditions`); this environment stays as it was.
   */
  withLibrary(lib: CelLibrary, opts: TypeEnvOptions = {}): TypeEnv {
    const child = this.#child(() => this.#wholeEnv().withLibrary(lib, opts));
    lib.register(child.kro.raw, { omit: opts.omit ?? false });
    return child;
  }

  #child(makeWhole: () => TypeEnv): TypeEnv {
    // A parent whose environment is made may hold what no plan records (a library): the child
    // clones it at once (below). Otherwise the child's environment is the parent's, cloned when needed.
    const parentKro = this.#kro;
    const makeKro = () => this.kro.clone();
    const table = this.table.copy();
    const vars = new Map(this.#vars);
    const declared = new Set(this.#declared);
    let child: TypeEnv;
    if (!this.#registered) {
      child = new TypeEnv(makeKro, this.#names, declared, table, vars);
    } else {
      child = new TypeEnv(makeKro, this.#names, declared, table, vars, new Map(this.#registered), makeWhole);
      child.#partial = this.#partial;
      for (const name of this.#unread) child.#unread.add(name);
    }
    for (const name of this.#typed) child.#typed.add(name);
    if (parentKro) child.#kro = parentKro.clone();
    return child;
  }

  #wholeEnv(): TypeEnv {
    this.#whole ??= (this.#makeWhole as () => TypeEnv)();
    return this.#whole;
  }

  typeOf(name: string): CelType | undefined {
    return this.#vars.get(name);
  }

  /**
   * Variables that could not be declared because an earlier declaration took the name. (A name
   * the library uses for a namespace or a type, such as `optional` or `map`, can be declared.)
   */
  readonly undeclared: string[] = [];

  #declare(vars: ReadonlyMap<string, CelType>, uses?: ReadonlyMap<string, SelectPaths>): void {
    // A name the library refuses fails its declaration there: declared at once, as it always was.
    let kro = this.#kro;
    // forEach, not for-of: cold code (docs/architecture.md).
    vars.forEach((_, name) => {
      if (kro === undefined && (!PLAIN_IDENTIFIER.test(name) || RESERVED_IDENTIFIERS.has(name))) {
        kro = this.#make();
      }
    });
    if (kro) kro.declareObjectTypes(() => this.#declareEach(vars, uses));
    else this.#declareEach(vars, uses);
  }

  // Whether `name` can be declared: KroEnvironment.canDeclare, answered from the names until the
  // environment is made.
  #canDeclare(name: string): boolean {
    if (this.#kro) return this.#kro.canDeclare(name);
    if (this.#declared.has(name)) return false;
    return !this.#names.declared.has(name) || this.#names.constants.has(name);
  }

  // Declares `d` in the library environment, or plans it until the environment is made.
  #add(d: Declaration): void {
    this.#declared.add(d.name);
    if (this.#kro) this.#declareInLibrary(this.#kro, d);
    else this.#pending.push(d);
  }

  #declareInLibrary(kro: KroEnvironment, d: Declaration): void {
    kro.declareObjectTypes(() => {
      try {
        for (const o of d.objects) registerObjectType(kro.raw, o);
        kro.declare(d.name, d.type);
      } catch {
        // Not reached for a plan (names checked in #declare, object types named by construction);
        // as when declared at once, the variable is then untyped.
        kro.declare(d.name, 'dyn');
      }
    });
  }

  #declareEach(vars: ReadonlyMap<string, CelType>, uses?: ReadonlyMap<string, SelectPaths>): void {
    // forEach, not for-of over the Map's entries: cold code (docs/architecture.md).
    vars.forEach((type, name) => {
      if (!this.#canDeclare(name)) {
        this.undeclared.push(name);
        return;
      }
      const paths = uses?.get(name);
      if (uses && paths === undefined) {
        // Read by none of the expressions: declared dyn, registering none of its types (a CRD
        // carried as a template has hundreds). An expression that does read it goes to the whole
        // types (#covers).
        this.#add({ name, objects: NO_OBJECTS, type: 'dyn' });
        this.#unread.add(name);
        this.#partial = true;
        this.#vars.set(name, type);
        return;
      }
      let objects: readonly ObjectCelType[];
      try {
        const registered = uses ? listShapePart(partOfType(type, paths ?? [])) : type;
        if (isPartOfType(registered)) this.#partial = true;
        objects = planObjectTypes(this.table, registered, this.#registered);
      } catch {
        // A schema the library cannot declare: the variable is still usable, untyped.
        this.#add({ name, objects: NO_OBJECTS, type: 'dyn' });
        this.#vars.set(name, type);
        return;
      }
      this.#add({ name, objects, type: libraryTypeName(type) });
      this.#typed.add(name);
      this.#vars.set(name, type);
    });
  }

  // Whether every select `parsed` makes on a variable stays inside the declared parts; a list
  // declared by its shape only (listShapePart) is covered where it is only counted.
  #covers(parsed: ParsedExpression): boolean {
    const registered = this.#registered as ReadonlyMap<string, CelType>;
    let counted: Set<string> | undefined;
    const refs = findReferences(parsed.ast, NO_NAMESPACES);
    // Indexed: cold code (see #declareEach).
    for (let i = 0; i < refs.length; i++) {
      const ref = refs[i] as (typeof refs)[number];
      if (this.#unread.has(ref.root)) return false;
      const type = this.#vars.get(ref.root);
      if (type === undefined || selectCovered(type, ref.path, registered)) continue;
      if (type.kind === 'list' && ref.path.length === 0) {
        counted ??= sizeOperands(parsed.ast);
        if (counted.has(`${ref.start}:${ref.end}`)) continue;
      }
      return false;
    }
    return true;
  }

  // The names of the functions and methods declared (read when a call finds no overload).
  #functions: ReadonlySet<string> | undefined;

  #functionNames(): ReadonlySet<string> {
    this.#functions ??= new Set(this.kro.raw.getDefinitions().functions.map((f) => f.name));
    return this.#functions;
  }

  /** Parses and type-checks `source`; never throws. */
  check(source: string): CheckResult {
    const type = this.#selectChainType(source) ?? this.#testType(source);
    if (type === undefined) return this.#check(source);
    return new SelectChainCheck(type, () => this.#check(source));
  }

  /**
   * The type (`bool`) of a test on plain select chains that the declared types settle, without
   * parsing or checking: `has(<chain>)`, `<chain> == "<text>"` on a string, `<chain> > 0` (any
   * ordering or `==`) on an int, and `<chain> == <chain>` on two strings or two ints, each of them
   * possibly dyn instead (an unknown kind's fields are). These are
   * most of kro's readyWhen and includeWhen expressions, and an RGD that has no other expression
   * then never makes its library environment. Each chain is one #selectChainType reads off the
   * declared types (so the library checks it without error, in this environment), the operands'
   * types are ones the library and cel-go compare as they are, and the text is one the nesting
   * guard keeps as written; anything else is undefined and goes to the library.
   */
  #testType(source: string): CelType | undefined {
    if (source.length >= MAX_EXPRESSION_NESTING || source.includes('!')) return undefined;
    const has = HAS_TEST.exec(source);
    if (has !== null) {
      const chain = has[1] as string;
      // has() takes a field selection only: `has(x)` is a check error.
      if (!chain.includes('.') || this.#selectChainType(chain) === undefined) return undefined;
      return parseLibraryTypeName('bool', this.table);
    }
    const m = COMPARISON.exec(source);
    if (m === null) return undefined;
    const [, left, op, right] = m as unknown as [string, string, string, string];
    const l = testOperand(this.#selectChainType(left));
    if (l === undefined) return undefined;
    let comparable: boolean;
    if (STRING_LITERAL.test(right)) comparable = op === '==' && l !== 'int';
    else if (INT_LITERAL.test(right)) comparable = l !== 'string';
    else {
      const r = op === '==' ? testOperand(this.#selectChainType(right)) : undefined;
      comparable = r !== undefined && (r === l || r === 'dyn' || l === 'dyn');
    }
    return comparable ? parseLibraryTypeName('bool', this.table) : undefined;
  }

  /**
   * The type of `source` if it is a plain select chain (`schema.spec.name`, `deployment.status.x`)
   * on a variable declared here with its type, read off the declared types the way the library's
   * checker reads it (a declared field has its declared type, a map's key its value type, and a
   * field of dyn or of an object that preserves unknown fields is dyn), without parsing or
   * checking. Most of kro's expressions are such chains and the same texts recur in every RGD,
   * where each environment parsed and checked them again. Anything else, or any doubt (a field the
   * type lacks, a list, a library constant, a part of a type not declared here), is undefined and
   * goes to the library.
   */
  #selectChainType(source: string): CelType | undefined {
    const parts = plainSelectChain(source);
    if (parts === undefined) return undefined;
    const root = parts[0] as string;
    if (!this.#typed.has(root) || this.#names.constants.has(root)) return undefined;
    let t = this.#vars.get(root) as CelType;
    if (this.#registered && (this.#unread.has(root) || !selectCovered(t, parts, this.#registered, 1))) {
      return undefined;
    }
    for (let i = 1; i < parts.length; i++) {
      const field = parts[i] as string;
      if (t.kind === 'dyn') return DYN;
      if (t.kind === 'map') {
        t = t.value;
        continue;
      }
      // The object this environment declared under the name (see CelTypeTable), not a namesake.
      if (t.kind !== 'object' || this.table.get(libraryTypeName(t)) !== t) return undefined;
      if (t.preserveUnknown) return DYN;
      if (!Object.hasOwn(t.fields, field)) return undefined;
      t = t.fields[field] as CelType;
    }
    // A primitive reads back as itself; anything else as the library writes it (a dyn loses its
    // `untyped` mark, an object is the one this environment's table holds).
    if (t.kind === 'primitive') return t;
    return parseLibraryTypeName(libraryTypeName(t), this.table);
  }

  #check(source: string): CheckResult {
    try {
      const parsed = parseWith(this.kro, source);
      if (this.#partial && parsed.ok && !this.#covers(parsed.parsed)) {
        return this.#wholeEnv().check(source);
      }
      const result = checkParsed(parsed);
      if (result.valid && parsed.ok) {
        const problem = celGoProblem(parsed.parsed.ast, this.table, source);
        if (problem) return { ok: false, parseError: false, ...problem };
      }
      if (result.valid) {
        const type = parseLibraryTypeName(result.type ?? 'dyn', this.table);
        const typeOf =
          type.kind === 'type' && parsed.ok ? typeCallType(parsed.parsed.ast, this.table) : undefined;
        return { ok: true, type: typeOf ?? type, ...(parsed.ok ? { ast: parsed.parsed.ast } : {}) };
      }
      return describeError(result.error, this.table, (name) => this.#functionNames().has(name));
    } catch {
      // A checker failure that is not a diagnosis of the expression: do not blame the user.
      return { ok: true, type: DYN };
    }
  }
}

// Offsets (`start:end`) of the identifiers `size` is called on, as `x.size()` or `size(x)`.
function sizeOperands(ast: ParsedExpression['ast']): Set<string> {
  const out = new Set<string>();
  const stack = [ast];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    let operand: typeof ast | undefined;
    if (node.op === 'rcall' && node.args[0] === 'size' && node.args[2].length === 0) operand = node.args[1];
    else if (node.op === 'call' && node.args[0] === 'size' && node.args[1].length === 1)
      operand = node.args[1][0];
    if (operand?.op === 'id') out.add(`${operand.start}:${operand.end}`);
    stack.push(...childNodes(node));
  }
  return out;
}

type Parsed =
  | { readonly ok: true; readonly parsed: ParsedExpression }
  | { readonly ok: false; readonly error: unknown };

// The library's parse of `source` in `env`, or its parse error.
function parseWith(env: KroEnvironment, source: string): Parsed {
  try {
    return { ok: true, parsed: env.parse(source) };
  } catch (error) {
    return { ok: false, error };
  }
}

// The library's own check result (type names as it writes them), parse errors included.
function checkParsed(p: Parsed): TypeCheckResult {
  return p.ok ? p.parsed.check() : { valid: false, error: p.error as never };
}

interface LibraryError {
  readonly name?: string;
  readonly code?: string;
  readonly summary?: string;
  readonly message?: string;
  readonly range?: { readonly start: number; readonly end: number };
  /** The expression the error is about (its operands carry their checked types). */
  readonly node?: unknown;
}

function describeError(
  err: unknown,
  table: CelTypeTable,
  isFunction: (name: string) => boolean,
): CheckResult {
  const e = (err ?? {}) as LibraryError;
  const summary = e.summary ?? (e.message ?? 'invalid expression').split('\n')[0] ?? 'invalid expression';
  const parseError = e.name === 'ParseError';
  let message = summary;
  const key = /^No such key: (.*)$/.exec(summary);
  const noIndex = /^Cannot index type '(.*)'$/.exec(summary);
  if (e.code === 'no_such_key' && key) message = `undefined field '${key[1]}'`;
  else if (e.code === 'cannot_index_type' && noIndex)
    message = `type '${noIndex[1]}' does not support field selection`;
  else if (parseError) message = `syntax error: ${summary}`;
  else
    message =
      celGoListIndexMessage(summary, e.node, table) ?? celGoOverloadMessage(summary, table, isFunction);
  return {
    ok: false,
    message,
    parseError,
    ...(e.range ? { start: e.range.start, end: e.range.end } : {}),
  };
}
