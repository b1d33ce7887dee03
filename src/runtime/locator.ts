// Source positions for an RGD embedded in generated code. The YAML is gone at run time, so the
// generator records where the parts that messages point at were (the document, each resource, every
// string holding `${...}`), and this locator answers from that table. Paths without an entry fall
// back to their nearest recorded ancestor, as the YAML locator does for missing nodes.
import type { SourcePos } from '../diagnostics.js';
import type { DocPath, Locator } from '../rgd/model.js';

/**
 * JSON-pointer -> flat numbers: `[line, col]` of the value, then for strings with expressions a flag
 * (1 when offsets inside the string map to consecutive columns of one line) and anchors
 * `offset, line, col` for the start of the text and each `${`.
 */
export type PositionTable = { readonly [pointer: string]: readonly number[] };

/** RFC 6901 JSON pointer of a document path. */
export function pointerOf(path: DocPath): string {
  // Asked for every position looked up (and at generate time for every string holding `${`).
  let out = '';
  for (const segment of path) {
    const s = String(segment);
    out += s.includes('~') || s.includes('/') ? `/${s.replace(/~/g, '~0').replace(/\//g, '~1')}` : `/${s}`;
  }
  return out;
}

export class EmbeddedLocator implements Locator {
  readonly file: string;
  readonly #table: PositionTable;

  constructor(file: string, table: PositionTable) {
    this.file = file;
    this.#table = table;
  }

  at(path: DocPath): SourcePos {
    for (let n = path.length; n >= 0; n--) {
      const entry = this.#table[pointerOf(path.slice(0, n))];
      if (entry && entry.length >= 2) return this.#pos(entry[0]!, entry[1]!);
    }
    return this.#pos(1, 1);
  }

  inString(path: DocPath, offset: number): SourcePos {
    const entry = this.#table[pointerOf(path)];
    if (!entry || entry.length < 6) return this.at(path);
    const linear = entry[2] === 1;
    let best: SourcePos = this.#pos(entry[4]!, entry[5]!);
    for (let i = 3; i + 2 < entry.length; i += 3) {
      const at = entry[i]!;
      if (at > offset) break;
      best = linear
        ? this.#pos(entry[i + 1]!, entry[i + 2]! + (offset - at))
        : this.#pos(entry[i + 1]!, entry[i + 2]!);
    }
    return best;
  }

  #pos(line: number, col: number): SourcePos {
    return { file: this.file, line, col };
  }
}
