// The character-level pieces of the fast YAML reader (fast-yaml.ts, fast-yaml-scalars.ts): giving
// up, character codes, the sticky regexes that skip runs of characters, and the text of scalars
// (kubectl's reading of plain scalars, quoted scalars' escapes and folding, literal blocks).
import { setOwn } from '../json.js';
import { MAYBE_NOT_STRING, plainJsonKey, resolvePlainScalar } from './kubectl-scalars.js';
import type { JsonValue } from './model.js';
import { goScalarJson } from './yaml-tree.js';
/** Thrown (one shared instance, no stack trace to build) to give the file to the full loader. */
export const GIVE_UP = Object.freeze({ giveUp: true });

export function giveUp(): never {
  throw GIVE_UP;
}

export const NL = 10;
export const SPACE = 32;
export const HASH = 35;
export const COLON = 58;
export const DASH = 45;

// Runs of characters are skipped with sticky regexes, not character loops: a cold run reads most
// of its YAML before V8 compiles the reader, so a loop runs in V8's interpreter, one character at a
// time, while irregexp runs a regex as native code from its first use or so. Each skip is written
// out (`R.lastIndex = p; R.test(t); p = R.lastIndex`, where R matches the empty string too, so
// it never fails for p <= t.length): a helper function cost the interpreter one call per skip.
// The same goes for the other shapes below chosen to save calls in the hot paths.

/** Spaces. */
export const SPACES = / */y;
/** What a plain scalar in block context holds before anything that may end it (`: `, ` #`, a line break). */
export const PLAIN_RUN = /[^\n:#]*/y;
/** The same in flow context, where `,[]{}` end it too. */
export const FLOW_PLAIN_RUN = /[^\n:#,[\]{}]*/y;
/** Inside double quotes, up to a quote, an escape or a line break. */
export const DOUBLE_RUN = /[^"\\\n]*/y;
/** Inside single quotes, up to a quote or a line break. */
export const SINGLE_RUN = /[^'\n]*/y;
/**
 * The commonest lines of a block map, read with one regex instead of a dozen calls: `key:` or
 * `key: value`, then the next line's indentation. The key starts with a lowercase letter and holds
 * no space, `:` or `#`; one space before the value, which is a one-line plain scalar starting with
 * a letter, digit, `_` or `$`, without `:` or `#`, or a one-line quoted scalar without escapes, or
 * a block scalar's header (`|`, `|-`, `>`, `>-`); nothing after it. Groups: the key, the value.
 * Any other line takes the general path (`keyColon`, `mapValue`), which reads these the same way.
 */
export const ENTRY = /([a-z][-\w./]*):(?: ([\w$](?:[^\n:#]*[^\n:# ])?|"[^"\\\n]*"|'[^'\n]*'|[|>]-?))?\n */y;

/**
 * A space, a line break or the end of the text (what must follow `-`, `:` and `---`): the only
 * characters up to a space are line breaks (readFastYaml refuses tabs and CRs, its callers other
 * control characters), and the end reads as undefined (past the character codes), which is not
 * above anything.
 */
export function isSep(c: number): boolean {
  return !(c > SPACE);
}

export function isFlowIndicator(c: number): boolean {
  return c === 44 || c === 91 || c === 93 || c === 123 || c === 125; // , [ ] { }
}

/**
 * The words MAYBE_NOT_STRING matches that start with a lowercase letter, each at 8 times its first
 * character's code plus its length (no two share both): a plain scalar starting with a lowercase
 * letter is one of them, or a string to kubectl.
 */
export const LOWER_WORDS: string[] = [];
for (const word of ['y', 'n', 'yes', 'no', 'true', 'false', 'on', 'off', 'null']) {
  LOWER_WORDS[word.charCodeAt(0) * 8 + word.length] = word;
}

/** Characters that cannot start a plain scalar (`-`, `?` and `:` are checked with what follows). */
export const NOT_PLAIN_START = new Uint8Array(128);
for (const c of ',[]{}#&*!|>\'"%@`') NOT_PLAIN_START[c.charCodeAt(0)] = 1;

/**
 * A literal block's lines from its first, which has text, as long as each has text indented as
 * much as the first or is empty: what `block`'s loop would read there (`\1` is the indentation).
 */
export const LITERAL_BODY = /( +)[^ \n][^\n]*\n(?:\n*\1 *[^ \n][^\n]*\n)*/y;

export const LINE_BREAKS_INDENTED: string[] = [];

/** A line break and `base` spaces. */
export function lineBreakIndented(base: number): string {
  let s = LINE_BREAKS_INDENTED[base];
  if (s === undefined) {
    s = `\n${' '.repeat(base)}`;
    LINE_BREAKS_INDENTED[base] = s;
  }
  return s;
}

// ---- values ----

const SMALL_DECIMAL = /^(0|[1-9][0-9]{0,14})$/;

/** A plain scalar's JSON value, as yaml-tree.ts makes it (giving up where it reports a problem). */
export function plainValue(text: string): JsonValue {
  if (!MAYBE_NOT_STRING.test(text)) return text; // (tested by hot callers before the call too)
  if (SMALL_DECIMAL.test(text)) return Number(text);
  const json = goScalarJson(resolvePlainScalar(text), text);
  return 'value' in json ? json.value : giveUp();
}

/** A plain key's JSON key (sigs.k8s.io/yaml's), giving up on keys kubectl refuses. */
export function plainKey(text: string): string {
  return plainJsonKey(text) ?? giveUp();
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};

/** The `''` of a one-line single-quoted scalar. */
export function unescapeSingle(raw: string): string {
  return raw.replaceAll("''", "'");
}

/** The escapes of a one-line double-quoted scalar; gives up on the rarer YAML-only ones. */
export function unescapeDouble(raw: string): string {
  let out = '';
  let from = 0;
  for (let i = raw.indexOf('\\'); i >= 0; i = raw.indexOf('\\', from)) {
    out += raw.slice(from, i);
    const c = raw[i + 1] as string;
    const simple = ESCAPES[c];
    if (simple !== undefined) {
      out += simple;
      from = i + 2;
      continue;
    }
    const digits = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : giveUp();
    const hex = raw.slice(i + 2, i + 2 + digits);
    if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) giveUp();
    const code = Number.parseInt(hex, 16);
    if ((code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) giveUp();
    out += String.fromCodePoint(code);
    from = i + 2 + digits;
  }
  return out + raw.slice(from);
}

/**
 * A quoted scalar written over several lines: each line is trimmed (the first at its end, the
 * last at its start), one line break becomes a space and n empty lines n breaks; in double
 * quotes a backslash at the end of a line joins it to the next with nothing between.
 */
export function foldQuoted(raw: string, decode: (line: string) => string, escapes: boolean): string {
  const lines = raw.split('\n');
  const last = lines.length - 1;
  let out = '';
  let breaks = 0;
  let joined = false;
  lines.forEach((line, i) => {
    let l = i > 0 ? line.replace(/^ +/, '') : line;
    let escapedBreak = false;
    if (i < last) {
      const slashes = /\\*$/.exec(l)?.[0].length ?? 0;
      if (escapes && slashes % 2 === 1) {
        l = l.slice(0, -1);
        escapedBreak = true;
      } else {
        const trimmed = l.replace(/ +$/, '');
        // A space kept by an escape (`\ `) right before the break: not worth the care.
        if (escapes && trimmed.length < l.length && /(^|[^\\])(\\\\)*\\$/.test(trimmed)) giveUp();
        l = trimmed;
      }
    }
    if (i > 0 && i < last && l === '') {
      if (joined) giveUp(); // an empty line after an escaped break
      breaks++;
      return;
    }
    if (i > 0) out += joined ? '' : breaks > 0 ? '\n'.repeat(breaks) : ' ';
    out += decode(l);
    breaks = 0;
    joined = escapedBreak;
  });
  return out;
}

/** A deep copy (aliases give each use its own value, as the full loader does). */
export function cloneJson(v: JsonValue): JsonValue {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(cloneJson);
  const out: { [key: string]: JsonValue } = {};
  for (const k of Object.keys(v)) setOwn(out, k, cloneJson(v[k] as JsonValue));
  return out;
}

/** Whether a Uint16Array reads the bytes of Buffer's `utf16le` encoding as their code units. */
const LITTLE_ENDIAN = new Uint16Array(new Uint8Array([1, 0]).buffer)[0] === 1;

/** The character codes of `text`, one per UTF-16 unit (bytes when it is ASCII), made natively. */
export function charCodes(text: string, ascii: boolean): Uint8Array | Uint16Array {
  if (ascii) return Buffer.from(text, 'latin1');
  if (LITTLE_ENDIAN) {
    const bytes = Buffer.from(text, 'utf16le');
    // Buffer's pool aligns each buffer to 8 bytes; a view needs 2.
    if (bytes.byteOffset % 2 === 0) return new Uint16Array(bytes.buffer, bytes.byteOffset, text.length);
  }
  const codes = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) codes[i] = text.charCodeAt(i);
  return codes;
}
