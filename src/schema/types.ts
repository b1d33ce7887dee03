// The SimpleSchema type grammar: the part of a field string before the first `|`.
//   type := string | integer | boolean | float | object | []type | map[string]type | CustomName
// Anything else is taken as a custom type name and resolved later, as kro does.

import { setOwn } from '../json.js';
import { goTrimSpace } from './gostrconv.js';
import { type Marker, type MarkerSyntaxError, parseMarkers } from './markers.js';

export type AtomicName = 'string' | 'integer' | 'boolean' | 'float';

export type SimpleType =
  | { readonly kind: 'atomic'; readonly name: AtomicName }
  | { readonly kind: 'object' }
  | { readonly kind: 'slice'; readonly elem: SimpleType }
  | { readonly kind: 'map'; readonly value: SimpleType }
  | { readonly kind: 'custom'; readonly name: string }
  | { readonly kind: 'struct'; readonly fields: Readonly<Record<string, SimpleType>> };

/** kro caps `[]`/`map[string]` nesting so pathological strings cannot exhaust the stack. */
export const MAX_TYPE_NESTING = 16;

export interface SchemaTypeError {
  readonly message: string;
  readonly code: 'schema/invalid-type' | 'schema/unexpected-value';
}

export type TypeResult =
  | { readonly type: SimpleType; readonly error?: undefined }
  | { readonly error: SchemaTypeError };

const ATOMICS: readonly string[] = ['string', 'integer', 'boolean', 'float'];

function invalid(message: string): { error: SchemaTypeError } {
  return { error: { message, code: 'schema/invalid-type' } };
}

/** Parse the type part of a field string (everything before the first `|`). */
export function parseTypeString(field: string): TypeResult {
  const typeText = goTrimSpace(typePart(field));
  if (typeText === '') return invalid('empty type');
  return parseType(typeText, 0);
}

/** The text before the first `|` (the whole string when there is none). */
export function typePart(field: string): string {
  const bar = field.indexOf('|');
  return bar < 0 ? field : field.slice(0, bar);
}

function parseType(text: string, depth: number): TypeResult {
  if (depth > MAX_TYPE_NESTING) {
    return invalid(`type nesting too deep (max ${MAX_TYPE_NESTING}): ${JSON.stringify(text)}`);
  }
  const s = goTrimSpace(text);
  if (ATOMICS.includes(s)) return { type: { kind: 'atomic', name: s as AtomicName } };
  if (s === 'object') return { type: { kind: 'object' } };
  if (s.startsWith('[]')) {
    const elem = s.slice(2);
    if (elem === '') return invalid('empty slice element type');
    const r = parseType(elem, depth + 1);
    return r.error ? r : { type: { kind: 'slice', elem: r.type } };
  }
  const map = parseMapString(s);
  if (map.error) return { error: map.error };
  if (map.value !== '') {
    const r = parseType(map.value, depth + 1);
    return r.error ? r : { type: { kind: 'map', value: r.type } };
  }
  return { type: { kind: 'custom', name: s } };
}

/**
 * The value type text of `map[string]X`; `''` when `s` is not a map at all. The key must be spelled
 * exactly `map[string]`.
 */
export function parseMapString(
  s: string,
):
  | { readonly value: string; readonly error?: undefined }
  | { readonly error: SchemaTypeError; readonly value?: undefined } {
  if (!s.startsWith('map[')) return { value: '' };
  if (!s.startsWith('map[string]')) return invalid('map key must be string');
  const rest = goTrimSpace(s.slice('map[string]'.length));
  if (rest === '') return invalid('map value type is required');
  return { value: rest };
}

export type FieldResult =
  | { readonly type: SimpleType; readonly markers: readonly Marker[]; readonly error?: undefined }
  | { readonly error: SchemaTypeError | MarkerSyntaxError; readonly markersOffset?: number };

/** Parse a whole field string, `"<type> [| <markers>]"`. Marker error offsets are into the markers text. */
export function parseField(field: string): FieldResult {
  const t = parseTypeString(field);
  if (t.error) return t;
  const bar = field.indexOf('|');
  if (bar < 0) return { type: t.type, markers: [] };
  const m = parseMarkers(field.slice(bar + 1));
  if (m.error) return { error: m.error, markersOffset: bar + 1 };
  return { type: t.type, markers: m.markers };
}

/** A spec value: a field string, or a map of fields (which becomes a struct). */
export function parseSpec(spec: unknown): TypeResult {
  if (typeof spec === 'string') return parseTypeString(spec);
  if (isPlainObject(spec)) {
    const fields: Record<string, SimpleType> = {};
    for (const [name, value] of Object.entries(spec)) {
      const r = parseSpec(value);
      if (r.error) return { error: { ...r.error, message: `field ${name}: ${r.error.message}` } };
      setOwn(fields, name, r.type);
    }
    return { type: { kind: 'struct', fields } };
  }
  return { error: { message: `unexpected type: ${describeValue(spec)}`, code: 'schema/unexpected-value' } };
}

/** Names of the custom types a type refers to, in order of appearance (duplicates kept). */
export function typeDeps(t: SimpleType): string[] {
  switch (t.kind) {
    case 'atomic':
    case 'object':
      return [];
    case 'slice':
      return typeDeps(t.elem);
    case 'map':
      return typeDeps(t.value);
    case 'custom':
      return [t.name];
    case 'struct':
      return Object.values(t.fields).flatMap(typeDeps);
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** How a non-field value is named in errors (JSON terms rather than Go's). */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}
