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
  PLAIN,
  QUOTE_DOUBLE,
  QUOTE_SINGLE,
  SEQ,
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
 * Any other line takes the general path (#keyColon, #mapValue), which reads these the same way.
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
    return readAll(text, limits);
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
 * control characters), and the end reads as NaN, which is not above anything.
 */
function isSep(c: number): boolean {
  return !(c > SPACE);
}

function isFlowIndicator(c: number): boolean {
  return c === 44 || c === 91 || c === 93 || c === 123 || c === 125; // , [ ] { }
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

/**
 * Reads every document of `src`. The reader's state lives in this function's variables and its
 * steps are functions inside it, not fields and methods of an object: most of a cold run's
 * reading happens before V8 optimizes it, and there a closure's variable is read and written
 * inline while each field access, and each private method's brand check, is an inline cache call.
 */
function readAll(src: string, limits: FastLimits): FastRead {
  const srcLen = src.length;
  /** limits.maxDepth, read once (readNode checks it at every node). */
  const maxDepth = limits.maxDepth;
  /** Start of the line being read. */
  let cursor = 0;
  // Set by peekLine: the next line with content.
  let peekIndent = -1;
  let peekContent = 0;
  /** No more content in this document (end of text or a `---`). */
  let peekAtEnd = false;
  let peekLineStart = 0;
  /** The cursor peekLine last started from (and left the cursor at). */
  let peekedAt = -1;
  /** The value of the last node read, beside the node itself (no tuple per node). */
  let lastValue: JsonValue = null;
  /** After a flow node or a quoted scalar: the offset just past it. */
  let lastAfter = 0;
  let anchors = new Map<string, Anchored>();
  /** What each anchored node of the document measures, by node number (what its aliases add). */
  let measured = new Map<number, Measure>();
  /** The number of the document's first node: the nodes written since are the alias budget's. */
  let docStart = 0;
  /** Nodes the aliases of the document add (a copy of what each names, less the alias). */
  let added = 0;
  let duplicates: { offset: number; message: string }[] = [];
  // About one node per 16 characters in Kubernetes YAML; the array grows if there are more.
  const positions = new FastPositions(src, srcLen >> 4);
  return { documents: readDocuments(), positions };

  function readDocuments(): FastDocument[] {
    const t = src;
    const docs: FastDocument[] = [];
    peekLine();
    while (peekContent < srcLen) {
      if (peekAtEnd) {
        // A `---` line, then the document, which may be empty.
        let q = peekContent + 3;
        while (t.charCodeAt(q) === SPACE) q++;
        const markerEnd = q;
        cursor = restOfLine(q);
        peekLine();
        if (peekAtEnd) {
          // Empty: the full loader places it at the end of the marker's line.
          if (peekContent < srcLen || (markerEnd < srcLen && t.charCodeAt(markerEnd) !== NL)) giveUp();
          const root = positions.add(PLAIN, markerEnd, markerEnd);
          docs.push({ value: null, root, duplicates: [] });
          return docs;
        }
      }
      anchors = new Map();
      measured = new Map();
      docStart = positions.count;
      added = 0;
      duplicates = [];
      const root = readNode(peekContent, peekIndent, -1, 0);
      peekLine();
      if (!peekAtEnd) giveUp();
      checkAliases(positions.count - docStart);
      docs.push({ value: lastValue, root, duplicates: duplicates });
    }
    return docs;
  }

  /**
   * Gives up well before the full loader's alias limits, which it then reports itself (checked at
   * each alias with the nodes written so far, so it may give up on a document the full loader takes).
   */
  function checkAliases(written: number): void {
    const allowed = Math.max(limits.maxAliasNodes, limits.maxAliasRatio * written);
    if (added * 2 > allowed) giveUp();
  }

  // ---- lines ----

  /**
   * Skips blank and comment lines from cursor; sets peekIndent, peekContent and peekAtEnd for the next one.
   * Its answer depends on cursor alone, so a second call from the same cursor returns at once (a plain
   * scalar peeks at the next line to see whether it goes on there, then its collection does).
   */
  function peekLine(): void {
    if (cursor === peekedAt) return;
    const t = src;
    let p = cursor;
    while (true) {
      const lineStart = p;
      SPACES.lastIndex = p;
      SPACES.test(t);
      p = SPACES.lastIndex;
      const c = t.charCodeAt(p);
      if (p >= srcLen) {
        setPeek(lineStart, p, -1, true);
        return;
      }
      if (c === NL) {
        p++;
        continue;
      }
      if (c === HASH) {
        const nl = t.indexOf('\n', p);
        p = nl < 0 ? srcLen : nl + 1;
        continue;
      }
      if (p === lineStart && (c === DASH || c === 46) && isMarker(p)) {
        if (c === 46) giveUp(); // `...`
        setPeek(lineStart, p, -1, true);
        return;
      }
      // setPeek, written out: this is the way most lines go.
      cursor = lineStart;
      peekedAt = lineStart;
      peekLineStart = lineStart;
      peekContent = p;
      peekIndent = p - lineStart;
      peekAtEnd = false;
      return;
    }
  }

  function setPeek(lineStart: number, content: number, indent: number, atEnd: boolean): void {
    cursor = lineStart;
    peekedAt = lineStart;
    peekLineStart = lineStart;
    peekContent = content;
    peekIndent = indent;
    peekAtEnd = atEnd;
  }

  /** `---` or `...` at `p` followed by a separator. */
  function isMarker(p: number): boolean {
    const t = src;
    const c = t.charCodeAt(p);
    return t.charCodeAt(p + 1) === c && t.charCodeAt(p + 2) === c && isSep(t.charCodeAt(p + 3));
  }

  /** From `p`: spaces, maybe a comment, then a line break (or the end); returns the next line's start. */
  function restOfLine(p: number): number {
    const t = src;
    const from = p;
    while (t.charCodeAt(p) === SPACE) p++;
    const c = t.charCodeAt(p);
    if (p >= srcLen) return srcLen;
    if (c === NL) return p + 1;
    const before = t.charCodeAt(p - 1);
    if (c === HASH && (p > from || before === SPACE || before === NL)) {
      const nl = t.indexOf('\n', p);
      return nl < 0 ? srcLen : nl + 1;
    }
    return giveUp();
  }

  // ---- block nodes ----

  /**
   * The node starting at `p` (column `col`) inside a collection indented `parent`; leaves cursor at
   * the start of the line after it.
   */
  function readNode(p: number, col: number, parent: number, depth: number): number {
    if (depth * 2 > maxDepth) giveUp();
    const c = src.charCodeAt(p);
    if (c === DASH && isSep(src.charCodeAt(p + 1))) return readSeq(p, col, depth);
    if (c === 38) return readAnchored(p, parent, depth); // &
    if (c >= 97 && c <= 122) {
      // A line ENTRY reads holds a key (keyColon would find its colon): a map.
      ENTRY.lastIndex = p;
      const line = ENTRY.exec(src);
      if (line !== null) return readMap(p, -1, col, depth, line);
    }
    const colon = keyColon(p);
    if (colon >= 0) return readMap(p, colon, col, depth);
    return readInline(p, parent, depth);
  }

  /** `&name` then the node it names, on the same line or the next ones. */
  function readAnchored(p: number, parent: number, depth: number): number {
    const t = src;
    let q = p + 1;
    while (q < srcLen && !isSep(t.charCodeAt(q)) && !isFlowIndicator(t.charCodeAt(q))) q++;
    const name = t.slice(p + 1, q);
    if (name === '' || name.endsWith(':') || !isSep(t.charCodeAt(q))) giveUp(); // `&a:` warns
    while (t.charCodeAt(q) === SPACE) q++;
    let node: number;
    const c = t.charCodeAt(q);
    if (c === NL || c === HASH || q >= srcLen) {
      cursor = restOfLine(q);
      peekLine();
      if (peekAtEnd || peekIndent <= parent) giveUp();
      node = readNode(peekContent, peekIndent, parent, depth);
    } else {
      // On the same line it must not be a key (`&a key: v` anchors the key): readInline refuses `: `.
      node = readInline(q, parent, depth);
    }
    const m = measureNode(node);
    measured.set(node, m);
    anchors.set(name, { node, value: lastValue, size: m.size, height: m.height });
    return node;
  }

  /**
   * Where the `:` of a block map key starting at `p` is, or -1 when the line holds no key. Keys
   * are one-line plain or quoted scalars.
   */
  function keyColon(p: number): number {
    const t = src;
    const c = t.charCodeAt(p);
    let q = p;
    if (c === 34 || c === 39) {
      q = quotedEnd(p);
      if (q < 0) return -1;
      while (t.charCodeAt(q) === SPACE) q++;
      return t.charCodeAt(q) === COLON && isSep(t.charCodeAt(q + 1)) ? q : -1;
    }
    if (!(c >= 97 && c <= 122) && !plainStart(p, false)) return -1; // a-z: most keys
    q = plainStop(p, false);
    return t.charCodeAt(q) === COLON ? q : -1;
  }

  /**
   * Where a plain scalar's line from `p` stops: at a `:` followed by a separator (in flow
   * context, `flow`, also by a flow indicator), the `#` of a comment, a line break, the end of
   * the text, or in flow context a flow indicator.
   */
  function plainStop(p: number, flow: boolean): number {
    const t = src;
    const run = flow ? FLOW_PLAIN_RUN : PLAIN_RUN;
    let q = p;
    while (true) {
      run.lastIndex = q;
      run.test(t);
      q = run.lastIndex;
      const d = t.charCodeAt(q);
      if (d === COLON) {
        const next = t.charCodeAt(q + 1);
        if (isSep(next) || (flow && isFlowIndicator(next))) return q;
      } else if (d !== HASH || t.charCodeAt(q - 1) === SPACE) return q;
      q++;
    }
  }

  /** Whether a plain scalar may start at `p` (in flow context, `flow`). */
  function plainStart(p: number, flow: boolean): boolean {
    const t = src;
    const c = t.charCodeAt(p);
    if (NOT_PLAIN_START[c] === 1) return false;
    // `---` and `...` open a plain scalar only off column 0, where the library places it oddly.
    if ((c === DASH || c === 46) && t.charCodeAt(p + 1) === c && t.charCodeAt(p + 2) === c) return false;
    if (c === DASH || c === COLON || c === 63) {
      const next = t.charCodeAt(p + 1);
      return !isSep(next) && !(flow && isFlowIndicator(next));
    }
    return !Number.isNaN(c) && c !== NL && c !== SPACE;
  }

  /**
   * The block map whose first key starts at `p`, its `:` at `colon` (or -1: not looked for yet),
   * or its first line read by ENTRY as `first`.
   */
  function readMap(
    p: number,
    colon: number,
    col: number,
    depth: number,
    first: RegExpExecArray | null = null,
  ): number {
    const t = src;
    const pos = positions;
    const self = pos.add(MAP, p, p);
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
      const c = t.charCodeAt(p);
      let line = first;
      if (line !== null) first = null;
      else if (c >= 97 && c <= 122) {
        ENTRY.lastIndex = p;
        line = ENTRY.exec(t);
      }
      if (line !== null) {
        // What the general path below does with such a line, with fewer calls.
        name = line[1] as string;
        const end = p + name.length;
        if (name.length > 1024) giveUp();
        key = pos.add(PLAIN, p, end);
        // Of the words MAYBE_NOT_STRING takes, those starting with a lowercase letter have at most five.
        if (name.length <= 5 && MAYBE_NOT_STRING.test(name)) name = plainKey(name);
        const text = line[2];
        const v = text === undefined ? -1 : text.charCodeAt(0);
        if (v === 124 || v === 62) {
          // A block scalar's header: readInline hands it to readBlock, which reads the lines after it.
          value = readBlock(end + 2, col);
          val = lastValue;
        } else {
          const next = ENTRY.lastIndex;
          const nextLine = text === undefined ? end + 2 : end + 3 + text.length;
          const indent = next - nextLine;
          const d = t.charCodeAt(next);
          const sibling = indent === col && d >= 97 && d <= 122;
          if (!sibling || text === undefined) {
            if (next < srcLen && d !== NL && d !== HASH && !(indent === 0 && (d === DASH || d === 46))) {
              // peekLine for the next line, written out: it holds content.
              cursor = nextLine;
              peekedAt = nextLine;
              peekLineStart = nextLine;
              peekContent = next;
              peekIndent = indent;
              peekAtEnd = false;
            } else {
              cursor = nextLine;
              peekLine();
            }
          } else {
            // A one-line value, then this map's next key: peekLine's fields are not needed (the
            // next iteration reads from `p` alone, or sets them first).
            nextKey = next;
          }
          if (text === undefined) {
            if (!peekAtEnd && peekIndent > col) {
              // readNode, written out for a nested map whose first line ENTRY reads.
              const at = peekContent;
              const e = t.charCodeAt(at);
              let nested: RegExpExecArray | null = null;
              if (e >= 97 && e <= 122 && (depth + 1) * 2 <= maxDepth) {
                ENTRY.lastIndex = at;
                nested = ENTRY.exec(t);
              }
              value =
                nested === null
                  ? readNode(at, peekIndent, col, depth + 1)
                  : readMap(at, -1, peekIndent, depth + 1, nested);
            } else if (
              !peekAtEnd &&
              peekIndent === col &&
              t.charCodeAt(peekContent) === DASH &&
              isSep(t.charCodeAt(peekContent + 1))
            ) {
              value = readSeq(peekContent, col, depth + 1);
            } else value = readEmpty(nextLine - 1);
            val = lastValue;
          } else if (v === 34 || v === 39) {
            // Quoted, without escapes: its text is what is between the quotes. (A line indented
            // past the map after it makes the loop below give up, as after readQuoted.)
            val = text.slice(1, -1);
            value = pos.addText(v === 39 ? QUOTE_SINGLE : QUOTE_DOUBLE, end + 2, nextLine - 1, val);
          } else if (!sibling && !peekAtEnd && peekIndent > col) {
            // A plain scalar continued on lines indented past the map (as readInline reads it).
            value = readPlainLines(end + 2, nextLine - 1, col);
            val = lastValue;
          } else {
            val = (v <= 57 || text.length <= 5) && MAYBE_NOT_STRING.test(text) ? plainValue(text) : text;
            value = pos.add(PLAIN, end + 2, nextLine - 1);
          }
        }
      } else {
        if (colon < 0) colon = keyColon(p);
        if (colon < 0) giveUp();
        if (c === 34 || c === 39) {
          key = readQuoted(p);
          name = lastValue as string;
        } else {
          let end = colon;
          while (t.charCodeAt(end - 1) === SPACE) end--;
          const text = t.slice(p, end);
          if (text.length > 1024) giveUp();
          key = pos.add(PLAIN, p, end);
          merge = text === '<<';
          name = merge ? '' : MAYBE_NOT_STRING.test(text) ? plainKey(text) : text;
        }
        value = readMapValue(colon + 1, col, depth + 1);
        val = lastValue;
      }
      if (merge) {
        own ??= new Set(Object.keys(out));
        mergeInto(value, out);
      } else {
        // A load first: it answers most keys (absent, hence undefined: JSON has no undefined) without
        // the call, which only keys Object.prototype also has (`constructor`, `__proto__`) still make.
        if (own ? own.has(name) : out[name] !== undefined && Object.hasOwn(out, name)) {
          // Reported as the full loader reports it, without loading that loader for it.
          duplicates.push({ offset: pos.start(key), message: duplicateKeyMessage(pos.text(key)) });
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
      peekLine();
      if (peekAtEnd || peekIndent < col) break;
      if (peekIndent > col) giveUp();
      p = peekContent;
      if (t.charCodeAt(p) === DASH && isSep(t.charCodeAt(p + 1))) giveUp();
      colon = -1; // found at the top of the loop, unless ENTRY reads the line
    }
    pos.close(self);
    lastValue = out;
    return self;
  }

  /** `<<: *map` or `<<: [*a, *b]`: entries not in `out` yet are added (YAML 1.1 merge). */
  function mergeInto(value: number, out: { [key: string]: JsonValue }): void {
    const pos = positions;
    const merged = lastValue;
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
  function readMapValue(p: number, col: number, depth: number): number {
    const t = src;
    let q = p;
    while (t.charCodeAt(q) === SPACE) q++;
    const c = t.charCodeAt(q);
    if (c === NL || q >= srcLen || c === HASH) {
      cursor = restOfLine(q);
      peekLine();
      if (!peekAtEnd && peekIndent > col) return readNode(peekContent, peekIndent, col, depth);
      if (!peekAtEnd && peekIndent === col) {
        const at = peekContent;
        if (t.charCodeAt(at) === DASH && isSep(t.charCodeAt(at + 1))) return readSeq(at, col, depth);
      }
      // An empty value; after a comment the full loader places it differently (not worth copying).
      if (c === HASH) giveUp();
      return readEmpty(q);
    }
    if (c === 38) return readAnchored(q, col, depth);
    return readInline(q, col, depth);
  }

  function readEmpty(at: number): number {
    lastValue = null;
    return positions.add(PLAIN, at, at);
  }

  function readSeq(p: number, col: number, depth: number): number {
    const t = src;
    const self = positions.add(SEQ, p, p);
    const out: JsonValue[] = [];
    while (true) {
      let q = p + 1;
      while (t.charCodeAt(q) === SPACE) q++;
      const c = t.charCodeAt(q);
      if (c === NL || q >= srcLen || c === HASH) {
        cursor = restOfLine(q);
        peekLine();
        if (!peekAtEnd && peekIndent > col) {
          readNode(peekContent, peekIndent, col, depth + 1);
        } else {
          if (c === HASH) giveUp();
          readEmpty(q);
        }
      } else {
        readNode(q, q - peekLineStart, col, depth + 1);
      }
      out.push(lastValue);
      peekLine();
      if (peekAtEnd || peekIndent < col) break;
      if (peekIndent > col) giveUp();
      p = peekContent;
      if (!(t.charCodeAt(p) === DASH && isSep(t.charCodeAt(p + 1)))) break;
    }
    positions.close(self);
    lastValue = out;
    return self;
  }

  /** A node that is not a block collection, at `p`; leaves cursor at the start of the next line. */
  function readInline(p: number, parent: number, depth: number): number {
    const t = src;
    const c = t.charCodeAt(p);
    let node: number;
    if (c === 42) {
      node = readAlias(p, false, depth);
      cursor = restOfLine(lastAfter);
      return node;
    }
    if (c === 124 || c === 62) return readBlock(p, parent);
    if (c === 91 || c === 123) {
      node = readFlow(p, parent, depth);
    } else if (c === 34 || c === 39) {
      node = readQuoted(p, parent);
    } else {
      if (!(c >= 97 && c <= 122) && !plainStart(p, false)) giveUp(); // a-z: most values
      const q = plainStop(p, false);
      if (t.charCodeAt(q) === COLON) giveUp(); // a key where a value must be
      let end = q;
      while (t.charCodeAt(end - 1) === SPACE) end--;
      if (t.charCodeAt(q) === NL && parent >= 0) {
        // Only a line indented past `parent` may continue the scalar; readPlainLines reads that case
        // (it also stops at a comment line, which peekLine skips). Otherwise the line peeked at
        // is the one the caller peeks at next.
        cursor = q + 1;
        peekLine();
        if (!peekAtEnd && peekIndent > parent) return readPlainLines(p, end, parent);
        // readPlain, written out: most values are one-line plain scalars.
        const text = t.slice(p, end);
        lastValue = MAYBE_NOT_STRING.test(text) ? plainValue(text) : text;
        return positions.add(PLAIN, p, end);
      }
      node = readPlain(p, end, t.slice(p, end));
      lastAfter = end;
    }
    cursor = restOfLine(lastAfter);
    return node;
  }

  /**
   * A plain scalar whose first line ends at `end`, maybe continued on lines indented past
   * `parent`: the lines are folded (one line break becomes a space, n empty lines n breaks).
   */
  function readPlainLines(start: number, end: number, parent: number): number {
    const t = src;
    let text = t.slice(start, end);
    let line = t.indexOf('\n', end) + 1;
    let blank = 0;
    while (line > 0 && line < srcLen) {
      SPACES.lastIndex = line;
      SPACES.test(t);
      const s = SPACES.lastIndex;
      const c = t.charCodeAt(s);
      if (c === NL) {
        blank++;
        line = s + 1;
        continue;
      }
      if (s >= srcLen || c === HASH || s - line <= parent) break;
      const q = plainStop(s, false);
      const stop = t.charCodeAt(q);
      if (stop === COLON || stop === HASH) giveUp(); // a key, or a comment amid the scalar
      let e = q;
      while (t.charCodeAt(e - 1) === SPACE) e--;
      text += blank === 0 ? ' ' : '\n'.repeat(blank);
      text += t.slice(s, e);
      blank = 0;
      end = e;
      line = q + 1;
    }
    const node = readPlain(start, end, text);
    cursor = restOfLine(end);
    return node;
  }

  /** A plain scalar from `start` to `end` reading `text` (shorter than the source when folded). */
  function readPlain(start: number, end: number, text: string): number {
    lastValue = plainValue(text);
    if (text.length === end - start) return positions.add(PLAIN, start, end);
    return positions.addText(PLAIN, start, end, text);
  }

  /**
   * The nodes in node `i` (itself included) and how deep they nest, an alias counting what it
   * names. Worked out from the positions, for anchored nodes only: counting while reading cost
   * every node a little, and few files have anchors.
   */
  function measureNode(i: number): Measure {
    const pos = positions;
    const kind = pos.kind(i);
    if (kind === ALIAS) return measured.get(pos.end(i)) as Measure;
    let size = 1;
    let height = 0;
    if (kind === MAP || kind === SEQ) {
      for (let c = i + 1, end = pos.next(i); c < end; c = pos.next(c)) {
        const m = measureNode(c);
        size += m.size;
        if (m.height + 1 > height) height = m.height + 1;
      }
    }
    return { size, height };
  }

  /** `*name`: a copy of what it names (the full loader builds one per alias too). */
  function readAlias(p: number, flow: boolean, depth: number): number {
    const t = src;
    let q = p + 1;
    while (q < srcLen) {
      const d = t.charCodeAt(q);
      if (isSep(d) || isFlowIndicator(d)) break;
      q++;
    }
    const name = t.slice(p + 1, q);
    if (!flow && isFlowIndicator(t.charCodeAt(q))) giveUp();
    const target = anchors.get(name);
    if (target === undefined || name === '' || name.endsWith(':')) giveUp();
    if ((depth + target.height) * 2 > limits.maxDepth) giveUp();
    added += target.size - 1;
    // Checked before copying, so a YAML alias bomb is never expanded here (the alias counted).
    checkAliases(positions.count + 1 - docStart);
    lastValue = cloneJson(target.value);
    lastAfter = q;
    return positions.addAlias(p, target.node);
  }

  /** `|` or `>` with an optional `-`; content lines more indented than `parent`. */
  function readBlock(p: number, parent: number): number {
    const t = src;
    const folded = t.charCodeAt(p) === 62;
    let q = p + 1;
    const chomp = t.charCodeAt(q);
    const strip = chomp === DASH;
    if (strip) q++;
    if (!isSep(t.charCodeAt(q))) giveUp(); // `+`, an indentation digit, or anything else
    let line = restOfLine(q);
    const first = line;
    let base = -1;
    let blankRun = 0;
    let leadingBlankMax = 0;
    const lines: string[] = [];
    /** A literal's lines were read at once (LITERAL_BODY), from `first` to `end`. */
    let body = false;
    let slow = false;
    let end = line;
    while (line < srcLen) {
      SPACES.lastIndex = line;
      SPACES.test(t);
      const s = SPACES.lastIndex;
      const spaces = s - line;
      const c = t.charCodeAt(s);
      if (c === NL || s >= srcLen) {
        if (s >= srcLen) {
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
      // Each line less the block's indentation (a blank line has no more spaces than that).
      text = t.slice(first + base, end - 1).replaceAll(lineBreakIndented(base), '\n');
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
    if (!strip) text += '\n';
    lastValue = text;
    cursor = end;
    return positions.addText(folded ? BLOCK_FOLDED : BLOCK_LITERAL, p, end, text);
  }

  // ---- scalars ----

  /**
   * Offset just past the closing quote of the quoted scalar at `p`, or -1. With `parent` (the
   * indentation of the enclosing block collection) it may span lines indented past it.
   */
  function quotedEnd(p: number, parent?: number): number {
    const t = src;
    const quote = t.charCodeAt(p);
    const run = quote === 34 ? DOUBLE_RUN : SINGLE_RUN;
    for (let q = p + 1; q < srcLen; q++) {
      run.lastIndex = q;
      run.test(t);
      q = run.lastIndex;
      const c = t.charCodeAt(q);
      if (c === NL) {
        if (parent === undefined || parent < 0) return -1;
        let s = q + 1;
        while (t.charCodeAt(s) === SPACE) s++;
        const d = t.charCodeAt(s);
        // The library reads a continuation line starting with `#` as a comment.
        if ((d !== NL && s - q - 1 <= parent) || d === HASH) return -1;
        continue;
      }
      if (c === quote) {
        if (quote === 39 && t.charCodeAt(q + 1) === 39) {
          q++;
          continue;
        }
        return q + 1;
      }
      // An escaped character is skipped, but not a line break (checked above).
      if (c === 92 && quote === 34 && t.charCodeAt(q + 1) !== NL) q++;
    }
    return -1;
  }

  /**
   * The quoted scalar at `p` (over lines only with `parent`, see quotedEnd), its text as lastValue;
   * sets lastAfter past it.
   */
  function readQuoted(p: number, parent?: number): number {
    const end = quotedEnd(p, parent);
    if (end < 0) giveUp();
    const raw = src.slice(p + 1, end - 1);
    lastAfter = end;
    const single = src.charCodeAt(p) === 39;
    const decode = single ? unescapeSingle : unescapeDouble;
    const text = raw.includes('\n')
      ? foldQuoted(raw, decode, !single)
      : raw.includes(single ? "'" : '\\')
        ? decode(raw)
        : raw;
    lastValue = text;
    return positions.addText(single ? QUOTE_SINGLE : QUOTE_DOUBLE, p, end, text);
  }

  // ---- flow collections ----

  /** Skips spaces, line breaks and comments inside a flow collection. */
  function flowSpace(p: number, parent: number): number {
    const t = src;
    while (true) {
      const c = t.charCodeAt(p);
      if (c === SPACE) p++;
      else if (c === NL) {
        p++;
        let s = p;
        while (t.charCodeAt(s) === SPACE) s++;
        const d = t.charCodeAt(s);
        // Continuation lines must be indented past the enclosing block collection.
        if (d !== NL && s - p <= parent) giveUp();
        if (s === p && (d === DASH || d === 46) && isMarker(s)) giveUp();
        p = s;
      } else if (c === HASH && (t.charCodeAt(p - 1) === SPACE || t.charCodeAt(p - 1) === NL)) {
        const nl = t.indexOf('\n', p);
        if (nl < 0) giveUp();
        p = nl;
      } else return p;
    }
  }

  /** `[...]` or `{...}` at `p`, which may span lines; sets lastAfter past it. */
  function readFlow(p: number, parent: number, depth: number): number {
    if (depth * 2 > limits.maxDepth) giveUp();
    const t = src;
    const isMap = t.charCodeAt(p) === 123;
    const close = isMap ? 125 : 93;
    let q = flowSpace(p + 1, parent);
    const pos = positions;
    const self = pos.add(isMap ? MAP : SEQ, p, p);
    const out: { [key: string]: JsonValue } = {};
    const list: JsonValue[] = [];
    if (t.charCodeAt(q) !== close) {
      while (true) {
        if (isMap) {
          let name: string;
          const c = t.charCodeAt(q);
          if (c === 34 || c === 39) {
            readQuoted(q);
            name = lastValue as string;
            q = lastAfter;
            while (t.charCodeAt(q) === SPACE) q++;
            if (t.charCodeAt(q) !== COLON) giveUp();
          } else {
            const text = pos.text(readFlowPlain(q, parent));
            name = plainKey(text);
            if (text === '<<') giveUp();
            q = lastAfter;
            if (t.charCodeAt(q) !== COLON || !isSep(t.charCodeAt(q + 1))) giveUp();
          }
          if (Object.hasOwn(out, name)) giveUp();
          q = flowSpace(q + 1, parent);
          const v = t.charCodeAt(q);
          if (v === 44 || v === close) giveUp(); // an empty value
          readFlowItem(q, parent, depth);
          setOwn(out, name, lastValue);
        } else {
          readFlowItem(q, parent, depth);
          list.push(lastValue);
        }
        q = flowSpace(lastAfter, parent);
        const c = t.charCodeAt(q);
        if (c === close) break;
        if (c !== 44) giveUp();
        q = flowSpace(q + 1, parent);
        // A trailing comma (`[a, b,]`) ends the collection as the close alone would.
        if (t.charCodeAt(q) === close) break;
      }
    }
    pos.close(self);
    lastAfter = q + 1;
    lastValue = isMap ? out : list;
    return self;
  }

  function readFlowItem(p: number, parent: number, depth: number): number {
    const c = src.charCodeAt(p);
    if (c === 91 || c === 123) return readFlow(p, parent, depth + 1);
    if (c === 42) return readAlias(p, true, depth);
    if (c === 34 || c === 39) {
      const node = readQuoted(p);
      return node;
    }
    const node = readFlowPlain(p, parent);
    lastValue = plainValue(positions.text(node));
    return node;
  }

  /** A one-line plain scalar inside a flow collection; sets lastAfter past it. */
  function readFlowPlain(p: number, parent: number): number {
    const t = src;
    if (!plainStart(p, true)) giveUp();
    const q = plainStop(p, true);
    let end = q;
    while (t.charCodeAt(end - 1) === SPACE) end--;
    if (t.charCodeAt(q) === NL) {
      // A plain scalar continued on the next line is folded: not handled.
      const next = t.charCodeAt(flowSpace(q, parent));
      if (!(next === 44 || next === 93 || next === 125 || next === COLON)) giveUp();
    }
    lastAfter = end;
    return positions.add(PLAIN, p, end);
  }
}

// ---- literal blocks ----

/**
 * A literal block's lines from its first, which has text, as long as each has text indented as
 * much as the first or is empty: what #block's loop would read there (`\1` is the indentation).
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
