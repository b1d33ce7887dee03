// Static type checking of kro expressions on @marcbachmann/cel-js: variables are declared with
// CEL types derived from OpenAPI schemas (types.ts), the library's checker infers each
// expression's result type, and its errors are reworded the way cel-go words them where kro's
// users know the wording (`undefined field 'x'`, `does not support field selection`).
import type { Environment } from '@marcbachmann/cel-js';
import { createKroEnvironment, type KroEnvironment } from './environment.js';
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

  private constructor(kro: KroEnvironment, table: CelTypeTable, vars: Map<string, CelType>) {
    this.kro = kro;
    this.table = table;
    this.#vars = vars;
  }

  /** A fresh environment declaring `vars`. */
  static create(vars: ReadonlyMap<string, CelType>, opts: TypeEnvOptions = {}): TypeEnv {
    const kro = createKroEnvironment({ omit: opts.omit ?? false });
    allowNullOnTimeTypes(kro.raw);
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

  typeOf(name: string): CelType | undefined {
    return this.#vars.get(name);
  }

  #declare(vars: ReadonlyMap<string, CelType>): void {
    for (const [name, type] of vars) {
      registerCelTypes(this.kro.raw, this.table, type);
      this.kro.raw.registerVariable(name, libraryTypeName(type));
      this.#vars.set(name, type);
    }
  }

  /** Parses and type-checks `source`; never throws. */
  check(source: string): CheckResult {
    let result: ReturnType<Environment['check']>;
    try {
      result = this.kro.raw.check(source);
    } catch {
      // A checker failure that is not a diagnosis of the expression: do not blame the user.
      return { ok: true, type: DYN };
    }
    if (result.valid) return { ok: true, type: parseLibraryTypeName(result.type ?? 'dyn', this.table) };
    return describeError(result.error);
  }
}

// cel-go lets timestamps and durations be compared with null (they are nullable messages there).
function allowNullOnTimeTypes(env: Environment): void {
  for (const t of ['google.protobuf.Timestamp', 'google.protobuf.Duration']) {
    try {
      env.registerOperator(`${t} == null`, (a: unknown, b: unknown) => a === b);
    } catch {
      // Already provided by the base environment.
    }
  }
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
