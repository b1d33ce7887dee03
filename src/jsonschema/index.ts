// JSON Schemas of RGD and instance files, for YAML editors that know nothing of kro.
export { DRAFT_07, EDITOR_KEYWORDS } from './draft.js';
export {
  combinedInstanceJsonSchema,
  crdNameOf,
  type InstanceKind,
  instanceJsonSchema,
} from './instance.js';
export { openApiToJsonSchema } from './openapi.js';
export { FIELD_PATTERN, STANDALONE_EXPRESSION_PATTERN } from './patterns.js';
export { rgdJsonSchema } from './rgd.js';
