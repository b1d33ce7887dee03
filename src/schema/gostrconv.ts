// The few Go standard-library text rules kro's SimpleSchema code relies on (strconv parsing,
// unicode.IsSpace, strings.TrimSpace, byte-order sorting). Markers accept exactly what these accept.

import { exactInteger } from '../rgd/int64.js';

/** Go's `unicode.IsSpace`, which is the Unicode White_Space property (JS `\s` differs on U+0085, U+FEFF). */
export function isGoSpace(ch: string): boolean {
  return ch.length === 1 && isSpaceUnit(ch.charCodeAt(0));
}

/** Go's `strings.TrimSpace`. */
export function goTrimSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isSpaceUnit(s.charCodeAt(start))) start++;
  while (end > start && isSpaceUnit(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/**
 * Whether a UTF-16 code unit is White_Space (Go's unicode.White_Space table; every such character
 * is one unit). Spelled out rather than `/\p{White_Space}/u`: the marker lexer asks for nearly
 * every character it reads, and the bundler turns that literal into a `new RegExp` which every run
 * compiled at load (0.3 ms). test/unit/schema/markers.test.ts checks it against the property.
 */
function isSpaceUnit(c: number): boolean {
  if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** Go's `strconv.ParseBool`. */
export function goParseBool(s: string): boolean | undefined {
  switch (s) {
    case '1':
    case 't':
    case 'T':
    case 'TRUE':
    case 'true':
    case 'True':
      return true;
    case '0':
    case 'f':
    case 'F':
    case 'FALSE':
    case 'false':
    case 'False':
      return false;
    default:
      return undefined;
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Go's `strconv.ParseInt(s, 10, 64)`: optional sign, decimal digits, int64 range. */
export function goParseInt64(s: string): bigint | undefined {
  // /^[+-]?[0-9]+$/, a character at a time (see isDecimalFloat).
  const start = s.charCodeAt(0) === PLUS || s.charCodeAt(0) === MINUS ? 1 : 0;
  if (digitsFrom(s, start) !== s.length || s.length === start) return undefined;
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

/**
 * goParseInt64 as a JSON value (rgd/int64.ts exactInteger): a number while it is exact, else a
 * bigint. Up to 15 digits a number is exact and well inside int64, so the bigint that most marker
 * values would make and compare is skipped.
 */
export function goParseInt64Value(s: string): number | bigint | undefined {
  const start = s.charCodeAt(0) === PLUS || s.charCodeAt(0) === MINUS ? 1 : 0;
  const end = digitsFrom(s, start);
  if (end !== s.length || end === start) return undefined;
  if (end - start <= 15) {
    const n = Number(s);
    return n === 0 ? 0 : n; // `-0` is the int64 0
  }
  const v = goParseInt64(s);
  return v === undefined ? undefined : exactInteger(v);
}

/**
 * Go's `strconv.ParseFloat(s, 64)`. Returns NaN/±Infinity for Go's `nan`/`inf` spellings (callers
 * reject them: JSON cannot hold them) and undefined for syntax errors and overflow, as Go errors.
 */
export function goParseFloat64(s: string): number | undefined {
  const word = asciiLowerCase(s);
  // /^[+-]?(inf|infinity)$/i and /^nan$/i
  const unsigned = word.startsWith('+') || word.startsWith('-') ? word.slice(1) : word;
  if (unsigned === 'inf' || unsigned === 'infinity') return s.startsWith('-') ? -Infinity : Infinity;
  if (word === 'nan') return Number.NaN;
  if (isDecimalFloat(s)) {
    const v = Number(s);
    return Number.isFinite(v) ? v : undefined;
  }
  const hex = /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?[0-9_]+)$/.exec(s);
  if (hex) return parseHexFloat(s, hex);
  return undefined;
}

const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;

/** `s` with ASCII letters lower-cased and nothing else changed (as a `/i` regex compares them). */
function asciiLowerCase(s: string): string {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return s;
  return s.toLowerCase();
}

/** Where the run of ASCII digits from `i` in `s` ends. */
function digitsFrom(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    i++;
  }
  return i;
}

/**
 * /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s), a character at a time: each regex costs V8
 * two compilations in a run (bytecode on its first use, machine code on its second), more than the
 * few numbers a schema's markers hold.
 */
function isDecimalFloat(s: string): boolean {
  let i = s.charCodeAt(0) === PLUS || s.charCodeAt(0) === MINUS ? 1 : 0;
  const intEnd = digitsFrom(s, i);
  const intDigits = intEnd - i;
  i = intEnd;
  let fracDigits = 0;
  if (s.charCodeAt(i) === DOT) {
    const fracEnd = digitsFrom(s, i + 1);
    fracDigits = fracEnd - (i + 1);
    i = fracEnd;
  }
  if (intDigits === 0 && fracDigits === 0) return false;
  const c = s.charCodeAt(i);
  if (c === 0x65 || c === 0x45 /* e E */) {
    i++;
    if (s.charCodeAt(i) === PLUS || s.charCodeAt(i) === MINUS) i++;
    const expEnd = digitsFrom(s, i);
    if (expEnd === i) return false;
    i = expEnd;
  }
  return i === s.length;
}

function parseHexFloat(s: string, m: RegExpExecArray): number | undefined {
  const [, sign = '', intPart = '', fracPart = '', expPart = ''] = m;
  if (intPart.replaceAll('_', '') === '' && fracPart.replaceAll('_', '') === '') return undefined;
  // Go allows `_` only between digits or right after the base prefix.
  const body = s.slice(sign.length + 2);
  if (/__|_$|_[.pP]|[.pP][+-]?_/.test(body)) return undefined;
  const digits = (intPart + fracPart).replaceAll('_', '');
  const fracDigits = fracPart.replaceAll('_', '').length;
  const exp = Number.parseInt(expPart.replaceAll('_', ''), 10) - 4 * fracDigits;
  const v = Number(BigInt(`0x${digits === '' ? '0' : digits}`)) * 2 ** exp;
  if (!Number.isFinite(v)) return undefined;
  return sign === '-' ? -v : v;
}

/** Compare strings by code point, i.e. the byte order of their UTF-8 (Go's `sort.Strings`). */
export function compareGoStrings(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done ? (y.done ? 0 : -1) : 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx - cy;
  }
}
