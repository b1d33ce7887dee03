// The programmatic API: load RGDs from YAML text, validate them as kro does, and build their CRDs.
// Every function is pure and returns diagnostics for bad input instead of throwing.
export {
  type Diagnostic,
  DiagnosticError,
  formatDiagnostic,
  hasErrors,
  type Severity,
  type SourcePos,
  sortDiagnostics,
} from './diagnostics.js';
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
