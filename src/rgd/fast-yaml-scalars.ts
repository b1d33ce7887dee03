// The fast YAML reader's lines and scalars (fast-yaml.ts reads the collections): where the next
// line with content is, plain and quoted scalars, and literal and folded blocks. A base class of
// the reader, so that each file holds one concept; its members are TypeScript `protected`, plain
// properties at run time, for the reason fast-yaml.ts gives for `private`.
import {
  BLOCK_FOLDED,
  BLOCK_LITERAL,
  FastPositions,
  PLAIN,
  QUOTE_DOUBLE,
  QUOTE_SINGLE,
} from './fast-positions.js';
import {
  COLON,
  charCodes,
  DASH,
  DOUBLE_RUN,
  FLOW_PLAIN_RUN,
  foldQuoted,
  giveUp,
  HASH,
  isFlowIndicator,
  isSep,
  LINE_BREAKS_INDENTED,
  LITERAL_BODY,
  lineBreakIndented,
  NL,
  NOT_PLAIN_START,
  PLAIN_RUN,
  plainValue,
  SINGLE_RUN,
  SPACE,
  SPACES,
  unescapeDouble,
  unescapeSingle,
} from './fast-yaml-text.js';
import type { JsonValue } from './model.js';

/** How far the fast reader goes before it leaves a file to the full loader (yaml.ts's limits). */
export interface FastLimits {
  readonly maxAliasNodes: number;
  readonly maxAliasRatio: number;
  readonly maxDepth: number;
}

export abstract class ScalarReader {
  protected readonly t: string;
  /** The character codes of `t` (an array read costs less than a charCodeAt call in V8's first tiers). */
  protected readonly codes: Uint8Array | Uint16Array;
  protected readonly n: number;
  protected readonly limits: FastLimits;
  /** limits.maxDepth, read once (`node` checks it at every node). */
  protected readonly maxDepth: number;
  /** Start of the line being read. */
  protected i = 0;
  // Set by `peekLine`: the next line with content. Its indentation is -1 when there is no more
  // content in this document (end of text or a `---`): a test less in the loops that ask both.
  protected indent = -1;
  protected content = 0;
  /** The `i` `peekLine` last started from (and left `i` at): the start of the line it found. */
  protected peekedAt = -1;
  /** The value of the last node read, beside the node itself (no tuple per node). */
  protected value: JsonValue = null;
  /** After a flow node or a quoted scalar: the offset just past it. */
  protected after = 0;
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

  /**
   * Skips blank and comment lines from `i`; sets `indent` and `content` for the next one.
   * Its answer depends on `i` alone, so a second call from the same `i` returns at once (a plain
   * scalar peeks at the next line to see whether it goes on there, then its collection does).
   */
  protected peekLine(): void {
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
  protected set(lineStart: number, content: number, indent: number): void {
    this.i = lineStart;
    this.peekedAt = lineStart;
    this.content = content;
    this.indent = indent;
  }

  /** `---` or `...` at `p` followed by a separator. */
  protected isMarker(p: number): boolean {
    const b = this.codes;
    const c = b[p] as number;
    return (b[p + 1] as number) === c && (b[p + 2] as number) === c && isSep(b[p + 3] as number);
  }

  /** From `p`: spaces, maybe a comment, then a line break (or the end); returns the next line's start. */
  protected restOfLine(p: number): number {
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

  /**
   * Where a plain scalar's line from `p` stops: at a `:` followed by a separator (in flow
   * context, `flow`, also by a flow indicator), the `#` of a comment, a line break, the end of
   * the text, or in flow context a flow indicator.
   */
  protected plainStop(p: number, flow: boolean): number {
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
  protected plainStart(p: number, flow: boolean): boolean {
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

  protected empty(at: number): number {
    this.value = null;
    return this.positions.addPlain(at, at);
  }

  /**
   * A plain scalar whose first line ends at `end`, maybe continued on lines indented past
   * `parent`: the lines are folded (one line break becomes a space, n empty lines n breaks).
   */
  protected plainLines(start: number, end: number, parent: number): number {
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
  protected plain(start: number, end: number, text: string): number {
    this.value = plainValue(text);
    if (text.length === end - start) return this.positions.addPlain(start, end);
    return this.positions.addText(PLAIN, start, end, text);
  }

  /** `|` or `>` with an optional `-`; content lines more indented than `parent`. */
  protected block(p: number, parent: number): number {
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

  /**
   * Offset just past the closing quote of the quoted scalar at `p`, or -1. With `parent` (the
   * indentation of the enclosing block collection) it may span lines indented past it.
   */
  protected quotedEnd(p: number, parent?: number): number {
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
  protected quoted(p: number, parent?: number): number {
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
}
