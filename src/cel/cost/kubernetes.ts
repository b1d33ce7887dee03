// Call costs that are not cel-go's defaults: the Kubernetes CEL library's estimates (apiserver's
// library.CostEstimator, keyed by function name, so they also price cel-go's string extension
// functions of the same names), and the estimates cel-go's list and set extensions register per
// overload, which the checker asks first.

import type { CallEstimate, Coster, CostNode } from './estimate.js';
import type { CostType } from './expr.js';
import {
  add,
  byFactor,
  fixed,
  LIST_CREATE,
  MAX_U64,
  mul,
  ONE,
  REGEX_LENGTH,
  type Size,
  STRING_TRAVERSAL,
  union,
} from './size.js';

const nominal: CallEstimate = { cost: ONE };
/** apiserver's MaxNameFormatRegexSize and MaxFormatSize. */
const MAX_NAME_FORMAT_REGEX = 128;
const MAX_FORMAT = 64n;

const NOMINAL = new Set([
  'masked',
  'prefixLength',
  'family',
  'isUnspecified',
  'isLoopback',
  'isLinkLocalMulticast',
  'isLinkLocalUnicast',
  'isGlobalUnicast',
  'format.named',
  'sign',
  'asInteger',
  'isInteger',
  'asApproximateFloat',
  'isGreaterThan',
  'isLessThan',
  'compareTo',
  'add',
  'sub',
  'major',
  'minor',
  'patch',
  'getScheme',
  'getHostname',
  'getHost',
  'getPort',
  'getEscapedPath',
  'getQuery',
]);

/** An element of a list node, with the path that finds its schema. */
function elementNode(list: CostNode): CostNode | undefined {
  const t = list.type;
  const elem: CostType | undefined = t.kind === 'list' ? t.elem : t.kind === 'map' ? t.key : undefined;
  if (!elem) return undefined;
  const path = list.path && list.path.length > 0 ? [...list.path, '@items'] : undefined;
  return { path, type: elem, expr: undefined, computedSize: undefined };
}

const isStringLike = (t: CostType): boolean => t.kind === 'string' || t.kind === 'bytes';

function intLiteral(n: CostNode | undefined, fallback: bigint): bigint {
  const e = n?.expr;
  return e?.kind === 'literal' && typeof e.value === 'bigint' ? BigInt.asUintN(64, e.value) : fallback;
}

function allocatingList(factor: number, size: Size): CallEstimate {
  return { cost: add(add(byFactor(size, factor), ONE), fixed(LIST_CREATE)), resultSize: size };
}

/** cel-go's list and set extension estimates, by overload id. */
function extensionCost(
  c: Coster,
  overload: string,
  target: CostNode | undefined,
  args: readonly CostNode[],
): CallEstimate | undefined {
  const size = (n: CostNode): Size => c.sizeOf(n);
  const setsFactor: Record<string, number> = {
    list_sets_contains_list: 1,
    list_sets_intersects_list: 1,
    list_sets_equivalent_list: 2,
  };
  if (setsFactor[overload] !== undefined) {
    if (args.length !== 2) return undefined;
    const both = mul(size(args[0] as CostNode), size(args[1] as CostNode));
    return { cost: add(byFactor(both, setsFactor[overload] as number), ONE) };
  }
  switch (overload) {
    case 'list_slice': {
      if (!target || args.length !== 2) return undefined;
      const start = intLiteral(args[0], 0n);
      const end = intLiteral(args[1], size(target).max);
      return allocatingList(1, fixed(BigInt.asUintN(64, end - start)));
    }
    case 'lists_range':
      if (target || args.length !== 1) return undefined;
      return allocatingList(1, fixed(intLiteral(args[0], MAX_U64)));
    case 'list_reverse':
      if (!target || args.length !== 0) return undefined;
      return allocatingList(1, size(target));
    case 'list_flatten':
    case 'list_flatten_int': {
      if (!target || args.length > 1) return undefined;
      const depth = args.length === 1 ? intLiteral(args[0], MAX_U64) : 1n;
      return allocatingList(Number(depth), size(target));
    }
    case 'list_distinct': {
      if (!target || args.length !== 0) return undefined;
      const s = size(target);
      return allocatingList(2, mul(s, s));
    }
  }
  // sort() by its elements, sortBy() by the list of keys it was given: n^2 comparisons.
  const sort = /^list_(.+)_sort$/.exec(overload);
  const sortBy = /^list_(.+)_sortByAssociatedKeys$/.exec(overload);
  const sorted =
    sort && target && args.length === 0
      ? target
      : sortBy && target && args.length === 1
        ? args[0]
        : undefined;
  if (sorted) {
    const s = size(sorted);
    const kind = (sort ?? sortBy)?.[1];
    const factor = kind === 'string' || kind === 'bytes' ? 2 + STRING_TRAVERSAL : 2;
    return allocatingList(factor, mul(s, s));
  }
  return undefined;
}

/** The Kubernetes library's estimate of a call (and the extensions'), or undefined for cel-go's own. */
export function libraryCallCost(
  c: Coster,
  fn: string,
  overload: string,
  target: CostNode | undefined,
  args: readonly CostNode[],
): CallEstimate | undefined {
  const ext = extensionCost(c, overload, target, args);
  if (ext) return ext;
  const size = (n: CostNode): Size => c.sizeOf(n);
  const traverse = (n: CostNode, factor = STRING_TRAVERSAL): Size => byFactor(size(n), factor);
  const a0 = args[0] as CostNode;
  if (NOMINAL.has(fn)) return nominal;
  switch (fn) {
    case 'isSorted':
    case 'sum':
    case 'max':
    case 'min':
    case 'indexOf':
    case 'lastIndexOf': {
      if (!target) return undefined;
      const el = elementNode(target);
      if (!el) return { cost: traverse(target) };
      let perItem = ONE;
      if (isStringLike(el.type)) perItem = add(perItem, traverse(el));
      return { cost: mul(size(target), perItem) };
    }
    case 'url':
    case 'jsonpatch.escapeKey':
      if (args.length !== 1) return undefined;
      return { cost: traverse(a0), resultSize: size(a0) };
    case 'lowerAscii':
    case 'upperAscii':
    case 'substring':
    case 'trim':
      if (!target) return undefined;
      return { cost: traverse(target), resultSize: size(target) };
    case 'replace':
      if (!target || args.length < 2) return undefined;
      return replaceCost(size(target), size(a0), size(args[1] as CostNode));
    case 'split': {
      if (!target) return undefined;
      const s = size(target);
      const max = args.length > 1 ? intLiteral(args[1], s.max) : s.max;
      return { cost: traverse(target, 2 * STRING_TRAVERSAL), resultSize: { min: 0n, max } };
    }
    case 'join': {
      if (!target) return undefined;
      let s = fixed(0n);
      const listSize = size(target);
      const el = elementNode(target);
      if (el) s = mul(listSize, size(el));
      if (args.length > 0) {
        const separators = {
          min: listSize.min > 0n ? listSize.min - 1n : 0n,
          max: listSize.max > 0n ? listSize.max - 1n : 0n,
        };
        s = add(s, mul(size(a0), separators));
      }
      return { cost: byFactor(s, STRING_TRAVERSAL), resultSize: s };
    }
    case 'find':
    case 'findAll': {
      if (!target || args.length < 1) return undefined;
      const s = size(target);
      const str = byFactor(add(s, ONE), STRING_TRAVERSAL);
      return { cost: mul(str, byFactor(size(a0), REGEX_LENGTH)), resultSize: { min: 0n, max: s.max } };
    }
    case 'cidr':
    case 'isIP':
    case 'isCIDR':
    case 'quantity':
    case 'isQuantity':
    case 'semver':
    case 'isSemver':
      if (args.length < 1) return undefined;
      return { cost: traverse(a0) };
    case 'ip':
      if (overload === 'cidr_ip') return nominal;
      if (args.length < 1) return undefined;
      return { cost: traverse(a0) };
    case 'ip.isCanonical':
      if (args.length < 1) return undefined;
      return { cost: traverse(a0, 2 * STRING_TRAVERSAL) };
    case 'containsIP':
    case 'containsCIDR': {
      if (args.length < 1) return undefined;
      const ipBytes = { min: 4n, max: 16n };
      let cost = byFactor(add(ipBytes, ipBytes), STRING_TRAVERSAL);
      if (fn === 'containsCIDR') cost = add(add(cost, byFactor(ipBytes, STRING_TRAVERSAL)), ONE);
      if (overload.endsWith('_string')) cost = add(cost, traverse(a0));
      return { cost };
    }
    case 'validate':
      if (args.length < 1) return undefined;
      return { cost: byFactor(traverse(a0), MAX_NAME_FORMAT_REGEX * REGEX_LENGTH) };
    case '_==_':
      return args.length === 2 ? kubernetesEquality(a0, args[1] as CostNode) : undefined;
  }
  return undefined;
}

function kubernetesEquality(lhs: CostNode, rhs: CostNode): CallEstimate | undefined {
  const l = lhs.type;
  if (l.kind !== 'struct' || rhs.type.kind !== 'struct' || l.name !== rhs.type.name) return undefined;
  if (/IP$|CIDR$|Quantity$|Semver$/i.test(l.name)) return nominal;
  if (/Format$/.test(l.name)) return { cost: byFactor({ min: 1n, max: MAX_FORMAT }, STRING_TRAVERSAL) };
  if (/URL$/.test(l.name)) {
    // The API server reads both sizes from the right operand.
    const s = rhs.computedSize ? union(rhs.computedSize, rhs.computedSize) : ONE;
    return { cost: byFactor({ min: 1n, max: s.max }, STRING_TRAVERSAL) };
  }
  return undefined;
}

/** `replace`: a traversal plus building the result, whose size depends on the two strings'. */
function replaceCost(s: Size, from: Size, to: Size): CallEstimate {
  // The longest result replaces the shortest matches by the longest replacement; the shortest, the reverse.
  const [countMax, keptMax] = replaced(s.max, from.min, to.max <= from.min);
  const [countMin, keptMin] = replaced(s.min, from.max, from.max <= to.min);
  const result = add(mul({ min: countMin, max: countMax }, to), { min: keptMin, max: keptMax });
  return { cost: byFactor(s, 2 * STRING_TRAVERSAL), resultSize: result };
}

/** How many replacements in a string of `length`, and how much of it is kept, for one bound. */
function replaced(length: bigint, match: bigint, sameLength: boolean): [bigint, bigint] {
  // An empty match surrounds every character.
  if (match === 0n) return [length < MAX_U64 ? length + 1n : length, length];
  if (sameLength) return [0n, length];
  return [ceilDiv(length, match), 0n];
}

/** Go's `uint64(math.Ceil(float64(a) / float64(b)))`, saturated. */
function ceilDiv(a: bigint, b: bigint): bigint {
  const q = Math.ceil(Number(a) / Number(b));
  return q >= 2 ** 64 ? MAX_U64 : BigInt(q);
}
