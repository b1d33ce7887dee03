// The renderer's path primitives, as kro's resolver has them (pkg/runtime/resolver): read and
// write a value at a field path, put evaluated expression values into a template, and drop the
// map keys and list items that CEL `omit()` removed.
//
// Everything here is pure: writes copy the containers along the path (or work on a private deep
// copy) and never touch the caller's objects. Values taken from the evaluated data are inserted as
// they are, not copied, and are never modified.
import { isOmit } from '../cel/omit.js';
import { formatSegment, type PathSegment, parseFieldPath } from '../graph/fieldpath.js';
import { deepCopyJson, setOwn } from '../json.js';
import type { DocPath } from '../rgd/model.js';

export type PathResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: string };

/** Evaluated values, keyed by kro's expression text (`FieldExpression.expression`). */
export type ExpressionData = ReadonlyMap<string, unknown>;

/** A field to resolve; `FieldExpression` from src/cel/template.ts fits. */
export interface ResolvableField {
  /** kro's field path. */
  readonly path: string;
  /** The same path as keys and indexes; when given it is used instead of parsing `path`. */
  readonly segments?: DocPath;
  /** kro's expression text: the key into the evaluated data. */
  readonly expression: string;
  /** The string template as written, for messages (kro's `UserExpression`). */
  readonly template?: string;
}

export interface ResolutionResult {
  readonly path: string;
  readonly resolved: boolean;
  /** The value written (present when resolved). */
  readonly replaced?: unknown;
  readonly error?: string;
}

export interface ResolutionSummary {
  readonly totalExpressions: number;
  readonly resolvedExpressions: number;
  readonly results: readonly ResolutionResult[];
  readonly errors: readonly string[];
}

type JsonMap = Record<string, unknown>;

function isMap(value: unknown): value is JsonMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The Go type name kro's messages print (`%T` of a decoded JSON value). */
function goTypeName(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return '[]interface {}';
  if (isOmit(value)) return 'sentinels.Omit';
  switch (typeof value) {
    case 'object':
      return 'map[string]interface {}';
    case 'number':
      return Number.isInteger(value) ? 'int64' : 'float64';
    case 'bigint':
      return 'int64';
    default:
      return typeof value;
  }
}

function segmentsOf(path: string, docPath: DocPath | undefined): PathResult<readonly PathSegment[]> {
  if (docPath !== undefined) {
    return {
      ok: true,
      value: docPath.map((s) => (typeof s === 'number' ? { name: '', index: s } : { name: s, index: -1 })),
    };
  }
  const parsed = parseFieldPath(path);
  if (!parsed.ok) return { ok: false, error: `invalid path '${path}': ${parsed.error}` };
  return parsed;
}

/** kro's `getValueFromPath`: the value at `path`, which must exist. */
export function getValueFromPath(resource: unknown, path: string): PathResult<unknown> {
  const segments = segmentsOf(path, undefined);
  if (!segments.ok) return segments;
  return getValueAtSegments(resource, segments.value);
}

export function getValueAtSegments(resource: unknown, segments: readonly PathSegment[]): PathResult<unknown> {
  let current = resource;
  for (const segment of segments) {
    if (segment.index >= 0) {
      if (!Array.isArray(current))
        return { ok: false, error: `expected array at path segment: ${formatSegment(segment)}` };
      if (segment.index >= current.length)
        return { ok: false, error: `array index out of bounds: ${segment.index}` };
      current = current[segment.index];
    } else {
      if (!isMap(current))
        return { ok: false, error: `expected map at path segment: ${formatSegment(segment)}` };
      if (!Object.hasOwn(current, segment.name))
        return { ok: false, error: `key not found: ${segment.name}` };
      current = current[segment.name];
    }
  }
  return { ok: true, value: current };
}

/**
 * kro's `setValueAtPath`, returning the changed copy: missing maps and lists on the way are
 * created, lists are padded with null up to the index, and an empty path changes nothing.
 */
export function setValueAtPath<T>(resource: T, path: string, value: unknown): PathResult<T> {
  const segments = segmentsOf(path, undefined);
  if (!segments.ok) return segments;
  return setValueAtSegments(resource, segments.value, value);
}

/** kro's public name for `setValueAtPath`. */
export const upsertValueAtPath = setValueAtPath;

export function setValueAtSegments<T>(
  resource: T,
  segments: readonly PathSegment[],
  value: unknown,
): PathResult<T> {
  if (segments.length === 0) return { ok: true, value: resource };
  return setAt(resource, segments, 0, value, true) as PathResult<T>;
}

/** Writes below `container` from segment `i` on; copies each container it changes when `copy`. */
function setAt(
  container: unknown,
  segments: readonly PathSegment[],
  i: number,
  value: unknown,
  copy: boolean,
): PathResult<unknown> {
  const segment = segments[i]!;
  const next = segments[i + 1];
  if (segment.index >= 0) {
    if (!Array.isArray(container)) {
      return {
        ok: false,
        error: `expected array at segment ${formatSegment(segment)}, got ${goTypeName(container)}`,
      };
    }
    const list: unknown[] = copy ? container.slice() : container;
    while (list.length <= segment.index) list.push(null);
    if (next === undefined) {
      list[segment.index] = value;
      return { ok: true, value: list };
    }
    const child = list[segment.index] ?? (next.index >= 0 ? [] : {});
    const written = setAt(child, segments, i + 1, value, copy);
    if (!written.ok) return written;
    list[segment.index] = written.value;
    return { ok: true, value: list };
  }

  if (!isMap(container))
    return { ok: false, error: `expected map at path segment: ${formatSegment(segment)}` };
  const map: JsonMap = copy ? { ...container } : container;
  if (next === undefined) {
    setOwn(map, segment.name, value);
    return { ok: true, value: map };
  }
  const existing = Object.hasOwn(map, segment.name) ? map[segment.name] : undefined;
  const child = existing ?? (next.index >= 0 ? [] : {});
  const written = setAt(child, segments, i + 1, value, copy);
  if (!written.ok) return written;
  setOwn(map, segment.name, written.value);
  return { ok: true, value: map };
}

/**
 * kro's `resolveField`, returning the changed copy: the field must exist in the template, and its
 * whole value is replaced by the evaluated value of its expression.
 */
export function resolveField<T>(
  resource: T,
  field: ResolvableField,
  data: ExpressionData,
): { readonly resource: T; readonly result: ResolutionResult } {
  const { root, result } = resolveInto(resource, field, data, true);
  return { resource: root as T, result };
}

function resolveInto(
  resource: unknown,
  field: ResolvableField,
  data: ExpressionData,
  copy: boolean,
): { root: unknown; result: ResolutionResult } {
  const segments = segmentsOf(field.path, field.segments);
  const existing = segments.ok ? getValueAtSegments(resource, segments.value) : segments;
  if (!segments.ok || !existing.ok) {
    const error = existing.ok ? '' : existing.error;
    return {
      root: resource,
      result: { path: field.path, resolved: false, error: `error getting value: ${error}` },
    };
  }
  if (!data.has(field.expression)) {
    const userExpression = field.template ?? field.expression;
    return {
      root: resource,
      result: {
        path: field.path,
        resolved: false,
        error: `no data provided for expression: ${userExpression}`,
      },
    };
  }
  const value = data.get(field.expression);
  let root = resource;
  if (segments.value.length > 0) {
    // Cannot fail: every container on the path was just read.
    const written = setAt(resource, segments.value, 0, value, copy);
    if (written.ok) root = written.value;
  }
  return { root, result: { path: field.path, resolved: true, replaced: value } };
}

/**
 * kro's `Resolve`: every field's evaluated value written into a copy of `resource`, then omitted
 * values removed. Fields whose path is missing or whose expression has no value are reported and
 * left as written.
 */
export function resolve<T>(
  resource: T,
  fields: readonly ResolvableField[],
  data: ExpressionData,
): { readonly resource: T; readonly summary: ResolutionSummary } {
  let root: unknown = deepCopyJson(resource);
  const results: ResolutionResult[] = [];
  const errors: string[] = [];
  let resolvedExpressions = 0;
  for (const field of fields) {
    const step = resolveInto(root, field, data, false);
    root = step.root;
    results.push(step.result);
    if (step.result.resolved) resolvedExpressions++;
    if (step.result.error !== undefined) errors.push(step.result.error);
  }
  return {
    resource: cleanOmitSentinels(root) as T,
    summary: { totalExpressions: fields.length, resolvedExpressions, results, errors },
  };
}

/**
 * kro's `cleanOmitSentinels`, returning a cleaned copy: map keys holding the omit sentinel are
 * deleted and list items holding it removed, at any depth. Unchanged subtrees are shared.
 */
export function cleanOmitSentinels<T>(value: T): T {
  return clean(value) as T;
}

function clean(value: unknown): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (isOmit(item)) {
        out ??= value.slice(0, i);
        continue;
      }
      const cleaned = clean(item);
      if (out === undefined && cleaned !== item) out = value.slice(0, i);
      out?.push(cleaned);
    }
    return out ?? value;
  }
  if (isMap(value)) {
    let out: JsonMap | undefined;
    for (const key of Object.keys(value)) {
      const item = value[key];
      if (isOmit(item)) {
        out ??= { ...value };
        delete out[key];
        continue;
      }
      const cleaned = clean(item);
      if (cleaned !== item) {
        out ??= { ...value };
        setOwn(out, key, cleaned);
      }
    }
    return out ?? value;
  }
  return value;
}
