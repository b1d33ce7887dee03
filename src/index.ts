// The programmatic API: load RGDs from YAML text, validate them as kro does, build their CRDs and
// graphs, render instances and generate constructs. Every function is pure and returns diagnostics for
// bad input instead of throwing.

export { type GenerateOptions, type GenerateResult, generateConstructs } from './codegen/generate.js';
export {
  type Diagnostic,
  DiagnosticError,
  formatDiagnostic,
  hasErrors,
  type Severity,
  type SourcePos,
  sortDiagnostics,
} from './diagnostics.js';
export { type BuildResult, buildGraph, type GraphContext } from './graph/build.js';
export type { Graph, GraphResource } from './graph/model.js';
export { type LoadOptions, type LoadResult, loadRgds, rgdFromObject, type SourceFile } from './rgd/load.js';
export type {
  DocPath,
  ExternalRef,
  ForEachDimension,
  JsonObject,
  JsonValue,
  Locator,
  Rgd,
  RgdResource,
  RgdSchema,
  Scope,
} from './rgd/model.js';
export { type ResourceScope, type ValidateOptions, validateRgd } from './rgd/validate.js';
export { DEFAULT_YAML_LIMITS, type YamlLimits } from './rgd/yaml.js';
export { type BuiltCrd, buildCrd, type CrdOptions } from './schema/crd.js';
export {
  type RenderOptions,
  type RenderResult,
  renderInstance,
  type SynthInstance,
  type SynthOptions,
  type SynthResult,
  synthesize,
} from './synth/index.js';
