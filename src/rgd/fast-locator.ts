// Positions for documents read by fast-yaml.ts: the same answers YamlLocator (locator.ts) gives
// for the yaml library's tree of the same text, from the positions fast-yaml.ts recorded as numbers.
import { isScalar, LineCounter, parseDocument } from 'yaml';
import type { SourcePos } from '../diagnostics.js';
import { BLOCK_FOLDED, type FastPositions, MAP, PLAIN, type ScalarStyle, SEQ } from './fast-positions.js';
import { describeGoScalar, jsonKeyOf, resolvePlainScalar } from './kubectl-scalars.js';
import { sourceOffset } from './locator.js';
import type { DocPath, Locator } from './model.js';
import { PARSE_OPTIONS } from './yaml-options.js';

/** Line starts of one file, counted on the first position asked for (shared by its documents). */
export class LazyLines {
  readonly #text: string;
  #counter: LineCounter | undefined;

  constructor(text: string) {
    this.#text = text;
  }

  linePos(offset: number): { line: number; col: number } {
    if (!this.#counter) {
      this.#counter = new LineCounter();
      const starts = this.#counter.lineStarts;
      starts.push(0);
      for (let i = this.#text.indexOf('\n'); i >= 0; i = this.#text.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    return this.#counter.linePos(offset);
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
    for (const segment of path) {
      const container = n.deref(node);
      const kind = n.kind(container);
      let value = -1;
      let entryKey = -1;
      if (kind === MAP) {
        entryKey = this.#findKey(container, String(segment), 0);
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
  if (n.kind(key) !== PLAIN) return n.text(key);
  const k = jsonKeyOf(resolvePlainScalar(n.text(key)));
  return 'key' in k ? k.key : undefined;
}

/** Plain scalars the yaml library's YAML 1.1 schema may read as something else than a string. */
const MAYBE_NOT_STRING = /^[-+.:_~0-9A-Za-z]+$/;
const libraryStrings = new Map<string, boolean>();

/**
 * Whether the yaml library reads a scalar as a string (YamlLocator maps offsets only into those). It
 * differs from kubectl in corners (`1:20` is a number to it), so ask it, for the few plain
 * scalars made only of the characters its numbers, booleans and nulls use.
 */
function libraryReadsString(style: ScalarStyle, text: string): boolean {
  if (style !== 'PLAIN') return true;
  if (text === '') return false;
  if (!MAYBE_NOT_STRING.test(text)) return true;
  let known = libraryStrings.get(text);
  if (known === undefined) {
    const doc = parseDocument(text, PARSE_OPTIONS);
    known = isScalar(doc.contents) && typeof doc.contents.value === 'string';
    if (libraryStrings.size < 10_000) libraryStrings.set(text, known);
  }
  return known;
}
