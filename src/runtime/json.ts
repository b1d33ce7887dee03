// Small JSON helpers shared by the runtime and the generator.
import { isPlainObject, setOwn } from '../json.js';
import type { JsonObject, JsonValue } from '../rgd/model.js';

/**
 * JSON with object keys sorted at every level and no whitespace: equal values, equal text.
 * Subtrees whose keys are already in sorted order at every level (CRD schemas as controller-gen
 * writes them: most of the bytes of RGDs that embed CRDs, which generate hashes and synth compares)
 * are printed by one native JSON.stringify call instead of a walk building the text.
 */
export function canonicalJson(value: JsonValue): string {
  if (typeof value === 'object' && value !== null) return unlessInOrder(value) ?? JSON.stringify(value);
  // int64s beyond 2^53 are bigints (src/rgd/int64.ts), which JSON.stringify refuses.
  return typeof value === 'bigint' ? value.toString() : JSON.stringify(value);
}

/**
 * Undefined when JSON.stringify prints the object or array `value` canonically (every object's
 * keys, as listed, in increasing order, so integer-like keys that objects list first must be in
 * order as strings too; no bigint), else its canonical text.
 *
 * Shaped for a cold run, where this walk over every node of every RGD runs in V8's interpreter:
 * keys are compared as `for...in` lists them, without an array per object.
 */
function unlessInOrder(value: JsonObject | JsonValue[]): string | undefined {
  if (Array.isArray(value)) {
    let texts: (string | undefined)[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const text = memberText(value[i]);
      if (text === undefined) continue;
      texts ??= [];
      texts[i] = text;
    }
    if (texts === undefined) return undefined;
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      out += `${i === 0 ? '' : ','}${texts[i] ?? JSON.stringify(value[i])}`;
    }
    return `${out}]`;
  }
  let inOrder = true;
  let texts: Map<string, string> | undefined;
  let previous: string | undefined;
  // The loader's objects are plain data: for...in lists exactly their own keys, as Object.keys does.
  for (const k in value) {
    if (previous !== undefined && !(previous < k)) inOrder = false;
    previous = k;
    const text = memberText(value[k]);
    if (text === undefined) continue;
    texts ??= new Map();
    texts.set(k, text);
  }
  if (inOrder && texts === undefined) return undefined;
  const keys = Object.keys(value);
  if (!inOrder) keys.sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    out += `${i === 0 ? '' : ','}${JSON.stringify(k)}:${texts?.get(k) ?? JSON.stringify(value[k])}`;
  }
  return `${out}}`;
}

/** unlessInOrder of an array or object member; undefined for the other JSON values. */
function memberText(v: JsonValue | undefined): string | undefined {
  if (typeof v === 'object' && v !== null) return unlessInOrder(v);
  // int64s beyond 2^53 are bigints (src/rgd/int64.ts), which JSON.stringify refuses.
  return typeof v === 'bigint' ? v.toString() : undefined;
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
