// Positions for documents read by fast-yaml.ts: the same answers YamlLocator (locator.ts) gives
// for the yaml library's tree of the same text, from the positions fast-yaml.ts recorded as numbers.
import { isScalar, parseDocument } from 'yaml';
import type { SourcePos } from '../diagnostics.js';
import {
  ALIAS,
  BLOCK_FOLDED,
  BLOCK_LITERAL,
  END,
  type FastPositions,
  KIND,
  MAP,
  NEXT,
  PLAIN,
  QUOTE_DOUBLE,
  type ScalarStyle,
  SEQ,
  START,
  STRIDE,
} from './fast-positions.js';
import { LOWER_WORDS } from './fast-yaml-text.js';
import { describeGoScalar, MAYBE_NOT_STRING, plainJsonKey, resolvePlainScalar } from './kubectl-scalars.js';
import { literalBlockOffsets, sourceOffset } from './locator.js';
import type { DocPath, Locator } from './model.js';
import { PARSE_OPTIONS } from './yaml-options.js';
import { goScalarJson } from './yaml-tree.js';

// The classes here use TypeScript's `private` rather than `#` fields and methods, as FastPositions
// does: V8's first tiers read a `#` member through a keyed lookup of its private symbol, a named one
// through a cheaper one, and these run once per process, mostly before V8 optimizes them.

/**
 * Lines of one file (shared by its documents), counted as far as the positions asked for need: a
 * large file often has a few diagnostics near its start. Answers as the yaml library's
 * LineCounter does with every line start of the file.
 *
 * Lines are counted from the last answer (most callers ask in source order) or from the kept line
 * start at or before the offset, whichever is nearer: only every CHECKPOINT-th line start is kept
 * (a run of CHECKPOINT lines is found per native match): a cold
 * `generate` counts the lines of 750 KB of RGDs, where keeping every start cost more than
 * counting (a push per line).
 */
export class LazyLines {
  private readonly text: string;
  /** The start of lines 1, 1 + CHECKPOINT, 1 + 2 * CHECKPOINT, ..., as far as lines were counted. */
  private readonly checkpoints: number[] = [0];
  // The line of the last answer: its number, its start, and its line break (-1 for the last line).
  private line = 1;
  private start = 0;
  private end: number;
  /** Whether every checkpoint of the text is in `checkpoints`. */
  private counted = false;

  constructor(text: string) {
    this.text = text;
    this.end = text.indexOf('\n');
  }

  linePos(offset: number): { line: number; col: number } {
    const line = this.lineOf(offset);
    return { line, col: line === 0 ? offset : offset - this.start + 1 };
  }

  /** linePos(offset).line, without an object (then lastStart is where that line starts). */
  lineOf(offset: number): number {
    if (offset < 0) return 0;
    let line = this.line;
    let start = this.start;
    let end = this.end;
    if (offset >= start && (end < 0 || offset <= end)) return line;
    const text = this.text;
    // From the checkpoint at or before `offset` (or the last answer's line, when that is nearer),
    // so that a line is counted one at a time at most CHECKPOINT - 1 times per answer: the
    // position table asks for every string holding `${` in turn, and walking line by line to
    // the next checkpoint, then matching blocks of lines from there, cost more than the rest.
    const checkpoints = this.checkpoints;
    let k = checkpoints.length - 1;
    if (offset < (checkpoints[k] as number)) k = firstAtOrPast(checkpoints, offset + 1) - 1;
    const at = checkpoints[k] as number;
    if (offset < start || start < at) {
      line = 1 + k * CHECKPOINT;
      start = at;
    }
    if (k === checkpoints.length - 1 && !this.counted) {
      // Past the lines counted: whole runs of CHECKPOINT lines in one native match each, keeping
      // the start of each run (the one past `offset` too: the next answer starts from it).
      LINES.lastIndex = at;
      for (;;) {
        if (!LINES.test(text)) {
          this.counted = true;
          break;
        }
        const next = LINES.lastIndex;
        checkpoints.push(next);
        if (next > offset) break;
        line = 1 + (checkpoints.length - 1) * CHECKPOINT;
        start = next;
      }
    }
    // Locals, not fields, in the loop: it runs for up to CHECKPOINT - 1 lines per answer, mostly
    // interpreted.
    end = text.indexOf('\n', start);
    while (end >= 0 && end < offset) {
      start = end + 1;
      line++;
      end = text.indexOf('\n', start);
    }
    this.line = line;
    this.start = start;
    this.end = end;
    return line;
  }

  /** Where the line lineOf last answered (not 0) starts. */
  get lastStart(): number {
    return this.start;
  }
}

/** LazyLines keeps the start of every this many lines. */
const CHECKPOINT = 8;
/** CHECKPOINT lines, from lastIndex on. */
const LINES = /(?:[^\n]*\n){8}/y;

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

/**
 * A string FastLocator.stringsHolding found: its RFC 6901 JSON pointer (as the walk builds it,
 * not from a path: that was a copy and a join per string), its text, its node (for inFound), and
 * what the position table asks of every such string, found by the walk in source order: its
 * line and column (atFound's), and where its text starts after that column when each offset k of
 * the text is that column plus k on the same line (0 plain, 1 quoted), or -1 (then inFound maps
 * offsets). Most strings are such one-line plain or quoted scalars, and need nothing else.
 */
export interface FoundString {
  readonly pointer: string;
  readonly text: string;
  readonly node: number;
  readonly line: number;
  readonly col: number;
  readonly shift: number;
}

export class FastLocator implements Locator {
  readonly file: string;
  private readonly text: string;
  private readonly nodes: FastPositions;
  private readonly root: number;
  private readonly lines: LazyLines;
  // The last path resolved, and after each of its segments the node reached and the key of the
  // entry holding it (-1 in a list): callers ask in document order (every string of a document,
  // each several times), so a lookup starts from the longest prefix it shares with the last one.
  private readonly segments: (string | number)[] = [];
  private readonly nodesAt: number[];
  private readonly keysAt: number[] = [-1];
  /** How many of segments are the last path's. */
  private depth = 0;
  // What resolve found, in fields rather than an object per lookup: whether the whole path
  // exists, and the node and key it reached (those of the deepest existing ancestor otherwise).
  private found = false;
  private node = -1;
  private key = -1;

  constructor(file: string, text: string, nodes: FastPositions, root: number, lines: LazyLines) {
    this.file = file;
    this.text = text;
    this.nodes = nodes;
    this.root = root;
    this.lines = lines;
    this.nodesAt = [root];
  }

  at(path: DocPath, part: 'key' | 'value' = 'value'): SourcePos {
    this.resolve(path);
    const n = this.nodes;
    const key = this.key;
    if (!this.found || part === 'key') return this.pos(n.start(key >= 0 ? key : this.node));
    return this.pos(n.start(this.node));
  }

  /**
   * at([...path, i]) and at([...path, i, key]) of each item i of the list at `path`, as four
   * numbers per item (their lines and columns), in one pass over the list rather than a lookup
   * each: the position table asks for every resource of an RGD and its id. Undefined when `path`
   * is not a list.
   */
  itemPositions(path: DocPath, key: string): number[] | undefined {
    this.resolve(path);
    const n = this.nodes;
    const list = this.found ? n.deref(this.node) : -1;
    if (list < 0 || n.kind(list) !== SEQ) return undefined;
    const out: number[] = [];
    const ints = n.ints;
    const lines = this.lines;
    for (
      let item = list + 1, end = n.next(list);
      item < end;
      item = (ints[item * STRIDE + NEXT] as number) || item + 1
    ) {
      const start = ints[item * STRIDE + START] as number;
      out.push(lines.lineOf(start), start - lines.lastStart + 1);
      const map = n.deref(item);
      const k = n.kind(map) === MAP ? this.findKey(map, key, 0) : -1;
      // A missing key is at its item, as at() answers for a missing path.
      const at = k >= 0 ? n.start(n.next(k)) : start;
      out.push(lines.lineOf(at), at - lines.lastStart + 1);
    }
    return out;
  }

  inString(path: DocPath, offset: number): SourcePos {
    this.resolve(path);
    return this.found ? this.inNode(this.node, offset) : this.at(path);
  }

  /** at() of a string stringsHolding found. */
  atFound(s: FoundString): SourcePos {
    return { file: this.file, line: s.line, col: s.col };
  }

  /** inString() of a string stringsHolding found, without looking its path up. */
  inFound(s: FoundString, offset: number): SourcePos {
    return this.inNode(s.node, offset);
  }

  /**
   * inFound(s, offset) for each of `offsets` (ascending), as line and column pairs in one list. A
   * literal block (a policy, a script holding many `${`) is mapped in one pass over its lines,
   * where inFound goes over them from the block's start for each offset.
   */
  inFoundAll(s: FoundString, offsets: readonly number[]): number[] {
    const out: number[] = [];
    const n = this.nodes;
    const node = s.node;
    if (n.kind(node) !== BLOCK_LITERAL) {
      for (let k = 0; k < offsets.length; k++) {
        const p = this.inNode(node, offsets[k] as number);
        out.push(p.line, p.col);
      }
      return out;
    }
    const start = n.start(node);
    // The block's lines, counted by the pass over them, from its own line and column (s.line and
    // s.col are those of `start`): a lineOf per offset went back and counted the lines again.
    const lineAt: number[] = [];
    const at = literalBlockOffsets(this.text.slice(start, n.end(node)), s.text, offsets, lineAt);
    for (let k = 0; k < at.length; k++) {
      const offset = at[k];
      // Where the block cannot be mapped, its start (as inFound answers).
      if (offset === undefined) out.push(s.line, s.col);
      else out.push(s.line + (lineAt[2 * k] as number), offset - (lineAt[2 * k + 1] as number) + 1);
    }
    return out;
  }

  /** inString() of node `node`, found. */
  private inNode(node: number, offset: number): SourcePos {
    const n = this.nodes;
    const start = n.start(node);
    if (n.kind(node) > BLOCK_FOLDED || !libraryReadsString(n.style(node), n.text(node)))
      return this.pos(start);
    const source = this.text.slice(start, n.end(node));
    const at = sourceOffset(n.style(node), source, n.text(node), offset);
    return this.pos(at === undefined ? start : start + at);
  }

  readAs(path: DocPath): string | undefined {
    this.resolve(path);
    const n = this.nodes;
    const node = this.found ? n.deref(this.node) : -1;
    if (node < 0 || n.kind(node) !== PLAIN) return undefined;
    return `${n.text(node)} reads as ${describeGoScalar(resolvePlainScalar(n.text(node)))}`;
  }

  /**
   * The pointers and texts of the document's strings that hold `needle`, in the order a walk over its
   * JSON value (each object's keys in Object.keys order) meets them, found from the positions: a
   * subtree whose source holds no `needle` is skipped unread (an RGD may embed whole CRDs without
   * one expression). Undefined where the source's order may not be the JSON value's: a `<<` merge,
   * or a key JavaScript puts first (an array index such as `"0"`).
   */
  stringsHolding(needle: string): FoundString[] | undefined {
    const n = this.nodes;
    const root = this.root;
    const next = n.next(root);
    const to = next < n.count ? n.start(next) : this.text.length;
    const found: FoundString[] = [];
    const offsets = n.offsetsHolding(needle, n.start(root), to);
    const walk = new HoldingWalk(n, this.text, this.lines, needle, offsets, found);
    return walk.node(root, '') ? found : undefined;
  }

  private pos(offset: number): SourcePos {
    const lines = this.lines;
    const line = lines.lineOf(offset);
    return { file: this.file, line, col: line === 0 ? offset : offset - lines.lastStart + 1 };
  }

  /** Sets found, node and key for `path`. */
  private resolve(path: DocPath): void {
    const n = this.nodes;
    const segments = this.segments;
    const nodesAt = this.nodesAt;
    const keysAt = this.keysAt;
    // Segments are compared with ===: a number and its string differ (only a map takes a string).
    // The arrays keep entries past depth (no `length =` per lookup: a call each in the interpreter).
    let s = 0;
    const shared = Math.min(path.length, this.depth);
    while (s < shared && path[s] === segments[s]) s++;
    this.depth = s;
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
        entryKey = this.findKey(container, typeof segment === 'string' ? segment : String(segment), 0);
        if (entryKey >= 0) value = n.next(entryKey);
      } else if (kind === SEQ && typeof segment === 'number' && segment >= 0) {
        // FastPositions.ints read directly: item after item of a long list (an RGD's resources).
        const ints = n.ints;
        let item = container + 1;
        const end = ints[container * STRIDE + NEXT] as number;
        for (let k = 0; k < segment && item < end; k++)
          item = (ints[item * STRIDE + NEXT] as number) || item + 1;
        if (item < end) value = item;
      }
      if (value < 0) {
        this.found = false;
        this.node = node;
        this.key = key;
        return;
      }
      node = value;
      key = entryKey;
      segments[s] = segment;
      nodesAt[s + 1] = node;
      keysAt[s + 1] = key;
      this.depth = s + 1;
    }
    this.found = true;
    this.node = node;
    this.key = key;
  }

  /**
   * Whether key node `k` (not a merge key: `name` is not `<<`) becomes the JSON key `name`, read
   * from the source without slicing it where it can be.
   */
  private keyIs(k: number, name: string): boolean {
    const n = this.nodes;
    if (n.kind(k) !== PLAIN) return n.text(k) === name;
    const start = n.start(k);
    if (n.end(k) - start === name.length && this.text.startsWith(name, start)) {
      return !MAYBE_NOT_STRING.test(name) || plainJsonKey(name) === name;
    }
    // Written otherwise, it is `name` only if kubectl reads it as something else (`yes` is "true").
    return MAYBE_NOT_STRING_START.test(this.text.charAt(start)) && keyText(n, k) === name;
  }

  /** First key of each name, per map (built for the maps a lookup passes through). */
  private readonly keyIndex = new Map<number, Map<string, number>>();

  /** The key node for `name` (its value is the node after it), looking through `<<` merges as YamlLocator does; -1 if none. */
  private findKey(map: number, name: string, depth: number): number {
    const n = this.nodes;
    let index = this.keyIndex.get(map);
    let found: number | undefined;
    const end = n.next(map);
    let k = map + 1;
    if (index === undefined && name !== '<<') {
      // A map of a few keys (most are) is scanned: an index costs a Map and a key string per key.
      for (let seen = 0; k < end && seen < SCANNED_KEYS; k = n.next(n.next(k)), seen++) {
        if (this.keyIs(k, name)) {
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
        this.keyIndex.set(map, index);
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
        const inner = this.findKey(source, name, depth + 1);
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
  private readonly n: FastPositions;
  private readonly text: string;
  private readonly lines: LazyLines;
  private readonly needle: string;
  /** FastPositions.offsetsHolding over the document. */
  private readonly offsets: number[];
  private readonly found: FoundString[];
  /**
   * The first offset not passed yet: the walk goes forward through the source (but for aliases),
   * so each collection steps from it over its entries to those the next offsets fall in, rather
   * than searching the offsets once per entry.
   */
  private at = 0;
  /**
   * Whether every plain scalar holding the needle is a string to the yaml library (as for `${`,
   * whose characters none of its numbers, booleans and nulls use): libraryReadsString need not ask.
   */
  private readonly plainReadsString: boolean;

  constructor(
    n: FastPositions,
    text: string,
    lines: LazyLines,
    needle: string,
    offsets: number[],
    found: FoundString[],
  ) {
    this.n = n;
    this.text = text;
    this.lines = lines;
    this.needle = needle;
    this.offsets = offsets;
    this.found = found;
    this.plainReadsString = /[^-+.:_~0-9A-Za-z]/.test(needle);
  }

  /** Adds the strings under node `i`, whose JSON pointer is `pointer`; false to give up. */
  node(i: number, pointer: string): boolean {
    const node = this.n.deref(i);
    if (node === i) return this.value(i, i, pointer);
    // An alias: what it names is elsewhere in the source.
    const at = this.at;
    this.at = firstAtOrPast(this.offsets, this.n.start(node));
    const ok = this.value(i, node, pointer);
    this.at = at;
    return ok;
  }

  // The loops below read FastPositions.ints rather than call its accessors: they run a few
  // thousand times per run, mostly interpreted, where each call cost more than the read. (A
  // scalar's NEXT reads 0 there: `|| i + 1`, see fast-positions.ts.)

  /** node() of node `i`, which is or names `node`, with at at the first offset from `node`'s start on. */
  private value(i: number, node: number, pointer: string): boolean {
    const n = this.n;
    const ints = n.ints;
    const kind = ints[node * STRIDE + KIND] as number;
    if (kind <= BLOCK_FOLDED) {
      this.scalar(i, node, kind, pointer);
      return true;
    }
    if (kind !== MAP && kind !== SEQ) return true;
    const count = n.count;
    const offsets = this.offsets;
    const end = ints[node * STRIDE + NEXT] as number;
    // A map's keys are checked once a second value holds the needle: one that reorders the JSON
    // object's keys changes nothing while only one of its values is walked.
    let walked = 0;
    let at = this.at;
    // Each entry (a map's key and value, a list's item) starting at node c, up to the next one's start.
    for (let c = node + 1, index = 0; c < end && at < offsets.length; index++) {
      // A map's keys are scalars: each key's value is the node after it.
      const child = kind === MAP ? c + 1 : c;
      const after = (ints[child * STRIDE + NEXT] as number) || child + 1;
      const bound = after < count ? (ints[after * STRIDE + START] as number) : Number.POSITIVE_INFINITY;
      if ((offsets[at] as number) >= bound) {
        c = after;
        continue;
      }
      // Offsets in the key (or before the entry) are not the value's.
      const from = ints[child * STRIDE + START] as number;
      while (at < offsets.length && (offsets[at] as number) < from) at++;
      if (at < offsets.length && (offsets[at] as number) < bound) {
        let segment: string | undefined;
        if (kind === SEQ) segment = String(index);
        else if (++walked === 2 && n.mayReorderKeys(node) && this.reordersKeys(node)) return false;
        else if ((ints[c * STRIDE + KIND] as number) !== PLAIN) segment = n.text(c);
        else {
          // A plain key is one line: its text is the source from its start to its end.
          const start = ints[c * STRIDE + START] as number;
          segment = this.text.slice(start, ints[c * STRIDE + END]);
          // Starting with a-z (most keys), it is a string as written unless it is one of
          // LOWER_WORDS: a table look-up rather than MAYBE_NOT_STRING's test (as the reader does).
          const first = this.text.charCodeAt(start);
          if (first < 97 || first > 122 || LOWER_WORDS[first * 8 + segment.length] === segment) {
            if (segment === '<<') return false;
            if (MAYBE_NOT_STRING.test(segment)) segment = plainJsonKey(segment);
          }
        }
        if (segment === undefined) return false;
        const path = `${pointer}/${kind === SEQ ? segment : pointerSegment(segment)}`;
        // scalar() straight for a scalar (which moves no offset), node() only for an alias: a call
        // less per node.
        const childKind = ints[child * STRIDE + KIND] as number;
        if (childKind <= BLOCK_FOLDED) this.scalar(child, child, childKind, path);
        else {
          this.at = at;
          if (!(childKind === ALIAS ? this.node(child, path) : this.value(child, child, path))) return false;
          at = this.at;
        }
        while (at < offsets.length && (offsets[at] as number) < bound) at++;
      }
      c = after;
    }
    this.at = at;
    return true;
  }

  /** value() of a scalar. */
  private scalar(i: number, node: number, kind: number, pointer: string): void {
    const n = this.n;
    const text = n.text(node);
    // A plain scalar starting with `$` (as most holding `${` do) is a string: no isStringValue.
    if (!text.includes(this.needle)) return;
    if (kind === PLAIN && text.charCodeAt(0) !== 36 && !isStringValue(text)) return;
    const ints = n.ints;
    const start = ints[i * STRIDE + START] as number;
    const lines = this.lines;
    const line = lines.lineOf(start);
    // FoundString.shift: an alias's offsets all map to its own start (inFound); a scalar's map
    // linearly when it is one line, plain (and a string to the yaml library) or quoted without
    // escapes (each is longer than what it stands for: `\\x24`, `''`).
    let shift = -1;
    if (i === node && kind <= QUOTE_DOUBLE) {
      const end = ints[node * STRIDE + END] as number;
      const lineEnd = this.text.indexOf('\n', start);
      if (lineEnd < 0 || lineEnd >= end) {
        if (kind !== PLAIN) shift = text.length === end - start - 2 ? 1 : -1;
        else if (this.plainReadsString || libraryReadsString('PLAIN', text)) shift = 0;
      }
    }
    this.found.push({ pointer, text, node: i, line, col: start - lines.lastStart + 1, shift });
  }

  /** Whether map `map` has a key that makes its JSON object's keys another order than its source's. */
  private reordersKeys(map: number): boolean {
    const n = this.n;
    const ints = n.ints;
    for (let k = map + 1, end = ints[map * STRIDE + NEXT] as number; k < end; ) {
      // The first character first: a merge key starts with `<`, an index with a digit or a sign.
      const c =
        ints[k * STRIDE + KIND] === PLAIN
          ? this.text.charCodeAt(ints[k * STRIDE + START] as number)
          : n.firstChar(k);
      if (c < 64 && (isMergeKey(n, k) || mayBeIndexKey(n, k))) return true;
      k = (ints[(k + 1) * STRIDE + NEXT] as number) || k + 2; // past the key's value
    }
    return false;
  }
}

/** A key as a segment of an RFC 6901 JSON pointer (as pointerOf in src/runtime/locator.ts writes it). */
function pointerSegment(key: string): string {
  if (key.indexOf('~') < 0 && key.indexOf('/') < 0) return key;
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
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
