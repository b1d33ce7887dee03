// The first steps every command shares: read the inputs, then load and validate the RGDs in them.
import { type Diagnostic, error } from '../diagnostics.js';
import { type LoadOptions, loadRgds } from '../rgd/load.js';
import type { JsonValue, Rgd } from '../rgd/model.js';
import { DEFAULT_YAML_LIMITS, parseYamlFile, type SourceFile } from '../rgd/yaml.js';
import { type DuplicateRgd, dropDuplicateRgds, duplicateNote } from './duplicates.js';
import { type InputArg, type ReadInputsOptions, readInputs } from './inputs.js';
import type { Io } from './io.js';

export interface LoadedInputs {
  readonly files: readonly SourceFile[];
  /** What each argument contributed, in argument order. */
  readonly args: readonly InputArg[];
  /** Valid RGDs only, each once (see `duplicates`). */
  readonly rgds: readonly Rgd[];
  /** Copies of an RGD the inputs held more than once, left out of `rgds`. */
  readonly duplicates: readonly DuplicateRgd[];
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
  const unique = dropDuplicateRgds(loaded.rgds);
  for (const d of unique.duplicates) io.stderr(`${duplicateNote(d)}\n`);
  return {
    files: inputs.files,
    args: inputs.args,
    rgds: unique.rgds,
    duplicates: unique.duplicates,
    invalid: loaded.invalid,
    diagnostics: [...inputs.diagnostics, ...loaded.diagnostics],
  };
}

function isMap(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCrd(v: { [key: string]: JsonValue }): boolean {
  return (
    v['kind'] === 'CustomResourceDefinition' &&
    typeof v['apiVersion'] === 'string' &&
    v['apiVersion'].startsWith('apiextensions.k8s.io/')
  );
}

/** What `files` hold instead of RGDs: instances of `rgds` (as `apiVersion kind`), and whether CRDs. */
function contentsOf(
  files: readonly SourceFile[],
  rgds: readonly Rgd[],
): { instances: string[]; crds: boolean } {
  const kinds = new Set(rgds.map((r) => `${r.schema.group}/${r.schema.apiVersion} ${r.schema.kind}`));
  const instances = new Set<string>();
  let crds = false;
  for (const file of files) {
    for (const doc of parseYamlFile(file, DEFAULT_YAML_LIMITS).documents) {
      const v = doc.value;
      if (!isMap(v)) continue;
      const key = `${String(v['apiVersion'])} ${String(v['kind'])}`;
      if (kinds.has(key)) instances.add(key);
      if (isCrd(v)) crds = true;
    }
  }
  return { instances: [...instances].sort(), crds };
}

/** What to tell the user to do with an argument that holds instances or CRDs instead of RGDs. */
export interface MissingRgdHints {
  /** E.g. `pass it with --instance`; without it, the instances are only named. */
  readonly instances?: string;
  /** E.g. `pass it with --crd`. */
  readonly crds?: string;
}

/**
 * One error per argument that gave no ResourceGraphDefinition: an input is never ignored silently.
 * Arguments that could not be read, or whose files already have errors, are left to those errors.
 * An argument holding instances of the RGDs given, or CRDs, says so, with the hint for it.
 */
export function missingRgdErrors(loaded: LoadedInputs, hints: MissingRgdHints = {}): Diagnostic[] {
  const withRgd = new Set(
    [...loaded.rgds, ...loaded.invalid, ...loaded.duplicates.map((d) => d.dropped)].map((r) => r.file),
  );
  const withErrors = new Set(
    loaded.diagnostics.flatMap((d) => (d.severity === 'error' && d.pos ? [d.pos.file] : [])),
  );
  const out: Diagnostic[] = [];
  for (const input of loaded.args) {
    if (input.failed) continue;
    const paths = input.files.map((f) => f.path);
    if (paths.some((p) => withRgd.has(p) || withErrors.has(p))) continue;
    const held = contentsOf(input.files, loaded.rgds);
    const none = `no ResourceGraphDefinition found in ${input.arg}`;
    let message = none;
    if (held.instances.length > 0) {
      const what = `instances of ${held.instances.join(', ')}`;
      message = hints.instances
        ? `${input.arg} holds ${what}, not ResourceGraphDefinitions; ${hints.instances}`
        : `${none} (it holds ${what})`;
    } else if (held.crds) {
      message = hints.crds
        ? `${input.arg} holds CustomResourceDefinitions, not ResourceGraphDefinitions; ${hints.crds}`
        : `${none} (it holds CustomResourceDefinitions)`;
    }
    out.push(error(message, undefined, 'rgd/none'));
  }
  return out;
}
