// The marker lexer: the text after a field's `|`, e.g. `required=true default="a b" enum="x,y"`.
// It follows kro's lexer character for character, because which strings are accepted (and how
// quotes, escapes and brackets group) is part of the language users write.
import { goTrimSpace, isGoSpace } from './gostrconv.js';

export const MARKER_TYPES = [
  'required',
  'default',
  'description',
  'minimum',
  'maximum',
  'validation',
  'enum',
  'immutable',
  'pattern',
  'uniqueItems',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'listType',
  'listMapKey',
] as const;

export type MarkerType = (typeof MARKER_TYPES)[number];

export function isMarkerType(s: string): s is MarkerType {
  return (MARKER_TYPES as readonly string[]).includes(s);
}

export interface Marker {
  readonly type: MarkerType;
  readonly key: string;
  /** The value with surrounding quotes removed and `\"`, `\\` unescaped. */
  readonly value: string;
  /** Offset (UTF-16) of the first character of the key in the lexed text. */
  readonly offset: number;
}

export interface MarkerSyntaxError {
  readonly message: string;
  /** Where in the lexed text the problem is (UTF-16 offset). */
  readonly offset: number;
  readonly code: 'schema/marker-syntax' | 'schema/unknown-marker';
}

export type MarkersResult =
  | { readonly markers: readonly Marker[]; readonly error?: undefined }
  | { readonly markers?: undefined; readonly error: MarkerSyntaxError };

// The characters the lexer below may do something other than append: inside quotes `"` and `\`;
// elsewhere `=`, quotes, brackets, ASCII white space, and any non-ASCII character (isGoSpace tells).
const QUOTED_STOPS = /["\\]/g;
const STOPS = /[="{}[\]\t-\r \x80-\uFFFF]/g;

/** Lex a marker string (the part after `|`). Stops at the first error, as kro does. */
export function parseMarkers(text: string): MarkersResult {
  const markers: Marker[] = [];
  let current: { type: MarkerType; key: string; offset: number } | undefined;
  let inQuotes = false;
  let escaped = false;
  let depth = 0;
  let buffer = '';
  // Where the text now in `buffer` began, for pointing at keys.
  let bufferStart = -1;
  let quoteStart = -1;
  const bracketStarts: number[] = [];
  // The characters appended come in runs of the text: each run is added to `buffer` in one slice
  // when a character is dropped or the buffer is read (a flush, below), not one concatenation per
  // character. Appending a character only marks where the run (and the buffer) began. Written
  // out where needed rather than as closures, which made each call allocate three functions and
  // keep these variables in a context.
  let runStart = -1;

  // By UTF-16 code unit: every character the lexer tells apart is one unit, and the halves of a
  // surrogate pair are appended one after the other as the pair would be.
  for (let at = 0; at < text.length; at++) {
    // A run of characters that can only be appended (the last branch below) is skipped in one
    // native search: a description is mostly such a run, and a loop turn per character was most
    // of building a schema.
    if (!escaped) {
      const stops = inQuotes ? QUOTED_STOPS : STOPS;
      stops.lastIndex = at;
      const next = stops.test(text) ? stops.lastIndex - 1 : text.length;
      if (next > at) {
        if (bufferStart < 0) bufferStart = at;
        if (runStart < 0) runStart = at;
        at = next;
        if (at === text.length) break;
      }
    }
    const ch = text[at] as string;
    let append = true;
    if (ch === '=' && current === undefined && !inQuotes && depth === 0) {
      if (runStart >= 0) buffer += text.slice(runStart, at);
      runStart = -1;
      append = false;
      const key = goTrimSpace(buffer);
      const keyAt = bufferStart < 0 ? at : bufferStart;
      if (key === '') return syntaxError('empty marker key', at);
      if (!isMarkerType(key)) {
        return syntaxError(
          `invalid marker key ${JSON.stringify(key)}: unknown marker: ${key}`,
          keyAt,
          'schema/unknown-marker',
        );
      }
      current = { type: key, key, offset: keyAt };
      buffer = '';
      bufferStart = -1;
    } else if (ch === '"' && !escaped) {
      inQuotes = !inQuotes;
      if (inQuotes) quoteStart = at;
    } else if (ch === '\\' && inQuotes && !escaped) {
      escaped = true;
    } else if ((ch === '{' || ch === '[') && !inQuotes) {
      depth++;
      bracketStarts.push(at);
    } else if ((ch === '}' || ch === ']') && !inQuotes) {
      depth--;
      bracketStarts.pop();
      if (depth < 0) return syntaxError('unmatched closing bracket/brace', at);
    } else if (!inQuotes && depth === 0 && isGoSpace(ch)) {
      // Outside a value, whitespace is dropped without ending the pending key: `optional x=1`
      // lexes the key `optionalx`, which is how kro rejects keys without `=`.
      if (runStart >= 0) buffer += text.slice(runStart, at);
      runStart = -1;
      append = false;
      if (current !== undefined) {
        markers.push(marker(current, buffer));
        current = undefined;
        buffer = '';
        bufferStart = -1;
      }
    } else if (escaped && inQuotes) {
      escaped = false;
    }
    if (append) {
      if (bufferStart < 0) bufferStart = at;
      if (runStart < 0) runStart = at;
    }
  }
  if (runStart >= 0) buffer += text.slice(runStart);

  if (current === undefined) {
    const hint =
      buffer === ''
        ? ' (nothing may follow the last marker, not even a space)'
        : markers.length > 0
          ? ' (a value containing spaces must be quoted)'
          : '';
    return syntaxError(
      `marker key '${buffer}' without a value${hint}`,
      bufferStart < 0 ? text.length : bufferStart,
    );
  }
  if (inQuotes) return syntaxError('unclosed quote', quoteStart);
  if (depth > 0) return syntaxError('unclosed bracket/brace', bracketStarts[0] ?? text.length);
  markers.push(marker(current, buffer));
  return { markers };
}

function syntaxError(
  message: string,
  offset: number,
  code: MarkerSyntaxError['code'] = 'schema/marker-syntax',
): MarkersResult {
  return { error: { message, offset, code } };
}

function marker(current: { type: MarkerType; key: string; offset: number }, buffer: string): Marker {
  return { type: current.type, key: current.key, offset: current.offset, value: processValue(buffer) };
}

function processValue(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return unescapeQuoted(value.slice(1, -1));
  }
  return goTrimSpace(value);
}

// Only `\"` and `\\` are escapes; any other backslash stays as written.
function unescapeQuoted(s: string): string {
  // Most values hold no backslash: the loop below would copy them a character at a time.
  if (!s.includes('\\')) return s;
  let out = '';
  let escaped = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    if (escaped) {
      if (ch !== '"' && ch !== '\\') out += '\\';
      out += ch;
      escaped = false;
    } else if (ch === '\\') {
      escaped = true;
    } else {
      out += ch;
    }
  }
  return out;
}
