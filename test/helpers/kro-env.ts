// The kro CEL environment as the library tests use it: every variable they do not declare is dyn.
import { createKroEnvironment } from '../../src/cel/environment.js';

export const env = createKroEnvironment({ unlistedVariablesAreDyn: true });

/** Evaluates `expr` in `env` with `vars` bound. */
export const ev = (expr: string, vars?: Record<string, unknown>) => env.evaluate(expr, vars);
