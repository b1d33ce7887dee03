// A small, fast YAML writer for rendered manifests. The general-purpose `yaml` library spends
// about 150 µs per Deployment-sized document, which would dominate synthesizing thousands of
// objects; manifests only need block maps, block sequences and scalars.
//
// Output is read back identically by YAML 1.1 and 1.2 parsers (kubectl's go-yaml included):
// a string is written plain only when it cannot be mistaken for anything else (booleans such as
// `yes`/`on`, numbers, null, timestamps, sexagesimals, indicators), multi-line strings as literal
// blocks where that is exact, everything else double-quoted with JSON escapes (which YAML
// double-quoted scalars accept). Keys keep their insertion order, so output follows the template.

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
  if ((s.includes('"') || s.includes('\\')) && !NOT_PRINTABLE.test(s)) return `'${s.replace(/'/g, "''")}'`;
  const json = JSON.stringify(s);
  // Nearly every quoted string (a sync wave `"0"`, a list `"a,b"`) has none: one test, no replace.
  if (!RAW_IN_JSON.test(json)) return json;
  return json.replace(RAW_IN_JSON_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// A literal block is exact when lines carry no carriage returns or tabs at their start, the first
// line does not start with a space (that would need an indentation indicator), and no line ends
// with spaces that a reader could confuse.
function literalBlock(s: string, indent: string): string | undefined {
  if (
    !s.includes('\n') ||
    /[\r\t\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u0085\u2028\u2029\ufeff]/.test(s)
  )
    return undefined;
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

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
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

/** Appends `value` as the value after `key:` or `- ` at nesting `level`. */
function writeValue(out: string[], value: unknown, level: number, afterDash: boolean): void {
  if (Array.isArray(value)) {
    if (value.length === 0) out.push('[]');
    else writeSequence(out, value, level, afterDash);
    return;
  }
  if (isMap(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) out.push('{}');
    else writeMap(out, value, keys, level, afterDash);
    return;
  }
  if (typeof value === 'string') {
    const block = value.includes('\n') ? literalBlock(value, indentOf(level)) : undefined;
    out.push(block ?? (isPlainSafe(value) ? value : quote(value)));
    return;
  }
  out.push(scalarText(value));
}

function writeSequence(out: string[], value: readonly unknown[], level: number, afterDash: boolean): void {
  // Sequences under a key are indented by two spaces; a sequence item of a sequence starts inline.
  const childLevel = afterDash ? level : level + 1;
  const dash = `${lineStart(childLevel)}- `;
  for (let i = 0; i < value.length; i++) {
    out.push(i === 0 && afterDash ? '- ' : dash);
    // An item's map or sequence starts on the dash line.
    writeValue(out, value[i], childLevel + 1, true);
  }
}

function writeMap(
  out: string[],
  value: Record<string, unknown>,
  keys: readonly string[],
  level: number,
  inline: boolean,
): void {
  const next = lineStart(level);
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 || !inline) out.push(next);
    const key = keys[i] as string;
    writeEntry(out, key, value[key], level);
  }
}

function writeEntry(out: string[], key: string, value: unknown, level: number): void {
  out.push(keyText(key));
  if (Array.isArray(value) && value.length > 0) {
    writeSequence(out, value, level, false);
    return;
  }
  if (isMap(value)) {
    const keys = Object.keys(value);
    if (keys.length > 0) {
      writeMap(out, value, keys, level + 1, false);
      return;
    }
  }
  out.push(' ');
  writeValue(out, value, level + 1, false);
}

/** One YAML document (without `---`), ending in a newline. */
export function toYamlDocument(value: unknown): string {
  const out: string[] = [];
  // A map or sequence starts on the first line (`afterDash` only matters when it is not empty).
  writeValue(out, value, 0, true);
  out.push('\n');
  return out.join('');
}

/** Several documents, `---` between them (one parts list per document: one for all is slower). */
export function toYamlDocuments(values: readonly unknown[]): string {
  return values.map(toYamlDocument).join('---\n');
}
