// Helpers for plain JSON-like trees, shared by every stage.

/**
 * Sets an own, enumerable property. Plain assignment would do, except for the key `__proto__`,
 * where it would replace the object's prototype instead of storing data.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** An object literal or JSON object (not an array, a class instance or null). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A private copy of a JSON-like tree (maps and lists copied, everything else shared). */
export function deepCopyJson<T>(value: T): T {
  return copyTree(value) as T;
}

function copyTree(value: unknown): unknown {
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copyTree(value[i]);
    return out;
  }
  if (typeof value === 'object' && value !== null) {
    const map = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(map)) setOwn(out, key, copyTree(map[key]));
    return out;
  }
  return value;
}

/** How many arrays and objects `value` nests (0 for a scalar), measured without recursion. */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [v, depth] = pending.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    for (const child of Array.isArray(v) ? v : Object.values(v)) pending.push([child, level]);
  }
  return deepest;
}

const SAFE_INTEGER = BigInt(Number.MAX_SAFE_INTEGER);
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
/** An integer token (no fraction or exponent) of 16 digits or more: maybe beyond 2^53. */
const LONG_INTEGER = /-?[0-9]{16,}(?![.eE0-9])/y;

/**
 * `JSON.parse`, except that integers beyond ±(2^53 − 1) within int64 become exact bigints (as the
 * API server reads them into int64) instead of rounded doubles; larger ones stay doubles, as the API
 * server reads them. Throws SyntaxError like `JSON.parse`.
 *
 * Node 20's reviver cannot see a number's source text, so long integer tokens are first swapped
 * for string placeholders that the reviver turns back into bigints. A placeholder starts with a
 * control character the text does not escape anywhere, so no string of the input can equal one.
 */
export function parseJsonExact(text: string): unknown {
  JSON.parse(text); // syntax errors exactly as JSON.parse reports them
  const mark = placeholderMark(text);
  const swapped: bigint[] = [];
  let out = '';
  let copied = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    if (c !== '-' && (c === undefined || c < '0' || c > '9')) continue;
    LONG_INTEGER.lastIndex = i;
    const m = LONG_INTEGER.exec(text);
    const token = m?.[0] ?? /-?[0-9.eE+-]*/y.exec(text.slice(i))?.[0] ?? c;
    if (m) {
      const n = BigInt(token);
      if (mark !== undefined && (n > SAFE_INTEGER || n < -SAFE_INTEGER) && n <= INT64_MAX && n >= INT64_MIN) {
        out += `${text.slice(copied, i)}"${escapeControl(mark)}${swapped.length}"`;
        swapped.push(n);
        copied = i + token.length;
      }
    }
    i += token.length - 1;
  }
  if (swapped.length === 0) return JSON.parse(text);
  out += text.slice(copied);
  return JSON.parse(out, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(mark as string)
      ? swapped[Number(value.slice((mark as string).length))]
      : value,
  );
}

function escapeControl(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** A control character (one JSON can only spell as `\u00XX`) the text never escapes, or undefined. */
function placeholderMark(text: string): string | undefined {
  const lower = text.toLowerCase();
  for (let code = 1; code < 0x20; code++) {
    if ('\b\t\n\f\r'.includes(String.fromCharCode(code))) continue;
    if (!lower.includes(`\\u${code.toString(16).padStart(4, '0')}`)) return String.fromCharCode(code);
  }
  return undefined;
}

/**
 * `JSON.stringify(value, null, indent)` for trees that may hold int64 bigints beyond 2^53, which
 * are written as their exact digits (JSON.stringify refuses bigints). Each bigint is first
 * written as a marker string that no string or key of the tree starts with, then replaced by its
 * digits.
 */
export function stringifyJson(value: unknown, indent?: number): string {
  for (let nonce = 0; ; nonce++) {
    const mark = `\u0000int64-${nonce}:`;
    let clash = false;
    let hasBigint = false;
    const text = JSON.stringify(
      value,
      (key, v: unknown) => {
        if (key.startsWith(mark) || (typeof v === 'string' && v.startsWith(mark))) clash = true;
        if (typeof v !== 'bigint') return v;
        hasBigint = true;
        return `${mark}${v}`;
      },
      indent,
    );
    if (clash) continue;
    if (!hasBigint) return text;
    const quoted = JSON.stringify(mark).slice(0, -1);
    return text.replace(new RegExp(`${escapeRegExp(quoted)}(-?[0-9]+)"`, 'g'), '$1');
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
