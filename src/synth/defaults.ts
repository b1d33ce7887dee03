// The API server's structural defaulting of an instance, from the schema model of its RGD.
//
// kro never sees an instance without defaults: the API server fills them in when the instance is
// stored (apiextensions structural defaulting). Its rules, applied here the same way:
//   - a missing field whose schema has a default gets a copy of it, and the copy is then defaulted
//     itself (so a `default: {}` object receives its fields' defaults, at any depth);
//   - a null field that is not nullable takes the default when there is one and is dropped when
//     there is not (SimpleSchema never makes a field nullable);
//   - defaulting descends into every present field, array item and map value.
// Defaulted fields are appended after the fields the user wrote, in the schema's declaration order.
import { deepCopyJson, setOwn } from '../json.js';
import type { JsonObject, JsonValue } from '../rgd/model.js';
import type { SchemaNode } from '../schema/model.js';

function isMap(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const fieldMaps = new WeakMap<SchemaNode, Map<string, SchemaNode>>();

function fieldsOf(node: Extract<SchemaNode, { kind: 'struct' }>): Map<string, SchemaNode> {
  let m = fieldMaps.get(node);
  if (!m) {
    m = new Map(node.fields.map((f) => [f.name, f.node]));
    fieldMaps.set(node, m);
  }
  return m;
}

/** `value` with the defaults of `node` applied; the input is never modified. */
export function applyDefaults(node: SchemaNode, value: JsonValue): JsonValue {
  switch (node.kind) {
    case 'struct': {
      if (!isMap(value)) return value;
      const fields = fieldsOf(node);
      const out: JsonObject = {};
      for (const key of Object.keys(value)) {
        const v = value[key] as JsonValue;
        const child = fields.get(key);
        if (v === null && child) {
          if (child.default !== undefined)
            setOwn(out, key, applyDefaults(child, deepCopyJson(child.default)));
          continue;
        }
        setOwn(out, key, child ? applyDefaults(child, v) : v);
      }
      for (const f of node.fields) {
        if (Object.hasOwn(value, f.name) || f.node.default === undefined) continue;
        setOwn(out, f.name, applyDefaults(f.node, deepCopyJson(f.node.default)));
      }
      return out;
    }
    case 'map': {
      if (!isMap(value)) return value;
      const out: JsonObject = {};
      for (const key of Object.keys(value)) {
        const v = value[key] as JsonValue;
        if (v === null) {
          if (node.values.default !== undefined)
            setOwn(out, key, applyDefaults(node.values, deepCopyJson(node.values.default)));
          continue;
        }
        setOwn(out, key, applyDefaults(node.values, v));
      }
      return out;
    }
    case 'array':
      return Array.isArray(value) ? value.map((item) => applyDefaults(node.items, item)) : value;
    default:
      return value;
  }
}
