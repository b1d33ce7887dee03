// Positions for documents read by fast-yaml.ts: the same answers YamlLocator (locator.ts) gives
// for the yaml library's tree of the same text, from the positions fast-yaml.ts recorded as numbers.
import { isScalar, parseDocument } from 'yaml';
import type { SourcePos } from '../diagnostics.js';
import { BLOCK_FOLDED, type FastPositions, MAP, PLAIN, type ScalarStyle, SEQ } from './fast-positions.js';
import { describeGoScalar, MAYBE_NOT_STRING, plainJsonKey, resolvePlainScalar } from './kubectl-scalars.js';
import { sourceOffset } from './locator.js';
import type { DocPath, Locator } from './model.js';
import { PARSE_OPTIONS } from './yaml-options.js';
import { goScalarJson } from './yaml-tree.js';

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
    const low = firstAtOrPast(starts, offset);
    if (starts[low] === offset) return { line: low + 1, col: 1 };
    if (low === 0) return { line: 0, col: offset };
    return { line: low, col: offset - (starts[low - 1] as number) + 1 };
  }
}

/** The index of the first number at or past `x` in ascending `sorted` (its length if none). */
function firstAtOrPast(sorted: readonly number[], x: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((sorted[mid] as number) < x) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** A string FastLocator.stringsHolding found: its path, its text, and its node (for atFound, inFound). */
export interface FoundString {
  readonly path: DocPath;
  readonly text: string;
  readonly node: number;
}

export class FastLocator implements Locator {
  readonly file: string;
  readonly #text: string;
  readonly #nodes: FastPositions;
  readonly #root: number;
  readonly #lines: LazyLines;
  // The last path resolved, and after each of its segments the node reached and the key of the
  // entry holding it (-1 in a list): callers ask in document order (every string of a document,
  // each several times), so a lookup starts from the longest prefix it shares with the last one.
  readonly #segments: (string | number)[] = [];
  readonly #nodesAt: number[];
  readonly #keysAt: number[] = [-1];
  // What #resolve found, in fields rather than an object per lookup: whether the whole path
  // exists, and the node and key it reached (those of the deepest existing ancestor otherwise).
  #found = false;
  #node = -1;
  #key = -1;

  constructor(file: string, text: string, nodes: FastPositions, root: number, lines: LazyLines) {
    this.file = file;
    this.#text = text;
    this.#nodes = nodes;
    this.#root = root;
    this.#lines = lines;
    this.#nodesAt = [root];
  }

  at(path: DocPath, part: 'key' | 'value' = 'value'): SourcePos {
    this.#resolve(path);
    const n = this.#nodes;
    const key = this.#key;
    if (!this.#found || part === 'key') return this.#pos(n.start(key >= 0 ? key : this.#node));
    return this.#pos(n.start(this.#node));
  }

  inString(path: DocPath, offset: number): SourcePos {
    this.#resolve(path);
    return this.#found ? this.#inNode(this.#node, offset) : this.at(path);
  }

  /** at() of a string stringsHolding found, without looking its path up. */
  atFound(s: FoundString): SourcePos {
    return this.#pos(this.#nodes.start(s.node));
  }

  /** inString() of a string stringsHolding found, without looking its path up. */
  inFound(s: FoundString, offset: number): SourcePos {
    return this.#inNode(s.node, offset);
  }

  /** inString() of node `node`, found. */
  #inNode(node: number, offset: number): SourcePos {
    const n = this.#nodes;
    const start = n.start(node);
    if (n.kind(node) > BLOCK_FOLDED || !libraryReadsString(n.style(node), n.text(node)))
      return this.#pos(start);
    const source = this.#text.slice(start, n.end(node));
    const at = sourceOffset(n.style(node), source, n.text(node), offset);
    return this.#pos(at === undefined ? start : start + at);
  }

  readAs(path: DocPath): string | undefined {
    this.#resolve(path);
    const n = this.#nodes;
    const node = this.#found ? n.deref(this.#node) : -1;
    if (node < 0 || n.kind(node) !== PLAIN) return undefined;
    return `${n.text(node)} reads as ${describeGoScalar(resolvePlainScalar(n.text(node)))}`;
  }

  /**
   * The paths and texts of the document's strings that hold `needle`, in the order a walk over its
   * JSON value (each object's keys in Object.keys order) meets them, found from the positions: a
   * subtree whose source holds no `needle` is skipped unread (an RGD may embed whole CRDs without
   * one expression). Undefined where the source's order may not be the JSON value's: a `<<` merge,
   * or a key JavaScript puts first (an array index such as `"0"`).
   */
  stringsHolding(needle: string): FoundString[] | undefined {
    const n = this.#nodes;
    const root = this.#root;
    const next = n.next(root);
    const to = next < n.count ? n.start(next) : this.#text.length;
    const found: FoundString[] = [];
    const walk = new HoldingWalk(n, needle, n.offsetsHolding(needle, n.start(root), to), found);
    return walk.node(root, []) ? found : undefined;
  }

  #pos(offset: number): SourcePos {
    const lp = this.#lines.linePos(offset);
    return { file: this.file, line: lp.line, col: lp.col };
  }

  /** Sets #found, #node and #key for `path`. */
  #resolve(path: DocPath): void {
    const n = this.#nodes;
    const segments = this.#segments;
    const nodesAt = this.#nodesAt;
    const keysAt = this.#keysAt;
    // Segments are compared with ===: a number and its string differ (only a map takes a string).
    let s = 0;
    const shared = Math.min(path.length, segments.length);
    while (s < shared && path[s] === segments[s]) s++;
    segments.length = s;
    nodesAt.length = s + 1;
    keysAt.length = s + 1;
    let node = nodesAt[s] as number;
    let key = keysAt[s] as number;
    // An index, not for-of: most lookups run in V8's interpreter, where for-of costs a call per step.
    for (; s < path.length; s++) {
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
      if (value < 0) {
        this.#found = false;
        this.#node = node;
        this.#key = key;
        return;
      }
      node = value;
      key = entryKey;
      segments.push(segment);
      nodesAt.push(node);
      keysAt.push(key);
    }
    this.#found = true;
    this.#node = node;
    this.#key = key;
  }

  /**
   * Whether key node `k` (not a merge key: `name` is not `<<`) becomes the JSON key `name`, read
   * from the source without slicing it where it can be.
   */
  #keyIs(k: number, name: string): boolean {
    const n = this.#nodes;
    if (n.kind(k) !== PLAIN) return n.text(k) === name;
    const start = n.start(k);
    if (n.end(k) - start === name.length && this.#text.startsWith(name, start)) {
      return !MAYBE_NOT_STRING.test(name) || plainJsonKey(name) === name;
    }
    // Written otherwise, it is `name` only if kubectl reads it as something else (`yes` is "true").
    return MAYBE_NOT_STRING_START.test(this.#text.charAt(start)) && keyText(n, k) === name;
  }

  /** First key of each name, per map (built for the maps a lookup passes through). */
  readonly #keyIndex = new Map<number, Map<string, number>>();

  /** The key node for `name` (its value is the node after it), looking through `<<` merges as YamlLocator does; -1 if none. */
  #findKey(map: number, name: string, depth: number): number {
    const n = this.#nodes;
    let index = this.#keyIndex.get(map);
    let found: number | undefined;
    const end = n.next(map);
    let k = map + 1;
    if (index === undefined && name !== '<<') {
      // A map of a few keys (most are) is scanned: an index costs a Map and a key string per key.
      for (let seen = 0; k < end && seen < SCANNED_KEYS; k = n.next(n.next(k)), seen++) {
        if (this.#keyIs(k, name)) {
          found = k;
          break;
        }
      }
    }
    if (found === undefined && k < end) {
      if (index === undefined) {
        index = new Map();
        for (let k = map + 1, end = n.next(map); k < end; k = n.next(n.next(k))) {
          const text = isMergeKey(n, k) ? undefined : keyText(n, k);
          if (text !== undefined && !index.has(text)) index.set(text, k);
        }
        this.#keyIndex.set(map, index);
      }
      found = index.get(name);
    }
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

/** A first character MAYBE_NOT_STRING may match (the empty key, NaN's character, too). */
const MAYBE_NOT_STRING_START = /^(?:[-+.0-9~yYnNtTfFoO]|$)/;

/** Maps of up to this many keys are scanned for a key (larger ones get an index). */
const SCANNED_KEYS = 8;

/** FastLocator.stringsHolding's walk. */
class HoldingWalk {
  readonly #n: FastPositions;
  readonly #needle: string;
  /** FastPositions.offsetsHolding over the document. */
  readonly #offsets: number[];
  readonly #found: FoundString[];

  constructor(n: FastPositions, needle: string, offsets: number[], found: FoundString[]) {
    this.#n = n;
    this.#needle = needle;
    this.#offsets = offsets;
    this.#found = found;
  }

  /** Adds the strings under node `i` at `path` (pushed onto and popped); false to give up. */
  node(i: number, path: (string | number)[]): boolean {
    const n = this.#n;
    const node = n.deref(i);
    const kind = n.kind(node);
    if (kind <= BLOCK_FOLDED) {
      const text = n.text(node);
      if (text.includes(this.#needle) && (kind !== PLAIN || isStringValue(text))) {
        this.#found.push({ path: [...path], text, node: i });
      }
      return true;
    }
    const end = n.next(node);
    if (kind === SEQ) {
      for (let c = node + 1, index = 0; c < end; c = n.next(c), index++) {
        if (!this.#mayHold(c)) continue;
        path.push(index);
        const ok = this.node(c, path);
        path.pop();
        if (!ok) return false;
      }
      return true;
    }
    if (kind !== MAP) return true;
    // Every key first: one that reorders the JSON object's keys anywhere in the map gives up.
    for (let k = node + 1; k < end; k = n.next(n.next(k))) {
      if (isMergeKey(n, k) || mayBeIndexKey(n, k)) return false;
    }
    for (let k = node + 1; k < end; k = n.next(n.next(k))) {
      const value = n.next(k);
      if (!this.#mayHold(value)) continue;
      path.push(keyText(n, k) as string);
      const ok = this.node(value, path);
      path.pop();
      if (!ok) return false;
    }
    return true;
  }

  /** Whether node `i` or its descendants may hold the needle (see FastPositions.offsetsHolding). */
  #mayHold(i: number): boolean {
    const n = this.#n;
    const from = n.start(i);
    const offsets = this.#offsets;
    const low = firstAtOrPast(offsets, from);
    if (low === offsets.length) return false;
    const next = n.next(i);
    return next >= n.count || (offsets[low] as number) < n.start(next);
  }
}

/** Whether a plain scalar holding `text` is a string in the JSON value (not a number, boolean or null). */
function isStringValue(text: string): boolean {
  if (!MAYBE_NOT_STRING.test(text)) return true;
  const json = goScalarJson(resolvePlainScalar(text), text);
  return 'value' in json && typeof json.value === 'string';
}

/** A key whose JSON key may be an array index, which JavaScript objects enumerate before other keys. */
function mayBeIndexKey(n: FastPositions, key: number): boolean {
  const c = n.firstChar(key);
  // What a plain key's JSON key is written from: digits, or `+`, `-`, `.` (`+1`, `0x1F`, `1e3`).
  if (!((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) return false;
  const json = keyText(n, key);
  return json === undefined || /^(?:0|[1-9][0-9]*)$/.test(json);
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
