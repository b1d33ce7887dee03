/**
 * Field-by-field comparison of Kubernetes objects as JSON, reporting every
 * difference as a JSON path with both values.
 *
 * Two modes:
 * - `subset`: every field of `ours` must be in `theirs` with an equal value;
 *   fields only `theirs` has are not differences (they are what the API server
 *   defaulted). Used for kro's children against kro-gen's expanded output.
 * - `exact`: both directions. Used for the generated CRD.
 *
 * Paths look like `$.spec.template.spec.containers[0].image`; keys that are not
 * plain identifiers are quoted: `$.metadata.labels["app.kubernetes.io/name"]`.
 */
import { stringifyJson } from '../../../src/json.js';

export type Segment = string | number;
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Marks a missing value in a difference. */
export const ABSENT = '<absent>';

export interface Difference {
  path: string;
  segments: Segment[];
  /** kro-gen's value, or undefined if kro-gen has none. */
  ours: unknown;
  /** The value in the cluster, or undefined if the cluster has none. */
  theirs: unknown;
}

export interface CompareOptions {
  mode: 'subset' | 'exact';
  /** Paths (of either side) that are not compared at all, nor below them. */
  ignore?: (segments: readonly Segment[]) => boolean;
  /**
   * What the API server makes of `ours` (the result of a dry-run apply). Where
   * `ours` and `theirs` differ but this value equals `theirs`, the two are the
   * same object once stored (e.g. a quantity `1000m` stored as `1`): no difference.
   */
  normalized?: unknown;
  /** Called for every such normalisation, for the verbose log. */
  onNormalized?: (path: string, ours: unknown, theirs: unknown) => void;
  /**
   * Lists whose order carries no meaning (a schema's `required`): compared as
   * multisets. When only the order differs, `onReordered` hears of it.
   */
  unordered?: (segments: readonly Segment[]) => boolean;
  onReordered?: (path: string, ours: unknown[], theirs: unknown[]) => void;
  /** Counts the leaves (scalars, empty maps and lists) compared, to show a comparison was not vacuous. */
  stats?: { leaves: number };
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function formatPath(segments: readonly Segment[]): string {
  let out = '$';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (s === '*') out += '.*';
    else if (IDENT.test(s)) out += `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/**
 * The inverse of formatPath. `*` (as `.*` or `[*]`) is a wildcard segment for
 * patterns; an index in brackets is a number.
 */
export function parsePath(path: string): Segment[] {
  if (!path.startsWith('$')) throw new Error(`a path starts with $: ${path}`);
  const out: Segment[] = [];
  let i = 1;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      const m = /^\.([A-Za-z_*][A-Za-z0-9_-]*)/.exec(path.slice(i));
      if (!m?.[1]) throw new Error(`bad path segment at ${i}: ${path}`);
      out.push(m[1]);
      i += m[0].length;
    } else if (c === '[') {
      const rest = path.slice(i);
      const index = /^\[(\d+|\*)\]/.exec(rest);
      if (index?.[1]) {
        out.push(index[1] === '*' ? '*' : Number(index[1]));
        i += index[0].length;
        continue;
      }
      const quoted = /^\[("(?:[^"\\]|\\.)*")\]/.exec(rest);
      if (!quoted?.[1]) throw new Error(`bad path segment at ${i}: ${path}`);
      out.push(JSON.parse(quoted[1]) as string);
      i += quoted[0].length;
    } else {
      throw new Error(`bad path at ${i}: ${path}`);
    }
  }
  return out;
}

/** Does `segments` match `pattern` (same length; `*` matches any one segment)? */
export function pathMatches(pattern: readonly Segment[], segments: readonly Segment[]): boolean {
  if (pattern.length !== segments.length) return false;
  return pattern.every((p, i) => p === '*' || p === segments[i]);
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value at a path, or undefined. */
export function valueAt(root: unknown, segments: readonly Segment[]): unknown {
  let current = root;
  for (const s of segments) {
    if (typeof s === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[s];
    } else {
      if (!isRecord(current) || !Object.hasOwn(current, s)) return undefined;
      current = current[s];
    }
  }
  return current;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isRecord(a)) {
    if (!isRecord(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

export function compare(ours: unknown, theirs: unknown, options: CompareOptions): Difference[] {
  const out: Difference[] = [];
  const ignore = options.ignore ?? (() => false);
  const hasNormalized = Object.hasOwn(options, 'normalized');

  const report = (segments: Segment[], a: unknown, b: unknown): void => {
    const path = formatPath(segments);
    if (hasNormalized) {
      const stored = valueAt(options.normalized, segments);
      if (deepEqual(stored, b)) {
        options.onNormalized?.(path, a, b);
        return;
      }
    }
    out.push({ path, segments, ours: a, theirs: b });
  };

  // A map one side lacks is walked as an empty map, so that every difference is
  // reported at a leaf and ignored keys (kro's labels) stay ignored below it.
  const asMap = (v: unknown, other: unknown): Record<string, unknown> | undefined => {
    if (isRecord(v)) return v;
    if (v === undefined && isRecord(other) && Object.keys(other).length > 0) return {};
    return undefined;
  };

  const walk = (segments: Segment[], a: unknown, b: unknown): void => {
    if (ignore(segments)) return;
    const ma = asMap(a, b);
    const mb = asMap(b, a);
    if (ma && mb) {
      for (const key of Object.keys(ma)) walk([...segments, key], ma[key], mb[key]);
      if (options.mode === 'exact') {
        for (const key of Object.keys(mb)) {
          if (!Object.hasOwn(ma, key)) walk([...segments, key], undefined, mb[key]);
        }
      }
      return;
    }
    if (Array.isArray(a) && Array.isArray(b) && options.unordered?.(segments)) {
      const sorted = (l: unknown[]): unknown[] =>
        l
          .map((x) => ({ x, key: stringifyJson(x) }))
          .sort((p, q) => (p.key < q.key ? -1 : p.key > q.key ? 1 : 0))
          .map(({ x }) => x);
      const [sa, sb] = [sorted(a), sorted(b)];
      if (options.stats) options.stats.leaves++;
      if (!deepEqual(sa, sb)) report(segments, a, b);
      else if (!deepEqual(a, b)) options.onReordered?.(formatPath(segments), a, b);
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      if (a.length !== b.length || a.length === 0) {
        if (options.stats) options.stats.leaves++;
        if (a.length !== b.length) report(segments, a, b);
        return;
      }
      a.forEach((item, i) => {
        walk([...segments, i], item, b[i]);
      });
      return;
    }
    if (options.stats) options.stats.leaves++;
    if (!deepEqual(a, b)) report(segments, a, b);
  };

  walk([], ours, theirs);
  return out;
}

/** One line per difference: `$.path: kro-gen <value>, kro <value>`. */
export function formatDifference(d: Difference): string {
  const show = (v: unknown): string => (v === undefined ? ABSENT : stringifyJson(v));
  return `${d.path}: kro-gen ${show(d.ours)}, kro ${show(d.theirs)}`;
}
