// How the yaml library is set up to read YAML the way kubectl does (see yaml.ts).
import type { Tags } from 'yaml';

/** YAML 1.1 tags minus the two go-yaml v2 leaves as strings (see yaml.ts). */
function kubectlTags(tags: Tags): Tags {
  return tags.filter((t) => {
    const tag = typeof t === 'string' ? t : t.tag;
    const format = typeof t === 'string' ? undefined : t.format;
    return tag !== 'tag:yaml.org,2002:timestamp' && format !== 'TIME';
  });
}

export const PARSE_OPTIONS = {
  version: '1.1',
  customTags: kubectlTags,
  prettyErrors: false,
  // Checked in linear time by yaml-tree.ts; the library compares each key with all earlier ones.
  uniqueKeys: false,
  // The library would print a warning on stderr for map keys that are collections.
  logLevel: 'error',
} as const;
