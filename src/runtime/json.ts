// Small JSON helpers shared by the runtime and the generator.
import { isPlainObject, setOwn } from '../json.js';
import type { JsonObject, JsonValue } from '../rgd/model.js';

/**
 * JSON with object keys sorted at every level and no whitespace: equal values, equal text.
 * Subtrees whose keys are already in sorted order at every level (CRD schemas as controller-gen
 * writes them: most of the bytes of RGDs that embed CRDs, which generate hashes and synth compares)
 * are printed as they are by one native JSON.stringify call (see sortedCopy).
 */
export function canonicalJson(value: JsonValue): string {
  return canonicalJsonOf(value).text;
}

/** canonicalJson's text, and what its walk saw on the way. */
export interface CanonicalJson {
  readonly text: string;
  /**
   * Whether some list starts with a number: only then can the value hold a list of numbers (which
   * the generator prints on one line, and otherwise need not look for).
   */
  readonly numberLists: boolean;
}

/** canonicalJson(value), with what the walk behind it found. */
export function canonicalJsonOf(value: JsonValue): CanonicalJson {
  if (typeof value !== 'object' || value === null) return { text: scalarText(value), numberLists: false };
  const walk: Walk = { numberLists: false, fallback: false };
  const copy = sortedCopy(value, walk);
  return {
    text: walk.fallback ? sortedText(value) : JSON.stringify(copy ?? value),
    numberLists: walk.numberLists,
  };
}

interface Walk {
  numberLists: boolean;
  /** Set where a copy cannot stand for the canonical text: a bigint, or a key objects list first. */
  fallback: boolean;
}

/**
 * The canonical text as one native JSON.stringify call: undefined when JSON.stringify prints
 * `value` canonically as it is (every object's keys, as listed, in increasing order), else a copy
 * that it prints canonically, whose objects (only those out of order or holding such) have their
 * keys inserted sorted. Copies only what it must: CRD schemas, most of the bytes, are in order.
 *
 * Shaped for a cold run, where this walk over every node of every RGD runs in V8's interpreter:
 * keys are compared as `for...in` lists them, without an array per object, and a text built of
 * the objects out of order (an RGD's own parts: `schema` before `resources`, `name` before
 * `image`) took two JSON.stringify calls per key, each costing more in set-up than the few bytes
 * it printed.
 */
function sortedCopy(value: JsonObject | JsonValue[], walk: Walk): JsonValue | undefined {
  if (Array.isArray(value)) {
    if (typeof value[0] === 'number') walk.numberLists = true;
    let copy: JsonValue[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (typeof v !== 'object') {
        // int64s beyond 2^53 are bigints (src/rgd/int64.ts), which JSON.stringify refuses.
        if (typeof v === 'bigint') walk.fallback = true;
        continue;
      }
      if (v === null) continue;
      const c = sortedCopy(v, walk);
      if (c === undefined) continue;
      copy ??= value.slice();
      copy[i] = c;
    }
    return copy;
  }
  let inOrder = true;
  let copies: Map<string, JsonValue> | undefined;
  let previous: string | undefined;
  // The loader's objects are plain data: for...in lists exactly their own keys, as Object.keys does.
  for (const k in value) {
    if (previous !== undefined && !(previous < k)) inOrder = false;
    previous = k;
    const v = value[k];
    if (typeof v !== 'object') {
      if (typeof v === 'bigint') walk.fallback = true;
      continue;
    }
    if (v === null) continue;
    const c = sortedCopy(v as JsonObject | JsonValue[], walk);
    if (c === undefined) continue;
    copies ??= new Map();
    copies.set(k, c);
  }
  if (inOrder && copies === undefined) return undefined;
  const keys = Object.keys(value);
  if (!inOrder) keys.sort();
  // No prototype: a key `__proto__` is a plain property, as in the loader's objects.
  const out: JsonObject = Object.create(null);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    // An array index (`"0"`, `"12"`) is listed before the other keys whatever the order it was
    // inserted in: such an object is printed by sortedText.
    const c = k.charCodeAt(0);
    if (c >= 48 && c <= 57) walk.fallback = true;
    out[k] = copies?.get(k) ?? (value[k] as JsonValue);
  }
  return out;
}

/**
 * The canonical text by a walk that prints every node: for the values no copy stands for (a
 * bigint, a key such as "0" that objects list first), which RGDs rarely hold.
 */
function sortedText(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(sortedText).join(',')}]`;
  if (typeof value !== 'object' || value === null) return scalarText(value);
  const keys = Object.keys(value).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    out += `${i === 0 ? '' : ','}${JSON.stringify(k)}:${sortedText(value[k] as JsonValue)}`;
  }
  return `${out}}`;
}

function scalarText(value: JsonValue): string {
  // int64s beyond 2^53 are bigints (src/rgd/int64.ts), which JSON.stringify refuses.
  return typeof value === 'bigint' ? value.toString() : JSON.stringify(value);
}

export { isPlainObject } from '../json.js';

/** A deep copy of plain data, without `undefined` object members (optional props left unset). */
export function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) setOwn(out, k, clone(v));
    return out;
  }
  return value;
}
