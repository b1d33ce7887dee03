// The status schema to use before the types of `schema.status` expressions are known: the shape of
// the status template (nested maps are objects, lists are arrays) with every leaf open, which is what
// kro infers for an expression of CEL type `dyn`.
import { type CelType, formatCelType } from '../cel/types.js';
import { setOwn } from '../json.js';
import type { JsonObject, JsonValue } from '../rgd/model.js';
import { CEL_RESERVED_WORDS } from '../rgd/names.js';
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
    if (s) setOwn(properties, key, s);
  }
  return { type: 'object', properties };
}

// undefined for values that contribute no field (an empty map holds no expression).
function shapeOf(value: JsonValue): JsonObject | undefined {
  if (isPlainObject(value)) {
    const properties: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      const s = shapeOf(v);
      if (s) setOwn(properties, k, s);
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

// ---------------------------------------------------------------------------------------------
// The status schema once the expressions' types are known, as kro infers it
// (pkg/graph/schema/conversion_cel_type.go and field_descriptor.go): each expression's CEL type
// becomes an OpenAPI schema, and the field paths build the objects and arrays around them.
// ---------------------------------------------------------------------------------------------

/** One status field: its path below `status` (keys and array indexes) and its CEL result type. */
export interface StatusField {
  readonly path: readonly (string | number)[];
  readonly type: CelType;
}

const preserveUnknown = (description?: string): JsonObject => ({
  ...(description ? { description } : {}),
  'x-kubernetes-preserve-unknown-fields': true,
});

function primitiveSchema(t: CelType): JsonObject | undefined {
  if (t.kind === 'null') return preserveUnknown('null type - any value allowed');
  if (t.kind !== 'primitive') return undefined;
  switch (t.name) {
    case 'bool':
      return { type: 'boolean' };
    case 'int':
    case 'uint':
      return { type: 'integer' };
    case 'double':
      return { type: 'number' };
    case 'string':
      return { type: 'string' };
    case 'bytes':
      return { type: 'string', format: 'byte' };
    default:
      return undefined;
  }
}

/** The OpenAPI schema kro writes for a status field whose expression has CEL type `t`. */
export function schemaFromCelType(t: CelType): JsonObject {
  const p = primitiveSchema(t);
  if (p) return p;
  switch (t.kind) {
    case 'list':
      return { type: 'array', items: schemaFromCelType(t.elem) };
    case 'map':
      return { type: 'object', additionalProperties: schemaFromCelType(t.value) };
    case 'object':
      return schemaFromDeclaredType(t, new Set()) ?? preserveUnknown();
    case 'opaque':
      // cel-go opaque types fall to kro's "unknown" case; Kubernetes' object types
      // (kubernetes.Quantity, URL, Semver) to its permissive object.
      return OPAQUE_TYPES.has(t.name)
        ? preserveUnknown(`unknown CEL type: ${t.name}`)
        : { type: 'object', additionalProperties: true };
    case 'dyn':
      return preserveUnknown();
    case 'primitive':
      if (t.name === 'timestamp') {
        return { description: 'Timestamp representing a creation time', type: 'string', format: 'date-time' };
      }
      return preserveUnknown(`unknown CEL type: ${formatCelType(t)}`);
    default:
      return preserveUnknown(`unknown CEL type: ${formatCelType(t)}`);
  }
}

// Kubernetes' cel.OpaqueType kinds: kro describes them as unknown.
const OPAQUE_TYPES = new Set(['net.IP', 'net.CIDR']);

// kro's walk over a schema-derived type: structs keep their field names (escaped as CEL
// identifiers) and types only, and scalars it cannot name (timestamps, int-or-string) become
// preserve-unknown. Fields kro's declared types drop (no type, e.g. a Quantity; a list of them;
// a name CEL cannot escape) are left out; undefined for such a type.
function schemaFromDeclaredType(t: CelType, visiting: Set<string>): JsonObject | undefined {
  switch (t.kind) {
    case 'list': {
      const items = schemaFromDeclaredType(t.elem, visiting);
      return items ? { type: 'array', items } : undefined;
    }
    case 'map':
      return {
        type: 'object',
        additionalProperties: schemaFromDeclaredType(t.value, visiting) ?? preserveUnknown(),
      };
    case 'object': {
      if (visiting.has(t.name)) return preserveUnknown();
      visiting.add(t.name);
      const properties: JsonObject = {};
      // Keys and an indexed loop, not entries and for-of: cold code (docs/architecture.md).
      const fields = t.fields;
      const names = Object.keys(fields);
      for (let i = 0; i < names.length; i++) {
        const name = names[i] as string;
        const field = fields[name] as CelType;
        const escaped = escapeCelFieldName(name);
        const schema = escaped === undefined ? undefined : schemaFromDeclaredType(field, visiting);
        if (escaped !== undefined && schema) setOwn(properties, escaped, schema);
      }
      visiting.delete(t.name);
      // Go's omitempty drops an empty properties map.
      return Object.keys(properties).length > 0 ? { type: 'object', properties } : { type: 'object' };
    }
    case 'dyn':
      return t.untyped ? undefined : preserveUnknown();
    default:
      return primitiveSchema(t) ?? preserveUnknown();
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  __: '__underscores__',
  '.': '__dot__',
  '-': '__dash__',
  '/': '__slash__',
};

/**
 * A field name as Kubernetes' CEL declarations write it (k8s.io/apiserver/pkg/cel Escape):
 * reserved words become `__word__`, `__`, `.`, `-` and `/` are spelled out; undefined for a name
 * it cannot declare (empty, a leading digit, any other character), which kro leaves out.
 */
export function escapeCelFieldName(name: string): string | undefined {
  if (name === '' || /^[0-9]/.test(name)) return undefined;
  if (CEL_RESERVED_WORDS.has(name)) return `__${name}__`;
  if (!/^[A-Za-z0-9_./-]*$/.test(name)) return undefined;
  return name.replace(/__|[./-]/g, (m) => ESCAPES[m] ?? m);
}

function ensureObject(s: JsonObject): void {
  if (s.type === undefined) s.type = 'object';
  if (!isPlainObject(s.properties)) s.properties = {};
}

function asObject(v: JsonValue | undefined): JsonObject {
  return isPlainObject(v) ? (v as JsonObject) : {};
}

// `leaf` is made for this one place (schemaFromCelType builds a new schema on every call), so it
// is placed as it is, not copied.
function place(current: JsonObject, segments: readonly (string | number)[], leaf: JsonObject): void {
  const last = segments.length - 1;
  for (let i = 0; i <= last; i++) {
    const seg = segments[i] as string | number;
    if (typeof seg === 'number') {
      current.type = 'array';
      const items = asObject(current.items);
      current.items = items;
      if (i === last) {
        for (const k of Object.keys(items)) delete items[k];
        Object.assign(items, leaf);
        return;
      }
      ensureObject(items);
      current = items;
      continue;
    }
    ensureObject(current);
    const props = current.properties as JsonObject;
    if (i === last) {
      setOwn(props, seg, leaf);
      return;
    }
    const child = asObject(props[seg]);
    ensureObject(child);
    setOwn(props, seg, child);
    current = child;
  }
}

/**
 * The status object schema for `fields` (without kro's default `state`/`conditions`, which the
 * CRD builder adds). Fields are placed in order, so a later field at the same path wins.
 */
export function inferStatusSchema(fields: readonly StatusField[]): JsonObject {
  const root: JsonObject = { type: 'object', properties: {} };
  // Indexed (cold code, see schemaFromDeclaredType).
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] as StatusField;
    place(root, f.path, schemaFromCelType(f.type));
  }
  return root;
}
