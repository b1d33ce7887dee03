// The contract every CEL library module fulfils, so the environment is assembled from one list
// (src/cel/lib/index.ts) and each library stays in its own module.
import type { Environment } from '@marcbachmann/cel-js';

export interface KroCelOptions {
  /** kro's alpha feature gate `CELOmitFunction`: `omit()` exists only when this is on. */
  readonly omit: boolean;
  /**
   * The API server's environment for x-kubernetes-validations rules rather than kro's: adds the
   * libraries only it has (api-server-functions.ts holds the rules to its function list).
   */
  readonly crdRules?: boolean;
}

export interface CelLibrary {
  readonly name: string;
  register(env: Environment, opts: KroCelOptions): void;
}
