// A CRD's OpenAPI v3 schema (JSONSchemaProps) as a draft-07 JSON Schema that checks what the API
// server checks with kubectl's strict field validation: unknown fields are errors unless the schema
// preserves them, `nullable` admits null, int-or-string admits both. What draft-07 cannot say is
// left out: CEL rules (`x-kubernetes-validations`), list-map keys, formats of Kubernetes' own.
import { setOwn } from '../json.js';
import type { JsonObject, JsonValue } from '../rgd/model.js';
import { isObject } from './draft.js';

/** Keywords that mean the same in both, copied as they are. */
const SAME = [
  'description',
  'title',
  'default',
  'minimum',
  'maximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'required',
];

/** Formats both draft-07 and Kubernetes define; others (int32, byte, ...) are not checked. */
const DRAFT_FORMATS = new Set(['date-time', 'date', 'email', 'hostname', 'ipv4', 'ipv6', 'uri']);

/** True when `pattern` compiles as JSON Schema validators compile it (ECMAScript, `u` flag). */
function isEcmaPattern(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

export function openApiToJsonSchema(schema: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of SAME) if (schema[key] !== undefined) setOwn(out, key, schema[key] as JsonValue);

  const nullable = schema['nullable'] === true;
  const type = schema['type'];
  if (schema['x-kubernetes-int-or-string'] === true) {
    out['anyOf'] = [{ type: 'integer' }, { type: 'string' }, ...(nullable ? [{ type: 'null' }] : [])];
  } else if (typeof type === 'string') {
    out['type'] = nullable ? [type, 'null'] : type;
  }
  // OpenAPI v3.0 marks a bound exclusive with a boolean; draft-07 gives the bound itself.
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (schema[flag] === true && typeof schema[bound] === 'number') {
      out[flag] = schema[bound];
      delete out[bound];
    }
  }
  if (Array.isArray(schema['enum'])) out['enum'] = nullable ? [...schema['enum'], null] : [...schema['enum']];
  const pattern = schema['pattern'];
  if (typeof pattern === 'string') {
    // A Go (RE2) pattern that ECMAScript reads differently or not at all is left to the server.
    if (isEcmaPattern(pattern)) out['pattern'] = pattern;
  }
  const format = schema['format'];
  if (typeof format === 'string' && DRAFT_FORMATS.has(format)) out['format'] = format;
  if (schema['x-kubernetes-list-type'] === 'set') out['uniqueItems'] = true;

  if (isObject(schema['items'])) out['items'] = openApiToJsonSchema(schema['items']);
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = schema[key];
    if (Array.isArray(list)) out[key] = list.filter(isObject).map(openApiToJsonSchema);
  }
  if (isObject(schema['not'])) out['not'] = openApiToJsonSchema(schema['not']);

  const properties = schema['properties'];
  if (isObject(properties)) {
    const props: JsonObject = {};
    for (const [name, s] of Object.entries(properties)) {
      if (isObject(s)) setOwn(props, name, openApiToJsonSchema(s));
    }
    out['properties'] = props;
  }
  const additional = schema['additionalProperties'];
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (isObject(additional)) out['additionalProperties'] = openApiToJsonSchema(additional);
  else if (typeof additional === 'boolean') out['additionalProperties'] = additional;
  else if (isObject(properties) && !preserve && schema['x-kubernetes-embedded-resource'] !== true) {
    // Fields the schema does not declare are pruned by the API server, an error for kubectl --validate=strict.
    out['additionalProperties'] = false;
  }
  return out;
}
