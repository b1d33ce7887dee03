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
//
// Three files: this one reads documents and collections (block and flow maps and lists, anchors,
// aliases, merges); fast-yaml-scalars.ts, the reader's base class, finds lines and reads scalars;
// fast-yaml-text.ts holds the character-level pieces both use.
import { setOwn } from '../json.js';
import {
  ALIAS,
  type FastPositions,
  MAP,
  NEXT,
  QUOTE_DOUBLE,
  QUOTE_SINGLE,
  SEQ,
  STRIDE,
} from './fast-positions.js';
import { type FastLimits, ScalarReader } from './fast-yaml-scalars.js';
import {
  COLON,
  cloneJson,
  DASH,
  ENTRY,
  GIVE_UP,
  giveUp,
  HASH,
  isFlowIndicator,
  isSep,
  LOWER_WORDS,
  NL,
  plainKey,
  plainValue,
  SPACE,
} from './fast-yaml-text.js';
import { MAYBE_NOT_STRING } from './kubectl-scalars.js';
import type { JsonValue } from './model.js';
import { duplicateKeyMessage } from './yaml-tree.js';

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

/** Characters the reader does not handle anywhere: tabs, CR (CRLF files), a BOM, YAML 1.1 breaks. */
const UNHANDLED = /[\t\r\uFEFF\u2028\u2029]/;

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
class Reader extends ScalarReader {
  private anchors = new Map<string, Anchored>();
  /** What each anchored node of the document measures, by node number (what its aliases add). */
  private measured = new Map<number, Measure>();
  /** The number of the document's first node: the nodes written since are the alias budget's. */
  private docStart = 0;
  /** Nodes the aliases of the document add (a copy of what each names, less the alias). */
  private added = 0;
  private duplicates: { offset: number; message: string }[] = [];

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
        // Not on ENTRY's way: keys starting with a-z never reorder a JSON object's keys. (The
        // test here: a call per key costs more in V8's first tiers.)
        if (c < 64) pos.lowKey(self);
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
          if (c < 64) pos.lowKey(self);
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
