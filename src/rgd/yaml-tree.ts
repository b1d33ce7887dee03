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
  type Pair,
  type Scalar,
  YAMLMap,
  YAMLSeq,
} from 'yaml';
import { excerpt } from '../diagnostics.js';
import { setOwn } from '../json.js';
import { exactInteger, int64Overflow, jsonNumberOf } from './int64.js';
import { type GoScalar, jsonKeyOf, resolvePlainScalar } from './kubectl-scalars.js';
import type { JsonValue } from './model.js';
import { nodeStart } from './node-start.js';

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
  return nodeStart(node) ?? 0;
}

/** A `<<` key the YAML 1.1 merge tag resolved (quoted `"<<"` stays an ordinary string key). */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol';
}

const CORE_TAG = 'tag:yaml.org,2002:';
/** Line breaks of YAML 1.1 only (go-yaml v2 breaks plain scalars at them; JSON readers do not). */
const YAML11_BREAK = /[\u0085\u2028\u2029]/;
/** Which resolved kinds each core tag accepts (go-yaml v2 turns an int into a float for !!float). */
const TAG_ACCEPTS: Record<string, readonly GoScalar['kind'][]> = {
  bool: ['bool'],
  int: ['int', 'uint'],
  float: ['float', 'int', 'uint'],
  null: ['null'],
};

/**
 * A scalar as go-yaml v2 reads it: plain untagged scalars by kubectl's rules (the yaml library's
 * YAML 1.1 resolution differs: `e10` would be NaN, `0o17` a string), quoted and block ones as
 * strings, and ones with a core tag (`!!int "12"`) by the same rules, checked against the tag.
 */
export function goScalarOf(node: Scalar): GoScalar | { refused: string } {
  const text = typeof node.source === 'string' ? node.source : undefined;
  if (node.type === 'PLAIN' && text !== undefined && YAML11_BREAK.test(text)) {
    return {
      refused: `unquoted ${JSON.stringify(text)} holds a YAML 1.1 line break (U+0085, U+2028 or U+2029), which kubectl reads as the end of a line: quote the value`,
    };
  }
  if (node.tag === undefined) {
    if (node.type === 'PLAIN' && text !== undefined) return resolvePlainScalar(text);
    return libraryScalar(node.value);
  }
  const name = node.tag.startsWith(CORE_TAG) ? node.tag.slice(CORE_TAG.length) : undefined;
  if (text === undefined || name === undefined) return libraryScalar(node.value);
  if (name === 'str' || name === 'timestamp') return { kind: 'string', value: text };
  const accepts = TAG_ACCEPTS[name];
  if (!accepts) return libraryScalar(node.value);
  const resolved = resolvePlainScalar(text);
  if (!accepts.includes(resolved.kind)) {
    return { refused: `cannot read ${JSON.stringify(text)} as !!${name} (kubectl refuses it)` };
  }
  return name === 'float' && resolved.kind !== 'float'
    ? { kind: 'float', value: Number((resolved as { value: bigint }).value) }
    : resolved;
}

function libraryScalar(v: unknown): GoScalar {
  if (v === null || v === undefined) return { kind: 'null' };
  if (typeof v === 'boolean') return { kind: 'bool', value: v };
  if (typeof v === 'bigint') return { kind: 'int', value: v };
  if (typeof v === 'number') return { kind: 'float', value: v };
  return { kind: 'string', value: typeof v === 'string' ? v : String(v) };
}

type KeyResult = { key: string } | { refused: string };

const COLLECTION_KEY =
  'a map or list used as a map key has no JSON form: kubectl refuses it (quote the key to make it a string)';

/** The JSON key a map key becomes (as sigs.k8s.io/yaml makes it), or why kubectl refuses it. */
function keyOf(key: unknown): KeyResult {
  if (key === null || key === undefined) return jsonKeyOf({ kind: 'null' });
  if (!isScalar(key)) return { refused: COLLECTION_KEY };
  if (key.value instanceof Uint8Array || key.value instanceof Date || typeof key.value === 'symbol') {
    return { refused: 'a binary map key has no JSON form: kubectl refuses it' };
  }
  const go = goScalarOf(key);
  return 'refused' in go ? go : jsonKeyOf(go);
}

/** The error for a map key written twice (`written`: the key as the YAML spells it, unquoted). */
export function duplicateKeyMessage(written: string): string {
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

/** The JSON value of a resolved scalar (`source` as written), or why kubectl refuses it. */
export function goScalarJson(
  go: GoScalar,
  source: string | undefined,
): { value: JsonValue } | { code: string; message: string } {
  if (go.kind === 'int' || go.kind === 'uint' || go.kind === 'float') {
    // Integers outside int64 are refused (Kubernetes reads integers as int64), not rounded.
    const overflow = int64Overflow(Number(go.value), source);
    if (overflow !== undefined) {
      return {
        code: 'yaml/int64-overflow',
        message: `integer ${excerpt(overflow)} is outside int64, the range of Kubernetes integers`,
      };
    }
  }
  switch (go.kind) {
    case 'null':
      return { value: null };
    case 'bool':
    case 'string':
      return { value: go.value };
    case 'int':
    case 'uint':
      return { value: exactInteger(go.value) };
    case 'float':
      if (Number.isFinite(go.value)) return { value: jsonNumberOf(go.value) };
      return {
        code: 'yaml/unsupported-value',
        message: `${source ?? 'the value'} is a YAML 1.1 ${Number.isNaN(go.value) ? 'not-a-number' : 'infinite'} float, which JSON cannot represent: kubectl refuses it (quote it for a string)`,
      };
  }
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
          message: duplicateKeyMessage(written),
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

  /** The JSON key of a key (or of what an alias of one names); undefined when kubectl refuses it. */
  #plainKey(key: unknown): string | undefined {
    if (isAlias(key) && !this.#targets.has(key)) return undefined;
    const k = keyOf(this.#deref(key));
    return 'key' in k ? k.key : undefined;
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
    if (v instanceof Uint8Array || v instanceof Date) {
      report(node, 'yaml/unsupported-value', UNSUPPORTED_TAG);
      return null;
    }
    const go = goScalarOf(node);
    if ('refused' in go) {
      report(node, 'yaml/unsupported-value', go.refused);
      return null;
    }
    const json = goScalarJson(go, typeof node.source === 'string' ? node.source : undefined);
    if ('value' in json) return json.value;
    report(node, json.code, json.message);
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
      const key = keyOf(this.#deref(pair.key));
      if ('refused' in key) {
        report(pair.key, 'yaml/unsupported-key', key.refused);
        continue;
      }
      const value = this.#convert(pair.value, report);
      // An own data property whatever the key: `__proto__` is an ordinary key in JSON.
      setOwn(out, key.key, value);
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
      for (const [k, v] of Object.entries(merged)) {
        if (!Object.hasOwn(out, k)) setOwn(out, k, v);
      }
    }
  }
}
