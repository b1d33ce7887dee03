// The definition canonicalJson (src/runtime/json.ts) must meet, written as plainly as it reads:
// every object's keys sorted (by UTF-16 code units), no whitespace, an int64 beyond 2^53 (a bigint)
// as its digits. canonicalJson prints subtrees already in order with JSON.stringify, which this
// walk never does.
import type { JsonValue } from '../../src/rgd/model.js';

export function canonicalByWalk(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalByWalk(v as JsonValue)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalByWalk(value[k] as JsonValue)}`).join(',')}}`;
  }
  return typeof value === 'bigint' ? value.toString() : JSON.stringify(value);
}
