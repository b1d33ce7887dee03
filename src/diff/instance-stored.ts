// What kro reads of an existing instance once the RGD's schema changes. The API server stored the
// instance with the old schema's defaults (defaults are persisted on write); when it serves the
// object under the new CRD it drops fields the new schema does not know (structural pruning) and
// fills in the new schema's defaults for fields still missing. kro renders from that object, and
// does not validate it: a value the new schema no longer allows (a removed enum value) is still
// rendered, only a write of the instance is refused.
import { setOwn } from '../json.js';
import type { JsonObject, JsonValue } from '../rgd/model.js';
import type { SchemaNode } from '../schema/model.js';
import { applyDefaults } from '../synth/defaults.js';

function isMap(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `value` without the fields `node` does not declare (open `object` fields keep everything). */
export function pruneUnknown(node: SchemaNode, value: JsonValue): JsonValue {
  switch (node.kind) {
    case 'struct': {
      if (!isMap(value)) return value;
      const out: JsonObject = {};
      for (const f of node.fields)
        if (Object.hasOwn(value, f.name))
          setOwn(out, f.name, pruneUnknown(f.node, value[f.name] as JsonValue));
      // Keep the stored order of the fields, as the server keeps it.
      const ordered: JsonObject = {};
      for (const k of Object.keys(value)) if (Object.hasOwn(out, k)) setOwn(ordered, k, out[k] as JsonValue);
      return ordered;
    }
    case 'map': {
      if (!isMap(value)) return value;
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(value)) setOwn(out, k, pruneUnknown(node.values, v));
      return out;
    }
    case 'array':
      return Array.isArray(value) ? value.map((item) => pruneUnknown(node.items, item)) : value;
    default:
      return value;
  }
}

/** The stored instance `object` (old defaults applied) as served under the new schema `spec`. */
export function servedUnder(spec: SchemaNode, object: JsonObject): JsonObject {
  if (!Object.hasOwn(object, 'spec')) {
    if (spec.default === undefined) return object;
    return { ...object, spec: applyDefaults(spec, spec.default) };
  }
  return { ...object, spec: applyDefaults(spec, pruneUnknown(spec, object.spec as JsonValue)) };
}
