// The synthesizer's public API (docs/synth.md): RGD + instance -> the manifests kro would apply
// (expanded mode), or the RGDs and instance objects a cluster running kro needs (bundle mode),
// ordered and annotated for kpt / cli-utils, Argo CD and kapp. Pure functions over plain data.
export {
  ANNOTATION_STYLES,
  type AnnotationStyle,
  COLLECTION_INDEX_LABEL,
  DEFAULT_ANNOTATIONS,
  DEPENDS_ON,
  dependsOnRef,
  groupOf,
  INSTANCE_GROUP_LABEL,
  INSTANCE_KIND_LABEL,
  INSTANCE_NAME_LABEL,
  INSTANCE_NAMESPACE_LABEL,
  identityOf,
  KAPP_CHANGE_GROUP,
  KAPP_CHANGE_RULE,
  LABEL_PREFIX,
  NODE_ID_LABEL,
  type ObjectIdentity,
  parseAnnotationStyles,
  ROOT_INSTANCE_GROUP_LABEL,
  ROOT_INSTANCE_KIND_LABEL,
  ROOT_INSTANCE_NAME_LABEL,
  ROOT_INSTANCE_NAMESPACE_LABEL,
  type Stamp,
  SYNC_OPTIONS,
  SYNC_WAVE,
  stamp,
} from './annotate.js';
export { MAX_CHAIN_DEPTH } from './chained.js';
export { applyDefaults } from './defaults.js';
export { findExternal, listExternals, selectorMatches } from './external.js';
export {
  DEFAULT_NAMESPACE,
  type InstanceInput,
  type NormalizedInstance,
  type NormalizeOptions,
  normalizeInstance,
} from './instance.js';
export { kappGroup, nodeChangeGroup } from './kapp-groups.js';
export { nodeWaves, orderingDependenciesOf } from './node-ordering.js';
export { orderByDependencies } from './order.js';
export { type CompiledGraph, compileGraph } from './program.js';
export { externalReferences, renderInstance } from './render.js';
export {
  type ExternalReference,
  MAX_COLLECTION_DIMENSIONS,
  MAX_COLLECTION_SIZE,
  type RenderedManifest,
  type RenderOptions,
  type RenderResult,
} from './render-model.js';
export {
  instanceModel,
  instanceOpenApi,
  type SchemaLookup,
  type SchemaSources,
  schemaLookup,
} from './schemas.js';
export {
  instanceId,
  type SynthInstance,
  type SynthManifest,
  type SynthMode,
  type SynthOptions,
  type SynthResult,
  synthesize,
} from './synthesize.js';
export { ConversionError, celToJson, jsonToCel, nativeToCel } from './values.js';
