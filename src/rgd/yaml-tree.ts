// From the yaml library's node tree to JSON in two passes, each linear in the nodes as written.
//
// 1. `inspect` walks the tree once: it finds duplicate map keys (one Set of JSON keys per map),
//    resolves every alias to its anchor, and counts how many nodes each alias stands for (memoised
//    per anchored node), so an alias bomb is measured without being expanded.
// 2. `toJson` builds the JSON value, following aliases through the table the first pass built.
//
// The library's own duplicate-key check compares each key with every earlier key of its map, and
// its alias resolution scans all earlier anchors and aliases for each alias: both quadratic, so
// both are bypassed (the composer runs with `uniqueKeys: false`, and `toJS` is never called).
import {
  type Alias,
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Pair,
  type Scalar,
  YAMLMap,
  YAMLSeq,
} from 'yaml';
import { excerpt } from '../diagnostics.js';
import { int64Overflow } from './int64.js';
import type { JsonValue } from './model.js';

export interface TreeProblem {
  /** Offset in the file text. */
  readonly offset: number;
  readonly code: string;
  readonly message: string;
}

export interface AliasLimits {
  /** Nodes that alias expansion may add to any document. */
  readonly maxAliasNodes: number;
  /** Larger documents may grow by this many times their written node count instead. */
  readonly maxAliasRatio: number;
  /** Deepest nesting of maps and lists, also once aliases are expanded. */
  readonly maxDepth: number;
}

/** Counts the work of both passes: one step per node visited, key looked up or value built. */
export interface TreeStats {
  steps: number;
}

export interface Inspection {
  /** Keys repeated within one map (every occurrence after the first), in document order. */
  readonly duplicates: TreeProblem[];
  /** Aliases without an anchor, recursive aliases, and expansion beyond the limits. */
  readonly aliasProblems: TreeProblem[];
  /** Nodes as written: scalars, maps, lists and aliases. */
  readonly writtenNodes: number;
  /** Nodes once every alias is replaced by a copy of what it names. */
  readonly expandedNodes: number;
}

const UNSUPPORTED_TAG = 'unsupported YAML value: binary, set and ordered-map tags have no JSON form';

function startOf(node: unknown): number {
  const range = (node as { range?: readonly number[] | null } | null)?.range;
  return range && typeof range[0] === 'number' ? range[0] : 0;
}

/** A `<<` key the YAML 1.1 merge tag resolved (quoted `"<<"` stays an ordinary string key). */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol';
}

/** The JSON key a scalar key becomes (as the yaml library and sigs.k8s.io/yaml spell them). */
function scalarKey(value: unknown): string | undefined {
  if (value === null || value === undefined) return '';
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
      return String(value);
    case 'bigint':
      return String(Number(value));
    default:
      return undefined; // binary, merge symbols: no plain spelling
  }
}

function duplicateMessage(written: string): string {
  return written === ''
    ? 'duplicate key (map keys must be unique)'
    : `duplicate key ${JSON.stringify(written)} (map keys must be unique)`;
}

interface Measure {
  /** Expanded node count. */
  readonly size: number;
  /** Levels of maps and lists, once expanded (0 for a scalar). */
  readonly depth: number;
}

export class YamlTree {
  readonly #doc: Document.Parsed;
  readonly #limits: AliasLimits;
  readonly #stats: TreeStats;
  readonly #anchors = new Map<string, unknown>();
  readonly #targets = new Map<Alias, unknown>();
  /** Anchored nodes, once walked. */
  readonly #measured = new Map<unknown, Measure>();
  /** Anchored nodes being walked: an alias to one of them is recursive. */
  readonly #open = new Set<unknown>();
  #written = 0;
  #added = 0;
  #deepest = 0;
  #tooDeep = false;
  /** Aliases after which the added node count exceeded `maxAliasNodes`, with that count. */
  readonly #overFloor: { alias: Alias; added: number }[] = [];
  readonly #duplicates: TreeProblem[] = [];
  readonly #aliasProblems: TreeProblem[] = [];

  constructor(doc: Document.Parsed, limits: AliasLimits, stats: TreeStats = { steps: 0 }) {
    this.#doc = doc;
    this.#limits = limits;
    this.#stats = stats;
  }

  inspect(): Inspection {
    const size = this.#visit(this.#doc.contents, 0);
    const allowed = Math.max(this.#limits.maxAliasNodes, this.#limits.maxAliasRatio * this.#written);
    const crossing = this.#overFloor.find((o) => o.added > allowed);
    if (crossing) {
      this.#aliasProblems.push({
        offset: startOf(crossing.alias),
        code: 'yaml/alias-limit',
        message: `alias *${crossing.alias.source} expands the document past ${allowed} added nodes (the limit for ${this.#written} written nodes); refusing a possible YAML alias bomb`,
      });
    }
    this.#aliasProblems.sort((a, b) => a.offset - b.offset);
    return {
      duplicates: this.#duplicates,
      aliasProblems: this.#aliasProblems,
      writtenNodes: this.#written,
      expandedNodes: size,
    };
  }

  /** The document as JSON. Only after `inspect` found no alias problems. */
  toJson(): { value: JsonValue; problems: TreeProblem[] } {
    const problems: TreeProblem[] = [];
    const seen = new Set<string>();
    const report = (node: unknown, code: string, message: string) => {
      const offset = startOf(node);
      // A problem inside an anchored node is met again through each alias: report it once.
      const id = `${offset}\u0000${message}`;
      if (seen.has(id)) return;
      seen.add(id);
      problems.push({ offset, code, message });
    };
    const value = this.#convert(this.#doc.contents, report);
    return { value, problems };
  }

  // ---- pass 1 ----

  /** Walks `node` (inside `level` maps and lists); returns its expanded node count. */
  #visit(node: unknown, level: number): number {
    this.#stats.steps++;
    if (node === null || node === undefined) return 0;
    if (isAlias(node)) return this.#visitAlias(node, level);
    this.#written++;
    const anchor = (node as { anchor?: string }).anchor;
    if (!anchor) return this.#visitContent(node, level);
    this.#anchors.set(anchor, node);
    this.#open.add(node);
    const outer = this.#deepest;
    this.#deepest = level;
    const size = this.#visitContent(node, level);
    this.#measured.set(node, { size, depth: this.#deepest - level });
    this.#deepest = Math.max(outer, this.#deepest);
    this.#open.delete(node);
    return size;
  }

  #visitContent(node: unknown, level: number): number {
    if (isMap(node)) return 1 + this.#visitPairs(node.items as Pair[], level + 1);
    if (isSeq(node)) {
      const inner = level + 1;
      if (inner > this.#deepest) this.#deepest = inner;
      let size = 1;
      for (const item of node.items) {
        if (isPair(item)) {
          // `!!pairs`: each pair becomes a one-entry map.
          this.#written++;
          size += 1 + this.#visitPairs([item], inner + 1);
        } else size += this.#visit(item, inner);
      }
      return size;
    }
    return 1;
  }

  /** The entries of one map, at `level`; checks that their keys are unique. */
  #visitPairs(items: readonly Pair[], level: number): number {
    if (level > this.#deepest) this.#deepest = level;
    const keys = new Set<string>();
    let size = 0;
    for (const pair of items) {
      size += this.#visit(pair.key, level);
      size += this.#visit(pair.value, level);
      if (isMergeKey(pair.key)) continue;
      const name = this.#plainKey(pair.key);
      this.#stats.steps++;
      if (name === undefined) continue;
      if (keys.has(name)) {
        const written = isScalar(pair.key) && typeof pair.key.source === 'string' ? pair.key.source : name;
        this.#duplicates.push({
          offset: startOf(pair.key),
          code: 'yaml/duplicate-key',
          message: duplicateMessage(written),
        });
      } else keys.add(name);
    }
    return size;
  }

  #visitAlias(alias: Alias, level: number): number {
    this.#written++;
    const target = this.#anchors.get(alias.source);
    if (target === undefined) {
      this.#aliasProblems.push({
        offset: startOf(alias),
        code: 'yaml/syntax',
        message: `alias *${alias.source} has no anchor &${alias.source} before it`,
      });
      return 1;
    }
    if (this.#open.has(target)) {
      this.#aliasProblems.push({
        offset: startOf(alias),
        code: 'yaml/unsupported-value',
        message: `alias *${alias.source} is inside the node it refers to: a recursive structure has no JSON form`,
      });
      return 1;
    }
    this.#targets.set(alias, target);
    const m = this.#measured.get(target) as Measure;
    this.#added += m.size - 1;
    if (this.#added > this.#limits.maxAliasNodes) this.#overFloor.push({ alias, added: this.#added });
    const reach = level + m.depth;
    if (reach > this.#deepest) this.#deepest = reach;
    if (reach > this.#limits.maxDepth && !this.#tooDeep) {
      this.#tooDeep = true;
      this.#aliasProblems.push({
        offset: startOf(alias),
        code: 'yaml/too-deep',
        message: `alias *${alias.source} nests the document more than ${this.#limits.maxDepth} levels deep once expanded`,
      });
    }
    return m.size;
  }

  /** The JSON key of a scalar key or an alias of one; undefined for other keys. */
  #plainKey(key: unknown): string | undefined {
    const k = isAlias(key) ? this.#targets.get(key) : key;
    if (k === null || k === undefined) return isAlias(key) ? undefined : '';
    return isScalar(k) ? scalarKey(k.value) : undefined;
  }

  // ---- pass 2 ----

  #deref(node: unknown): unknown {
    return isAlias(node) ? this.#targets.get(node) : node;
  }

  #convert(node: unknown, report: (node: unknown, code: string, message: string) => void): JsonValue {
    this.#stats.steps++;
    const n = this.#deref(node);
    if (n === null || n === undefined) return null;
    if (isScalar(n)) return this.#scalar(n, report);
    if (isMap(n)) {
      if (n.constructor !== YAMLMap) {
        report(n, 'yaml/unsupported-value', UNSUPPORTED_TAG);
        return null;
      }
      return this.#object(n.items as Pair[], report, {});
    }
    if (isSeq(n)) {
      if (n.constructor !== YAMLSeq) {
        report(n, 'yaml/unsupported-value', UNSUPPORTED_TAG);
        return null;
      }
      return n.items.map((item) =>
        isPair(item) ? this.#object([item], report, {}) : this.#convert(item, report),
      );
    }
    report(n, 'yaml/unsupported-value', `unsupported YAML value of type ${typeof n}`);
    return null;
  }

  #scalar(node: Scalar, report: (node: unknown, code: string, message: string) => void): JsonValue {
    const v = node.value;
    if (v === null || v === undefined) return null;
    if (typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number' || typeof v === 'bigint') {
      const num = Number(v);
      const overflow = int64Overflow(num, node.source);
      if (overflow !== undefined) {
        report(
          node,
          'yaml/int64-overflow',
          `integer ${excerpt(overflow)} is outside int64, the range of Kubernetes integers`,
        );
        return null;
      }
      if (Number.isFinite(num)) return num;
      report(node, 'yaml/unsupported-value', `${num} cannot be represented in JSON`);
      return null;
    }
    if (v instanceof Uint8Array || v instanceof Date) {
      report(node, 'yaml/unsupported-value', UNSUPPORTED_TAG);
      return null;
    }
    report(node, 'yaml/unsupported-value', `unsupported YAML value of type ${typeof v}`);
    return null;
  }

  /** Adds the entries of a map to `out`: later keys win, merged ones only fill gaps (YAML 1.1). */
  #object(
    items: readonly Pair[],
    report: (node: unknown, code: string, message: string) => void,
    out: { [key: string]: JsonValue },
  ): { [key: string]: JsonValue } {
    for (const pair of items) {
      this.#stats.steps++;
      if (isMergeKey(pair.key)) {
        this.#merge(pair.value, report, out);
        continue;
      }
      const name = this.#plainKey(pair.key) ?? this.#spelledKey(pair.key);
      const value = this.#convert(pair.value, report);
      // The prototype key is dropped, as it always was (docs/codegen.md, Limits).
      if (name !== '__proto__') out[name] = value;
    }
    return out;
  }

  #merge(
    value: unknown,
    report: (node: unknown, code: string, message: string) => void,
    out: { [key: string]: JsonValue },
  ): void {
    const source = this.#deref(value);
    const sources = isSeq(source)
      ? source.items.map((i) => ({ at: i, node: this.#deref(i) }))
      : [{ at: value, node: source }];
    for (const s of sources) {
      if (!isMap(s.node)) {
        report(s.at, 'yaml/syntax', 'cannot read YAML: merge sources must be maps or map aliases');
        continue;
      }
      const merged = this.#object(s.node.items as Pair[], report, {});
      for (const [k, v] of Object.entries(merged)) if (!Object.hasOwn(out, k)) out[k] = v;
    }
  }

  /**
   * A key that is a map, a list or a binary value: JSON has no such keys, so the yaml library's
   * spelling of it is used (a Helm `{{ ... }}` reads as a map key). Rare, so not optimised.
   */
  #spelledKey(key: unknown): string {
    const holder = new YAMLMap();
    holder.items.push(new Pair(key, null));
    const js = holder.toJS(this.#doc, { maxAliasCount: -1 }) as Record<string, unknown>;
    return Object.keys(js)[0] ?? '';
  }
}
