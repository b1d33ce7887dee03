// Go encoding/json behaviour for kro's json.marshal / json.unmarshal: the exact text Go's
// json.Marshal writes for a value, and json.Unmarshal into `any` (numbers become float64) with
// Go's syntax-error messages, which come from a byte-at-a-time state machine.

import { setOwn } from '../../json.js';
import { goQuote } from '../goquote.js';

export class GoJsonError extends Error {
  override readonly name = 'GoJsonError';
}

// ---------------------------------------------------------------------------------------------
// Syntax check (Go's scanner), so error texts match byte for byte
// ---------------------------------------------------------------------------------------------

const MAX_NESTING = 10000;

type Step = (c: number) => 'ok' | 'error';
type Container = 'objectKey' | 'objectValue' | 'arrayValue';

function quoteByte(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return `'"'`;
  // Go converts the byte to a rune (so 0xC3 reads as 'Ã') before quoting it.
  return `'${goQuote(String.fromCharCode(c)).slice(1, -1)}'`;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

class GoJsonScanner {
  step: Step;
  err: string | undefined;
  endTop = false;
  readonly stack: Container[] = [];

  constructor() {
    this.step = this.beginValue;
  }

  fail(c: number, context: string): 'error' {
    this.step = () => 'error';
    this.err = `invalid character ${quoteByte(c)} ${context}`;
    return 'error';
  }

  push(c: number, container: Container): 'ok' | 'error' {
    this.stack.push(container);
    return this.stack.length <= MAX_NESTING ? 'ok' : this.fail(c, 'exceeded max depth');
  }

  pop(): void {
    this.stack.pop();
    if (this.stack.length === 0) {
      this.step = this.endTopStep;
      this.endTop = true;
    } else {
      this.step = this.endValue;
    }
  }

  literal(expected: string, next: Step, name: string): Step {
    return (c) => {
      if (c === expected.charCodeAt(0)) {
        this.step = next;
        return 'ok';
      }
      return this.fail(c, `in literal ${name} (expecting '${expected}')`);
    };
  }

  readonly beginValueOrEmpty: Step = (c) => {
    if (isSpace(c)) return 'ok';
    if (c === 0x5d) return this.endValue(c);
    return this.beginValue(c);
  };

  readonly beginValue: Step = (c) => {
    if (isSpace(c)) return 'ok';
    switch (c) {
      case 0x7b:
        this.step = this.beginStringOrEmpty;
        return this.push(c, 'objectKey');
      case 0x5b:
        this.step = this.beginValueOrEmpty;
        return this.push(c, 'arrayValue');
      case 0x22:
        this.step = this.inString;
        return 'ok';
      case 0x2d:
        this.step = this.neg;
        return 'ok';
      case 0x30:
        this.step = this.zero;
        return 'ok';
      case 0x74:
        this.step = this.literal(
          'r',
          this.literal('u', this.literal('e', this.endValue, 'true'), 'true'),
          'true',
        );
        return 'ok';
      case 0x66:
        this.step = this.literal(
          'a',
          this.literal('l', this.literal('s', this.literal('e', this.endValue, 'false'), 'false'), 'false'),
          'false',
        );
        return 'ok';
      case 0x6e:
        this.step = this.literal(
          'u',
          this.literal('l', this.literal('l', this.endValue, 'null'), 'null'),
          'null',
        );
        return 'ok';
    }
    if (c >= 0x31 && c <= 0x39) {
      this.step = this.digits;
      return 'ok';
    }
    return this.fail(c, 'looking for beginning of value');
  };

  readonly beginStringOrEmpty: Step = (c) => {
    if (isSpace(c)) return 'ok';
    if (c === 0x7d) {
      this.stack[this.stack.length - 1] = 'objectValue';
      return this.endValue(c);
    }
    return this.beginString(c);
  };

  readonly beginString: Step = (c) => {
    if (isSpace(c)) return 'ok';
    if (c === 0x22) {
      this.step = this.inString;
      return 'ok';
    }
    return this.fail(c, 'looking for beginning of object key string');
  };

  readonly endValue: Step = (c) => {
    const n = this.stack.length;
    if (n === 0) {
      this.step = this.endTopStep;
      this.endTop = true;
      return this.endTopStep(c);
    }
    if (isSpace(c)) {
      this.step = this.endValue;
      return 'ok';
    }
    switch (this.stack[n - 1]) {
      case 'objectKey':
        if (c === 0x3a) {
          this.stack[n - 1] = 'objectValue';
          this.step = this.beginValue;
          return 'ok';
        }
        return this.fail(c, 'after object key');
      case 'objectValue':
        if (c === 0x2c) {
          this.stack[n - 1] = 'objectKey';
          this.step = this.beginString;
          return 'ok';
        }
        if (c === 0x7d) {
          this.pop();
          return 'ok';
        }
        return this.fail(c, 'after object key:value pair');
      default:
        if (c === 0x2c) {
          this.step = this.beginValue;
          return 'ok';
        }
        if (c === 0x5d) {
          this.pop();
          return 'ok';
        }
        return this.fail(c, 'after array element');
    }
  };

  // After the top-level value only spaces may follow; the error is reported at the end.
  readonly endTopStep: Step = (c) => {
    if (!isSpace(c)) this.fail(c, 'after top-level value');
    return 'ok';
  };

  readonly inString: Step = (c) => {
    if (c === 0x22) {
      this.step = this.endValue;
      return 'ok';
    }
    if (c === 0x5c) {
      this.step = this.inStringEsc;
      return 'ok';
    }
    if (c < 0x20) return this.fail(c, 'in string literal');
    return 'ok';
  };

  readonly inStringEsc: Step = (c) => {
    if ('bfnrt\\/"'.includes(String.fromCharCode(c))) {
      this.step = this.inString;
      return 'ok';
    }
    if (c === 0x75) {
      this.step = this.hexEscape(4);
      return 'ok';
    }
    return this.fail(c, 'in string escape code');
  };

  hexEscape(remaining: number): Step {
    return (c) => {
      if (!isHexDigit(c)) return this.fail(c, 'in \\u hexadecimal character escape');
      this.step = remaining === 1 ? this.inString : this.hexEscape(remaining - 1);
      return 'ok';
    };
  }

  readonly neg: Step = (c) => {
    if (c === 0x30) {
      this.step = this.zero;
      return 'ok';
    }
    if (c >= 0x31 && c <= 0x39) {
      this.step = this.digits;
      return 'ok';
    }
    return this.fail(c, 'in numeric literal');
  };

  readonly digits: Step = (c) => {
    if (isDigit(c)) return 'ok';
    return this.zero(c);
  };

  readonly zero: Step = (c) => {
    if (c === 0x2e) {
      this.step = this.dot;
      return 'ok';
    }
    if (c === 0x65 || c === 0x45) {
      this.step = this.exp;
      return 'ok';
    }
    return this.endValue(c);
  };

  readonly dot: Step = (c) => {
    if (isDigit(c)) {
      this.step = this.fraction;
      return 'ok';
    }
    return this.fail(c, 'after decimal point in numeric literal');
  };

  readonly fraction: Step = (c) => {
    if (isDigit(c)) return 'ok';
    if (c === 0x65 || c === 0x45) {
      this.step = this.exp;
      return 'ok';
    }
    return this.endValue(c);
  };

  readonly exp: Step = (c) => {
    if (c === 0x2b || c === 0x2d) {
      this.step = this.expSign;
      return 'ok';
    }
    return this.expSign(c);
  };

  readonly expSign: Step = (c) => {
    if (isDigit(c)) {
      this.step = this.expDigits;
      return 'ok';
    }
    return this.fail(c, 'in exponent of numeric literal');
  };

  readonly expDigits: Step = (c) => {
    if (isDigit(c)) return 'ok';
    return this.endValue(c);
  };
}

const utf8Encoder = new TextEncoder();

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Unpaired surrogates replaced by U+FFFD, as Go does when it meets them in text. */
export function wellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, '\uFFFD');
}

/** Go's `checkValid`: undefined for well-formed JSON, else the SyntaxError text. */
export function goJsonSyntaxError(text: string): string | undefined {
  const s = new GoJsonScanner();
  for (const c of utf8Encoder.encode(text)) {
    if (s.step(c) === 'error') return s.err;
  }
  if (s.err !== undefined) return s.err;
  if (s.endTop) return undefined;
  s.step(0x20);
  if (s.endTop && s.err === undefined) return undefined;
  return s.err ?? 'unexpected end of JSON input';
}

// ---------------------------------------------------------------------------------------------
// Decoding (input already known to be well-formed)
// ---------------------------------------------------------------------------------------------

/** A decoded JSON object: a map without prototype, so any key (even `__proto__`) is data. */
export type GoJsonObject = { [key: string]: GoJsonValue };
export type GoJsonValue = null | boolean | number | string | GoJsonValue[] | GoJsonObject;

class Decoder {
  pos = 0;
  overflow: string | undefined;
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  skipSpace(): void {
    while (this.pos < this.text.length && isSpace(this.text.charCodeAt(this.pos))) this.pos++;
  }

  value(): GoJsonValue {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === 't') return this.word('true', true);
    if (c === 'f') return this.word('false', false);
    if (c === 'n') return this.word('null', null);
    return this.number();
  }

  word<T>(w: string, v: T): T {
    this.pos += w.length;
    return v;
  }

  number(): number {
    const m = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(this.text.slice(this.pos));
    const lit = m?.[0] ?? '';
    this.pos += lit.length;
    const v = Number(lit);
    // strconv.ParseFloat rejects what rounds to infinity; Go reports it after the whole decode.
    if (!Number.isFinite(v) && this.overflow === undefined) {
      this.overflow = `json: cannot unmarshal number ${lit} into Go value of type float64`;
    }
    return v;
  }

  string(): string {
    const start = this.pos;
    this.pos++;
    while (this.text[this.pos] !== '"') this.pos += this.text[this.pos] === '\\' ? 2 : 1;
    this.pos++;
    // Go replaces unpaired surrogate escapes with U+FFFD.
    return wellFormed(JSON.parse(this.text.slice(start, this.pos)) as string);
  }

  array(): GoJsonValue[] {
    this.pos++;
    const out: GoJsonValue[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.skipSpace();
      if (this.text[this.pos++] === ']') return out;
    }
  }

  object(): GoJsonObject {
    this.pos++;
    const out: GoJsonObject = Object.create(null);
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      const key = this.string();
      this.skipSpace();
      this.pos++; // ':'
      setOwn(out, key, this.value());
      this.skipSpace();
      if (this.text[this.pos++] === '}') return out;
    }
  }
}

/** Go's `json.Unmarshal(data, &any)`: objects, arrays, strings, float64 numbers, bools, null. */
export function goJsonUnmarshal(text: string): GoJsonValue {
  const syntax = goJsonSyntaxError(text);
  if (syntax !== undefined) throw new GoJsonError(syntax);
  const d = new Decoder(wellFormed(text));
  const v = d.value();
  if (d.overflow !== undefined) throw new GoJsonError(d.overflow);
  return v;
}

// ---------------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------------

/** What Go's json.Marshal receives after kro's GoNativeType conversion. */
export type GoNative =
  | null
  | boolean
  | string
  | { readonly kind: 'int'; readonly value: bigint }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'bytes'; readonly value: Uint8Array }
  | { readonly kind: 'omit' }
  | readonly GoNative[]
  | ReadonlyMap<string, GoNative>;

const HEX = '0123456789abcdef';

/** Go's JSON string encoding with its default HTML escaping of <, > and &. */
export function goJsonQuote(s: string): string {
  let out = '"';
  for (const ch of wellFormed(s)) {
    const cp = ch.codePointAt(0) as number;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (cp < 0x20 || ch === '<' || ch === '>' || ch === '&' || cp === 0x2028 || cp === 0x2029) {
      if (ch === '\n') out += '\\n';
      else if (ch === '\r') out += '\\r';
      else if (ch === '\t') out += '\\t';
      else if (ch === '\b') out += '\\b';
      else if (ch === '\f') out += '\\f';
      else out += `\\u${HEX[(cp >> 12) & 15]}${HEX[(cp >> 8) & 15]}${HEX[(cp >> 4) & 15]}${HEX[cp & 15]}`;
    } else out += ch;
  }
  return `${out}"`;
}

/** Go's float64 encoding: shortest round-trip digits, exponent form outside [1e-6, 1e21). */
export function goJsonFloat(v: number): string {
  if (!Number.isFinite(v)) {
    const name = Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
    throw new GoJsonError(`json: unsupported value: ${name}`);
  }
  // JavaScript's Number-to-String uses the same digits and thresholds; only -0 differs.
  if (Object.is(v, -0)) return '-0';
  return String(v);
}

/** Go's `json.Marshal` (map keys sorted bytewise, []byte as standard base64). */
export function goJsonMarshal(v: GoNative): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return goJsonQuote(v);
  if (Array.isArray(v)) return `[${(v as readonly GoNative[]).map(goJsonMarshal).join(',')}]`;
  if (v instanceof Map) {
    const keys = [...(v as ReadonlyMap<string, GoNative>).keys()].sort(compareUtf8);
    return `{${keys.map((k) => `${goJsonQuote(k)}:${goJsonMarshal(v.get(k) as GoNative)}`).join(',')}}`;
  }
  const tagged = v as Exclude<
    GoNative,
    null | boolean | string | readonly GoNative[] | ReadonlyMap<string, GoNative>
  >;
  switch (tagged.kind) {
    case 'int':
      return tagged.value.toString();
    case 'float':
      return goJsonFloat(tagged.value);
    case 'bytes':
      return `"${Buffer.from(tagged.value).toString('base64')}"`;
    case 'omit':
      // kro's sentinels.Omit is an empty struct.
      return '{}';
  }
}

// Go sorts map keys as byte strings; UTF-16 order differs from UTF-8 order above U+FFFF.
function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
