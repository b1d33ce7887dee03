// Small JSON helpers shared by the runtime and the generator.
import { isPlainObject, setOwn } from '../json.js';
import type { JsonValue } from '../rgd/model.js';

/** JSON with object keys sorted at every level and no whitespace: equal values, equal text. */
export function canonicalJson(value: JsonValue): string {
  // One growing string instead of an array mapped and joined per level: generate hashes whole RGDs
  // (some embed large CRDs) with it.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i] as JsonValue);
    return `${out}]`;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    let out = '{';
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      out += `${i === 0 ? '' : ','}${JSON.stringify(k)}:${canonicalJson(value[k] as JsonValue)}`;
    }
    return `${out}}`;
  }
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
