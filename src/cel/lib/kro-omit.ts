// kro's `omit()` (pkg/cel/library/omit.go): a sentinel telling the renderer to drop the field or
// list element holding it. kro registers it only behind the alpha feature gate CELOmitFunction,
// so it exists here only when the environment is built with `omit: true`.
import type { Environment } from '@marcbachmann/cel-js';
import type { CelLibrary, KroCelOptions } from '../library.js';
import { OMIT } from '../omit.js';

export const kroOmitLibrary: CelLibrary = {
  name: 'kro.omit',
  register(env: Environment, opts: KroCelOptions): void {
    if (!opts.omit) return;
    env.registerFunction('omit(): dyn', () => OMIT);
  },
};
