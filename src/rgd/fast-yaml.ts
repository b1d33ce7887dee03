// A one-pass reader for the YAML most Kubernetes files are written in: block maps and lists,
// one-line plain and quoted scalars, literal and folded blocks, flow maps and lists, comments,
// anchors, aliases and `<<` merges, several `---` documents. It builds the JSON value (by
// kubectl's rules, kubectl-scalars.ts) and records each node's position as numbers
// (fast-positions.ts, looked up by fast-locator.ts) in the same pass, 10-20x faster than the yaml
// library's lexer, parser and composer (docs/performance.md).
//
// It is only ever an accelerator: anything outside that subset, and anything the full loader
// would report (a refused key or value, an alias near the limits, a syntax error), makes it give
// up (`undefined`), and the file goes through the full loader (yaml.ts), so messages and positions
// for such files are exactly the full loader's. The one problem it reports itself is a block map
// key written twice (kro's core-dns example has one), with the full loader's message and position. test/unit/rgd/fast-yaml.test.ts
// checks that every value and position it gives equals the full loader's.
import { setOwn } from '../json.js';
import {
  ALIAS,
  BLOCK_FOLDED,
  BLOCK_LITERAL,
  FastPositions,
  MAP,
  NEXT,
  PLAIN,
  QUOTE_DOUBLE,
  QUOTE_SINGLE,
  SEQ,
  STRIDE,
} from './fast-positions.js';
import { MAYBE_NOT_STRING, plainJsonKey, resolvePlainScalar } from './kubectl-scalars.js';
import type { JsonValue } from './model.js';
import { duplicateKeyMessage, goScalarJson } from './yaml-tree.js';

export interface FastDocument {
  readonly value: JsonValue;
  /** The document's node in the file's FastPositions. */
  readonly root: number;
  /**
   * Keys of a block map written twice, in the order the full loader reports them (a key after
   * the duplicates inside its value); the document then has no value, as with the full loader.
   */
  readonly duplicates: readonly { readonly offset: number; readonly message: string }[];
}

/** What fast-yaml.ts read of one file: its documents, and the positions of all their nodes. */
export interface FastRead {
  readonly documents: FastDocument[];
  readonly positions: FastPositions;
}

export interface FastLimits {
  readonly maxAliasNodes: number;
  readonly maxAliasRatio: number;
  readonly maxDepth: number;
}

/** Thrown (one shared instance, no stack trace to build) to give the file to the full loader. */
const GIVE_UP = Object.freeze({ giveUp: true });

function giveUp(): never {
  throw GIVE_UP;
}

const NL = 10;
const SPACE = 32;
const HASH = 35;
const COLON = 58;
const DASH = 45;

/** Characters the reader does not handle anywhere: tabs, CR (CRLF files), a BOM, YAML 1.1 breaks. */
const UNHANDLED = /[\t\r\uFEFF\u2028\u2029]/;

// Runs of characters are skipped with sticky regexes, not character loops: a cold run reads most
// of its YAML before V8 compiles the reader, so a loop runs in V8's interpreter, one character at a
// time, while irregexp runs a regex as native code from its first use or so. Each skip is written
// out (`R.lastIndex = p; R.test(t); p = R.lastIndex`, where R matches the empty string too, so
// it never fails for p <= t.length): a helper function cost the interpreter one call per skip.
// The same goes for the other shapes below chosen to save calls in the hot paths.

/** Spaces. */
const SPACES = / */y;
/** What a plain scalar in block context holds before anything that may end it (`: `, ` #`, a line break). */
const PLAIN_RUN = /[^\n:#]*/y;
/** The same in flow context, where `,[]{}` end it too. */
const FLOW_PLAIN_RUN = /[^\n:#,[\]{}]*/y;
/** Inside double quotes, up to a quote, an escape or a line break. */
const DOUBLE_RUN = /[^"\\\n]*/y;
/** Inside single quotes, up to a quote or a line break. */
const SINGLE_RUN = /[^'\n]*/y;
/**
 * The commonest lines of a block map, read with one regex instead of a dozen calls: `key:` or
 * `key: value`, then the next line's indentation. The key starts with a lowercase letter and holds
 * no space, `:` or `#`; one space before the value, which is a one-line plain scalar starting with
 * a letter, digit, `_` or `$`, without `:` or `#`, or a one-line quoted scalar without escapes, or
 * a block scalar's header (`|`, `|-`, `>`, `>-`); nothing after it. Groups: the key, the value.
 * Any other line takes the general path (`keyColon`, `mapValue`), which reads these the same way.
 */
const ENTRY = /([a-z][-\w./]*):(?: ([\w$](?:[^\n:#]*[^\n:# ])?|"[^"\\\n]*"|'[^'\n]*'|[|>]-?))?\n */y;

/**
 * Every document of `text` with its JSON value and positions, or undefined when the full loader
 * must read the file. `text` has passed the size and control-character checks already;
 * `printableAscii`: the caller found it has only line breaks and printable ASCII characters.
 */
export function readFastYaml(text: string, limits: FastLimits, printableAscii = false): FastRead | undefined {
  if (!printableAscii && UNHANDLED.test(text)) return undefined;
  try {
    const reader = new Reader(text, limits, printableAscii);
    return { documents: reader.documents(), positions: reader.positions };
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    // The stack (a few hundred levels at most, see maxDepth) or anything unforeseen: same answer.
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}

/**
 * A space, a line break or the end of the text (what must follow `-`, `:` and `---`): the only
 * characters up to a space are line breaks (readFastYaml refuses tabs and CRs, its callers other
 * control characters), and the end reads as undefined (past the character codes), which is not
 * above anything.
 */
function isSep(c: number): boolean {
  return !(c > SPACE);
}

function isFlowIndicator(c: number): boolean {
  return c === 44 || c === 91 || c === 93 || c === 123 || c === 125; // , [ ] { }
}

/**
 * The words MAYBE_NOT_STRING matches that start with a lowercase letter, each at 8 times its first
 * character's code plus its length (no two share both): a plain scalar starting with a lowercase
 * letter is one of them, or a string to kubectl.
 */
const LOWER_WORDS: string[] = [];
for (const word of ['y', 'n', 'yes', 'no', 'true', 'false', 'on', 'off', 'null']) {
  LOWER_WORDS[word.charCodeAt(0) * 8 + word.length] = word;
}

/** Characters that cannot start a plain scalar (`-`, `?` and `:` are checked with what follows). */
const NOT_PLAIN_START = new Uint8Array(128);
for (const c of ',[]{}#&*!|>\'"%@`') NOT_PLAIN_START[c.charCodeAt(0)] = 1;

/** A node's size (its nodes, aliases expanded) and height (its deepest nesting). */
interface Measure {
  readonly size: number;
  readonly height: number;
}

interface Anchored extends Measure {
  readonly node: number;
  readonly value: JsonValue;
}

// Members are TypeScript `private`, not `#`: V8's interpreter and baseline code read and call `#`
// members through keyed lookups with private symbols (and a brand check per `#` method call), which
// cost a cold run of the 41 kro example schemas 4% more instructions than named ones.
class Reader {
  private readonly t: string;
  /** The character codes of `t` (an array read costs less than a charCodeAt call in V8's first tiers). */
  private readonly codes: Uint8Array | Uint16Array;
  private readonly n: number;
  private readonly limits: FastLimits;
  /** limits.maxDepth, read once (`node` checks it at every node). */
  private readonly maxDepth: number;
  /** Start of the line being read. */
  private i = 0;
  // Set by `peekLine`: the next line with content. Its indentation is -1 when there is no more
  // content in this document (end of text or a `---`): a test less in the loops that ask both.
  private indent = -1;
  private content = 0;
  /** The `i` `peekLine` last started from (and left `i` at): the start of the line it found. */
  private peekedAt = -1;
  /** The value of the last node read, beside the node itself (no tuple per node). */
  private value: JsonValue = null;
  /** After a flow node or a quoted scalar: the offset just past it. */
  private after = 0;
  private anchors = new Map<string, Anchored>();
  /** What each anchored node of the document measures, by node number (what its aliases add). */
  private measured = new Map<number, Measure>();
  /** The number of the document's first node: the nodes written since are the alias budget's. */
  private docStart = 0;
  /** Nodes the aliases of the document add (a copy of what each names, less the alias). */
  private added = 0;
  private duplicates: { offset: number; message: string }[] = [];
  readonly positions: FastPositions;

  constructor(text: string, limits: FastLimits, ascii: boolean) {
    this.t = text;
    this.codes = charCodes(text, ascii);
    this.n = text.length;
    this.limits = limits;
    this.maxDepth = limits.maxDepth;
    // About one node per 16 characters in Kubernetes YAML; the array grows if there are more.
    this.positions = new FastPositions(text, text.length >> 4);
  }

  documents(): FastDocument[] {
    const b = this.codes;
    const docs: FastDocument[] = [];
    this.peekLine();
    while (this.content < this.n) {
      if (this.indent < 0) {
        // A `---` line, then the document, which may be empty.
        let q = this.content + 3;
        while ((b[q] as number) === SPACE) q++;
        const markerEnd = q;
        this.i = this.restOfLine(q);
        this.peekLine();
        if (this.indent < 0) {
          // Empty: the full loader places it at the end of the marker's line.
          if (this.content < this.n || (markerEnd < this.n && (b[markerEnd] as number) !== NL)) giveUp();
          const root = this.positions.addPlain(markerEnd, markerEnd);
          docs.push({ value: null, root, duplicates: [] });
          return docs;
        }
      }
      this.anchors = new Map();
      this.measured = new Map();
      this.docStart = this.positions.count;
      this.added = 0;
      this.duplicates = [];
      const root = this.node(this.content, this.indent, -1, 0);
      this.peekLine();
      if (this.indent >= 0) giveUp();
      this.checkAliases(this.positions.count - this.docStart);
      docs.push({ value: this.value, root, duplicates: this.duplicates });
    }
    return docs;
  }

  /**
   * Gives up well before the full loader's alias limits, which it then reports itself (checked at
   * each alias with the nodes written so far, so it may give up on a document the full loader takes).
   */
  private checkAliases(written: number): void {
    const allowed = Math.max(this.limits.maxAliasNodes, this.limits.maxAliasRatio * written);
    if (this.added * 2 > allowed) giveUp();
  }

  // ---- lines ----

  /**
   * Skips blank and comment lines from `i`; sets `indent` and `content` for the next one.
   * Its answer depends on `i` alone, so a second call from the same `i` returns at once (a plain
   * scalar peeks at the next line to see whether it goes on there, then its collection does).
   */
  private peekLine(): void {
    if (this.i === this.peekedAt) return;
    const t = this.t;
    const b = this.codes;
    let p = this.i;
    while (true) {
      const lineStart = p;
      SPACES.lastIndex = p;
      SPACES.test(t);
      p = SPACES.lastIndex;
      const c = b[p];
      if (c === undefined) {
        this.set(lineStart, p, -1);
        return;
      }
      if (c === NL) {
        p++;
        continue;
      }
      if (c === HASH) {
        const nl = t.indexOf('\n', p);
        p = nl < 0 ? this.n : nl + 1;
        continue;
      }
      if (p === lineStart && (c === DASH || c === 46) && this.isMarker(p)) {
        if (c === 46) giveUp(); // `...`
        this.set(lineStart, p, -1);
        return;
      }
      // `set`, written out: this is the way most lines go.
      this.i = lineStart;
      this.peekedAt = lineStart;
      this.content = p;
      this.indent = p - lineStart;
      return;
    }
  }

  /** What `peekLine` sets; `indent` -1 at the end of the document. */
  private set(lineStart: number, content: number, indent: number): void {
    this.i = lineStart;
    this.peekedAt = lineStart;
    this.content = content;
    this.indent = indent;
  }

  /** `---` or `...` at `p` followed by a separator. */
  private isMarker(p: number): boolean {
    const b = this.codes;
    const c = b[p] as number;
    return (b[p + 1] as number) === c && (b[p + 2] as number) === c && isSep(b[p + 3] as number);
  }

  /** From `p`: spaces, maybe a comment, then a line break (or the end); returns the next line's start. */
  private restOfLine(p: number): number {
    const t = this.t;
    const b = this.codes;
    const from = p;
    while ((b[p] as number) === SPACE) p++;
    const c = b[p] as number;
    if (p >= this.n) return this.n;
    if (c === NL) return p + 1;
    const before = b[p - 1] as number;
    if (c === HASH && (p > from || before === SPACE || before === NL)) {
      const nl = t.indexOf('\n', p);
      return nl < 0 ? this.n : nl + 1;
    }
    return giveUp();
  }

  // ---- block nodes ----

  /**
   * The node starting at `p` (column `col`) inside a collection indented `parent`; leaves `i` at
   * the start of the line after it.
   */
  private node(p: number, col: number, parent: number, depth: number): number {
    if (depth * 2 > this.maxDepth) giveUp();
    const c = this.codes[p] as number;
    if (c === DASH && isSep(this.codes[p + 1] as number)) return this.seq(p, col, depth);
    if (c === 38) return this.anchored(p, parent, depth); // &
    if (c >= 97 && c <= 122) {
      // A line ENTRY reads holds a key (`keyColon` would find its colon): a map.
      ENTRY.lastIndex = p;
      const line = ENTRY.exec(this.t);
      if (line !== null) return this.map(p, -1, col, depth, line);
    }
    const colon = this.keyColon(p);
    if (colon >= 0) return this.map(p, colon, col, depth);
    return this.inline(p, parent, depth);
  }

  /** `&name` then the node it names, on the same line or the next ones. */
  private anchored(p: number, parent: number, depth: number): number {
    const t = this.t;
    const b = this.codes;
    let q = p + 1;
    while (q < this.n && !isSep(b[q] as number) && !isFlowIndicator(b[q] as number)) q++;
    const name = t.slice(p + 1, q);
    if (name === '' || name.endsWith(':') || !isSep(b[q] as number)) giveUp(); // `&a:` warns
    while ((b[q] as number) === SPACE) q++;
    let node: number;
    const c = b[q] as number;
    if (c === NL || c === HASH || q >= this.n) {
      this.i = this.restOfLine(q);
      this.peekLine();
      if (this.indent <= parent) giveUp(); // parent >= -1
      node = this.node(this.content, this.indent, parent, depth);
    } else {
      // On the same line it must not be a key (`&a key: v` anchors the key): `inline` refuses `: `.
      node = this.inline(q, parent, depth);
    }
    const m = this.measure(node);
    this.measured.set(node, m);
    this.anchors.set(name, { node, value: this.value, size: m.size, height: m.height });
    return node;
  }

  /**
   * Where the `:` of a block map key starting at `p` is, or -1 when the line holds no key. Keys
   * are one-line plain or quoted scalars.
   */
  private keyColon(p: number): number {
    const b = this.codes;
    const c = b[p] as number;
    let q = p;
    if (c === 34 || c === 39) {
      q = this.quotedEnd(p);
      if (q < 0) return -1;
      while ((b[q] as number) === SPACE) q++;
      return (b[q] as number) === COLON && isSep(b[q + 1] as number) ? q : -1;
    }
    if (!(c >= 97 && c <= 122) && !this.plainStart(p, false)) return -1; // a-z: most keys
    q = this.plainStop(p, false);
    return (b[q] as number) === COLON ? q : -1;
  }

  /**
   * Where a plain scalar's line from `p` stops: at a `:` followed by a separator (in flow
   * context, `flow`, also by a flow indicator), the `#` of a comment, a line break, the end of
   * the text, or in flow context a flow indicator.
   */
  private plainStop(p: number, flow: boolean): number {
    const t = this.t;
    const b = this.codes;
    const run = flow ? FLOW_PLAIN_RUN : PLAIN_RUN;
    let q = p;
    while (true) {
      run.lastIndex = q;
      run.test(t);
      q = run.lastIndex;
      const d = b[q] as number;
      if (d === COLON) {
        const next = b[q + 1] as number;
        if (isSep(next) || (flow && isFlowIndicator(next))) return q;
      } else if (d !== HASH || (b[q - 1] as number) === SPACE) return q;
      q++;
    }
  }

  /** Whether a plain scalar may start at `p` (in flow context, `flow`). */
  private plainStart(p: number, flow: boolean): boolean {
    const b = this.codes;
    const c = b[p] as number;
    if (NOT_PLAIN_START[c] === 1) return false;
    // `---` and `...` open a plain scalar only off column 0, where the library places it oddly.
    if ((c === DASH || c === 46) && (b[p + 1] as number) === c && (b[p + 2] as number) === c) return false;
    if (c === DASH || c === COLON || c === 63) {
      const next = b[p + 1] as number;
      return !isSep(next) && !(flow && isFlowIndicator(next));
    }
    return c !== undefined && c !== NL && c !== SPACE;
  }

  /**
   * The block map whose first key starts at `p`, its `:` at `colon` (or -1: not looked for yet),
   * or its first line read by ENTRY as `first`.
   */
  private map(
    p: number,
    colon: number,
    col: number,
    depth: number,
    first: RegExpExecArray | null = null,
  ): number {
    const t = this.t;
    const b = this.codes;
    const pos = this.positions;
    // pos.add(MAP, p, p) and, below, pos.close(self), written out (see FastPositions).
    const selfAt = pos.nextAt;
    const array = selfAt < pos.limit ? pos.numbers : pos.grow();
    array[selfAt] = p;
    array[selfAt + 1] = p;
    array[selfAt + 2] = MAP;
    pos.nextAt = selfAt + STRIDE;
    const self = selfAt >> 2;
    const out: { [key: string]: JsonValue } = {};
    /** The keys written in this map, once a merge has added others beside them. */
    let own: Set<string> | undefined;
    while (true) {
      let key: number;
      let name: string;
      let merge = false;
      let value: number;
      let val: JsonValue;
      /** Where this map's next key is, when ENTRY found it after a one-line value. */
      let nextKey = -1;
      const c = b[p] as number;
      let line = first;
      if (line !== null) first = null;
      else if (c >= 97 && c <= 122) {
        ENTRY.lastIndex = p;
        line = ENTRY.exec(t);
      }
      if (line !== null) {
        // What the general path below does with such a line, with fewer calls.
        name = line[1] as string;
        const length = name.length;
        const end = p + length;
        if (length > 1024) giveUp();
        // A key starting with a lowercase letter is not a string only if it is one of LOWER_WORDS
        // (a table look-up and a comparison cost less than a call to MAYBE_NOT_STRING's test).
        if (length <= 5 && LOWER_WORDS[c * 8 + length] === name) name = plainKey(name);
        const text = line[2];
        // The value's first character, read in the source (past `: `) rather than by a call.
        const v = text === undefined ? -1 : (b[end + 2] as number);
        if (v === 124 || v === 62) {
          // A block scalar's header: `inline` hands it to `block`, which reads the lines after it.
          key = pos.addPlain(p, end);
          value = this.block(end + 2, col);
          val = this.value;
        } else {
          const next = ENTRY.lastIndex;
          // The value's length (read once: each read is a call in V8's first tiers), -1 for none.
          const size = text === undefined ? -1 : text.length;
          const nextLine = end + 3 + size;
          const indent = next - nextLine;
          const d = b[next] as number;
          const sibling = indent === col && d >= 97 && d <= 122;
          if (!sibling || text === undefined) {
            if (next < this.n && d !== NL && d !== HASH && !(indent === 0 && (d === DASH || d === 46))) {
              // What `peekLine` would find: the next line holds content (`set`, written out).
              this.i = nextLine;
              this.peekedAt = nextLine;
              this.content = next;
              this.indent = indent;
            } else {
              this.i = nextLine;
              this.peekLine();
            }
          } else {
            // A one-line value, then this map's next key: `peekLine`'s fields are not needed (the
            // next iteration reads from `p` alone, or sets them first).
            nextKey = next;
          }
          if (text === undefined) {
            // pos.addPlain(p, end), written out (see FastPositions).
            const at = pos.nextAt;
            const ints = at < pos.limit ? pos.numbers : pos.grow();
            ints[at] = p;
            ints[at + 1] = end;
            pos.nextAt = at + STRIDE;
            key = at >> 2;
            // The next line with content (peekLine's fields, read once).
            const below = this.indent;
            const inner = this.content;
            if (below > col) {
              // `node`, written out for a nested map whose first line ENTRY reads.
              const e = b[inner] as number;
              let nested: RegExpExecArray | null = null;
              if (e >= 97 && e <= 122 && (depth + 1) * 2 <= this.maxDepth) {
                ENTRY.lastIndex = inner;
                nested = ENTRY.exec(t);
              }
              value =
                nested === null
                  ? this.node(inner, below, col, depth + 1)
                  : this.map(inner, -1, below, depth + 1, nested);
            } else if (below === col && (b[inner] as number) === DASH && isSep(b[inner + 1] as number)) {
              value = this.seq(inner, col, depth + 1);
            } else value = this.empty(nextLine - 1);
            val = this.value;
          } else if (v === 34 || v === 39) {
            // Quoted, without escapes: its text is what is between the quotes. (A line indented
            // past the map after it makes the loop below give up, as after `quoted`.)
            val = text.slice(1, -1);
            key = pos.addPlain(p, end);
            value = pos.addText(v === 39 ? QUOTE_SINGLE : QUOTE_DOUBLE, end + 2, nextLine - 1, val);
          } else if (!sibling && this.indent > col) {
            // A plain scalar continued on lines indented past the map (as `inline` reads it).
            key = pos.addPlain(p, end);
            value = this.plainLines(end + 2, nextLine - 1, col);
            val = this.value;
          } else {
            // MAYBE_NOT_STRING's test only where it may match (see LOWER_WORDS).
            if (v >= 97) val = size <= 5 && LOWER_WORDS[v * 8 + size] === text ? plainValue(text) : text;
            else val = (v <= 57 || size <= 5) && MAYBE_NOT_STRING.test(text) ? plainValue(text) : text;
            // pos.addPlain(p, end) and pos.addPlain(end + 2, nextLine - 1): a line of two plain
            // scalars, the commonest of Kubernetes YAML, written out (see FastPositions).
            const at = pos.nextAt;
            const ints = at < pos.limit ? pos.numbers : pos.grow();
            ints[at] = p;
            ints[at + 1] = end;
            ints[at + 4] = end + 2; // the value's START and END
            ints[at + 5] = nextLine - 1;
            pos.nextAt = at + 2 * STRIDE;
            key = at >> 2;
            value = key + 1;
          }
        }
      } else {
        if (colon < 0) colon = this.keyColon(p);
        if (colon < 0) giveUp();
        if (c === 34 || c === 39) {
          key = this.quoted(p);
          name = this.value as string;
        } else {
          let end = colon;
          while ((b[end - 1] as number) === SPACE) end--;
          const text = t.slice(p, end);
          if (text.length > 1024) giveUp();
          key = pos.addPlain(p, end);
          merge = text === '<<';
          name = merge ? '' : MAYBE_NOT_STRING.test(text) ? plainKey(text) : text;
        }
        value = this.mapValue(colon + 1, col, depth + 1);
        val = this.value;
      }
      if (merge) {
        own ??= new Set(Object.keys(out));
        this.merge(value, out);
      } else {
        // The first key (right after the map's node) is never a duplicate. Then a load first: it
        // answers most keys (absent, hence undefined: JSON has no undefined) without the call, which
        // only keys Object.prototype also has (`constructor`, `__proto__`) still make.
        if (own ? own.has(name) : key !== self + 1 && out[name] !== undefined && Object.hasOwn(out, name)) {
          // Reported as the full loader reports it, without loading that loader for it.
          this.duplicates.push({ offset: pos.start(key), message: duplicateKeyMessage(pos.text(key)) });
        } else {
          own?.add(name);
          // setOwn's test, here to save a call per entry.
          if (name === '__proto__') setOwn(out, name, val);
          else out[name] = val;
        }
      }
      if (nextKey >= 0) {
        p = nextKey;
        colon = -1;
        continue;
      }
      // peekLine's own test, written out: most values leave the next line peeked at already.
      if (this.i !== this.peekedAt) this.peekLine();
      const nextIndent = this.indent;
      if (nextIndent < col) break;
      if (nextIndent > col) giveUp();
      p = this.content;
      if ((b[p] as number) === DASH && isSep(b[p + 1] as number)) giveUp();
      colon = -1; // found at the top of the loop, unless ENTRY reads the line
    }
    // The array may have grown since.
    pos.numbers[selfAt + NEXT] = pos.nextAt >> 2;
    this.value = out;
    return self;
  }

  /** `<<: *map` or `<<: [*a, *b]`: entries not in `out` yet are added (YAML 1.1 merge). */
  private merge(value: number, out: { [key: string]: JsonValue }): void {
    const pos = this.positions;
    const merged = this.value;
    const list = pos.kind(value) === SEQ;
    const sources = list ? pos.children(value) : [value];
    const values = list ? (merged as JsonValue[]) : [merged];
    sources.forEach((s, i) => {
      if (pos.kind(pos.deref(s)) !== MAP) giveUp();
      const from = values[i] as { [key: string]: JsonValue };
      for (const k of Object.keys(from)) if (!Object.hasOwn(out, k)) setOwn(out, k, from[k] as JsonValue);
    });
  }

  /** The value after a block map key's `:` at `p - 1`, in a map at column `col`. */
  private mapValue(p: number, col: number, depth: number): number {
    const b = this.codes;
    let q = p;
    while ((b[q] as number) === SPACE) q++;
    const c = b[q] as number;
    if (c === NL || q >= this.n || c === HASH) {
      this.i = this.restOfLine(q);
      this.peekLine();
      if (this.indent > col) return this.node(this.content, this.indent, col, depth);
      if (this.indent === col) {
        const at = this.content;
        if ((b[at] as number) === DASH && isSep(b[at + 1] as number)) return this.seq(at, col, depth);
      }
      // An empty value; after a comment the full loader places it differently (not worth copying).
      if (c === HASH) giveUp();
      return this.empty(q);
    }
    if (c === 38) return this.anchored(q, col, depth);
    return this.inline(q, col, depth);
  }

  private empty(at: number): number {
    this.value = null;
    return this.positions.addPlain(at, at);
  }

  private seq(p: number, col: number, depth: number): number {
    const b = this.codes;
    const self = this.positions.add(SEQ, p, p);
    const out: JsonValue[] = [];
    while (true) {
      let q = p + 1;
      while ((b[q] as number) === SPACE) q++;
      const c = b[q] as number;
      if (c === NL || q >= this.n || c === HASH) {
        this.i = this.restOfLine(q);
        this.peekLine();
        if (this.indent > col) {
          this.node(this.content, this.indent, col, depth + 1);
        } else {
          if (c === HASH) giveUp();
          this.empty(q);
        }
      } else {
        this.node(q, q - this.peekedAt, col, depth + 1);
      }
      out.push(this.value);
      if (this.i !== this.peekedAt) this.peekLine(); // (as in `map`)
      const nextIndent = this.indent;
      if (nextIndent < col) break;
      if (nextIndent > col) giveUp();
      p = this.content;
      if (!((b[p] as number) === DASH && isSep(b[p + 1] as number))) break;
    }
    this.positions.close(self);
    this.value = out;
    return self;
  }

  /** A node that is not a block collection, at `p`; leaves `i` at the start of the next line. */
  private inline(p: number, parent: number, depth: number): number {
    const t = this.t;
    const b = this.codes;
    const c = b[p] as number;
    let node: number;
    if (c === 42) {
      node = this.alias(p, false, depth);
      this.i = this.restOfLine(this.after);
      return node;
    }
    if (c === 124 || c === 62) return this.block(p, parent);
    if (c === 91 || c === 123) {
      node = this.flow(p, parent, depth);
    } else if (c === 34 || c === 39) {
      node = this.quoted(p, parent);
    } else {
      if (!(c >= 97 && c <= 122) && !this.plainStart(p, false)) giveUp(); // a-z: most values
      const q = this.plainStop(p, false);
      if ((b[q] as number) === COLON) giveUp(); // a key where a value must be
      let end = q;
      while ((b[end - 1] as number) === SPACE) end--;
      if ((b[q] as number) === NL && parent >= 0) {
        // Only a line indented past `parent` may continue the scalar; `plainLines` reads that case
        // (it also stops at a comment line, which `peekLine` skips). Otherwise the line peeked at
        // is the one the caller peeks at next.
        this.i = q + 1;
        this.peekLine();
        if (this.indent > parent) return this.plainLines(p, end, parent);
        // `plain`, written out: most values are one-line plain scalars.
        const text = t.slice(p, end);
        this.value = MAYBE_NOT_STRING.test(text) ? plainValue(text) : text;
        return this.positions.addPlain(p, end);
      }
      node = this.plain(p, end, t.slice(p, end));
      this.after = end;
    }
    this.i = this.restOfLine(this.after);
    return node;
  }

  /**
   * A plain scalar whose first line ends at `end`, maybe continued on lines indented past
   * `parent`: the lines are folded (one line break becomes a space, n empty lines n breaks).
   */
  private plainLines(start: number, end: number, parent: number): number {
    const t = this.t;
    const b = this.codes;
    let text = t.slice(start, end);
    let line = t.indexOf('\n', end) + 1;
    let blank = 0;
    while (line > 0 && line < this.n) {
      SPACES.lastIndex = line;
      SPACES.test(t);
      const s = SPACES.lastIndex;
      const c = b[s] as number;
      if (c === NL) {
        blank++;
        line = s + 1;
        continue;
      }
      if (s >= this.n || c === HASH || s - line <= parent) break;
      const q = this.plainStop(s, false);
      const stop = b[q] as number;
      if (stop === COLON || stop === HASH) giveUp(); // a key, or a comment amid the scalar
      let e = q;
      while ((b[e - 1] as number) === SPACE) e--;
      text += blank === 0 ? ' ' : '\n'.repeat(blank);
      text += t.slice(s, e);
      blank = 0;
      end = e;
      line = q + 1;
    }
    const node = this.plain(start, end, text);
    this.i = this.restOfLine(end);
    return node;
  }

  /** A plain scalar from `start` to `end` reading `text` (shorter than the source when folded). */
  private plain(start: number, end: number, text: string): number {
    this.value = plainValue(text);
    if (text.length === end - start) return this.positions.addPlain(start, end);
    return this.positions.addText(PLAIN, start, end, text);
  }

  /**
   * The nodes in node `i` (itself included) and how deep they nest, an alias counting what it
   * names. Worked out from the positions, for anchored nodes only: counting while reading cost
   * every node a little, and few files have anchors.
   */
  private measure(i: number): Measure {
    const pos = this.positions;
    const kind = pos.kind(i);
    if (kind === ALIAS) return this.measured.get(pos.end(i)) as Measure;
    let size = 1;
    let height = 0;
    if (kind === MAP || kind === SEQ) {
      for (let c = i + 1, end = pos.next(i); c < end; c = pos.next(c)) {
        const m = this.measure(c);
        size += m.size;
        if (m.height + 1 > height) height = m.height + 1;
      }
    }
    return { size, height };
  }

  /** `*name`: a copy of what it names (the full loader builds one per alias too). */
  private alias(p: number, flow: boolean, depth: number): number {
    const t = this.t;
    const b = this.codes;
    let q = p + 1;
    while (q < this.n) {
      const d = b[q] as number;
      if (isSep(d) || isFlowIndicator(d)) break;
      q++;
    }
    const name = t.slice(p + 1, q);
    if (!flow && isFlowIndicator(b[q] as number)) giveUp();
    const target = this.anchors.get(name);
    if (target === undefined || name === '' || name.endsWith(':')) giveUp();
    if ((depth + target.height) * 2 > this.limits.maxDepth) giveUp();
    this.added += target.size - 1;
    // Checked before copying, so a YAML alias bomb is never expanded here (the alias counted).
    this.checkAliases(this.positions.count + 1 - this.docStart);
    this.value = cloneJson(target.value);
    this.after = q;
    return this.positions.addAlias(p, target.node);
  }

  /** `|` or `>` with an optional `-`; content lines more indented than `parent`. */
  private block(p: number, parent: number): number {
    const t = this.t;
    const b = this.codes;
    const folded = (b[p] as number) === 62;
    let q = p + 1;
    const chomp = b[q] as number;
    const strip = chomp === DASH;
    if (strip) q++;
    if (!isSep(b[q] as number)) giveUp(); // `+`, an indentation digit, or anything else
    // Most headers end their line: restOfLine (a call) only for spaces or a comment after them.
    let line = (b[q] as number) === NL ? q + 1 : this.restOfLine(q);
    const first = line;
    let base = -1;
    let blankRun = 0;
    let leadingBlankMax = 0;
    const lines: string[] = [];
    /** A literal's lines were read at once (LITERAL_BODY), from `first` to `end`. */
    let body = false;
    let slow = false;
    let end = line;
    while (line < this.n) {
      SPACES.lastIndex = line;
      SPACES.test(t);
      const s = SPACES.lastIndex;
      const spaces = s - line;
      const c = b[s] as number;
      if (c === NL || s >= this.n) {
        if (s >= this.n) {
          if (spaces > 0) giveUp(); // spaces ending the text: the library may keep them
          break;
        }
        if (base < 0) leadingBlankMax = Math.max(leadingBlankMax, spaces);
        else if (spaces > base) giveUp();
        blankRun++;
        line = s + 1;
        continue;
      }
      if (base < 0) {
        if (spaces <= parent || spaces === 0 || leadingBlankMax > spaces) giveUp();
        base = spaces;
        if (!folded && line === first && !slow) {
          // The lines this loop would take, read by one regex when the first has text and the
          // others have text or nothing; the loop goes on from the line after them.
          LITERAL_BODY.lastIndex = line;
          if (LITERAL_BODY.test(t)) {
            line = LITERAL_BODY.lastIndex;
            end = line;
            body = true;
            continue;
          }
        }
      }
      if (spaces < base) break;
      if (body) {
        // More text after a line of spaces: read the block again line by line.
        slow = true;
        body = false;
        line = first;
        base = -1;
        blankRun = 0;
        leadingBlankMax = 0;
        end = first;
        continue;
      }
      const nl = t.indexOf('\n', s);
      if (nl < 0) giveUp(); // no line break after the last line: the value's ending differs
      for (let k = 0; k < blankRun; k++) lines.push('');
      blankRun = 0;
      lines.push(t.slice(line + base, nl));
      line = nl + 1;
      end = line;
    }
    if (lines.length === 0 && !body) giveUp();
    let text: string;
    if (body) {
      // Each line less the block's indentation (a blank line has no more spaces than that), and
      // the last line's break unless stripped (sliced with the text: no string added after it).
      const breakIndented = LINE_BREAKS_INDENTED[base] ?? lineBreakIndented(base);
      text = t.slice(first + base, strip ? end - 1 : end).replaceAll(breakIndented, '\n');
    } else if (folded) {
      // A line break between two lines of text becomes a space, n empty lines n breaks; lines
      // indented further keep their breaks.
      text = '';
      let pending = 0;
      let previous: string | undefined;
      for (const l of lines) {
        if (l === '') {
          pending++;
          continue;
        }
        const spaced = l.charCodeAt(0) === SPACE || previous?.charCodeAt(0) === SPACE;
        if (previous === undefined) text += '\n'.repeat(pending);
        else text += spaced ? '\n'.repeat(pending + 1) : pending > 0 ? '\n'.repeat(pending) : ' ';
        text += l;
        pending = 0;
        previous = l;
      }
    } else text = lines.join('\n');
    if (!strip && !body) text += '\n';
    this.value = text;
    this.i = end;
    return this.positions.addText(folded ? BLOCK_FOLDED : BLOCK_LITERAL, p, end, text);
  }

  // ---- scalars ----

  /**
   * Offset just past the closing quote of the quoted scalar at `p`, or -1. With `parent` (the
   * indentation of the enclosing block collection) it may span lines indented past it.
   */
  private quotedEnd(p: number, parent?: number): number {
    const t = this.t;
    const b = this.codes;
    const quote = b[p] as number;
    const run = quote === 34 ? DOUBLE_RUN : SINGLE_RUN;
    for (let q = p + 1; q < this.n; q++) {
      run.lastIndex = q;
      run.test(t);
      q = run.lastIndex;
      const c = b[q] as number;
      if (c === NL) {
        if (parent === undefined || parent < 0) return -1;
        let s = q + 1;
        while ((b[s] as number) === SPACE) s++;
        const d = b[s] as number;
        // The library reads a continuation line starting with `#` as a comment.
        if ((d !== NL && s - q - 1 <= parent) || d === HASH) return -1;
        continue;
      }
      if (c === quote) {
        if (quote === 39 && (b[q + 1] as number) === 39) {
          q++;
          continue;
        }
        return q + 1;
      }
      // An escaped character is skipped, but not a line break (checked above).
      if (c === 92 && quote === 34 && (b[q + 1] as number) !== NL) q++;
    }
    return -1;
  }

  /**
   * The quoted scalar at `p` (over lines only with `parent`, see `quotedEnd`), its text as `value`;
   * sets `after` past it.
   */
  private quoted(p: number, parent?: number): number {
    const end = this.quotedEnd(p, parent);
    if (end < 0) giveUp();
    const raw = this.t.slice(p + 1, end - 1);
    this.after = end;
    const single = (this.codes[p] as number) === 39;
    const decode = single ? unescapeSingle : unescapeDouble;
    const text = raw.includes('\n')
      ? foldQuoted(raw, decode, !single)
      : raw.includes(single ? "'" : '\\')
        ? decode(raw)
        : raw;
    this.value = text;
    return this.positions.addText(single ? QUOTE_SINGLE : QUOTE_DOUBLE, p, end, text);
  }

  // ---- flow collections ----

  /** Skips spaces, line breaks and comments inside a flow collection. */
  private flowSpace(p: number, parent: number): number {
    const t = this.t;
    const b = this.codes;
    while (true) {
      const c = b[p] as number;
      if (c === SPACE) p++;
      else if (c === NL) {
        p++;
        let s = p;
        while ((b[s] as number) === SPACE) s++;
        const d = b[s] as number;
        // Continuation lines must be indented past the enclosing block collection.
        if (d !== NL && s - p <= parent) giveUp();
        if (s === p && (d === DASH || d === 46) && this.isMarker(s)) giveUp();
        p = s;
      } else if (c === HASH && ((b[p - 1] as number) === SPACE || (b[p - 1] as number) === NL)) {
        const nl = t.indexOf('\n', p);
        if (nl < 0) giveUp();
        p = nl;
      } else return p;
    }
  }

  /** `[...]` or `{...}` at `p`, which may span lines; sets `after` past it. */
  private flow(p: number, parent: number, depth: number): number {
    if (depth * 2 > this.limits.maxDepth) giveUp();
    const b = this.codes;
    const isMap = (b[p] as number) === 123;
    const close = isMap ? 125 : 93;
    let q = this.flowSpace(p + 1, parent);
    const pos = this.positions;
    const self = pos.add(isMap ? MAP : SEQ, p, p);
    const out: { [key: string]: JsonValue } = {};
    const list: JsonValue[] = [];
    if ((b[q] as number) !== close) {
      while (true) {
        if (isMap) {
          let name: string;
          const c = b[q] as number;
          if (c === 34 || c === 39) {
            this.quoted(q);
            name = this.value as string;
            q = this.after;
            while ((b[q] as number) === SPACE) q++;
            if ((b[q] as number) !== COLON) giveUp();
          } else {
            const text = pos.text(this.flowPlain(q, parent));
            name = plainKey(text);
            if (text === '<<') giveUp();
            q = this.after;
            if ((b[q] as number) !== COLON || !isSep(b[q + 1] as number)) giveUp();
          }
          if (Object.hasOwn(out, name)) giveUp();
          q = this.flowSpace(q + 1, parent);
          const v = b[q] as number;
          if (v === 44 || v === close) giveUp(); // an empty value
          this.flowItem(q, parent, depth);
          setOwn(out, name, this.value);
        } else {
          this.flowItem(q, parent, depth);
          list.push(this.value);
        }
        q = this.flowSpace(this.after, parent);
        const c = b[q] as number;
        if (c === close) break;
        if (c !== 44) giveUp();
        q = this.flowSpace(q + 1, parent);
        // A trailing comma (`[a, b,]`) ends the collection as the close alone would.
        if ((b[q] as number) === close) break;
      }
    }
    pos.close(self);
    this.after = q + 1;
    this.value = isMap ? out : list;
    return self;
  }

  private flowItem(p: number, parent: number, depth: number): number {
    const c = this.codes[p] as number;
    if (c === 91 || c === 123) return this.flow(p, parent, depth + 1);
    if (c === 42) return this.alias(p, true, depth);
    if (c === 34 || c === 39) {
      const node = this.quoted(p);
      return node;
    }
    const node = this.flowPlain(p, parent);
    this.value = plainValue(this.positions.text(node));
    return node;
  }

  /** A one-line plain scalar inside a flow collection; sets `after` past it. */
  private flowPlain(p: number, parent: number): number {
    const b = this.codes;
    if (!this.plainStart(p, true)) giveUp();
    const q = this.plainStop(p, true);
    let end = q;
    while ((b[end - 1] as number) === SPACE) end--;
    if ((b[q] as number) === NL) {
      // A plain scalar continued on the next line is folded: not handled.
      const next = b[this.flowSpace(q, parent)] as number;
      if (!(next === 44 || next === 93 || next === 125 || next === COLON)) giveUp();
    }
    this.after = end;
    return this.positions.addPlain(p, end);
  }
}

// ---- literal blocks ----

/**
 * A literal block's lines from its first, which has text, as long as each has text indented as
 * much as the first or is empty: what `block`'s loop would read there (`\1` is the indentation).
 */
const LITERAL_BODY = /( +)[^ \n][^\n]*\n(?:\n*\1 *[^ \n][^\n]*\n)*/y;

const LINE_BREAKS_INDENTED: string[] = [];

/** A line break and `base` spaces. */
function lineBreakIndented(base: number): string {
  let s = LINE_BREAKS_INDENTED[base];
  if (s === undefined) {
    s = `\n${' '.repeat(base)}`;
    LINE_BREAKS_INDENTED[base] = s;
  }
  return s;
}

// ---- values ----

const SMALL_DECIMAL = /^(0|[1-9][0-9]{0,14})$/;

/** A plain scalar's JSON value, as yaml-tree.ts makes it (giving up where it reports a problem). */
function plainValue(text: string): JsonValue {
  if (!MAYBE_NOT_STRING.test(text)) return text; // (tested by hot callers before the call too)
  if (SMALL_DECIMAL.test(text)) return Number(text);
  const json = goScalarJson(resolvePlainScalar(text), text);
  return 'value' in json ? json.value : giveUp();
}

/** A plain key's JSON key (sigs.k8s.io/yaml's), giving up on keys kubectl refuses. */
function plainKey(text: string): string {
  return plainJsonKey(text) ?? giveUp();
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};

/** The `''` of a one-line single-quoted scalar. */
function unescapeSingle(raw: string): string {
  return raw.replaceAll("''", "'");
}

/** The escapes of a one-line double-quoted scalar; gives up on the rarer YAML-only ones. */
function unescapeDouble(raw: string): string {
  let out = '';
  let from = 0;
  for (let i = raw.indexOf('\\'); i >= 0; i = raw.indexOf('\\', from)) {
    out += raw.slice(from, i);
    const c = raw[i + 1] as string;
    const simple = ESCAPES[c];
    if (simple !== undefined) {
      out += simple;
      from = i + 2;
      continue;
    }
    const digits = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : giveUp();
    const hex = raw.slice(i + 2, i + 2 + digits);
    if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) giveUp();
    const code = Number.parseInt(hex, 16);
    if ((code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) giveUp();
    out += String.fromCodePoint(code);
    from = i + 2 + digits;
  }
  return out + raw.slice(from);
}

/**
 * A quoted scalar written over several lines: each line is trimmed (the first at its end, the
 * last at its start), one line break becomes a space and n empty lines n breaks; in double
 * quotes a backslash at the end of a line joins it to the next with nothing between.
 */
function foldQuoted(raw: string, decode: (line: string) => string, escapes: boolean): string {
  const lines = raw.split('\n');
  const last = lines.length - 1;
  let out = '';
  let breaks = 0;
  let joined = false;
  lines.forEach((line, i) => {
    let l = i > 0 ? line.replace(/^ +/, '') : line;
    let escapedBreak = false;
    if (i < last) {
      const slashes = /\\*$/.exec(l)?.[0].length ?? 0;
      if (escapes && slashes % 2 === 1) {
        l = l.slice(0, -1);
        escapedBreak = true;
      } else {
        const trimmed = l.replace(/ +$/, '');
        // A space kept by an escape (`\ `) right before the break: not worth the care.
        if (escapes && trimmed.length < l.length && /(^|[^\\])(\\\\)*\\$/.test(trimmed)) giveUp();
        l = trimmed;
      }
    }
    if (i > 0 && i < last && l === '') {
      if (joined) giveUp(); // an empty line after an escaped break
      breaks++;
      return;
    }
    if (i > 0) out += joined ? '' : breaks > 0 ? '\n'.repeat(breaks) : ' ';
    out += decode(l);
    breaks = 0;
    joined = escapedBreak;
  });
  return out;
}

/** A deep copy (aliases give each use its own value, as the full loader does). */
function cloneJson(v: JsonValue): JsonValue {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(cloneJson);
  const out: { [key: string]: JsonValue } = {};
  for (const k of Object.keys(v)) setOwn(out, k, cloneJson(v[k] as JsonValue));
  return out;
}

/** Whether a Uint16Array reads the bytes of Buffer's `utf16le` encoding as their code units. */
const LITTLE_ENDIAN = new Uint16Array(new Uint8Array([1, 0]).buffer)[0] === 1;

/** The character codes of `text`, one per UTF-16 unit (bytes when it is ASCII), made natively. */
function charCodes(text: string, ascii: boolean): Uint8Array | Uint16Array {
  if (ascii) return Buffer.from(text, 'latin1');
  if (LITTLE_ENDIAN) {
    const bytes = Buffer.from(text, 'utf16le');
    // Buffer's pool aligns each buffer to 8 bytes; a view needs 2.
    if (bytes.byteOffset % 2 === 0) return new Uint16Array(bytes.buffer, bytes.byteOffset, text.length);
  }
  const codes = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) codes[i] = text.charCodeAt(i);
  return codes;
}
