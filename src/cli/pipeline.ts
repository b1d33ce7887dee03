// The first steps every command shares: read the inputs, then load and validate the RGDs in them.
import type { Diagnostic } from '../diagnostics.js';
import { type LoadOptions, loadRgds } from '../rgd/load.js';
import type { Rgd } from '../rgd/model.js';
import type { SourceFile } from '../rgd/yaml.js';
import { type ReadInputsOptions, readInputs } from './inputs.js';
import type { Io } from './io.js';

export interface LoadedInputs {
  readonly files: readonly SourceFile[];
  /** Valid RGDs only. */
  readonly rgds: readonly Rgd[];
  /** RGDs with errors, modelled as far as possible. */
  readonly invalid: readonly Rgd[];
  /** Read, YAML and validation problems, unsorted. */
  readonly diagnostics: readonly Diagnostic[];
}

export async function loadInputs(
  args: readonly string[],
  io: Io,
  opts: { readonly read?: ReadInputsOptions; readonly load?: LoadOptions } = {},
): Promise<LoadedInputs> {
  const inputs = await readInputs(args, io, opts.read);
  const loaded = loadRgds(inputs.files, opts.load);
  return {
    files: inputs.files,
    rgds: loaded.rgds,
    invalid: loaded.invalid,
    diagnostics: [...inputs.diagnostics, ...loaded.diagnostics],
  };
}
