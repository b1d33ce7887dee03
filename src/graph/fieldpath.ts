// kro's field paths (pkg/graph/fieldpath): `spec.containers[0].image`, with `["key.with.dots"]`
// for keys that contain a dot or are empty. Descriptors from the template walker carry these
// strings, and the renderer parses them back to write evaluated values.
//
// Like kro, quoted keys are not unescaped when parsed: a key ends at the first `"`. kro never
// produces such keys for Kubernetes objects (label and annotation keys cannot contain quotes).
import { goQuote } from '../cel/goquote.js';

export interface PathSegment {
  /** The map key; `''` for an index segment (and for the empty key). */
  readonly name: string;
  /** The list index, or -1 for a map key. */
  readonly index: number;
}

export type FieldPathResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: string };

export function namedSegment(name: string): PathSegment {
  return { name, index: -1 };
}

export function indexedSegment(index: number): PathSegment {
  return { name: '', index };
}

const DOT = 0x2e;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const DOUBLE_QUOTE = 0x22;

/** kro's `fieldpath.Parse`. Error texts are kro's (positions are string offsets). */
export function parseFieldPath(path: string): FieldPathResult<PathSegment[]> {
  const segments: PathSegment[] = [];
  const n = path.length;
  let pos = 0;
  while (pos < n) {
    if (pos + 1 < n && path.charCodeAt(pos) === OPEN_BRACKET && path.charCodeAt(pos + 1) === DOUBLE_QUOTE) {
      const start = pos + 2;
      const close = path.indexOf('"', start);
      if (close === -1) return fail(`unterminated quoted string starting at position ${start}`);
      pos = close + 1;
      if (pos >= n || path.charCodeAt(pos) !== CLOSE_BRACKET) {
        return fail(`expected closing bracket after quote at position ${pos}`);
      }
      pos++;
      segments.push(namedSegment(path.slice(start, close)));
    } else if (pos < n && path.charCodeAt(pos) !== OPEN_BRACKET) {
      const start = pos;
      while (pos < n) {
        const c = path.charCodeAt(pos);
        if (c === DOT || c === OPEN_BRACKET) break;
        pos++;
      }
      if (start === pos) return fail(`empty field name at position ${start}`);
      segments.push(namedSegment(path.slice(start, pos)));
    }

    if (
      pos < n &&
      path.charCodeAt(pos) === OPEN_BRACKET &&
      (pos + 1 >= n || path.charCodeAt(pos + 1) !== DOUBLE_QUOTE)
    ) {
      const start = pos + 1;
      const close = path.indexOf(']', start);
      if (close === -1) return fail(`unterminated array index at position ${start}`);
      const text = path.slice(start, close);
      const index = goAtoi(text);
      if (index === undefined) return fail(`invalid array index '${text}' at position ${start}`);
      pos = close + 1;
      segments.push(indexedSegment(index));
    }

    if (pos < n && path.charCodeAt(pos) === DOT) pos++;
  }
  return { ok: true, value: segments };
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Go's `strconv.Atoi` on 64-bit platforms: optional sign, decimal digits, int64 range. Note that
 * `[-1]` therefore parses, to kro's "not an index" marker, exactly as in kro.
 */
function goAtoi(text: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  if (text.length < 16) return Number(text);
  const big = BigInt(text);
  if (big < INT64_MIN || big > INT64_MAX) return undefined;
  return Number(big);
}

/** kro's `fieldpath.Build`. Keys with a dot or empty keys are written `["key"]`, Go-quoted. */
export function buildFieldPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.index !== -1) {
      out += `[${segment.index}]`;
    } else if (segment.name === '' || segment.name.includes('.')) {
      out += `[${goQuote(segment.name)}]`;
    } else {
      if (i > 0) out += '.';
      out += segment.name;
    }
  }
  return out;
}

/**
 * kro's `joinPathAndFieldName`, used while walking templates. Unlike `buildFieldPath` the key is
 * not escaped, which is what kro does.
 */
export function joinPathAndFieldName(path: string, fieldName: string): string {
  if (fieldName === '' || fieldName.includes('.')) return `${path}["${fieldName}"]`;
  if (path === '') return fieldName;
  return `${path}.${fieldName}`;
}

/** `path[index]`, as kro writes list items while walking templates. */
export function joinPathAndIndex(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** kro's `%v` of a segment, used in the renderer's error texts: `{name -1}`, `{ 0}`. */
export function formatSegment(segment: PathSegment): string {
  return `{${segment.name} ${segment.index}}`;
}
