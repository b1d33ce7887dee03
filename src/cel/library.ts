// The contract every CEL library module fulfils, so the environment is assembled from one list
// (src/cel/lib/index.ts) and each library stays in its own module.
import type { Environment } from '@marcbachmann/cel-js';

export interface KroCelOptions {
  /** kro's alpha feature gate `CELOmitFunction`: `omit()` exists only when this is on. */
  readonly omit: boolean;
}

export interface CelLibrary {
  readonly name: string;
  register(env: Environment, opts: KroCelOptions): void;
}
