// Finding `${...}` expressions inside strings, exactly as kro's parser does (pkg/graph/parser/cel.go).
//
// The rules, all kro's:
// - an expression runs from `${` to the `}` that balances it; `{`/`}` pairs inside (CEL map
//   literals) nest;
// - inside a double-quoted CEL string, braces do not count and `\` escapes the next character;
//   single quotes are NOT tracked, so `${'}'}` ends at the first `}`;
// - a `${` inside an expression, outside a double-quoted string, is an error, unless the character
//   before it is `"`. With the string tracking above, `${"${VAR}"}` is the expression `"${VAR}"`,
//   i.e. the literal text `${VAR}`;
// - a `${` that is never closed is plain text, and scanning resumes right after its `$`.
//
// Offsets are JS string indexes (UTF-16 code units). kro counts UTF-8 bytes, but the scanner only
// reacts to ASCII characters, so both find the same expressions.
import { goQuote } from './goquote.js';

export interface ExpressionMatch {
  /** The CEL text between `${` and the closing `}`. */
  readonly expr: string;
  /** Offset of the `$` of `${`. */
  readonly start: number;
  /** Offset just after the closing `}`. */
  readonly end: number;
  /** Offset of the first character of `expr` (`start + 2`). */
  readonly innerStart: number;
  /** Offset just after the last character of `expr` (`end - 1`). */
  readonly innerEnd: number;
}

export type ScanErrorCode = 'nested-expression' | 'not-standalone';

export interface ScanError {
  readonly code: ScanErrorCode;
  /** kro's error text. */
  readonly message: string;
  /** Offset in the scanned string the error is about (the nested `${`, or 0). */
  readonly offset: number;
  /** For list inputs (readyWhen, includeWhen): which entry. */
  readonly index?: number;
}

export type ScanResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ScanError };

export const NESTED_EXPRESSION_MESSAGE = 'nested expressions are not allowed unless inside string literals';
export const NOT_STANDALONE_MESSAGE = 'only standalone expressions are allowed';

const DOLLAR = 0x24;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const DOUBLE_QUOTE = 0x22;
const BACKSLASH = 0x5c;

const NO_MATCHES: readonly ExpressionMatch[] = Object.freeze([]);
// The answer for most strings, shared: a template walk asks for every string of every template.
const NOTHING_FOUND: ScanResult<readonly ExpressionMatch[]> = Object.freeze({ ok: true, value: NO_MATCHES });

/** Every `${...}` in `str`, in order. Fails only on a nested `${` outside a string literal. */
export function extractExpressions(str: string): ScanResult<readonly ExpressionMatch[]> {
  let first = str.indexOf('${');
  if (first === -1) return NOTHING_FOUND;

  const matches: ExpressionMatch[] = [];
  const n = str.length;
  while (first !== -1) {
    const start = first;
    // Most expressions hold no `"` and no `{` before their first `}` (`${schema.spec.name}`): that
    // `}` closes them, as the loop below would find character by character (no string or map to
    // track, and no `${` without a `{`). Three native searches instead of an interpreted step per
    // character, for every expression of every template.
    const close = str.indexOf('}', start + 2);
    if (close !== -1 && noneBefore(str, '"', start + 2, close) && noneBefore(str, '{', start + 2, close)) {
      matches.push({
        expr: str.slice(start + 2, close),
        start,
        end: close + 1,
        innerStart: start + 2,
        innerEnd: close,
      });
      first = close + 1 < n ? str.indexOf('${', close + 1) : -1;
      continue;
    }
    let depth = 1;
    let inString = false;
    let escapeNext = false;
    let i = start + 2;
    for (; i < n; i++) {
      const c = str.charCodeAt(i);
      if (escapeNext) {
        escapeNext = false;
        continue;
      }
      if (inString) {
        if (c === BACKSLASH) escapeNext = true;
        else if (c === DOUBLE_QUOTE) inString = false;
        continue;
      }
      if (c === DOUBLE_QUOTE) {
        inString = true;
      } else if (c === OPEN_BRACE) {
        depth++;
      } else if (c === CLOSE_BRACE) {
        if (--depth === 0) break;
      } else if (
        c === DOLLAR &&
        i + 1 < n &&
        str.charCodeAt(i + 1) === OPEN_BRACE &&
        str.charCodeAt(i - 1) !== DOUBLE_QUOTE
      ) {
        return {
          ok: false,
          error: { code: 'nested-expression', message: NESTED_EXPRESSION_MESSAGE, offset: i },
        };
      }
    }
    if (depth !== 0) {
      // Never closed: plain text. kro retries from the next character, which finds the next `${`.
      first = str.indexOf('${', start + 1);
      continue;
    }
    matches.push({ expr: str.slice(start + 2, i), start, end: i + 1, innerStart: start + 2, innerEnd: i });
    first = i + 1 < n ? str.indexOf('${', i + 1) : -1;
  }
  return { ok: true, value: matches };
}

// Whether `str` has no `c` in [from, to).
function noneBefore(str: string, c: string, from: number, to: number): boolean {
  const at = str.indexOf(c, from);
  return at === -1 || at >= to;
}

/** True when `matches` (from `extractExpressions(str)`) is one expression spanning all of `str`. */
export function isStandaloneMatch(str: string, matches: readonly ExpressionMatch[]): boolean {
  const only = matches[0];
  return matches.length === 1 && only !== undefined && only.start === 0 && only.end === str.length;
}

/** kro's `isStandaloneExpression`: the whole string is exactly one `${...}`. */
export function isStandaloneExpression(str: string): ScanResult<boolean> {
  const scanned = extractExpressions(str);
  if (!scanned.ok) return scanned;
  return { ok: true, value: isStandaloneMatch(str, scanned.value) };
}

/**
 * The single expression of a standalone string (readyWhen, includeWhen, forEach, conditions).
 * Fails with kro's `only standalone expressions are allowed` otherwise.
 */
export function unwrapExpression(str: string): ScanResult<ExpressionMatch> {
  const scanned = extractExpressions(str);
  if (!scanned.ok) return scanned;
  const only = scanned.value[0];
  if (only === undefined || !isStandaloneMatch(str, scanned.value)) {
    return { ok: false, error: { code: 'not-standalone', message: NOT_STANDALONE_MESSAGE, offset: 0 } };
  }
  return { ok: true, value: only };
}

/** kro's `UnwrapExpressions`: the CEL text of each entry; the first bad entry fails the list. */
export function unwrapExpressions(entries: readonly string[]): ScanResult<string[]> {
  const out: string[] = [];
  for (let index = 0; index < entries.length; index++) {
    const unwrapped = unwrapExpression(entries[index]!);
    if (!unwrapped.ok) return { ok: false, error: { ...unwrapped.error, index } };
    out.push(unwrapped.value.expr);
  }
  return { ok: true, value: out };
}

/**
 * kro's `buildStringTemplate`: one CEL concatenation for a string with embedded expressions,
 * e.g. `a-${x}-b` becomes `"a-" + (x) + "-b"`. Literal parts are quoted with Go's strconv.Quote.
 */
export function buildStringTemplate(str: string, matches: readonly ExpressionMatch[]): string {
  const parts: string[] = [];
  let pos = 0;
  // Indexed: cold code (docs/architecture.md).
  for (let i = 0; i < matches.length; i++) {
    const m = matches[i] as ExpressionMatch;
    if (m.start > pos) parts.push(goQuote(str.slice(pos, m.start)));
    parts.push(`(${m.expr})`);
    pos = m.end;
  }
  if (pos < str.length) parts.push(goQuote(str.slice(pos)));
  return parts.join(' + ');
}
