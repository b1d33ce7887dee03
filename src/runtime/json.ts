// Small JSON helpers shared by the runtime and the generator.
import { isPlainObject, setOwn } from '../json.js';
import type { JsonValue } from '../rgd/model.js';

/**
 * JSON with object keys sorted at every level and no whitespace: equal values, equal text.
 * Subtrees whose keys are already in sorted order at every level (CRD schemas as controller-gen
 * writes them: most of the bytes of RGDs that embed CRDs, which generate hashes and synth compares)
 * are printed by one native JSON.stringify call instead of a walk building the text.
 */
export function canonicalJson(value: JsonValue): string {
  return unlessInOrder(value) ?? JSON.stringify(value);
}

/**
 * Undefined when JSON.stringify prints `value` canonically (every object's keys, as listed, in
 * increasing order, so integer-like keys that objects list first must be in order as strings too;
 * no bigint), else its canonical text.
 */
function unlessInOrder(value: JsonValue): string | undefined {
  // int64s beyond 2^53 are bigints (src/rgd/int64.ts), which JSON.stringify refuses.
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    let texts: (string | undefined)[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const text = unlessInOrder(value[i] as JsonValue);
      if (text !== undefined) {
        texts ??= [];
        texts[i] = text;
      }
    }
    if (texts === undefined) return undefined;
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      out += `${i === 0 ? '' : ','}${texts[i] ?? JSON.stringify(value[i])}`;
    }
    return `${out}]`;
  }
  const keys = Object.keys(value);
  let inOrder = true;
  let texts: Map<string, string> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    if (i > 0 && !((keys[i - 1] as string) < k)) inOrder = false;
    const text = unlessInOrder(value[k] as JsonValue);
    if (text !== undefined) {
      texts ??= new Map();
      texts.set(k, text);
    }
  }
  if (inOrder && texts === undefined) return undefined;
  if (!inOrder) keys.sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    out += `${i === 0 ? '' : ','}${JSON.stringify(k)}:${texts?.get(k) ?? JSON.stringify(value[k])}`;
  }
  return `${out}}`;
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
