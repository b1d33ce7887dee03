// The content hash in each generated header: it changes exactly when the RGD's content or the
// generator changes, never with formatting, key order or comments in the YAML.
import { hash } from 'node:crypto';
import type { JsonValue } from '../rgd/model.js';
import { canonicalJsonOf } from '../runtime/json.js';

/** contentHash, and what the walk behind it saw of the document. */
export interface HashedDocument {
  readonly hash: string;
  /** Whether some list in the document starts with a number (CanonicalJson.numberLists, for printJson). */
  readonly numberLists: boolean;
}

/** sha256 (hex) of the RGD's canonical JSON followed by the generator's name and version. */
export function contentHash(rgd: JsonValue, generatorVersion: string): string {
  return hashDocument(rgd, generatorVersion).hash;
}

/** contentHash of `rgd`, with what the canonical walk found. */
export function hashDocument(rgd: JsonValue, generatorVersion: string): HashedDocument {
  const canonical = canonicalJsonOf(rgd);
  // crypto.hash: one native call per RGD, without the Hash object and the calls into it that
  // createHash(...).update(...).digest() makes (about as costly as hashing the smaller RGDs).
  // node:crypto is imported, not fetched with process.getBuiltinModule on first use: only generate
  // and init load this module, and getBuiltinModule cost them more (about 6M instructions more).
  return {
    hash: hash('sha256', `${canonical.text}\nkro-gen@${generatorVersion}`, 'hex'),
    numberLists: canonical.numberLists,
  };
}
