// The content hash in each generated header: it changes exactly when the RGD's content or the
// generator changes, never with formatting, key order or comments in the YAML.
import { hash } from 'node:crypto';
import type { JsonValue } from '../rgd/model.js';
import { canonicalJson } from '../runtime/json.js';

/** contentHash, and what the walk behind it saw of the document. */
export interface HashedDocument {
  readonly hash: string;
  /**
   * Whether some list in the document starts with a number: only then can it hold a list of
   * numbers, which printJson prints on one line (and otherwise need not look for).
   */
  readonly numberLists: boolean;
}

/** sha256 (hex) of the RGD's canonical JSON followed by the generator's name and version. */
export function contentHash(rgd: JsonValue, generatorVersion: string): string {
  return hashDocument(rgd, generatorVersion).hash;
}

/** contentHash of `rgd`, with what its walk found. */
export function hashDocument(rgd: JsonValue, generatorVersion: string): HashedDocument {
  const walk: Walk = { numberLists: false, fallback: false };
  let canonical: string;
  if (typeof rgd === 'object' && rgd !== null) {
    const copy = sortedCopy(rgd, walk);
    canonical = walk.fallback ? canonicalJson(rgd) : JSON.stringify(copy ?? rgd);
  } else canonical = canonicalJson(rgd);
  // crypto.hash: one native call per RGD, without the Hash object and the calls into it that
  // createHash(...).update(...).digest() makes (about as costly as hashing the smaller RGDs).
  // node:crypto is imported, not fetched with process.getBuiltinModule on first use: only generate
  // and init load this module, and getBuiltinModule cost them more (about 6M instructions more).
  return {
    hash: hash('sha256', `${canonical}\nkro-gen@${generatorVersion}`, 'hex'),
    numberLists: walk.numberLists,
  };
}

interface Walk {
  numberLists: boolean;
  /** Set where a copy cannot stand for the canonical text: a bigint, or a key objects list first. */
  fallback: boolean;
}

/**
 * canonicalJson's text as one native JSON.stringify call: undefined when JSON.stringify prints
 * `value` canonically as it is (every object's keys, as listed, in increasing order), else a copy
 * that it prints canonically, whose objects (only those out of order or holding such) have their
 * keys inserted sorted. Copies only what it must: CRD schemas, most of the bytes, are in order.
 *
 * Shaped for a cold run: the text canonicalJson builds of the objects out of order (an RGD's own
 * parts: `schema` before `resources`, `name` before `image`) took two JSON.stringify calls per key,
 * each costing more in set-up than the few bytes it printed.
 */
function sortedCopy(value: { [key: string]: JsonValue } | JsonValue[], walk: Walk): JsonValue | undefined {
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
    const c = sortedCopy(v as { [key: string]: JsonValue } | JsonValue[], walk);
    if (c === undefined) continue;
    copies ??= new Map();
    copies.set(k, c);
  }
  if (inOrder && copies === undefined) return undefined;
  const keys = Object.keys(value);
  if (!inOrder) keys.sort();
  // No prototype: a key `__proto__` is a plain property, as in the loader's objects.
  const out: { [key: string]: JsonValue } = Object.create(null);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    // An array index (`"0"`, `"12"`) is listed before the other keys whatever the order it was
    // inserted in: canonicalJson's own walk prints such an object.
    const c = k.charCodeAt(0);
    if (c >= 48 && c <= 57) walk.fallback = true;
    out[k] = copies?.get(k) ?? (value[k] as JsonValue);
  }
  return out;
}
