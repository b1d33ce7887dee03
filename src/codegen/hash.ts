// The content hash in each generated header: it changes exactly when the RGD's content or the
// generator changes, never with formatting, key order or comments in the YAML.
import { hash } from 'node:crypto';
import type { JsonValue } from '../rgd/model.js';
import { canonicalJson } from '../runtime/json.js';

/** sha256 (hex) of the RGD's canonical JSON followed by the generator's name and version. */
export function contentHash(rgd: JsonValue, generatorVersion: string): string {
  // crypto.hash: one native call per RGD, without the Hash object and the calls into it that
  // createHash(...).update(...).digest() makes (about as costly as hashing the smaller RGDs).
  return hash('sha256', `${canonicalJson(rgd)}\nkro-gen@${generatorVersion}`, 'hex');
}
