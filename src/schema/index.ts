// SimpleSchema -> schema model -> OpenAPI -> instance CRD. What other stages use.
export { applyMarkers, type Facets, parseDefault } from './apply-markers.js';
export {
  type BuiltSchema,
  buildInstanceSchema,
  describePath,
  instanceSchemaOf,
  type SchemaSource,
} from './build.js';
export {
  type BuiltCrd,
  buildCrd,
  type CrdOptions,
  newCrd,
  newCrdSchema,
  printerColumns,
  synthesizeCrd,
} from './crd.js';
export { defaultConditionsSchema, defaultPrinterColumns, defaultStateSchema } from './crd-defaults.js';
export { type Marker, type MarkerType, parseMarkers } from './markers.js';
export * from './model.js';
export { fromOpenAPISpec, normalizeSchemaProps, schemaProps, specToOpenAPI, toOpenAPI } from './openapi.js';
export { pluralize } from './pluralize.js';
export { dynSchema, statusSchemaFromTemplate } from './status.js';
export { parseField, parseMapString, parseSpec, parseTypeString, type SimpleType } from './types.js';
export { type ValueProblem, validateValue } from './validate.js';
