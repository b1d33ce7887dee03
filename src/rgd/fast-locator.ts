// Positions for documents read by fast-yaml.ts: the same answers YamlLocator (locator.ts) gives
// for the yaml library's tree of the same text, from fast-yaml's smaller position tree.
import { isScalar, LineCounter, parseDocument } from 'yaml';
import type { SourcePos } from '../diagnostics.js';
import type { FastMap, FastNode, FastScalar } from './fast-yaml.js';
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
  readonly node: FastNode;
  readonly key: FastScalar | undefined;
}

export class FastLocator implements Locator {
  readonly file: string;
  readonly #text: string;
  readonly #root: FastNode;
  readonly #lines: LazyLines;

  constructor(file: string, text: string, root: FastNode, lines: LazyLines) {
    this.file = file;
    this.#text = text;
    this.#root = root;
    this.#lines = lines;
  }

  at(path: DocPath, part: 'key' | 'value' = 'value'): SourcePos {
    const r = this.#resolve(path);
    if (!r.found || part === 'key') return this.#pos(r.key?.start ?? r.node.start);
    return this.#pos(r.node.start);
  }

  inString(path: DocPath, offset: number): SourcePos {
    const r = this.#resolve(path);
    const node = r.node;
    if (!r.found || node.kind !== 'scalar' || !libraryReadsString(node)) return this.at(path);
    const source = this.#text.slice(node.start, node.end);
    const at = sourceOffset(node.style, source, node.text, offset);
    return this.#pos(at === undefined ? node.start : node.start + at);
  }

  readAs(path: DocPath): string | undefined {
    const r = this.#resolve(path);
    const node = r.found ? deref(r.node) : undefined;
    if (node?.kind !== 'scalar' || node.style !== 'PLAIN') return undefined;
    return `${node.text} reads as ${describeGoScalar(resolvePlainScalar(node.text))}`;
  }

  #pos(offset: number): SourcePos {
    const lp = this.#lines.linePos(offset);
    return { file: this.file, line: lp.line, col: lp.col };
  }

  #resolve(path: DocPath): Resolved {
    let node = this.#root;
    let key: FastScalar | undefined;
    for (const segment of path) {
      const container = deref(node);
      let next: { node: FastNode; key: FastScalar | undefined } | undefined;
      if (container.kind === 'map') {
        next = this.#findEntry(container, String(segment), 0);
      } else if (container.kind === 'seq' && typeof segment === 'number') {
        const item = container.items[segment];
        if (segment >= 0 && item) next = { node: item, key: undefined };
      }
      if (!next) return { found: false, node, key };
      node = next.node;
      key = next.key;
    }
    return { found: true, node, key };
  }

  readonly #keyIndex = new WeakMap<FastMap, Map<string, number>>();

  /** The entry for `name`, looking through `<<` merges as YamlLocator does. */
  #findEntry(map: FastMap, name: string, depth: number): { node: FastNode; key: FastScalar } | undefined {
    let index = this.#keyIndex.get(map);
    if (!index) {
      index = new Map();
      map.keys.forEach((k, i) => {
        const text = isMergeKey(k) ? undefined : keyText(k);
        if (text !== undefined && !index?.has(text)) index?.set(text, i);
      });
      this.#keyIndex.set(map, index);
    }
    const i = index.get(name);
    if (i !== undefined) return { node: map.values[i] as FastNode, key: map.keys[i] as FastScalar };
    if (depth > 8) return undefined;
    for (let j = 0; j < map.keys.length; j++) {
      if (!isMergeKey(map.keys[j] as FastScalar)) continue;
      const value = deref(map.values[j] as FastNode);
      const sources = value.kind === 'seq' ? value.items.map(deref) : [value];
      for (const source of sources) {
        if (source.kind !== 'map') continue;
        const found = this.#findEntry(source, name, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  }
}

function deref(node: FastNode): FastNode {
  return node.kind === 'alias' ? node.target : node;
}

function isMergeKey(key: FastScalar): boolean {
  return key.style === 'PLAIN' && key.text === '<<';
}

function keyText(key: FastScalar): string | undefined {
  if (key.style !== 'PLAIN') return key.text;
  const k = jsonKeyOf(resolvePlainScalar(key.text));
  return 'key' in k ? k.key : undefined;
}

/** Plain scalars the yaml library's YAML 1.1 schema may read as something else than a string. */
const MAYBE_NOT_STRING = /^[-+.:_~0-9A-Za-z]+$/;
const libraryStrings = new Map<string, boolean>();

/**
 * Whether the yaml library reads `node` as a string (YamlLocator maps offsets only into those). It
 * differs from kubectl in corners (`1:20` is a number to it), so ask it, for the few plain
 * scalars made only of the characters its numbers, booleans and nulls use.
 */
function libraryReadsString(node: FastScalar): boolean {
  if (node.style !== 'PLAIN') return true;
  if (node.text === '') return false;
  if (!MAYBE_NOT_STRING.test(node.text)) return true;
  let known = libraryStrings.get(node.text);
  if (known === undefined) {
    const doc = parseDocument(node.text, PARSE_OPTIONS);
    known = isScalar(doc.contents) && typeof doc.contents.value === 'string';
    if (libraryStrings.size < 10_000) libraryStrings.set(node.text, known);
  }
  return known;
}
