// The status schema to use before the types of `schema.status` expressions are known: the shape of
// the status template (nested maps are objects, lists are arrays) with every leaf open, which is what
// kro infers for an expression of CEL type `dyn`.
import type { JsonObject, JsonValue } from '../rgd/model.js';
import { isPlainObject } from './types.js';

/** kro's schema for a value of unknown (dyn) type. */
export function dynSchema(): JsonObject {
  return { 'x-kubernetes-preserve-unknown-fields': true };
}

/**
 * The status schema implied by the raw `schema.status` template alone. `conditions` is left out:
 * kro takes it out of the template and the CRD gets the standard conditions schema instead.
 */
export function statusSchemaFromTemplate(status: JsonObject | null | undefined): JsonObject {
  const properties: JsonObject = {};
  for (const [key, value] of Object.entries(status ?? {})) {
    if (key === 'conditions') continue;
    const s = shapeOf(value);
    if (s) properties[key] = s;
  }
  return { type: 'object', properties };
}

// undefined for values that contribute no field (an empty map holds no expression).
function shapeOf(value: JsonValue): JsonObject | undefined {
  if (isPlainObject(value)) {
    const properties: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      const s = shapeOf(v);
      if (s) properties[k] = s;
    }
    return Object.keys(properties).length > 0 ? { type: 'object', properties } : undefined;
  }
  if (Array.isArray(value)) {
    // Elements share one `items` schema; object elements merge their fields as kro's do.
    let items: JsonObject | undefined;
    for (const el of value) {
      const s = shapeOf(el);
      if (!s) continue;
      items =
        items && isPlainObject(items['properties']) && isPlainObject(s['properties'])
          ? mergeObjects(items, s)
          : s;
    }
    return items ? { type: 'array', items } : undefined;
  }
  return dynSchema();
}

function mergeObjects(a: JsonObject, b: JsonObject): JsonObject {
  const props = { ...(a['properties'] as JsonObject) };
  for (const [k, v] of Object.entries(b['properties'] as JsonObject)) {
    const prev = props[k];
    props[k] =
      isPlainObject(prev) &&
      isPlainObject(v) &&
      isPlainObject(prev['properties']) &&
      isPlainObject(v['properties'])
        ? mergeObjects(prev as JsonObject, v as JsonObject)
        : v;
  }
  return { type: 'object', properties: props };
}
