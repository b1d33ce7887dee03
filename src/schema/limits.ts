// How large and how deep a SimpleSchema becomes once every custom type is inlined, measured
// without inlining anything: each type's extent is computed once, from its own fields and the
// extents of the types it uses, so `T0 {a: T1, b: T1}, T1 {a: T2, b: T2}, ...` costs one step per
// type however many copies the CRD would hold.
//
// kro inlines custom types into the CRD too, so a schema over these limits could never be applied:
// the API server refuses request bodies over 3 MiB (and etcd objects over 1.5 MiB by default). The
// depth limit is kro-gen's own: every stage after this one walks the schema recursively.
import type { JsonValue } from '../rgd/model.js';
import { isPlainObject, parseTypeString, type SimpleType } from './types.js';

/** The estimated JSON size of an instance CRD's spec schema (the API server's request limit). */
export const MAX_EXPANDED_SCHEMA_BYTES = 3 * 1024 * 1024;
/** How many objects, arrays and maps a schema may nest once custom types are inlined. */
export const MAX_SCHEMA_DEPTH = 100;

export interface Extent {
  /** Estimated bytes of the OpenAPI JSON (see `fieldExtent`). */
  readonly bytes: number;
  /** Nesting levels of objects, arrays and maps, the field's own included. */
  readonly depth: number;
}

// Bytes of OpenAPI JSON: around a field's key (`"key":` and a comma), a scalar's schema
// (`{"type":"string"}`), an object's fields (`{"type":"object","properties":{}}`) and an
// array's or map's element (`{"type":"array","items":}`).
const FIELD_OVERHEAD = 4;
const SCALAR = 17;
const OBJECT_OVERHEAD = 32;
const WRAPPER_OVERHEAD = 25;

/**
 * The extent of one field (`key: raw`) of a type definition or spec: an estimate of its OpenAPI
 * JSON (its key and field string plus a fixed size per field, scalar, object and `[]`/`map`
 * wrapper, plus the full extent of every custom type it uses) and its depth. `typeExtent` gives
 * the extents of custom types already measured (undefined: unknown or broken, counted as a scalar).
 */
export function fieldExtent(
  key: string,
  raw: JsonValue | undefined,
  typeExtent: (name: string) => Extent | undefined,
): Extent {
  if (typeof raw === 'string') {
    const t = parseTypeString(raw);
    return stringFieldExtent(key, raw, t.error ? undefined : t.type, typeExtent);
  }
  if (isPlainObject(raw)) {
    return objectFieldExtent(key, structExtent(raw as Record<string, JsonValue>, typeExtent));
  }
  return otherFieldExtent(key);
}

/** The extent of a map of fields (a struct type, or `spec`). */
export function structExtent(
  fields: Readonly<Record<string, JsonValue>>,
  typeExtent: (name: string) => Extent | undefined,
): Extent {
  let bytes = 0;
  let depth = 0;
  for (const [k, v] of Object.entries(fields)) {
    const e = fieldExtent(k, v, typeExtent);
    bytes += e.bytes;
    if (e.depth > depth) depth = e.depth;
  }
  return structOfFields(bytes, depth);
}

// The pieces of fieldExtent and structExtent, for a walk that measures a schema while it does
// something else with it (build.ts).

/** A field string `key: raw` whose type parsed as `t` (undefined: it does not parse). */
export function stringFieldExtent(
  key: string,
  raw: string,
  t: SimpleType | undefined,
  typeExtent: (name: string) => Extent | undefined,
): Extent {
  const inner = t === undefined ? { bytes: SCALAR, depth: 1 } : typeOf(t, typeExtent);
  return { bytes: key.length + raw.length + FIELD_OVERHEAD + inner.bytes, depth: inner.depth };
}

/** A field whose value is a map of fields of extent `fields`. */
export function objectFieldExtent(key: string, fields: Extent): Extent {
  return { bytes: key.length + FIELD_OVERHEAD + fields.bytes, depth: fields.depth };
}

/** A field whose value is neither a string nor a map (an error, counted as a scalar). */
export function otherFieldExtent(key: string): Extent {
  return { bytes: key.length + FIELD_OVERHEAD + SCALAR, depth: 1 };
}

/** A map of fields whose fields' bytes add up to `bytes`, the deepest `depth` levels deep. */
export function structOfFields(bytes: number, depth: number): Extent {
  return { bytes: OBJECT_OVERHEAD + bytes, depth: depth + 1 };
}

function typeOf(t: SimpleType, typeExtent: (name: string) => Extent | undefined): Extent {
  switch (t.kind) {
    case 'slice':
    case 'map': {
      const inner = typeOf(t.kind === 'slice' ? t.elem : t.value, typeExtent);
      return { bytes: inner.bytes + WRAPPER_OVERHEAD, depth: inner.depth + 1 };
    }
    case 'custom': {
      // A struct type's extent counts its own object level already.
      const e = typeExtent(t.name);
      return e ?? { bytes: SCALAR, depth: 1 };
    }
    default:
      return { bytes: SCALAR, depth: 1 };
  }
}

/** `3.4 MiB`, `812 KiB`: sizes as a message shows them. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${n} bytes`;
}
