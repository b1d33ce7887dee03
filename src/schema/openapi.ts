// Schema model -> OpenAPI v3 in the CRD's JSONSchemaProps JSON form. Keys come out in the order Go's
// encoding/json writes that struct and properties are sorted, so output is stable and matches what
// kro would serialize.

import { setOwn } from '../json.js';
import type { JsonObject, JsonValue } from '../rgd/model.js';
import { type Facets, facetsOf, type OpenApiType } from './apply-markers.js';
import { compareGoStrings } from './gostrconv.js';
import { type InstanceSchema, openApiType, type SchemaNode } from './model.js';

/** JSONSchemaProps field names in the order of the Go struct (the order `json.Marshal` emits). */
export const JSON_SCHEMA_PROPS_KEYS = [
  'id',
  '$schema',
  '$ref',
  'description',
  'type',
  'format',
  'title',
  'default',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'multipleOf',
  'enum',
  'maxProperties',
  'minProperties',
  'required',
  'items',
  'allOf',
  'oneOf',
  'anyOf',
  'not',
  'properties',
  'additionalProperties',
  'patternProperties',
  'dependencies',
  'additionalItems',
  'definitions',
  'externalDocs',
  'example',
  'nullable',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-list-type',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
] as const;

/** The parts of a schema that come from its structure rather than from markers. */
export interface SchemaStructure {
  readonly required?: readonly string[];
  readonly items?: JsonObject;
  readonly properties?: JsonObject;
  readonly additionalProperties?: JsonObject;
  readonly preserveUnknownFields?: boolean;
}

/** JSONSchemaProps from a type, marker-settable facets and structure, in Go field order. */
export function schemaProps(type: OpenApiType, f: Facets, s: SchemaStructure = {}): JsonObject {
  const out: JsonObject = {};
  // Go drops empty strings (omitempty), so `description=""` leaves no trace.
  if (f.description) out['description'] = f.description;
  out['type'] = type;
  if (f.default !== undefined) out['default'] = f.default;
  if (f.maximum !== undefined) out['maximum'] = f.maximum;
  if (f.minimum !== undefined) out['minimum'] = f.minimum;
  if (f.maxLength !== undefined) out['maxLength'] = f.maxLength;
  if (f.minLength !== undefined) out['minLength'] = f.minLength;
  if (f.pattern) out['pattern'] = f.pattern;
  if (f.maxItems !== undefined) out['maxItems'] = f.maxItems;
  if (f.minItems !== undefined) out['minItems'] = f.minItems;
  if (f.enum && f.enum.length > 0) out['enum'] = [...f.enum];
  if (s.required && s.required.length > 0) out['required'] = [...s.required];
  if (s.items) out['items'] = s.items;
  if (s.properties && Object.keys(s.properties).length > 0) out['properties'] = s.properties;
  if (s.additionalProperties) out['additionalProperties'] = s.additionalProperties;
  if (s.preserveUnknownFields) out['x-kubernetes-preserve-unknown-fields'] = true;
  if (f.listMapKeys && f.listMapKeys.length > 0) out['x-kubernetes-list-map-keys'] = [...f.listMapKeys];
  if (f.listType !== undefined) out['x-kubernetes-list-type'] = f.listType;
  if (f.validations.length > 0) {
    out['x-kubernetes-validations'] = f.validations.map((v) => ({ rule: v.rule, message: v.message }));
  }
  return out;
}

/** The OpenAPI schema of a node. */
export function toOpenAPI(node: SchemaNode): JsonObject {
  const s: {
    required?: readonly string[];
    items?: JsonObject;
    properties?: JsonObject;
    additionalProperties?: JsonObject;
    preserveUnknownFields?: boolean;
  } = {};
  switch (node.kind) {
    case 'struct': {
      s.required = node.requiredFields;
      const props: JsonObject = {};
      const sorted = [...node.fields].sort((a, b) => compareGoStrings(a.name, b.name));
      for (const f of sorted) setOwn(props, f.name, toOpenAPI(f.node));
      s.properties = props;
      break;
    }
    case 'array':
      s.items = toOpenAPI(node.items);
      break;
    case 'map':
      s.additionalProperties = toOpenAPI(node.values);
      break;
    case 'object':
      s.preserveUnknownFields = true;
      break;
    default:
      break;
  }
  return schemaProps(openApiType(node.kind), facetsOf(node), s);
}

/** The OpenAPI schema of the instance `spec`, what kro's `ToOpenAPISpec` returns. */
export function specToOpenAPI(schema: InstanceSchema): JsonObject {
  return toOpenAPI(schema.spec);
}

const VALIDATION_RULE_KEYS = [
  'rule',
  'message',
  'messageExpression',
  'reason',
  'fieldPath',
  'optionalOldSelf',
];

const KNOWN_SCHEMA_PROPS_KEYS: ReadonlySet<string> = new Set<string>(JSON_SCHEMA_PROPS_KEYS);

/**
 * A JSONSchemaProps JSON from elsewhere (e.g. an inferred status schema) with keys in Go struct order
 * and properties sorted, recursively. Unknown keys are kept, after the known ones.
 */
export function normalizeSchemaProps(schema: JsonObject): JsonObject {
  const out: JsonObject = {};
  const known = KNOWN_SCHEMA_PROPS_KEYS;
  // Indexed loops over keys, not for-of over entries: cold code (docs/architecture.md).
  for (let i = 0; i < JSON_SCHEMA_PROPS_KEYS.length; i++) {
    const key = JSON_SCHEMA_PROPS_KEYS[i] as string;
    const v = schema[key];
    if (v === undefined) continue;
    setOwn(out, key, normalizeValue(key, v));
  }
  const keys = Object.keys(schema);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (!known.has(key)) setOwn(out, key, schema[key] as JsonValue);
  }
  return out;
}

function normalizeValue(key: string, v: JsonValue): JsonValue {
  const isObj = (x: JsonValue): x is JsonObject => typeof x === 'object' && x !== null && !Array.isArray(x);
  switch (key) {
    case 'items':
    case 'not':
    case 'additionalProperties':
    case 'additionalItems':
      if (isObj(v)) return normalizeSchemaProps(v);
      if (Array.isArray(v)) return v.map((s) => (isObj(s) ? normalizeSchemaProps(s) : s));
      return v;
    case 'allOf':
    case 'oneOf':
    case 'anyOf':
      return Array.isArray(v) ? v.map((s) => (isObj(s) ? normalizeSchemaProps(s) : s)) : v;
    case 'properties':
    case 'patternProperties':
    case 'definitions': {
      if (!isObj(v)) return v;
      const out: JsonObject = {};
      const keys = Object.keys(v).sort(compareGoStrings);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i] as string;
        const s = v[k] as JsonValue;
        setOwn(out, k, isObj(s) ? normalizeSchemaProps(s) : s);
      }
      return out;
    }
    case 'x-kubernetes-validations':
      return Array.isArray(v) ? v.map((r) => (isObj(r) ? orderKeys(r, VALIDATION_RULE_KEYS) : r)) : v;
    default:
      return v;
  }
}

/** `obj` with `order` keys first (in that order), then the rest as they were. */
export function orderKeys(obj: JsonObject, order: readonly string[]): JsonObject {
  const out: JsonObject = {};
  // Indexed (cold code, see normalizeSchemaProps).
  for (let i = 0; i < order.length; i++) {
    const k = order[i] as string;
    if (obj[k] !== undefined) setOwn(out, k, obj[k] as JsonValue);
  }
  const keys = Object.keys(obj);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    if (!(k in out)) setOwn(out, k, obj[k] as JsonValue);
  }
  return out;
}

/**
 * OpenAPI -> SimpleSchema, the reverse direction. kro declares it but does not implement it (it always
 * fails with "not implemented"); kro-gen mirrors that so callers see the same contract.
 */
export function fromOpenAPISpec(_schema: JsonObject | null): { readonly error: string } {
  return { error: 'not implemented' };
}
