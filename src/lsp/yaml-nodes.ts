// The YAML syntax tree of an editor's document, for "what is at this offset?" and "where is this
// path?". Parsed with the same YAML 1.1 reading the loader uses (document indexes agree with
// parseYamlFile's), kept as the library's nodes so every key and value has its source range.
import {
  Composer,
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  Parser,
  Scalar,
} from 'yaml';
import { sourceOffset } from '../rgd/locator.js';
import type { DocPath } from '../rgd/model.js';

export type YamlDocs = readonly Document.Parsed[];

export function parseYamlDocs(text: string): YamlDocs {
  const lines = new LineCounter();
  const tokens = new Parser(lines.addNewLine).parse(text);
  return Array.from(
    new Composer({ version: '1.1', uniqueKeys: false, logLevel: 'silent' }).compose(tokens),
  ) as Document.Parsed[];
}

/** A node an offset falls on. */
export interface Hit {
  readonly docIndex: number;
  /** Path of the value (for a key: of the value it names). */
  readonly path: DocPath;
  readonly part: 'key' | 'value';
  /** The scalar under the offset, if it is on one (a key or a scalar value). */
  readonly scalar?: Scalar;
}

const rangeOf = (n: unknown): readonly number[] | undefined =>
  n && typeof n === 'object' && 'range' in n
    ? ((n as { range?: number[] | null }).range ?? undefined)
    : undefined;

function contains(n: unknown, offset: number): boolean {
  const r = rangeOf(n);
  if (r === undefined) return false;
  // A collection's range runs up to the next key; the cursor at the end of a scalar is still on it.
  return (r[0] as number) <= offset && (isScalar(n) ? offset <= (r[1] as number) : offset < (r[1] as number));
}

function keyName(k: unknown): string {
  return isScalar(k) ? String(k.value) : '';
}

/** The deepest key or value at `offset`. */
export function hitAt(docs: YamlDocs, offset: number): Hit | undefined {
  for (const [docIndex, doc] of docs.entries()) {
    const r = doc.range;
    if (offset < r[0] || offset > r[2]) continue;
    return descend(doc.contents, offset, docIndex, []) ?? { docIndex, path: [], part: 'value' };
  }
  return undefined;
}

function descend(node: unknown, offset: number, docIndex: number, path: DocPath): Hit | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (contains(pair.key, offset) && isScalar(pair.key))
        return { docIndex, path: [...path, keyName(pair.key)], part: 'key', scalar: pair.key };
    }
    for (const pair of node.items) {
      const p = [...path, keyName(pair.key)];
      if (contains(pair.value, offset)) {
        return descend(pair.value, offset, docIndex, p) ?? { docIndex, path: p, part: 'value' };
      }
    }
    return undefined;
  }
  if (isSeq(node)) {
    for (const [i, item] of node.items.entries()) {
      if (contains(item, offset))
        return (
          descend(item, offset, docIndex, [...path, i]) ?? { docIndex, path: [...path, i], part: 'value' }
        );
    }
    return undefined;
  }
  if (isScalar(node) && contains(node, offset)) return { docIndex, path, part: 'value', scalar: node };
  return undefined;
}

/** The node at `path` in a document, and the key node naming it. */
export function nodeAt(doc: Document.Parsed, path: DocPath): { node?: Node; key?: Scalar } {
  let node: unknown = doc.contents;
  let key: Scalar | undefined;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => keyName(p.key) === String(seg));
      if (!pair) return {};
      key = isScalar(pair.key) ? pair.key : undefined;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      key = undefined;
    } else return {};
  }
  return { ...(node ? { node: node as Node } : {}), ...(key ? { key } : {}) };
}

/** Source offsets [start, end) of a node. */
export function nodeRange(n: unknown): [number, number] | undefined {
  const r = rangeOf(n);
  return r ? [r[0] as number, r[1] as number] : undefined;
}

/** Every string scalar value below `path`, with its path. */
export function forEachString(doc: Document.Parsed, visit: (path: DocPath, s: Scalar) => void): void {
  const walk = (n: unknown, path: DocPath): void => {
    if (isMap(n)) for (const p of n.items) walk(p.value, [...path, keyName(p.key)]);
    else if (isSeq(n)) for (const [i, item] of n.items.entries()) walk(item, [...path, i]);
    else if (isPair(n)) walk(n.value, path);
    else if (isScalar(n) && typeof n.value === 'string') visit(path, n);
  };
  walk(doc.contents, []);
}

/** The source text of a scalar and where it starts. */
function source(text: string, s: Scalar): { start: number; src: string } | undefined {
  const r = nodeRange(s);
  return r ? { start: r[0], src: text.slice(r[0], r[1]) } : undefined;
}

const SPACE = /\s/;

/**
 * Where each character of a block scalar's (or multi-line plain scalar's) value is written, for
 * the layouts the loader's mapping leaves out (folded blocks, `|2`, plain scalars over several
 * lines): such a value holds the same non-space characters as its source body, in order (no
 * escapes, no comments), so they pair up one to one; a space or line break of the value sits just
 * after the character before it. Index `value.length` is the end.
 */
function alignedOffsets(src: string, value: string, block: boolean): number[] | undefined {
  let i = block ? src.indexOf('\n') + 1 : 0;
  if (block && i === 0) return undefined;
  const out: number[] = [];
  let after = i;
  for (const c of value) {
    if (SPACE.test(c)) {
      out.push(after);
      // Spaces written as spaces on the same line step along with the value's.
      if (src[after] === ' ' || src[after] === '\t') after++;
      continue;
    }
    while (i < src.length && !src.startsWith(c, i)) i++;
    if (i >= src.length) return undefined;
    // A character outside the BMP is two UTF-16 units in both strings.
    for (let u = 0; u < c.length; u++) out.push(i + u);
    i += c.length;
    after = i;
  }
  out.push(after);
  return out;
}

const aligned = new WeakMap<Scalar, { src: string; offsets: number[] | undefined }>();

/** Offset inside the scalar's source of character `i` of its value. */
function offsetInSource(s: Scalar, src: string, i: number): number | undefined {
  const value = s.value as string;
  const type = s.type ?? Scalar.PLAIN;
  const direct = sourceOffset(type, src, value, i);
  if (direct !== undefined) return direct;
  const block = type === Scalar.BLOCK_FOLDED || type === Scalar.BLOCK_LITERAL;
  if (!block && type !== Scalar.PLAIN) return undefined;
  let hit = aligned.get(s);
  if (hit?.src !== src) {
    hit = { src, offsets: alignedOffsets(src, value, block) };
    aligned.set(s, hit);
  }
  return hit.offsets?.[Math.max(0, Math.min(i, value.length))];
}

/** The document offset of character `i` of a string scalar's value. */
export function valueToOffset(text: string, s: Scalar, i: number): number | undefined {
  const at = source(text, s);
  if (!at || typeof s.value !== 'string') return undefined;
  const o = offsetInSource(s, at.src, i);
  return o === undefined ? undefined : at.start + o;
}

/** Which character of a string scalar's value sits at document offset `offset` (the last one at or before it). */
export function offsetToValue(text: string, s: Scalar, offset: number): number | undefined {
  const at = source(text, s);
  if (!at || typeof s.value !== 'string') return undefined;
  const value = s.value;
  let found: number | undefined;
  for (let i = 0; i <= value.length; i++) {
    const o = offsetInSource(s, at.src, i);
    if (o === undefined) return undefined;
    if (at.start + o > offset) break;
    found = i;
  }
  return found;
}
