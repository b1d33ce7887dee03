// Plain YAML scalars resolved exactly as kubectl resolves them: sigs.k8s.io/yaml reads YAML with
// go-yaml v2, whose rules differ from both YAML 1.1 and 1.2 in many corners (`e10`, `.e1` and `1e400`
// are strings, `1_000`, `0o17`, `+12`, `.5` and `08` numbers, `0b-101` is -5, timestamps stay the
// text as written), then converts map keys to strings its own way (floats as 32-bit `%g`, null and
// 64-bit unsigned keys refused). test/unit/rgd/yaml-kubectl.test.ts checks every rule here against
// the real Go library (tools/yaml-oracle) on a corpus of scalars.

/** What go-yaml v2 makes of a plain (unquoted, untagged) scalar. */
export type GoScalar =
  | { readonly kind: 'null' }
  | { readonly kind: 'bool'; readonly value: boolean }
  /** A signed 64-bit integer. */
  | { readonly kind: 'int'; readonly value: bigint }
  /** Above the int64 range, within uint64. */
  | { readonly kind: 'uint'; readonly value: bigint }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string };

const SPECIAL = new Map<string, GoScalar>();
for (const [words, value] of [
  ['y Y yes Yes YES true True TRUE on On ON', { kind: 'bool', value: true }],
  ['n N no No NO false False FALSE off Off OFF', { kind: 'bool', value: false }],
  ['~ null Null NULL', { kind: 'null' }],
  ['.nan .NaN .NAN', { kind: 'float', value: Number.NaN }],
  ['.inf .Inf .INF +.inf +.Inf +.INF', { kind: 'float', value: Number.POSITIVE_INFINITY }],
  ['-.inf -.Inf -.INF', { kind: 'float', value: Number.NEGATIVE_INFINITY }],
] as const) {
  for (const word of words.split(' ')) SPECIAL.set(word, value as GoScalar);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

const DIGITS: Record<number, RegExp> = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ };
const PREFIX: Record<string, number> = { '0x': 16, '0X': 16, '0o': 8, '0O': 8, '0b': 2, '0B': 2 };

/** Go's strconv.ParseInt / ParseUint (`base` 0 reads Go's prefixes), on text without underscores. */
function goParseInt(text: string, base: number, signed: boolean): bigint | undefined {
  let s = text;
  let negative = false;
  if (signed && (s.startsWith('+') || s.startsWith('-'))) {
    negative = s.startsWith('-');
    s = s.slice(1);
  }
  let radix = base;
  if (base === 0) {
    radix = 10;
    const prefix = PREFIX[s.slice(0, 2)];
    if (prefix !== undefined) {
      radix = prefix;
      s = s.slice(2);
    } else if (s.length > 1 && s.startsWith('0')) {
      radix = 8;
      s = s.slice(1);
    }
  }
  if (!DIGITS[radix]?.test(s)) return undefined;
  const prefix = radix === 16 ? '0x' : radix === 8 ? '0o' : radix === 2 ? '0b' : '';
  const magnitude = BigInt(`${prefix}${s}`);
  const value = negative ? -magnitude : magnitude;
  if (signed) return value >= INT64_MIN && value <= INT64_MAX ? value : undefined;
  return value <= UINT64_MAX ? value : undefined;
}

/** Go's underscoreOK: underscores only between digits (a base prefix counts as a digit). */
function underscoresOk(text: string): boolean {
  let s = text;
  if (s.startsWith('+') || s.startsWith('-')) s = s.slice(1);
  let saw = '^';
  let i = 0;
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1] as string)) {
    i = 2;
    saw = '0';
    hex = 'xX'.includes(s[1] as string);
  }
  for (; i < s.length; i++) {
    const c = s[i] as string;
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** Go's strconv.ParseFloat for the decimal forms reachable here; undefined when Go fails (overflow too). */
function goParseDecimal(text: string): number | undefined {
  if (!/^[-+]?([0-9_]*\.?[0-9_]*)([eE][-+]?[0-9][0-9_]*)?$/.test(text)) return undefined;
  if (!/[0-9]/.test(text.split(/[eE]/)[0] as string)) return undefined;
  if (text.includes('_') && !underscoresOk(text)) return undefined;
  const value = Number(text.replace(/_/g, ''));
  return Number.isFinite(value) ? value : undefined;
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

function integer(value: bigint): GoScalar {
  return value > INT64_MAX ? { kind: 'uint', value } : { kind: 'int', value };
}

/**
 * Plain scalars go-yaml v2 may read as something else than a string: the empty one, those starting
 * like a number, and the words of its booleans and nulls (SPECIAL's that start with a letter). Any
 * other is the string as written, which the readers decide with this one test instead of resolving
 * every word. The words are spelled out: a looser test (any word of up to five letters starting
 * like one) sent common keys such as `type` and `name` down the slow path.
 */
export const MAYBE_NOT_STRING =
  /^(?:[-+.0-9~]|(?:[yYnN]|[yY]es|YES|[nN]o|NO|[tT]rue|TRUE|[fF]alse|FALSE|[oO]n|ON|[oO]ff|OFF|[nN]ull|NULL)$|$)/;

/** The JSON key sigs.k8s.io/yaml makes of a plain key, or undefined for a key it refuses. */
export function plainJsonKey(text: string): string | undefined {
  if (!MAYBE_NOT_STRING.test(text)) return text;
  const k = jsonKeyOf(resolvePlainScalar(text));
  return 'key' in k ? k.key : undefined;
}

/** go-yaml v2's `resolve` for a plain scalar, as decoded into an untyped value. */
export function resolvePlainScalar(text: string): GoScalar {
  if (text === '') return { kind: 'null' };
  const special = SPECIAL.get(text);
  if (special) return special;
  const first = text[0] as string;
  if (first === '.') {
    const value = goParseDecimal(text);
    return value === undefined ? { kind: 'string', value: text } : { kind: 'float', value };
  }
  if (!/[-+0-9]/.test(first)) return { kind: 'string', value: text };
  // (A timestamp is tried first in Go, but decoded into an untyped value it stays the text.)
  const plain = text.replace(/_/g, '');
  const signed = goParseInt(plain, 0, true);
  if (signed !== undefined) return { kind: 'int', value: signed };
  const unsigned = goParseInt(plain, 0, false);
  if (unsigned !== undefined) return integer(unsigned);
  if (YAML_STYLE_FLOAT.test(plain)) {
    const value = goParseDecimal(plain);
    if (value !== undefined) return { kind: 'float', value };
  }
  if (plain.startsWith('0b')) {
    const binary = goParseInt(plain.slice(2), 2, true) ?? goParseInt(plain.slice(2), 2, false);
    if (binary !== undefined) return integer(binary);
  } else if (plain.startsWith('-0b')) {
    const binary = goParseInt(`-${plain.slice(3)}`, 2, true);
    if (binary !== undefined) return { kind: 'int', value: binary };
  }
  return { kind: 'string', value: text };
}

/** Go's strconv.FormatFloat(x, 'g', -1, 32): the shortest digits that read back as the same float32. */
export function formatFloat32(x: number): string {
  const f = Math.fround(x);
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  let exp = 0;
  let digits = '';
  for (let precision = 1; precision <= 9; precision++) {
    const candidate = Math.abs(f).toExponential(precision - 1);
    if (Math.fround(Number(candidate)) === Math.abs(f)) {
      const [mantissa, e] = candidate.split('e') as [string, string];
      digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
      exp = Number(e);
      break;
    }
  }
  const sign = f < 0 ? '-' : '';
  if (exp < -4 || exp >= 6) {
    const e = `${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
    return `${sign}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const fraction = digits.slice(exp + 1);
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** The JSON key sigs.k8s.io/yaml makes of a scalar key, or why it refuses the key. */
export function jsonKeyOf(scalar: GoScalar): { key: string } | { refused: string } {
  switch (scalar.kind) {
    case 'string':
      return { key: scalar.value };
    case 'bool':
      return { key: String(scalar.value) };
    case 'int':
      return { key: scalar.value.toString() };
    case 'float': {
      const s = formatFloat32(scalar.value);
      return { key: s === '+Inf' ? '.inf' : s === '-Inf' ? '-.inf' : s === 'NaN' ? '.nan' : s };
    }
    case 'uint':
      return { refused: `map key ${scalar.value} is above the int64 range: kubectl refuses it as a key` };
    case 'null':
      return { refused: 'a null map key has no JSON form: kubectl refuses it (quote it for the key "null")' };
  }
}

/** What a resolved scalar was read as, for messages: `the number 1000`, `the boolean true`. */
export function describeGoScalar(scalar: GoScalar): string {
  switch (scalar.kind) {
    case 'string':
      return `the string ${JSON.stringify(scalar.value)}`;
    case 'bool':
      return `the boolean ${scalar.value}`;
    case 'null':
      return 'null';
    case 'float':
      return `the number ${scalar.value}`;
    default:
      return `the number ${scalar.value}`;
  }
}
