// Small JSON helpers shared by the runtime and the generator.
import { isPlainObject, setOwn } from '../json.js';
import type { JsonValue } from '../rgd/model.js';

/** JSON with object keys sorted at every level and no whitespace: equal values, equal text. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] as JsonValue)}`).join(',')}}`;
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
