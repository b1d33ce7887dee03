// Static type checking of kro expressions on @marcbachmann/cel-js: variables are declared with
// CEL types derived from OpenAPI schemas (types.ts), the library's checker infers each
// expression's result type, and its errors are reworded the way cel-go words them where kro's
// users know the wording (`undefined field 'x'`, `does not support field selection`).
import type { TypeCheckResult } from '@marcbachmann/cel-js';
import { createKroEnvironment, type KroEnvironment } from './environment.js';
import type { CelLibrary } from './library.js';
import {
  type CelType,
  CelTypeTable,
  DYN,
  libraryTypeName,
  parseLibraryTypeName,
  registerCelTypes,
} from './types.js';

export type CheckResult =
  | { readonly ok: true; readonly type: CelType }
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
}

/** An environment with typed variables, and the table that reads its result types back. */
export class TypeEnv {
  readonly kro: KroEnvironment;
  readonly table: CelTypeTable;
  readonly #vars: Map<string, CelType>;
  // A clone that also compares some message types with null (see #check).
  #nullable: KroEnvironment | undefined;

  private constructor(kro: KroEnvironment, table: CelTypeTable, vars: Map<string, CelType>) {
    this.kro = kro;
    this.table = table;
    this.#vars = vars;
  }

  /** A fresh environment declaring `vars`. */
  static create(vars: ReadonlyMap<string, CelType>, opts: TypeEnvOptions = {}): TypeEnv {
    const kro = createKroEnvironment({ omit: opts.omit ?? false });
    const env = new TypeEnv(kro, new CelTypeTable(), new Map());
    env.#declare(vars);
    return env;
  }

  /** A copy with more variables (iterators, `each`); this environment stays usable for checks. */
  extend(vars: ReadonlyMap<string, CelType>): TypeEnv {
    const child = new TypeEnv(this.kro.clone(), this.table.copy(), new Map(this.#vars));
    child.#declare(vars);
    return child;
  }

  /**
   * A copy that also knows `lib` (e.g. kro's `runtime` library, which kro allows only in
   * `schema.status.conditions`); this environment stays as it was.
   */
  withLibrary(lib: CelLibrary, opts: TypeEnvOptions = {}): TypeEnv {
    const child = new TypeEnv(this.kro.clone(), this.table.copy(), new Map(this.#vars));
    lib.register(child.kro.raw, { omit: opts.omit ?? false });
    return child;
  }

  typeOf(name: string): CelType | undefined {
    return this.#vars.get(name);
  }

  /**
   * Variables that could not be declared because an earlier declaration took the name. (A name
   * the library uses for a namespace or a type, such as `optional` or `map`, can be declared.)
   */
  readonly undeclared: string[] = [];

  #declare(vars: ReadonlyMap<string, CelType>): void {
    for (const [name, type] of vars) {
      if (!this.kro.canDeclare(name)) {
        this.undeclared.push(name);
        continue;
      }
      try {
        registerCelTypes(this.kro.raw, this.table, type);
        this.kro.declare(name, libraryTypeName(type));
      } catch {
        // A schema the library cannot declare: the variable is still usable, untyped.
        this.kro.declare(name, 'dyn');
      }
      this.#vars.set(name, type);
    }
  }

  /** Parses and type-checks `source`; never throws. */
  check(source: string): CheckResult {
    try {
      let env = this.#nullable ?? this.kro;
      let result = checkWith(env, source);
      // cel-go compares messages, timestamps and durations with null; the library does not.
      // Declaring that for every schema type up front is slow, so it is added when first needed.
      for (let i = 0; i < 8 && !result.valid; i++) {
        const type = nullComparedType(result.error);
        if (type === undefined || !this.#nullableType(type)) break;
        this.#nullable ??= this.kro.clone();
        try {
          this.#nullable.raw.registerOperator(`${type} == null`, (a: unknown, b: unknown) => a === b);
        } catch {
          break;
        }
        env = this.#nullable;
        result = checkWith(env, source);
      }
      if (result.valid) return { ok: true, type: parseLibraryTypeName(result.type ?? 'dyn', this.table) };
      return describeError(result.error);
    } catch {
      // A checker failure that is not a diagnosis of the expression: do not blame the user.
      return { ok: true, type: DYN };
    }
  }

  #nullableType(libraryName: string): boolean {
    return (
      libraryName === 'google.protobuf.Timestamp' ||
      libraryName === 'google.protobuf.Duration' ||
      this.table.get(libraryName) !== undefined
    );
  }
}

// The library's own check result (type names as it writes them), parse errors included.
function checkWith(env: KroEnvironment, source: string): TypeCheckResult {
  let parsed: ReturnType<KroEnvironment['parse']>;
  try {
    parsed = env.parse(source);
  } catch (error) {
    return { valid: false, error: error as never };
  }
  return parsed.check();
}

function nullComparedType(err: unknown): string | undefined {
  const summary = (err as { summary?: string } | undefined)?.summary ?? '';
  const m =
    /^no such overload: (\S+) (?:==|!=) null$/.exec(summary) ??
    /^no such overload: null (?:==|!=) (\S+)$/.exec(summary);
  return m?.[1];
}

interface LibraryError {
  readonly name?: string;
  readonly code?: string;
  readonly summary?: string;
  readonly message?: string;
  readonly range?: { readonly start: number; readonly end: number };
}

function describeError(err: unknown): CheckResult {
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
  return {
    ok: false,
    message,
    parseError,
    ...(e.range ? { start: e.range.start, end: e.range.end } : {}),
  };
}
