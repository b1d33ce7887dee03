// Regular expressions (as JSON Schema `pattern` strings) for the strings of an RGD that have a
// grammar of their own: SimpleSchema field strings and standalone `${...}` expressions. A JSON
// Schema validator checks them in an editor that knows nothing of kro; `kro-gen validate` remains the
// judge. So each pattern accepts everything kro accepts (a string it refuses is refused by kro too)
// and catches the common slips: a misspelled marker, `minimum= 1`, an unquoted value with spaces, a
// trailing space, `map[int]string`, an empty `[]`.
//
// The patterns are written to compile the same with and without the `u` flag (ajv and
// yaml-language-server use it): no identity escapes of characters that are not syntax characters.
import { MARKER_TYPES } from '../schema/markers.js';

/** A quoted marker value: `\` escapes the next character, as kro's lexer does. */
const QUOTED = '"(?:[^"\\\\]|\\\\[\\s\\S])*"';
/**
 * A bracketed part of a marker value, up to two levels deep (`{a: [1, 2]}`), quoted parts kept
 * whole. kro's lexer counts `{` and `[` as one depth, so any closing bracket closes either.
 */
const BRACKETED = (() => {
  const flat = `(?:[^{}\\[\\]"]|${QUOTED})*`;
  return `[{\\[](?:[^{}\\[\\]"]|${QUOTED}|[{\\[]${flat}[}\\]])*[}\\]]`;
})();
/** A marker value: quoted parts, bracket groups and plain characters, up to unquoted whitespace. */
const VALUE = `(?:${QUOTED}|${BRACKETED}|[^\\s"{}\\[\\]])*`;
const KEY = `(?:${MARKER_TYPES.join('|')})`;
/** One `key=value`: spaces may precede `=` (kro trims the key) but not follow it. */
const MARKER = `${KEY}\\s*=${VALUE}`;

/**
 * The type before `|`: `[]` and `map[string]` prefixes, then a built-in type or a custom type name
 * (anything without spaces, quotes, `=`, `|` or brackets).
 */
const TYPE = '(?:(?:\\[\\]|map\\[string\\])\\s*)*[^\\s|"=\\[\\]{}]+';

/**
 * A SimpleSchema field: `<type>` or `<type> | <markers>`, markers separated by whitespace, nothing
 * after the last one (kro refuses even a trailing space).
 */
export const FIELD_PATTERN = `^\\s*${TYPE}\\s*(?:\\|\\s*${MARKER}(?:\\s+${MARKER})*)?$`;

/** A value that is one `${...}` and nothing around it (readyWhen, includeWhen, forEach). */
export const STANDALONE_EXPRESSION_PATTERN = '^\\$\\{[\\s\\S]*\\}$';
