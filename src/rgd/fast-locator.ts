// Positions for documents read by fast-yaml.ts: the same answers YamlLocator (locator.ts) gives
// for the yaml library's tree of the same text, from the positions fast-yaml.ts recorded as numbers.
import { isScalar, parseDocument } from 'yaml';
import type { SourcePos } from '../diagnostics.js';
import { BLOCK_FOLDED, type FastPositions, MAP, PLAIN, type ScalarStyle, SEQ } from './fast-positions.js';
import { describeGoScalar, plainJsonKey, resolvePlainScalar } from './kubectl-scalars.js';
import { sourceOffset } from './locator.js';
import type { DocPath, Locator } from './model.js';
import { PARSE_OPTIONS } from './yaml-options.js';

/**
 * Line starts of one file (shared by its documents), found as far as the positions asked for
 * need: a large file often has a few diagnostics near its start. Answers as the yaml library's
 * LineCounter does with every line start of the file.
 */
export class LazyLines {
  readonly #text: string;
  /** 0, then the offset after each line break, up to the first past the last offset asked for. */
  readonly #starts: number[] = [0];
  /** Whether #starts has every line start. */
  #complete = false;

  constructor(text: string) {
    this.#text = text;
  }

  linePos(offset: number): { line: number; col: number } {
    const starts = this.#starts;
    let last = starts[starts.length - 1] as number;
    while (last < offset && !this.#complete) {
      const nl = this.#text.indexOf('\n', last);
      if (nl < 0) {
        this.#complete = true;
      } else {
        last = nl + 1;
        starts.push(last);
      }
    }
    // The first start at or past `offset` (LineCounter.linePos's search).
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((starts[mid] as number) < offset) low = mid + 1;
      else high = mid;
    }
    if (starts[low] === offset) return { line: low + 1, col: 1 };
    if (low === 0) return { line: 0, col: offset };
    return { line: low, col: offset - (starts[low - 1] as number) + 1 };
  }
}

interface Resolved {
  readonly found: boolean;
  readonly node: number;
  /** The key of the map entry holding `node`, or -1. */
  readonly key: number;
}

export class FastLocator implements Locator {
  readonly file: string;
  readonly #text: string;
  readonly #nodes: FastPositions;
  readonly #root: number;
  readonly #lines: LazyLines;

  constructor(file: string, text: string, nodes: FastPositions, root: number, lines: LazyLines) {
    this.file = file;
    this.#text = text;
    this.#nodes = nodes;
    this.#root = root;
    this.#lines = lines;
  }

  at(path: DocPath, part: 'key' | 'value' = 'value'): SourcePos {
    const r = this.#resolve(path);
    const n = this.#nodes;
    if (!r.found || part === 'key') return this.#pos(n.start(r.key >= 0 ? r.key : r.node));
    return this.#pos(n.start(r.node));
  }

  inString(path: DocPath, offset: number): SourcePos {
    const r = this.#resolve(path);
    const n = this.#nodes;
    const node = r.node;
    if (!r.found || n.kind(node) > BLOCK_FOLDED || !libraryReadsString(n.style(node), n.text(node))) {
      return this.at(path);
    }
    const start = n.start(node);
    const source = this.#text.slice(start, n.end(node));
    const at = sourceOffset(n.style(node), source, n.text(node), offset);
    return this.#pos(at === undefined ? start : start + at);
  }

  readAs(path: DocPath): string | undefined {
    const r = this.#resolve(path);
    const n = this.#nodes;
    const node = r.found ? n.deref(r.node) : -1;
    if (node < 0 || n.kind(node) !== PLAIN) return undefined;
    return `${n.text(node)} reads as ${describeGoScalar(resolvePlainScalar(n.text(node)))}`;
  }

  #pos(offset: number): SourcePos {
    const lp = this.#lines.linePos(offset);
    return { file: this.file, line: lp.line, col: lp.col };
  }

  #resolve(path: DocPath): Resolved {
    const n = this.#nodes;
    let node = this.#root;
    let key = -1;
    // An index, not for-of: most lookups run in V8's interpreter, where for-of costs a call per step.
    for (let s = 0; s < path.length; s++) {
      const segment = path[s] as string | number;
      const container = n.deref(node);
      const kind = n.kind(container);
      let value = -1;
      let entryKey = -1;
      if (kind === MAP) {
        entryKey = this.#findKey(container, typeof segment === 'string' ? segment : String(segment), 0);
        if (entryKey >= 0) value = n.next(entryKey);
      } else if (kind === SEQ && typeof segment === 'number' && segment >= 0) {
        let item = container + 1;
        const end = n.next(container);
        for (let k = 0; k < segment && item < end; k++) item = n.next(item);
        if (item < end) value = item;
      }
      if (value < 0) return { found: false, node, key };
      node = value;
      key = entryKey;
    }
    return { found: true, node, key };
  }

  /** First key of each name, per map (built for the maps a lookup passes through). */
  readonly #keyIndex = new Map<number, Map<string, number>>();

  /** The key node for `name` (its value is the node after it), looking through `<<` merges as YamlLocator does; -1 if none. */
  #findKey(map: number, name: string, depth: number): number {
    const n = this.#nodes;
    let index = this.#keyIndex.get(map);
    if (!index) {
      index = new Map();
      for (let k = map + 1, end = n.next(map); k < end; k = n.next(n.next(k))) {
        const text = isMergeKey(n, k) ? undefined : keyText(n, k);
        if (text !== undefined && !index.has(text)) index.set(text, k);
      }
      this.#keyIndex.set(map, index);
    }
    const found = index.get(name);
    if (found !== undefined) return found;
    if (depth > 8) return -1;
    for (let k = map + 1, end = n.next(map); k < end; k = n.next(n.next(k))) {
      if (!isMergeKey(n, k)) continue;
      const value = n.deref(n.next(k));
      const sources = n.kind(value) === SEQ ? n.children(value).map((s) => n.deref(s)) : [value];
      for (const source of sources) {
        if (n.kind(source) !== MAP) continue;
        const inner = this.#findKey(source, name, depth + 1);
        if (inner >= 0) return inner;
      }
    }
    return -1;
  }
}

function isMergeKey(n: FastPositions, key: number): boolean {
  // The length first: a plain scalar's text is sliced from the source when asked for.
  return n.kind(key) === PLAIN && n.end(key) - n.start(key) === 2 && n.text(key) === '<<';
}

function keyText(n: FastPositions, key: number): string | undefined {
  return n.kind(key) === PLAIN ? plainJsonKey(n.text(key)) : n.text(key);
}

/** Plain scalars the yaml library's YAML 1.1 schema may read as something else than a string. */
const MAYBE_NOT_LIBRARY_STRING = /^[-+.:_~0-9A-Za-z]+$/;
const libraryStrings = new Map<string, boolean>();

/**
 * Whether the yaml library reads a scalar as a string (YamlLocator maps offsets only into those). It
 * differs from kubectl in corners (`1:20` is a number to it), so ask it, for the few plain
 * scalars made only of the characters its numbers, booleans and nulls use.
 */
function libraryReadsString(style: ScalarStyle, text: string): boolean {
  if (style !== 'PLAIN') return true;
  if (text === '') return false;
  if (!MAYBE_NOT_LIBRARY_STRING.test(text)) return true;
  let known = libraryStrings.get(text);
  if (known === undefined) {
    const doc = parseDocument(text, PARSE_OPTIONS);
    known = isScalar(doc.contents) && typeof doc.contents.value === 'string';
    if (libraryStrings.size < 10_000) libraryStrings.set(text, known);
  }
  return known;
}
