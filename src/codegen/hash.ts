// The content hash in each generated header: it changes exactly when the RGD's content or the
// generator changes, never with formatting, key order or comments in the YAML.
import { createHash } from 'node:crypto';
import type { JsonValue } from '../rgd/model.js';

/** sha256 (hex) of the RGD's canonical JSON followed by the generator's name and version. */
export function contentHash(rgd: JsonValue, generatorVersion: string): string {
  // Two updates rather than one concatenated string: the canonical JSON of an RGD holding whole CRDs
  // is hundreds of kilobytes, not worth copying again.
  return createHash('sha256')
    .update(canonicalText(rgd))
    .update(`\nkro-gen@${generatorVersion}`)
    .digest('hex');
}

/**
 * The same text as canonicalJson (src/runtime/json.ts: keys sorted at every level, no whitespace),
 * made faster for what RGDs hold: most of their bytes are in subtrees whose keys are already in
 * sorted order at every level (CRD schemas as controller-gen writes them, 93% of kro's examples),
 * and JSON.stringify prints each of those in one native call instead of a walk building the text.
 */
export function canonicalText(value: JsonValue): string {
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
