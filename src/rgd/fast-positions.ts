// The positions fast-yaml.ts records while it reads, for fast-locator.ts to look up later. A run
// asks for the positions of a few nodes (those with something to report), so they are kept as
// numbers in one typed array rather than as an object per node: building and keeping an object
// tree beside the JSON value cost a cold `kro-gen validate` more than every lookup it answered
// (docs/performance.md, "Positions kept as numbers").
//
// Nodes are numbered in document order, a collection before what it holds, and each collection
// records the number just past its last descendant (`next`), so a lookup skips whole subtrees: a
// map's children are its keys and values in turn, a list's its items. A scalar's or an alias's
// `next` is its own number plus one, left unwritten (0): one store less per node.

/** What a node is: a scalar's style, or a collection, or an alias. */
export const PLAIN = 0;
export const QUOTE_SINGLE = 1;
export const QUOTE_DOUBLE = 2;
export const BLOCK_LITERAL = 3;
export const BLOCK_FOLDED = 4;
export const MAP = 5;
export const SEQ = 6;
export const ALIAS = 7;

export type ScalarStyle = 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE' | 'BLOCK_LITERAL' | 'BLOCK_FOLDED';
const STYLES: readonly ScalarStyle[] = [
  'PLAIN',
  'QUOTE_SINGLE',
  'QUOTE_DOUBLE',
  'BLOCK_LITERAL',
  'BLOCK_FOLDED',
];

// Four numbers per node: where it starts, where a scalar ends (an alias: the node it names), its
// kind, the number of the node after it and its descendants, written for collections only: 0 for
// the others, whose next node is the one after them (FastPositions.ints, for the loops that step
// over many nodes, which read `ints[i * STRIDE + NEXT] || i + 1`).
export const START = 0;
export const END = 1;
export const KIND = 2;
export const NEXT = 3;
export const STRIDE = 4;

// TypeScript's `private` rather than `#` fields: V8's first tiers read a `#` field through a keyed
// property lookup with the field's private symbol, a named field through a cheaper one, and most of
// a short run's recording is done there (same in fast-yaml.ts's Reader).
//
// `numbers`, `nextAt`, `limit` and `grow` are public for fast-yaml.ts alone, which records the
// commonest lines (`key: value`, `key:`) itself: a method call costs more than the stores it makes.
export class FastPositions {
  private readonly source: string;
  numbers: Int32Array;
  /**
   * The decoded text of the scalars whose text is not the source between their start and end
   * (quoted, block and folded plain ones), by node number. The others' is sliced when asked for:
   * few are, and keeping a string per node kept the key strings alive past the reading.
   */
  private readonly texts = new Map<number, string>();
  /** The alias nodes, in document order. */
  private readonly aliases: number[] = [];
  /**
   * The maps with a key whose source starts with a character below `@` (code 64): the only keys
   * that may make a JSON object's keys another order than the source's (`<<` merges, array
   * indexes such as `0`, which objects enumerate first; quoted and alias keys are counted in).
   * Undefined while there is none, as in most files.
   */
  private lowKeyMaps: Set<number> | undefined;
  /** Where the next node's numbers go: STRIDE times its number (STRIDE is 4: `>> 2` divides by it). */
  nextAt = 0;
  /**
   * The array's length less room for two nodes: below it, one call's nodes fit. (A field: the
   * array's `length` is a getter, a call per node in the code V8 runs first.)
   */
  limit: number;

  /** `source`: the text read; `expected`: a guess of the number of nodes (the array grows past it). */
  constructor(source: string, expected: number) {
    this.source = source;
    this.numbers = new Int32Array(Math.max(64, expected) * STRIDE);
    this.limit = this.numbers.length - 2 * STRIDE;
  }

  // ---- recording (fast-yaml.ts) ----

  /**
   * Records a node and returns its number: a scalar with its `end` (its text is the source up
   * to there), an alias with the number of the node it names as `end`, a map or list with its
   * `start` as `end`; a collection's children come next, and `close` marks the end of them.
   * (One call per node, because most of a short run's reading is done before V8 optimizes it.
   * For the same reason the recording methods keep the offset of the next node's numbers rather
   * than its number, and write only what is not in the array already: each multiplication,
   * addition and store is a call into V8's builtins in the code V8 runs first.) NEXT is left
   * 0 (see `next`); `close` writes a collection's.
   */
  add(kind: number, start: number, end: number): number {
    const at = this.nextAt;
    const ints = at < this.limit ? this.numbers : this.grow();
    ints[at] = start; // START..KIND: 0..2
    ints[at + 1] = end;
    ints[at + 2] = kind;
    this.nextAt = at + STRIDE;
    return at >> 2;
  }

  /**
   * add(PLAIN, start, end), leaving KIND unwritten: it reads PLAIN (0), since a new Int32Array
   * is all zeros and each node is written once.
   */
  addPlain(start: number, end: number): number {
    const at = this.nextAt;
    const ints = at < this.limit ? this.numbers : this.grow();
    ints[at] = start;
    ints[at + 1] = end;
    this.nextAt = at + STRIDE;
    return at >> 2;
  }

  /** A larger array with the numbers written so far (the array's length is a multiple of STRIDE). */
  grow(): Int32Array {
    const ints = new Int32Array(this.numbers.length * 2);
    ints.set(this.numbers);
    this.numbers = ints;
    this.limit = ints.length - 2 * STRIDE;
    return ints;
  }

  /** A scalar whose text is not the source between `start` and `end`. */
  addText(kind: number, start: number, end: number, text: string): number {
    const i = this.add(kind, start, end);
    this.texts.set(i, text);
    return i;
  }

  /** An alias of node `target`. */
  addAlias(start: number, target: number): number {
    const i = this.add(ALIAS, start, target);
    this.aliases.push(i);
    return i;
  }

  /** Notes that map `map` has a key starting with a character below 64 (see lowKeyMaps). */
  lowKey(map: number): void {
    this.lowKeyMaps ??= new Set();
    this.lowKeyMaps.add(map);
  }

  /** The number of nodes recorded: the next node's number. */
  get count(): number {
    return this.nextAt >> 2;
  }

  close(i: number): void {
    this.numbers[i * STRIDE + NEXT] = this.nextAt >> 2;
  }

  // ---- reading (fast-yaml.ts, fast-locator.ts) ----

  /**
   * The numbers of the nodes recorded so far, STRIDE per node (START, NEXT, ...): for a loop over
   * many nodes, where a method call per read would cost more than the step itself.
   */
  get ints(): Int32Array {
    return this.numbers;
  }

  start(i: number): number {
    return this.numbers[i * STRIDE + START] as number;
  }

  /** Where a scalar ends. */
  end(i: number): number {
    return this.numbers[i * STRIDE + END] as number;
  }

  kind(i: number): number {
    return this.numbers[i * STRIDE + KIND] as number;
  }

  /** The number after node `i` and its descendants: its next sibling's, if it has one. */
  next(i: number): number {
    return (this.numbers[i * STRIDE + NEXT] as number) || i + 1;
  }

  /** A scalar's decoded text (a plain one's as written); empty for the other nodes. */
  text(i: number): string {
    const text = this.texts.get(i);
    if (text !== undefined) return text;
    // The array read here, not through kind(), start() and end(): a call each in V8's first tiers.
    const ints = this.numbers;
    const at = i * STRIDE;
    return (ints[at + KIND] as number) > BLOCK_FOLDED
      ? ''
      : this.source.slice(ints[at + START], ints[at + END]);
  }

  /** The first character code of scalar `i`'s text (NaN for an empty one), read without slicing. */
  firstChar(i: number): number {
    // A plain scalar's text starts where it does (a folded one's too): no lookup in `texts`.
    if (this.kind(i) === PLAIN) {
      return this.end(i) > this.start(i) ? this.source.charCodeAt(this.start(i)) : Number.NaN;
    }
    const text = this.texts.get(i);
    if (text !== undefined) return text.charCodeAt(0);
    return this.end(i) > this.start(i) ? this.source.charCodeAt(this.start(i)) : Number.NaN;
  }

  style(i: number): ScalarStyle {
    return STYLES[this.kind(i)] as ScalarStyle;
  }

  /**
   * Whether map `map` may have a key that makes its JSON object's keys another order than the
   * source's: false for a map whose keys all start with `@` or a later character.
   */
  mayReorderKeys(map: number): boolean {
    return this.lowKeyMaps?.has(map) === true;
  }

  /** The node an alias names; any other node itself. */
  deref(i: number): number {
    // The array read here, not through kind() and end(): a lookup runs this once per step.
    const ints = this.numbers;
    return ints[i * STRIDE + KIND] === ALIAS ? (ints[i * STRIDE + END] as number) : i;
  }

  /**
   * Where from `from` up to `to` the text of a node may hold `needle`, ascending: each `needle` in
   * the source, the start of each scalar whose decoded text (a quoted or folded one's) holds it, and
   * the start of each alias (which stands for a copy of what it names). A node none of them falls
   * in, from its start to the next node's, holds no `needle`, and nor do its descendants.
   */
  offsetsHolding(needle: string, from: number, to: number): number[] {
    const out: number[] = [];
    const source = this.source;
    for (let at = source.indexOf(needle, from); at >= 0 && at < to; at = source.indexOf(needle, at + 1)) {
      out.push(at);
    }
    let sorted = true;
    const ints = this.numbers;
    // forEach rather than for-of: the interpreter runs an iterator's calls and an entry's
    // destructuring per step of a for-of, and this runs once per document.
    this.texts.forEach((text, i) => {
      const at = ints[i * STRIDE + START] as number;
      if (at >= from && at < to && text.includes(needle)) {
        sorted = false;
        out.push(at);
      }
    });
    for (const i of this.aliases) {
      const at = this.start(i);
      if (at >= from && at < to) {
        sorted = false;
        out.push(at);
      }
    }
    return sorted ? out : out.sort((a, b) => a - b);
  }

  /** The children of collection `i` (a map's keys and values in turn). */
  children(i: number): number[] {
    const out: number[] = [];
    for (let c = i + 1, end = this.next(i); c < end; c = this.next(c)) out.push(c);
    return out;
  }
}
