// What every JSON Schema kro-gen writes shares: the draft (draft-07, the newest one that
// yaml-language-server, and so VS Code's YAML extension, Neovim's yamlls, Helix and Zed, validates
// in full) and a fixed key order, so output is byte-identical from run to run.
import { setOwn } from '../json.js';
import type { JsonObject, JsonValue } from '../rgd/model.js';

export const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

/**
 * Keywords beyond draft-07 that kro-gen writes, all read by yaml-language-server:
 * `patternErrorMessage` replaces its generic "does not match the pattern" message.
 */
export const EDITOR_KEYWORDS = ['patternErrorMessage'] as const;

const KEY_ORDER = [
  '$schema',
  '$id',
  '$ref',
  'title',
  'description',
  'type',
  'const',
  'enum',
  'default',
  'examples',
  'minimum',
  'exclusiveMinimum',
  'maximum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'patternErrorMessage',
  'format',
  'minItems',
  'maxItems',
  'uniqueItems',
  'items',
  'minProperties',
  'maxProperties',
  'required',
  'properties',
  'propertyNames',
  'additionalProperties',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
  'definitions',
];

const SCHEMA_VALUED = new Set([
  'items',
  'additionalProperties',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
]);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);
const SCHEMA_MAPS = new Set(['properties', 'definitions']);

/** A JSON object (not an array or null): a schema, or a map of them. */
export function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * `schema` with its keywords in one fixed order, recursively through subschemas; the keys of
 * `properties` and `definitions` keep the order they were given in (the caller's choice).
 */
export function ordered(schema: JsonObject): JsonObject {
  const out: JsonObject = {};
  const keys = [
    ...KEY_ORDER.filter((k) => k in schema),
    ...Object.keys(schema).filter((k) => !KEY_ORDER.includes(k)),
  ];
  for (const key of keys) {
    const v = schema[key] as JsonValue;
    if (SCHEMA_VALUED.has(key) && isObject(v)) setOwn(out, key, ordered(v));
    else if (SCHEMA_LISTS.has(key) && Array.isArray(v))
      setOwn(
        out,
        key,
        v.map((s) => (isObject(s) ? ordered(s) : s)),
      );
    else if (SCHEMA_MAPS.has(key) && isObject(v)) {
      const map: JsonObject = {};
      for (const [name, s] of Object.entries(v)) setOwn(map, name, isObject(s) ? ordered(s) : s);
      setOwn(out, key, map);
    } else setOwn(out, key, v);
  }
  return out;
}
