// Loading RGDs from YAML text: parse every document, keep those that are ResourceGraphDefinitions,
// build the model and validate it. Pure: the CLI reads the files and hands over their text.
import { type Diagnostic, error, hasErrors } from '../diagnostics.js';
import { stringifyJson } from '../json.js';
import { buildRgdModel } from './build.js';
import type { JsonObject, JsonValue, Rgd } from './model.js';
import { type ValidateOptions, validateRgd } from './validate.js';
import {
  DEFAULT_YAML_LIMITS,
  parseYamlFile,
  type SourceFile,
  type YamlDocument,
  type YamlLimits,
  type YamlParseResult,
} from './yaml.js';

export type { SourceFile } from './yaml.js';

export const RGD_API_VERSION = 'kro.run/v1alpha1';
export const RGD_KIND = 'ResourceGraphDefinition';
/** The kind's name before kro v0.2.0 renamed it; kro no longer serves it. */
export const LEGACY_RGD_KIND = 'ResourceGroup';

export interface LoadOptions {
  readonly limits?: Partial<YamlLimits>;
  readonly validation?: ValidateOptions;
}

export interface LoadResult {
  /** RGDs without errors, in file order then document order: safe input for later stages. */
  readonly rgds: Rgd[];
  /** RGDs that have errors, modelled as far as possible (for tools that want best effort). */
  readonly invalid: Rgd[];
  /** Every problem found, in file order. */
  readonly diagnostics: Diagnostic[];
}

function isMap(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

type DocumentKind = 'rgd' | 'legacy' | 'other';

function classify(value: JsonValue | undefined): DocumentKind {
  if (!isMap(value)) return 'other';
  const { apiVersion, kind } = value;
  if (apiVersion === RGD_API_VERSION && kind === RGD_KIND) return 'rgd';
  if (kind === LEGACY_RGD_KIND && typeof apiVersion === 'string' && apiVersion.startsWith('kro.run/'))
    return 'legacy';
  return 'other';
}

function loadDocument(
  doc: YamlDocument,
  opts: LoadOptions,
  result: { rgds: Rgd[]; invalid: Rgd[]; diagnostics: Diagnostic[] },
): void {
  const kind = classify(doc.value);
  if (kind === 'other' || !isMap(doc.value)) return;
  if (kind === 'legacy') {
    result.diagnostics.push(
      error(
        `kind ${LEGACY_RGD_KIND} was renamed to ${RGD_KIND} in kro v0.2.0 and is no longer accepted: change the kind to ${RGD_KIND}`,
        doc.loc.at(['kind']),
        'rgd/legacy-kind',
      ),
    );
    return;
  }
  const rgd = buildRgdModel(doc.value, doc.loc, doc.index);
  const diagnostics = validateRgd(rgd, opts.validation);
  result.diagnostics.push(...diagnostics);
  (hasErrors(diagnostics) ? result.invalid : result.rgds).push(rgd);
}

/** Load every RGD in `files`. Never throws for bad input. */
export function loadRgds(files: readonly SourceFile[], opts: LoadOptions = {}): LoadResult {
  const limits: YamlLimits = { ...DEFAULT_YAML_LIMITS, ...opts.limits };
  const result = { rgds: [] as Rgd[], invalid: [] as Rgd[], diagnostics: [] as Diagnostic[] };
  for (const file of files) {
    const parsed = loadParsedRgds(parseYamlFile(file, limits), opts);
    result.rgds.push(...parsed.rgds);
    result.invalid.push(...parsed.invalid);
    result.diagnostics.push(...parsed.diagnostics);
  }
  return result;
}

/** The RGDs of one file parsed already (a caller that also needs the YAML trees parses once). */
export function loadParsedRgds(parsed: YamlParseResult, opts: LoadOptions = {}): LoadResult {
  const result = { rgds: [] as Rgd[], invalid: [] as Rgd[], diagnostics: [...parsed.diagnostics] };
  for (const doc of parsed.documents) loadDocument(doc, opts, result);
  return result;
}

/**
 * Load an RGD given as a JS object (e.g. a test table's JSON). It is printed as JSON, which is YAML,
 * so positions in messages refer to that printout, named `file`.
 */
export function rgdFromObject(
  obj: unknown,
  file = '<object>',
  opts: LoadOptions = {},
): { rgd: Rgd | undefined; diagnostics: Diagnostic[] } {
  const text = stringifyJson(obj, 2) as string | undefined;
  if (text === undefined) {
    return {
      rgd: undefined,
      diagnostics: [error('not a JSON value', { file, line: 1, col: 1 }, 'rgd/not-an-rgd')],
    };
  }
  const result = loadRgds([{ path: file, text }], opts);
  const rgd = result.rgds[0] ?? result.invalid[0];
  if (!rgd && !hasErrors(result.diagnostics)) {
    result.diagnostics.push(
      error(`not a ${RGD_API_VERSION} ${RGD_KIND}`, { file, line: 1, col: 1 }, 'rgd/not-an-rgd'),
    );
  }
  return { rgd, diagnostics: result.diagnostics };
}
