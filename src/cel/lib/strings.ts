// cel-go's strings extension (ext.Strings, latest version), as kro enables it. Indices count
// Unicode code points (cel-go indexes runes), not UTF-16 units; casing touches ASCII only; trim
// removes Go's Unicode white space. Where the library already has a function with different
// semantics, the built-in overload is replaced.
import { type ASTNode, type Environment, EvaluationError } from '@marcbachmann/cel-js';
import { chargeList, chargeString } from '../budget.js';
import type { CelLibrary } from '../library.js';
import { registerNamespacedFunction, replaceBuiltinFunction } from '../registration.js';
import { formatRfc3339Nano } from '../timestamp.js';
import { celKind, celTypeName, compareStrings, type Duration, durationNanos, mapEntries } from '../values.js';
import type { CelType, Checker, Evaluator, MacroInput, Scope } from './comprehensions.js';
import { formatExponent, formatFixed, formatGeneral, formatShortestFixed } from './go-numbers.js';

const SURROGATE = /[\uD800-\uDFFF]/;

/** The string as code points; `undefined` when every code point is one UTF-16 unit. */
function runesOf(s: string): string[] | undefined {
  return SURROGATE.test(s) ? Array.from(s) : undefined;
}

function fail(message: string): never {
  throw new EvaluationError(message);
}

function toInt(n: bigint): number {
  // Indices beyond 2^53 are out of range for any string anyway.
  return n > 9007199254740991n
    ? Number.MAX_SAFE_INTEGER
    : n < -9007199254740991n
      ? -Number.MAX_SAFE_INTEGER
      : Number(n);
}

export function charAt(s: string, index: bigint): string {
  const i = toInt(index);
  const runes = runesOf(s);
  const len = runes ? runes.length : s.length;
  if (i < 0 || i > len) fail(`index out of range: ${index}`);
  if (i === len) return '';
  return runes ? (runes[i] as string) : (s[i] as string);
}

function indexIn(runes: readonly string[], sub: readonly string[], from: number): number {
  outer: for (let i = from; i <= runes.length - sub.length; i++) {
    for (let j = 0; j < sub.length; j++) if (runes[i + j] !== sub[j]) continue outer;
    return i;
  }
  return -1;
}

export function indexOf(s: string, sub: string, offset = 0n): bigint {
  // cel-go answers an empty substring with the offset, whatever it is.
  if (sub === '') return offset;
  const off = toInt(offset);
  if (off < 0) fail(`index out of range: ${off}`);
  const runes = (runesOf(s) ?? runesOf(sub)) ? Array.from(s) : undefined;
  const len = runes ? runes.length : s.length;
  if (off >= len) return -1n;
  if (!runes) return BigInt(s.indexOf(sub, off));
  return BigInt(indexIn(runes, Array.from(sub), off));
}

export function lastIndexOf(s: string, sub: string, offset?: bigint): bigint {
  const runes = (runesOf(s) ?? runesOf(sub)) ? Array.from(s) : undefined;
  const len = runes ? runes.length : s.length;
  if (offset === undefined) {
    if (sub === '') return BigInt(len);
    if (new TextEncoder().encode(s).length < new TextEncoder().encode(sub).length) return -1n;
    offset = BigInt(len - 1);
  }
  if (sub === '') return offset;
  let off = toInt(offset);
  if (off < 0) fail(`index out of range: ${off}`);
  if (off >= len) return -1n;
  if (!runes) return BigInt(s.lastIndexOf(sub, off));
  const subRunes = Array.from(sub);
  if (off > len - subRunes.length) off = len - subRunes.length;
  outer: for (let i = off; i >= 0; i--) {
    for (let j = 0; j < subRunes.length; j++) if (runes[i + j] !== subRunes[j]) continue outer;
    return BigInt(i);
  }
  return -1n;
}

export function substring(s: string, start: bigint, end?: bigint): string {
  const runes = runesOf(s);
  const len = runes ? runes.length : s.length;
  const b = toInt(start);
  if (end !== undefined && start > end) fail(`invalid substring range. start: ${start}, end: ${end}`);
  if (b < 0 || b > len) fail(`index out of range: ${start}`);
  const e = end === undefined ? len : toInt(end);
  if (e < 0 || e > len) fail(`index out of range: ${end}`);
  return runes ? runes.slice(b, e).join('') : s.slice(b, e);
}

export function lowerAscii(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

export function upperAscii(s: string): string {
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

// Go's unicode.IsSpace: the Unicode White_Space property.
const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const TRIM = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, 'g');

export function trim(s: string): string {
  return s.replace(TRIM, '');
}

/** Go strings.Replace: `n < 0` replaces all; an empty `old` matches before every code point and at the end. */
export function replace(s: string, old: string, repl: string, n = -1n): string {
  if (n === 0n || old === repl) return s;
  const limit = n < 0n ? Number.POSITIVE_INFINITY : toInt(n);
  if (old === '') {
    const runes = Array.from(s);
    const count = Math.min(limit, runes.length + 1);
    chargeString(s.length + count * repl.length);
    let out = '';
    for (let i = 0; i < runes.length; i++) out += i < count ? repl + runes[i] : runes[i];
    return count > runes.length ? out + repl : out;
  }
  let count = 0;
  for (let i = s.indexOf(old); i >= 0 && count < limit; i = s.indexOf(old, i + old.length)) count++;
  if (count === 0) return s;
  chargeString(s.length + count * (repl.length - old.length));
  if (limit === Number.POSITIVE_INFINITY) return s.split(old).join(repl);
  let out = '';
  let from = 0;
  for (let k = 0; k < count; k++) {
    const i = s.indexOf(old, from);
    out += s.slice(from, i) + repl;
    from = i + old.length;
  }
  return out + s.slice(from);
}

/** Go strings.SplitN (n < 0: all parts; n == 0: none); an empty separator splits code points. */
export function split(s: string, sep: string, n = -1n): string[] {
  if (n === 0n) return [];
  const limit = n < 0n ? Number.POSITIVE_INFINITY : toInt(n);
  let parts: string[];
  if (sep === '') {
    const runes = Array.from(s);
    if (runes.length <= limit) parts = runes;
    else parts = [...runes.slice(0, limit - 1), runes.slice(limit - 1).join('')];
  } else {
    parts = s.split(sep);
    if (parts.length > limit) parts = [...parts.slice(0, limit - 1), parts.slice(limit - 1).join(sep)];
  }
  chargeList(parts.length);
  return parts;
}

export function join(list: readonly unknown[], sep = ''): string {
  // cel-go's guard of list(string) reads the first element; join itself refuses later ones.
  if (list.length > 0 && typeof list[0] !== 'string')
    fail(`no such overload: join(list<${celTypeName(list[0])}>)`);
  let total = 0;
  for (const e of list) {
    if (typeof e !== 'string') fail(`join: invalid input: ${describe(e)}`);
    total += e.length + sep.length;
  }
  chargeString(total);
  return (list as string[]).join(sep);
}

export function reverse(s: string): string {
  chargeString(s.length);
  return runesOf(s) ? Array.from(s).reverse().join('') : s.split('').reverse().join('');
}

const QUOTE_ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `strings.quote`: CEL escapes for the control characters, `\` and `"`; lone surrogates become U+FFFD. */
export function quote(s: string): string {
  chargeString(s.length + 2);
  const safe = s.replace(LONE_SURROGATE, '\uFFFD');
  return `"${safe.replace(/[\x07\b\f\n\r\t\v\\"]/g, (c) => QUOTE_ESCAPES[c] as string)}"`;
}

// ---------------------------------------------------------------------------------------------
// format (cel-go's formatting v2, the one the latest strings library uses)
// ---------------------------------------------------------------------------------------------

const MAX_PRECISION = 100;
const DEFAULT_PRECISION = 6;

class FormatError extends Error {}

function describe(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return celTypeName(v);
}

function durationText(d: Duration): string {
  const ns = durationNanos(d);
  // Go: float64(seconds) + float64(nanos)/1e9, then the shortest fixed-point digits.
  const seconds = Number(ns / 1_000_000_000n) + Number(ns % 1_000_000_000n) / 1e9;
  return `${formatShortestFixed(seconds)}s`;
}

function doubleText(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return 'Infinity';
  if (x === Number.NEGATIVE_INFINITY) return '-Infinity';
  return formatShortestFixed(x);
}

function typeNameOf(v: unknown): string {
  const name = (v as { name: string }).name;
  return name === 'null' ? 'null_type' : name;
}

const STRING_CLAUSE_ERROR =
  'string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, and timestamps, was given ';

/** The `%s` rendering of a value (also used for list elements and map keys and values). */
export function formatValue(v: unknown): string {
  switch (celKind(v)) {
    case 'bool':
    case 'int':
      return String(v);
    case 'uint':
      return String((v as { valueOf(): bigint }).valueOf());
    case 'double':
      return doubleText(v as number);
    case 'bytes':
      return new TextDecoder().decode(v as Uint8Array);
    case 'string':
      return v as string;
    case 'duration':
      return durationText(v as Duration);
    case 'timestamp':
      // cel-go's format prints timestamps in UTC (string() keeps the zone, core.ts).
      return formatRfc3339Nano(v as Date, 0);
    case 'null':
      return 'null';
    case 'type':
      return typeNameOf(v);
    case 'list':
      return `[${Array.from(v as Iterable<unknown>, formatValue).join(', ')}]`;
    case 'map': {
      const entries = mapEntries(v as object).map(([k, x]) => [formatValue(k), formatValue(x)] as const);
      entries.sort((a, b) => compareStrings(a[0], b[0]));
      return `{${entries.map(([k, x]) => `${k}: ${x}`).join(', ')}}`;
    }
    default:
      throw new FormatError(STRING_CLAUSE_ERROR + celTypeName(v));
  }
}

function numberArg(v: unknown, clause: string): number | undefined {
  switch (celKind(v)) {
    case 'int':
      return Number(v as bigint);
    case 'uint':
      return Number((v as { valueOf(): bigint }).valueOf());
    case 'double':
      return v as number;
    default:
      throw new FormatError(
        `${clause} clause can only be used on ints, uints, and doubles, was given ${celTypeName(v)}`,
      );
  }
}

function integerText(v: unknown, radix: number, what: () => string): string {
  switch (celKind(v)) {
    case 'int':
      return (v as bigint).toString(radix);
    case 'uint':
      return (v as { valueOf(): bigint }).valueOf().toString(radix);
    default:
      throw new FormatError(what());
  }
}

function hexBytes(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

function formatClause(verb: string, precision: number, v: unknown): string {
  switch (verb) {
    case 's':
      return formatValue(v);
    case 'd':
      if (celKind(v) === 'double') return doubleText(v as number);
      return integerText(
        v,
        10,
        () => `decimal clause can only be used on ints, uints, and doubles, was given ${celTypeName(v)}`,
      );
    case 'f': {
      const x = numberArg(v, 'fixed-point') as number;
      return Number.isFinite(x) ? formatFixed(x, precision) : doubleText(x);
    }
    case 'e': {
      const x = numberArg(v, 'scientific') as number;
      return Number.isFinite(x) ? formatExponent(x, precision) : doubleText(x);
    }
    case 'b':
      if (typeof v === 'boolean') return v ? '1' : '0';
      return integerText(
        v,
        2,
        () => `only ints, uints, and bools can be formatted as binary, was given ${celTypeName(v)}`,
      );
    case 'o':
      return integerText(
        v,
        8,
        () => `octal clause can only be used on ints and uints, was given ${celTypeName(v)}`,
      );
    case 'x':
    case 'X': {
      let out: string;
      if (typeof v === 'string') out = hexBytes(new TextEncoder().encode(v));
      else if (v instanceof Uint8Array) out = hexBytes(v);
      else {
        out = integerText(
          v,
          16,
          () => `only ints, uints, bytes, and strings can be formatted as hex, was given ${celTypeName(v)}`,
        );
      }
      return verb === 'X' ? out.toUpperCase() : out;
    }
    default:
      throw new Error('unreachable');
  }
}

/** `<string>.format(<list>)`, printf-style, with cel-go's clauses and error messages. */
export function format(template: string, args: readonly unknown[]): string {
  let out = '';
  let argIndex = 0;
  let i = 0;
  const n = template.length;
  while (i < n) {
    const c = template[i] as string;
    if (c !== '%') {
      const next = template.indexOf('%', i);
      const end = next < 0 ? n : next;
      out += template.slice(i, end);
      i = end;
      continue;
    }
    if (template[i + 1] === '%') {
      out += '%';
      i += 2;
      continue;
    }
    if (argIndex >= args.length) fail(`index ${argIndex} out of range`);
    if (i + 1 >= n) fail('unexpected end of string');
    let j = i + 1;
    let precision = DEFAULT_PRECISION;
    if (template[j] === '.') {
      j++;
      const start = j;
      while (j < n && template.charCodeAt(j) >= 48 && template.charCodeAt(j) <= 57) j++;
      if (j >= n) {
        fail(
          'could not parse formatting clause: error while parsing precision: could not find end of precision specifier',
        );
      }
      const digits = template.slice(start, j);
      if (digits === '') {
        fail(
          'could not parse formatting clause: error while parsing precision: error while converting precision to integer: invalid syntax',
        );
      }
      precision = Number(digits);
      if (precision > MAX_PRECISION) {
        fail(
          `could not parse formatting clause: error while parsing precision: precision ${digits} exceeds maximum allowed precision ${MAX_PRECISION}`,
        );
      }
    }
    const verb = template[j] as string;
    if (!'sdfebxXo'.includes(verb)) {
      fail(`could not parse formatting clause: unrecognized formatting clause "${verb}"`);
    }
    try {
      out += formatClause(verb, precision, args[argIndex]);
    } catch (e) {
      if (e instanceof FormatError) fail(`error during formatting: ${e.message}`);
      throw e;
    }
    argIndex++;
    i = j + 1;
  }
  chargeString(out.length);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Checking format() calls with a constant template and a list literal, as cel-go's
// string-format validator does at compile time
// ---------------------------------------------------------------------------------------------

const CLAUSE_KINDS: Readonly<
  Record<string, { readonly accepts: readonly string[]; readonly error: string }>
> = {
  d: {
    accepts: ['int', 'uint', 'double'],
    error: 'decimal clause can only be used on ints, uints, and doubles',
  },
  f: {
    accepts: ['int', 'uint', 'double'],
    error: 'fixed-point clause can only be used on ints, uints, and doubles',
  },
  e: {
    accepts: ['int', 'uint', 'double'],
    error: 'scientific clause can only be used on ints, uints, and doubles',
  },
  b: { accepts: ['bool', 'int', 'uint'], error: 'only ints, uints, and bools can be formatted as binary' },
  o: { accepts: ['int', 'uint'], error: 'octal clause can only be used on ints and uints' },
  x: {
    accepts: ['int', 'uint', 'string', 'bytes'],
    error: 'only ints, uints, bytes, and strings can be formatted as hex',
  },
};

const STRING_CLAUSE_TYPES = new Set([
  'list',
  'map',
  'int',
  'uint',
  'double',
  'bool',
  'string',
  'bytes',
  'null',
  'type',
  'google.protobuf.Timestamp',
  'google.protobuf.Duration',
]);

function checkedTypeName(t: CelType): string {
  return t.kind === 'list' || t.kind === 'map' || t.kind === 'dyn' ? t.kind : t.name;
}

// `%s` accepts nested literals only when every element is printable too.
function checkStringArg(checker: Checker, node: ASTNode, scope: Scope): void {
  const t = checker.check(node, scope);
  const name = checkedTypeName(t);
  if (name !== 'dyn' && !STRING_CLAUSE_TYPES.has(name)) {
    throw checker.createError('invalid_format_argument', STRING_CLAUSE_ERROR + checker.formatType(t), node);
  }
  if (node.op === 'list') for (const e of node.args as ASTNode[]) checkStringArg(checker, e, scope);
  if (node.op === 'map') {
    for (const [k, v] of node.args as [ASTNode, ASTNode][]) {
      checkStringArg(checker, k, scope);
      checkStringArg(checker, v, scope);
    }
  }
}

function validateConstantFormat(checker: Checker, template: string, list: ASTNode, scope: Scope): void {
  const args = list.args as ASTNode[];
  function fail(message: string, node: ASTNode = list): never {
    throw checker.createError('invalid_format', message, node);
  }
  let used = 0;
  for (let i = 0; i < template.length; i++) {
    if (template[i] !== '%') continue;
    if (template[i + 1] === '%') {
      i++;
      continue;
    }
    if (used >= args.length) fail(`index ${used} out of range`);
    let j = i + 1;
    if (template[j] === '.') {
      j++;
      const start = j;
      while (j < template.length && /[0-9]/.test(template[j] as string)) j++;
      if (j >= template.length)
        fail(
          'could not parse formatting clause: error while parsing precision: could not find end of precision specifier',
        );
      if (j === start)
        fail(
          'could not parse formatting clause: error while parsing precision: error while converting precision to integer: invalid syntax',
        );
      if (Number(template.slice(start, j)) > MAX_PRECISION) {
        fail(
          `could not parse formatting clause: error while parsing precision: precision ${template.slice(start, j)} exceeds maximum allowed precision ${MAX_PRECISION}`,
        );
      }
    }
    const verb = template[j];
    if (verb === undefined) fail('unexpected end of string');
    const arg = args[used] as ASTNode;
    if (verb === 's') checkStringArg(checker, arg, scope);
    else {
      const rule = CLAUSE_KINDS[verb === 'X' ? 'x' : (verb as string)];
      if (!rule) fail(`could not parse formatting clause: unrecognized formatting clause "${verb}"`);
      const t = checker.check(arg, scope);
      const name = checkedTypeName(t);
      if (name !== 'dyn' && !rule.accepts.includes(name)) {
        fail(`error during formatting: ${rule.error}, was given ${checker.formatType(t)}`, arg);
      }
    }
    used++;
    i = j;
  }
  if (args.length > used)
    fail(`too many arguments supplied to string.format (expected ${used}, got ${args.length})`);
}

interface FormatMacro {
  readonly async: false;
  readonly receiver: ASTNode;
  readonly list: ASTNode;
  typeCheck(checker: Checker, m: FormatMacro, scope: Scope): CelType;
  evaluate(ev: Evaluator, m: FormatMacro, scope: Scope): unknown;
}

function formatExpander({ receiver, args }: MacroInput): FormatMacro {
  return {
    async: false,
    receiver: receiver as ASTNode,
    list: args[0] as ASTNode,
    typeCheck(checker, m, scope) {
      const recv = checker.check(m.receiver, scope);
      const list = checker.check(m.list, scope);
      if ((recv.kind !== 'dyn' && recv.name !== 'string') || (list.kind !== 'dyn' && list.kind !== 'list')) {
        throw checker.createError(
          'no_matching_overload',
          `found no matching overload for '${checker.formatType(recv)}.format(${checker.formatType(list)})'`,
          m.receiver,
        );
      }
      if (m.receiver.op === 'value' && typeof m.receiver.args === 'string' && m.list.op === 'list') {
        validateConstantFormat(checker, m.receiver.args, m.list, scope);
      }
      return checker.getType('string');
    },
    evaluate(ev, m, scope) {
      const template = ev.run(m.receiver, scope);
      const list = ev.run(m.list, scope);
      if (typeof template !== 'string' || celKind(list) !== 'list') {
        throw ev.createError('no_matching_overload', "found no matching overload for 'format'", m.receiver);
      }
      return format(template, Array.isArray(list) ? list : [...(list as Iterable<unknown>)]);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Registration
// ---------------------------------------------------------------------------------------------

function registerStrings(env: Environment): void {
  env.registerFunction('string.charAt(int): string', charAt);
  env.registerFunction('string.format(ast): string', formatExpander as never);
  env.registerFunction('string.replace(string, string): string', (s: string, a: string, b: string) =>
    replace(s, a, b),
  );
  env.registerFunction('string.replace(string, string, int): string', replace);
  env.registerFunction('string.reverse(): string', reverse);
  registerNamespacedFunction(env, 'strings', 'quote(string): string', quote);

  replaceBuiltinFunction(env, 'string.lowerAscii(): string', lowerAscii);
  replaceBuiltinFunction(env, 'string.upperAscii(): string', upperAscii);
  replaceBuiltinFunction(env, 'string.trim(): string', trim);
  replaceBuiltinFunction(env, 'string.indexOf(string): int', (s: string, sub: string) => indexOf(s, sub));
  replaceBuiltinFunction(env, 'string.indexOf(string, int): int', indexOf);
  replaceBuiltinFunction(env, 'string.lastIndexOf(string): int', (s: string, sub: string) =>
    lastIndexOf(s, sub),
  );
  replaceBuiltinFunction(env, 'string.lastIndexOf(string, int): int', lastIndexOf);
  replaceBuiltinFunction(env, 'string.substring(int): string', (s: string, b: bigint) => substring(s, b));
  replaceBuiltinFunction(env, 'string.substring(int, int): string', substring);
  replaceBuiltinFunction(env, 'string.split(string): list<string>', (s: string, sep: string) =>
    split(s, sep),
  );
  replaceBuiltinFunction(env, 'string.split(string, int): list<string>', split);
  replaceBuiltinFunction(env, 'list<string>.join(): string', (l: unknown[]) => join(l));
  replaceBuiltinFunction(env, 'list<string>.join(string): string', join);
  replaceBuiltinFunction(env, 'string(double): string', formatGeneral);
}

export const stringsLibrary: CelLibrary = {
  name: 'cel-go ext.Strings',
  register: registerStrings,
};
