// Applying markers to a schema node, with kro's rule for each marker: which OpenAPI types accept it,
// how its value is parsed, and how markers interact (listType vs uniqueItems vs listMapKey).
// Markers apply on top of what a node already has, because a field using a custom type refines a
// copy of that type (`'[]Container | listType=map listMapKey=name'`).
import { RE2JS } from 're2js';
import { excerpt } from '../diagnostics.js';
import { jsonDepth, parseJsonExact } from '../json.js';
import type { JsonValue } from '../rgd/model.js';
import { goParseBool, goParseFloat64, goParseInt64Value, goTrimSpace } from './gostrconv.js';
import { MAX_SCHEMA_DEPTH } from './limits.js';
import type { Marker } from './markers.js';
import type { ListType, NodeCommon, SchemaNode, ValidationRule } from './model.js';

export type OpenApiType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';

/** The marker-settable attributes of a node, whatever its kind. */
export interface Facets {
  description?: string;
  default?: JsonValue;
  minimum?: number;
  maximum?: number;
  enum?: (string | number | bigint)[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  listType?: ListType;
  listMapKeys?: string[];
  validations: ValidationRule[];
  immutable: boolean;
}

export interface MarkerError {
  readonly message: string;
  /** The marker at fault; absent for problems of the field as a whole. */
  readonly marker?: Marker;
  readonly code: 'schema/invalid-marker' | 'schema/invalid-default';
}

export interface AppliedMarkers {
  readonly facets: Facets;
  /** A `required=true` marker was present: the field goes into its parent's `required`. */
  readonly required: boolean;
  readonly errors: readonly MarkerError[];
}

export const IMMUTABLE_RULE: ValidationRule = { rule: 'self == oldSelf', message: 'field is immutable' };
/** kro gives every `validation=` rule this fixed message. */
export const VALIDATION_MESSAGE = 'validation failed';

export function emptyFacets(): Facets {
  return { validations: [], immutable: false };
}

/**
 * Apply `markers` in order to a copy of `base`, for a node of OpenAPI type `type`. A bad marker is
 * reported and skipped, and the rest still apply, so one pass reports every problem of a field.
 */
export function applyMarkers(type: OpenApiType, base: Facets, markers: readonly Marker[]): AppliedMarkers {
  const f: Facets = { ...base, validations: [...base.validations] };
  if (base.enum) f.enum = [...base.enum];
  if (base.listMapKeys) f.listMapKeys = [...base.listMapKeys];
  return applyMarkersTo(type, f, markers);
}

/** applyMarkers on `f` itself, for a caller whose `f` is a copy already (facetsOf makes one). */
export function applyMarkersTo(type: OpenApiType, f: Facets, markers: readonly Marker[]): AppliedMarkers {
  const errors: MarkerError[] = [];
  let required = false;
  // Indexed: cold code (docs/architecture.md).
  for (let i = 0; i < markers.length; i++) {
    const problem = applyMarker(type, f, markers[i] as Marker);
    if (problem === true) required = true;
    else if (problem !== undefined) errors.push(problem);
  }
  if (f.listMapKeys && f.listMapKeys.length > 0 && f.listType !== 'map') {
    const marker = markers.find((m) => m.type === 'listMapKey');
    errors.push({
      message:
        f.listType === undefined
          ? 'listMapKey set while listType is unset, listType must be set to map'
          : `listMapKey set while listType is set to ${f.listType}, listType must be set to map`,
      ...(marker ? { marker } : {}),
      code: 'schema/invalid-marker',
    });
  }
  return { facets: f, required, errors };
}

// Returns `true` for a true `required` marker, an error, or undefined when applied.
// Plain functions rather than closures made per marker: this runs for every marker of every schema.
function applyMarker(type: OpenApiType, f: Facets, m: Marker): MarkerError | true | undefined {
  const v = m.value;
  switch (m.type) {
    case 'required': {
      const b = goParseBool(v);
      if (b === undefined) return bad(m, `failed to parse required marker value: ${notA('boolean', v)}`);
      return b ? true : undefined;
    }
    case 'default': {
      const parsed = parseDefault(type, v);
      if ('error' in parsed) return bad(m, parsed.error, 'schema/invalid-default');
      f.default = parsed.value;
      return undefined;
    }
    case 'description':
      f.description = v;
      return undefined;
    case 'minimum':
    case 'maximum': {
      const n = goParseFloat64(v);
      if (n === undefined || !Number.isFinite(n)) {
        return bad(m, `failed to parse ${m.type} value: ${notA('finite number', v)}`);
      }
      f[m.type] = n;
      return undefined;
    }
    case 'validation':
      if (goTrimSpace(v) === '') return bad(m, 'validation marker rule must not be empty');
      f.validations.push({ rule: v, message: VALIDATION_MESSAGE });
      return undefined;
    case 'immutable': {
      const b = goParseBool(v);
      if (b === undefined) return bad(m, `failed to parse immutable marker value: ${notA('boolean', v)}`);
      if (b) {
        f.validations.push(IMMUTABLE_RULE);
        f.immutable = true;
      }
      return undefined;
    }
    case 'enum':
      return applyEnum(type, f, v, m);
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems': {
      const wrong = m.type.endsWith('Length')
        ? onlyFor(m, type, 'string', 'string')
        : onlyFor(m, type, 'array', 'array');
      if (wrong) return wrong;
      const n = goParseInt64Value(v);
      if (n === undefined) return bad(m, `failed to parse ${m.type} value: ${notA('integer', v)}`);
      f[m.type] = Number(n);
      return undefined;
    }
    case 'pattern': {
      if (v === '') return bad(m, 'pattern marker value cannot be empty');
      const wrong = onlyFor(m, type, 'string', 'string');
      if (wrong) return wrong;
      const problem = re2Problem(v);
      if (problem !== undefined) return bad(m, `invalid pattern regex: ${problem}`);
      f.pattern = v;
      return undefined;
    }
    case 'uniqueItems': {
      const b = goParseBool(v);
      if (b === undefined) return bad(m, `failed to parse uniqueItems marker value: ${notA('boolean', v)}`);
      const wrong = onlyFor(m, type, 'array', 'array');
      if (wrong) return wrong;
      if (b) {
        // kro expresses uniqueness as a set list; OpenAPI `uniqueItems` is not allowed in CRDs.
        if (f.listType !== undefined && f.listType !== 'set') {
          return bad(m, `cannot set unique when listType is set to ${f.listType}`);
        }
        f.listType = 'set';
      }
      return undefined;
    }
    case 'listType': {
      if (type !== 'array') return bad(m, 'listType marker only applies to array types');
      if (v !== 'atomic' && v !== 'set' && v !== 'map') {
        return bad(m, `unsupported value for listType ${v}, needs to be one of atomic, set, or map`);
      }
      if (f.listType !== undefined && f.listType !== v) {
        return bad(
          m,
          `listType attempting to overwrite set type of ${f.listType}, this can happen if you set contradictory markers like uniqueItems=true listType=map`,
        );
      }
      f.listType = v;
      return undefined;
    }
    case 'listMapKey': {
      if (type !== 'array') return bad(m, 'listMapKey marker only applies to array types');
      if (f.listMapKeys?.includes(v)) return bad(m, `duplicate listMapKey marker, value ${v}`);
      f.listMapKeys = [...(f.listMapKeys ?? []), v];
      return undefined;
    }
    default:
      // Only reachable for markers built by hand, bypassing the lexer's key check.
      return bad(m, `unknown marker: ${String(m.type)}`);
  }
}

function bad(m: Marker, message: string, code: MarkerError['code'] = 'schema/invalid-marker'): MarkerError {
  return { message, marker: m, code };
}

function onlyFor(m: Marker, type: OpenApiType, want: OpenApiType, what: string): MarkerError | undefined {
  return type === want
    ? undefined
    : bad(m, `${m.type} marker is only valid for ${what} types, got type: ${type}`);
}

function applyEnum(type: OpenApiType, f: Facets, v: string, m: Marker): MarkerError | undefined {
  const values: (string | number | bigint)[] = [];
  for (const raw of v.split(',')) {
    const item = goTrimSpace(raw);
    if (item === '') return bad(m, 'empty enum values are not allowed');
    if (type === 'string') {
      values.push(item);
    } else if (type === 'integer') {
      const n = goParseInt64Value(item);
      if (n === undefined) return bad(m, `failed to parse integer enum value: ${notA('integer', item)}`);
      values.push(n);
    } else {
      return bad(m, `enum values only supported for string and integer types, got type: ${type}`);
    }
  }
  f.enum = values;
  return undefined;
}

/**
 * The JSON value a `default=` marker stands for. kro pastes the marker text into the CRD as raw JSON
 * (quoting strings without escaping them); we produce the value it evidently means, as real JSON:
 * strings are the marker text, numbers and booleans are what Go's parser read, and other types must be
 * valid JSON text.
 */
export function parseDefault(type: OpenApiType, v: string): { value: JsonValue } | { error: string } {
  switch (type) {
    case 'string':
      return { value: v };
    case 'integer': {
      const n = goParseInt64Value(v);
      if (n === undefined) return { error: `default value must be a valid integer, got: ${excerpt(v)}` };
      return { value: n };
    }
    case 'number': {
      const n = goParseFloat64(v);
      if (n === undefined || !Number.isFinite(n))
        return { error: `default value must be a valid number, got: ${excerpt(v)}` };
      return { value: n };
    }
    case 'boolean': {
      const b = goParseBool(v);
      if (b === undefined) return { error: `default value must be a valid boolean, got: ${excerpt(v)}` };
      return { value: b };
    }
    default: {
      let value: JsonValue;
      try {
        value = parseJsonExact(v) as JsonValue;
      } catch {
        return { error: `default value must be valid JSON, got: ${excerpt(v)}` };
      }
      // Every later stage (CRD, codegen, synth) walks the default recursively.
      const depth = jsonDepth(value);
      if (depth > MAX_SCHEMA_DEPTH) {
        return { error: `default value nests ${depth} levels deep; kro-gen allows ${MAX_SCHEMA_DEPTH}` };
      }
      return { value };
    }
  }
}

function notA(what: string, v: string): string {
  return `${JSON.stringify(v)} is not a valid ${what}`;
}

/** Why `pattern` does not compile as an RE2 regular expression (Go's `regexp` syntax), if it does not. */
export function re2Problem(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** The marker-settable attributes a node already has. */
export function facetsOf(node: SchemaNode): Facets {
  const f: Facets = { validations: [...node.validations], immutable: node.immutable };
  if (node.description !== undefined) f.description = node.description;
  if (node.default !== undefined) f.default = node.default;
  if (node.minimum !== undefined) f.minimum = node.minimum;
  if (node.maximum !== undefined) f.maximum = node.maximum;
  if (node.kind === 'string' || node.kind === 'integer') {
    if (node.enum) f.enum = [...node.enum];
  }
  if (node.kind === 'string') {
    if (node.pattern !== undefined) f.pattern = node.pattern;
    if (node.minLength !== undefined) f.minLength = node.minLength;
    if (node.maxLength !== undefined) f.maxLength = node.maxLength;
  }
  if (node.kind === 'array') {
    if (node.minItems !== undefined) f.minItems = node.minItems;
    if (node.maxItems !== undefined) f.maxItems = node.maxItems;
    if (node.listType !== undefined) f.listType = node.listType;
    if (node.listMapKeys) f.listMapKeys = [...node.listMapKeys];
  }
  return f;
}

/**
 * `node` with its marker-settable attributes replaced by `f` (kind rules were checked by applyMarkers),
 * and with `path` and `required` when given. Built key by key, always in the same order: spreading
 * an object per optional key made several throw-away objects for every field of every schema.
 */
export function withFacets(
  node: SchemaNode,
  f: Facets,
  path: NodeCommon['path'] = node.path,
  required: boolean = node.required,
): SchemaNode {
  const out: Record<string, unknown> = { kind: node.kind, path };
  if (node.typeName !== undefined) out.typeName = node.typeName;
  out.required = required;
  if (f.description !== undefined) out.description = f.description;
  if (f.default !== undefined) out.default = f.default;
  if (f.minimum !== undefined) out.minimum = f.minimum;
  if (f.maximum !== undefined) out.maximum = f.maximum;
  out.validations = f.validations;
  out.immutable = f.immutable;
  switch (node.kind) {
    case 'string':
      if (f.enum) out.enum = f.enum.map(String);
      if (f.pattern !== undefined) out.pattern = f.pattern;
      if (f.minLength !== undefined) out.minLength = f.minLength;
      if (f.maxLength !== undefined) out.maxLength = f.maxLength;
      break;
    case 'integer':
      if (f.enum) out.enum = f.enum.map((e) => (typeof e === 'bigint' ? e : Number(e)));
      break;
    case 'array':
      out.items = node.items;
      if (f.minItems !== undefined) out.minItems = f.minItems;
      if (f.maxItems !== undefined) out.maxItems = f.maxItems;
      if (f.listType !== undefined) out.listType = f.listType;
      if (f.listMapKeys) out.listMapKeys = f.listMapKeys;
      break;
    case 'map':
      out.values = node.values;
      break;
    case 'struct':
      out.fields = node.fields;
      out.requiredFields = node.requiredFields;
      break;
  }
  return out as unknown as SchemaNode;
}
