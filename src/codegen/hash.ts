// The content hash in each generated header: it changes exactly when the RGD's content or the
// generator changes, never with formatting, key order or comments in the YAML.
import { createHash } from 'node:crypto';
import type { JsonValue } from '../rgd/model.js';
import { canonicalJson } from '../runtime/json.js';

/** sha256 (hex) of the RGD's canonical JSON followed by the generator's name and version. */
export function contentHash(rgd: JsonValue, generatorVersion: string): string {
  // Two updates rather than one concatenated string: the canonical JSON of an RGD holding whole CRDs
  // is hundreds of kilobytes, not worth copying again.
  return createHash('sha256')
    .update(canonicalJson(rgd))
    .update(`\nkro-gen@${generatorVersion}`)
    .digest('hex');
}
