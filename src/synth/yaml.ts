// A small, fast YAML writer for rendered manifests. The general-purpose `yaml` library spends
// about 150 µs per Deployment-sized document, which would dominate synthesizing thousands of
// objects; manifests only need block maps, block sequences and scalars.
//
// Output is read back identically by YAML 1.1 and 1.2 parsers (kubectl's go-yaml included):
// a string is written plain only when it cannot be mistaken for anything else (booleans such as
// `yes`/`on`, numbers, null, timestamps, sexagesimals, indicators), multi-line strings as literal
// blocks where that is exact, everything else double-quoted with JSON escapes (which YAML
// double-quoted scalars accept). Keys keep their insertion order, so output follows the template.
//
// Shaped for a cold process (an app synthesizes once, so the first pass is what users wait for):
// each key's whole line start is made once, an entry is one or two parts, and maps and sequences
// are written by one self-recursive function (see writeBlock).

import { boundedMemo } from '../bounded-memo.js';

// Plain scalars that YAML 1.1 or 1.2 would read as something other than a string.
const SPECIAL =
  /^(?:~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|=|<<)$/;
// Conservative plain-safe alphabet: starts with a letter, `_` or `/`; ends with neither space
// nor `:`; `:` only when not followed by a space; no `#`, quotes, brackets, commas or tabs.
const PLAIN =
  /^[A-Za-z_/][-A-Za-z0-9_./@+=()$%^&*!?~;\\<>|]*(?:(?: |:)[-A-Za-z0-9_./@+=()$%^&*!?~;\\<>|]+)*$/;

// Quantities and durations (`10Gi`, `100m`, `1h30m`): digits, then a letter that cannot continue
// a number, hex/octal/binary literal or timestamp (not e, x, o, b or t), then no `:` or space.
const DIGIT_LED = /^[0-9][0-9.]*[ac-dfg-npq-su-wyzAC-DFG-NPQ-SU-WYZ][-A-Za-z0-9_.]*$/;

// The longest SPECIAL word (`false`): a longer string need not be tested against them.
const SPECIAL_MAX = 5;

function isPlainSafe(s: string): boolean {
  return (PLAIN.test(s) && (s.length > SPECIAL_MAX || !SPECIAL.test(s))) || DIGIT_LED.test(s);
}

// Characters a single-quoted scalar cannot carry (it has no escapes) or that readers may fold.
const NOT_PRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

// What JSON leaves raw and YAML needs escaped (U+2028 and U+0085 would even break the line).
const RAW_IN_JSON = /[\u007f-\u009f\u2028\u2029\ufeff]/;
const RAW_IN_JSON_ALL = /[\u007f-\u009f\u2028\u2029\ufeff]/g;

/** Double quotes with JSON escapes; single quotes when that avoids escaping `"` or `\`. */
function quote(s: string): string {
  // Most quoted strings (a sync wave `"0"`, a list `"a,b"`) are plain text between double quotes;
  // one pass over the characters finds those rather than two regular expressions and JSON.stringify.
  let plain = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c >= 0x7f) {
      plain = false;
      break;
    }
  }
  if (plain) return `"${s}"`;
  if ((s.includes('"') || s.includes('\\')) && !NOT_PRINTABLE.test(s)) return `'${s.replace(/'/g, "''")}'`;
  const json = JSON.stringify(s);
  if (!RAW_IN_JSON.test(json)) return json;
  return json.replace(RAW_IN_JSON_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// A literal block is exact when lines carry no carriage returns or tabs at their start, the first
// line does not start with a space (that would need an indentation indicator), and no line ends
// with spaces that a reader could confuse.
function literalBlock(s: string, indent: string): string | undefined {
  if (/[\r\t\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u0085\u2028\u2029\ufeff]/.test(s)) return undefined;
  if (s.startsWith(' ') || s.startsWith('\n')) return undefined;
  let body = s;
  let chomp = '-';
  if (body.endsWith('\n')) {
    body = body.slice(0, -1);
    chomp = '';
    if (body.endsWith('\n')) return undefined;
  }
  const lines = body.split('\n');
  if (lines.some((l) => / $/.test(l))) return undefined;
  return `|${chomp}\n${lines.map((l) => (l === '' ? '' : indent + l)).join('\n')}`;
}

/** A string value at nesting `level` (a literal block's lines are indented to it). */
function stringText(s: string, level: number): string {
  if (isPlainSafe(s)) return s;
  return (s.includes('\n') ? literalBlock(s, indentOf(level)) : undefined) ?? quote(s);
}

function scalarText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'number':
      if (!Number.isFinite(v)) return Number.isNaN(v) ? '.nan' : v > 0 ? '.inf' : '-.inf';
      return String(v);
    case 'string':
      return isPlainSafe(v) ? v : quote(v);
    default:
      return quote(String(v));
  }
}

// Keys repeat in every manifest (`metadata:`, `name:`, the ordering annotations): each distinct key
// is classified once. Bounded, so a long-lived process cannot grow it without limit.
const keyText = boundedMemo(4096, (key: string) => `${scalarText(key)}:`);

// Indentation by nesting level (two spaces a level), made once per level rather than per line.
const indents: string[] = [''];
const lineStarts: string[] = ['\n'];

function indentOf(level: number): string {
  while (indents.length <= level) indents.push(`${indents[indents.length - 1]}  `);
  return indents[level] as string;
}

function lineStart(level: number): string {
  while (lineStarts.length <= level) lineStarts.push(`\n${indentOf(lineStarts.length)}`);
  return lineStarts[level] as string;
}

/** A key as written before a nested map or sequence (`key:`) and before a scalar (`key: `). */
interface KeyLine {
  readonly nested: string;
  readonly scalar: string;
}

/**
 * Per place: a key's line start and text, made once (keys repeat in every manifest), so that an
 * entry is one or two parts. Place 0 is right after a sequence's `- `, place `level + 1` a new
 * line at nesting `level`. Each bounded, so a long-lived process cannot grow them without limit.
 */
const keyLines: Map<string, KeyLine>[] = [];

function keyLine(key: string, place: number): KeyLine {
  while (keyLines.length <= place) keyLines.push(new Map());
  const lines = keyLines[place] as Map<string, KeyLine>;
  let line = lines.get(key);
  if (line === undefined) {
    const nested = (place === 0 ? '' : lineStart(place - 1)) + keyText(key);
    line = { nested, scalar: `${nested} ` };
    if (lines.size >= 4096) lines.clear();
    lines.set(key, line);
  }
  return line;
}

/** Sequence dashes by nesting level: a new line, the indentation and `- `. */
const dashes: string[] = [];

function dashLine(level: number): string {
  while (dashes.length <= level) dashes.push(`${lineStart(dashes.length)}- `);
  return dashes[level] as string;
}

/** A scalar (anything but a map or sequence) at nesting `level`. */
function scalarAt(value: unknown, level: number): string {
  return typeof value === 'string' ? stringText(value, level) : scalarText(value);
}

/**
 * Appends the entries of a map or the items of a sequence at nesting `level`, the first on the
 * current line (after `- `) when `inline`; returns false, having written nothing, when there are
 * none (the caller writes `{}` or `[]`). Maps and sequences share one recursive function on
 * purpose: V8 does not inline a function into itself, so its optimizing compiler compiles this
 * once, where mutually recursive functions were each compiled with the others inlined (a cold
 * process paid for that in compiler time).
 */
function writeBlock(out: string[], value: object, level: number, inline: boolean): boolean {
  if (Array.isArray(value)) {
    if (value.length === 0) return false;
    // Sequences under a key are indented by two spaces; a sequence item of a sequence starts inline.
    const childLevel = inline ? level : level + 1;
    const dash = dashLine(childLevel);
    for (let i = 0; i < value.length; i++) {
      out.push(i === 0 && inline ? '- ' : dash);
      const item: unknown = value[i];
      // An item's map or sequence starts on the dash line.
      if (typeof item !== 'object' || item === null) out.push(scalarAt(item, childLevel + 1));
      else if (!writeBlock(out, item, childLevel + 1, true)) out.push(Array.isArray(item) ? '[]' : '{}');
    }
    return true;
  }
  let first = true;
  // for-in rather than Object.keys: no keys array, and V8 reads `value[key]` through its enum cache
  // (same keys and order: manifests are JSON data, with no inherited enumerable properties).
  for (const key in value) {
    const item: unknown = (value as Record<string, unknown>)[key];
    const line = keyLine(key, first && inline ? 0 : level + 1);
    first = false;
    if (typeof item !== 'object' || item === null) {
      out.push(line.scalar, scalarAt(item, level + 1));
      continue;
    }
    out.push(line.nested);
    // A sequence under a key is indented by two spaces: its items are at nesting level + 1 too.
    if (writeBlock(out, item, Array.isArray(item) ? level : level + 1, false)) continue;
    out[out.length - 1] = line.scalar;
    out.push(Array.isArray(item) ? '[]' : '{}');
  }
  return !first;
}

/** One YAML document (without `---`), ending in a newline. */
export function toYamlDocument(value: unknown): string {
  const out: string[] = [];
  // A map or sequence starts on the first line.
  if (typeof value !== 'object' || value === null) out.push(scalarAt(value, 0));
  else if (!writeBlock(out, value, 0, true)) out.push(Array.isArray(value) ? '[]' : '{}');
  out.push('\n');
  return out.join('');
}

/** Several documents, `---` between them (one parts list per document: one for all is slower). */
export function toYamlDocuments(values: readonly unknown[]): string {
  return values.map(toYamlDocument).join('---\n');
}
