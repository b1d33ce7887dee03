// Answers "where in the file is this path?" by walking the yaml library's syntax tree on demand.
// Walking per query keeps loading cheap: positions are only needed when something is reported.
import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Pair, Scalar } from 'yaml';
import type { SourcePos } from '../diagnostics.js';
import { describeGoScalar, jsonKeyOf } from './kubectl-scalars.js';
import type { DocPath, Locator } from './model.js';
import { nodeStart } from './node-start.js';
import { goScalarOf } from './yaml-tree.js';

interface Resolved {
  /** Whether the whole path exists; otherwise `node`/`key` are those of the deepest existing ancestor. */
  readonly found: boolean;
  readonly node: unknown;
  /** The key node of the map entry that holds `node`, if it sits in a map. */
  readonly key: unknown;
}

const MERGE_KEY = '<<';

export class YamlLocator implements Locator {
  readonly file: string;
  readonly #text: string;
  readonly #doc: Document.Parsed;
  readonly #lines: LineCounter;

  constructor(file: string, text: string, doc: Document.Parsed, lines: LineCounter) {
    this.file = file;
    this.#text = text;
    this.#doc = doc;
    this.#lines = lines;
  }

  at(path: DocPath, part: 'key' | 'value' = 'value'): SourcePos {
    const r = this.#resolve(path);
    if (!r.found) return this.#pos(nodeStart(r.key) ?? nodeStart(r.node) ?? this.#docStart());
    if (part === 'key') return this.#pos(nodeStart(r.key) ?? nodeStart(r.node) ?? this.#docStart());
    return this.#pos(nodeStart(r.node) ?? nodeStart(r.key) ?? this.#docStart());
  }

  inString(path: DocPath, offset: number): SourcePos {
    const r = this.#resolve(path);
    if (!r.found || !isScalar(r.node) || typeof r.node.value !== 'string' || !r.node.range) {
      return this.at(path);
    }
    const [start, end] = r.node.range;
    const source = this.#text.slice(start, end);
    const at = sourceOffset(r.node.type, source, r.node.value, offset);
    return this.#pos(at === undefined ? start : start + at);
  }

  readAs(path: DocPath): string | undefined {
    const r = this.#resolve(path);
    const node = r.found ? this.#deref(r.node) : undefined;
    if (!isScalar(node) || node.type !== Scalar.PLAIN || typeof node.source !== 'string') return undefined;
    const go = goScalarOf(node);
    return 'refused' in go ? undefined : `${node.source} reads as ${describeGoScalar(go)}`;
  }

  #docStart(): number {
    return this.#doc.range?.[0] ?? 0;
  }

  #pos(offset: number): SourcePos {
    const lp = this.#lines.linePos(offset);
    return { file: this.file, line: lp.line, col: lp.col };
  }

  #deref(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.#doc) : node;
  }

  #resolve(path: DocPath): Resolved {
    let node: unknown = this.#doc.contents;
    let key: unknown;
    for (const segment of path) {
      const container = this.#deref(node);
      let next: { node: unknown; key: unknown } | undefined;
      if (isMap(container)) {
        const pair = this.#findPair(container.items, String(segment));
        if (pair) next = { node: pair.value, key: pair.key };
      } else if (isSeq(container) && typeof segment === 'number') {
        if (segment >= 0 && segment < container.items.length)
          next = { node: container.items[segment], key: undefined };
      }
      if (!next) return { found: false, node, key };
      node = next.node;
      key = next.key;
    }
    return { found: true, node, key };
  }

  // Per map, the first entry of each key: reporting positions for every expression of a large RGD
  // looked each key up by scanning and re-reading every key before it.
  readonly #keyIndex = new WeakMap<readonly Pair[], Map<string, Pair>>();

  #direct(items: readonly Pair[], name: string): Pair | undefined {
    let index = this.#keyIndex.get(items);
    if (!index) {
      index = new Map();
      for (const p of items) {
        if (isMergeKey(p.key)) continue;
        const k = keyText(p.key);
        if (k !== undefined && !index.has(k)) index.set(k, p);
      }
      this.#keyIndex.set(items, index);
    }
    return index.get(name);
  }

  /** The entry for `name`, looking through `<<` merge keys the way YAML 1.1 merges do. */
  #findPair(items: readonly Pair[], name: string, depth = 0): Pair | undefined {
    const direct = this.#direct(items, name);
    if (direct || depth > 8) return direct;
    for (const p of items) {
      if (!isMergeKey(p.key)) continue;
      const value = this.#deref(p.value);
      const sources = isSeq(value) ? value.items.map((i) => this.#deref(i)) : [value];
      for (const source of sources) {
        if (!isMap(source)) continue;
        const found = this.#findPair(source.items as Pair[], name, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  }
}

/** The JSON key a key node became when loaded (see yaml-tree.ts); undefined for refused keys. */
function keyText(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  const go = goScalarOf(key);
  if ('refused' in go) return undefined;
  const k = jsonKeyOf(go);
  return 'key' in k ? k.key : undefined;
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (key.value === MERGE_KEY || key.source === MERGE_KEY) && key.type === Scalar.PLAIN;
}

/**
 * Offset inside `source` (the scalar as written) of character `offset` of its value, or undefined
 * when the scalar's layout is too irregular to map (multi-line flow scalars, folded blocks).
 */
export function sourceOffset(
  type: Scalar.Type | undefined,
  source: string,
  value: string,
  offset: number,
): number | undefined {
  const want = Math.max(0, Math.min(offset, value.length));
  switch (type) {
    case Scalar.PLAIN:
      return source.includes('\n') ? undefined : want;
    case Scalar.QUOTE_SINGLE:
      return source.includes('\n') ? undefined : singleQuotedOffset(source, want);
    case Scalar.QUOTE_DOUBLE:
      return source.includes('\n') ? undefined : doubleQuotedOffset(source, want);
    case Scalar.BLOCK_LITERAL:
      return literalBlockOffsets(source, value, [want])[0];
    default:
      return undefined;
  }
}

function singleQuotedOffset(source: string, want: number): number {
  let i = 1;
  for (let n = 0; n < want && i < source.length - 1; n++) i += source.startsWith("''", i) ? 2 : 1;
  return i;
}

/** Length in the source of the escape sequence at `i`, and how many UTF-16 units it decodes to. */
function escapeAt(source: string, i: number): { srcLen: number; units: number } {
  const c = source[i + 1];
  if (c === 'x') return { srcLen: 4, units: 1 };
  if (c === 'u') return { srcLen: 6, units: 1 };
  if (c === 'U') {
    const cp = Number.parseInt(source.slice(i + 2, i + 10), 16);
    return { srcLen: 10, units: Number.isFinite(cp) && cp > 0xffff ? 2 : 1 };
  }
  return { srcLen: 2, units: 1 };
}

function doubleQuotedOffset(source: string, want: number): number {
  let i = 1;
  let n = 0;
  while (n < want && i < source.length - 1) {
    if (source[i] === '\\') {
      const { srcLen, units } = escapeAt(source, i);
      // A character inside a surrogate pair written as one escape maps to the escape's start.
      if (n + units > want) return i;
      i += srcLen;
      n += units;
    } else {
      i++;
      n++;
    }
  }
  return i;
}

/**
 * The offset inside `source` (a literal block as written, from its `|`) of each of `offsets`
 * (ascending) of its text `value`, or undefined where the block cannot be mapped. One pass over
 * the block's lines for all the offsets: a block holding many expressions (a policy, a script) is
 * asked for each of them, and walking it from its start for each was quadratic.
 * `lines`, if given, gets two numbers per offset: the number of line breaks in `source` before it
 * and where in `source` its line starts (0 and 0 where it is undefined), so that a caller that
 * knows the block's line needs no line count of its own.
 */
export function literalBlockOffsets(
  source: string,
  value: string,
  offsets: readonly number[],
  lines?: number[],
): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  const headerEnd = source.indexOf('\n');
  // An explicit indentation indicator (`|2`) would need the parent's indent; not worth it here.
  const indent =
    headerEnd < 0 || /\d/.test(source.slice(0, headerEnd))
      ? undefined
      : firstTextIndent(source, headerEnd + 1);
  // The source line and the text line the walk is at: the block's lines are its text's, indented.
  let lineStart = headerEnd + 1;
  let valueStart = 0;
  // Line breaks in `source` before lineStart.
  let line = 1;
  for (let k = 0; k < offsets.length; k++) {
    const want = Math.max(0, Math.min(offsets[k] as number, value.length));
    let at: number | undefined;
    while (indent !== undefined && lineStart <= source.length && valueStart <= value.length) {
      const lineEnd = endOfLine(source, lineStart);
      const valueEnd = endOfLine(value, valueStart);
      if (want <= valueEnd) {
        at = lineStart + Math.min(indent, lineEnd - lineStart) + want - valueStart;
        break;
      }
      lineStart = lineEnd + 1;
      valueStart = valueEnd + 1;
      line++;
    }
    out.push(at);
    if (lines !== undefined) {
      if (at === undefined) lines.push(0, 0);
      else lines.push(line, lineStart);
    }
  }
  return out;
}

/** The indentation of the first line from `from` on that is not blank. */
function firstTextIndent(source: string, from: number): number | undefined {
  for (let start = from; start <= source.length; ) {
    const end = endOfLine(source, start);
    const line = source.slice(start, end);
    if (line.trim() !== '') return line.length - line.trimStart().length;
    start = end + 1;
  }
  return undefined;
}

function endOfLine(text: string, from: number): number {
  const at = text.indexOf('\n', from);
  return at < 0 ? text.length : at;
}
