// A layered layout of a resource graph, computed without a browser so the picture is the same on
// every machine. Apply layer i becomes rank 2i; the rank between two layers holds the edge labels,
// so a label never covers a node. Edges spanning several layers pass through placeholder items in
// the ranks between, which take part in ordering like nodes (the Sugiyama scheme): barycenter
// sweeps and neighbour swaps reduce crossings, then each rank is placed as close to its neighbours
// as the spacing allows (isotonic regression). Ranks run left to right or top to bottom; by
// default whichever needs less shrinking to fit a screen. Text is monospace, so its width is known.
import {
  edgeLabelLines,
  type GraphView,
  isCollection,
  nodeNotes,
  type ViewEdge,
  type ViewNode,
} from './view.js';

/** Width of a monospace character, in ems; a little above common monospace fonts (0.6). */
export const CHAR_WIDTH_EM = 0.61;
export const FONT_FAMILY = "ui-monospace, 'DejaVu Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace";

export interface TextLine {
  readonly text: string;
  readonly size: number;
  readonly bold?: boolean;
  readonly italic?: boolean;
  readonly color: string;
}

/** The largest of `values` (or `floor` when there are none), without spreading them into arguments. */
function maxOf(values: Iterable<number>, floor = Number.NEGATIVE_INFINITY): number {
  let m = floor;
  for (const v of values) if (v > m) m = v;
  return m;
}

export function textWidth(text: string, size: number): number {
  return [...text].length * size * CHAR_WIDTH_EM;
}

export const LINE_HEIGHT = 1.35;
const NODE_PAD_X = 12;
export const NODE_PAD_Y = 7;
export const LABEL_PAD_X = 5;
export const LABEL_PAD_Y = 3;
/** Offset of the shadow that marks a collection. */
export const STACK_OFFSET = 5;
const MARGIN = 16;
export const TITLE_SIZE = 14;
export const CAPTION_SIZE = 11;
/** The screen a picture should fit without shrinking, for choosing the direction. */
const SCREEN = { width: 1600, height: 1000 };

export type Direction = 'lr' | 'tb';

export interface Box {
  /** Centre. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface LayoutNode extends Box {
  readonly node: ViewNode;
  readonly lines: readonly TextLine[];
}

export interface LayoutLabel extends Box {
  readonly lines: readonly string[];
}

export interface LayoutEdge {
  readonly edge: ViewEdge;
  /** SVG path data, from the dependency to the dependent. */
  readonly path: string;
  readonly label?: LayoutLabel;
}

export interface LayoutLayer {
  readonly index: number;
  /** The layer's band. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Where its caption (`layer 1`) starts, on the baseline. */
  readonly captionX: number;
  readonly captionY: number;
}

export interface Layout {
  readonly direction: Direction;
  readonly width: number;
  readonly height: number;
  readonly title: string;
  /** Baseline of the title. */
  readonly titleY: number;
  readonly nodes: readonly LayoutNode[];
  readonly edges: readonly LayoutEdge[];
  readonly layers: readonly LayoutLayer[];
  /** Edge crossings left (between adjacent ranks). */
  readonly crossings: number;
  /** False when the graph was too large to route edges (MAX_ROUTED_ITEMS): edges run straight. */
  readonly routed: boolean;
}

export const NODE_TEXT = {
  id: { size: 13, color: '#1a202c' },
  kind: { size: 12, color: '#2d3748' },
  apiVersion: { size: 11, color: '#718096' },
  note: { size: 11, color: '#8a5a00' },
  label: { size: 11, color: '#4a5568' },
} as const;

export function nodeLines(n: ViewNode): TextLine[] {
  return [
    { text: n.id, ...NODE_TEXT.id, bold: true },
    { text: n.kind || '(no kind)', ...NODE_TEXT.kind },
    { text: n.apiVersion, ...NODE_TEXT.apiVersion },
    ...nodeNotes(n).map((t) => ({ text: t, ...NODE_TEXT.note, italic: true })),
  ].filter((l) => l.text !== '');
}

const linesHeight = (lines: readonly { size: number }[]): number =>
  lines.reduce((h, l) => h + l.size * LINE_HEIGHT, 0);

function nodeBox(n: ViewNode): { lines: TextLine[]; width: number; height: number } {
  const lines = nodeLines(n);
  const stack = isCollection(n) ? STACK_OFFSET : 0;
  const width =
    maxOf(
      lines.map((l) => textWidth(l.text, l.size)),
      0,
    ) +
    2 * NODE_PAD_X +
    stack;
  const height = linesHeight(lines) + 2 * NODE_PAD_Y + stack;
  return { lines, width: Math.ceil(width), height: Math.ceil(height) };
}

function labelBox(lines: readonly string[]): { width: number; height: number } {
  const size = NODE_TEXT.label.size;
  const width =
    maxOf(
      lines.map((l) => textWidth(l, size)),
      0,
    ) +
    2 * LABEL_PAD_X;
  return { width: Math.ceil(width), height: Math.ceil(lines.length * size * LINE_HEIGHT + 2 * LABEL_PAD_Y) };
}

// ---------------------------------------------------------------------------------------------
// The layered structure: nodes, labels and placeholders in ranks
// ---------------------------------------------------------------------------------------------

type ItemKind = 'node' | 'label' | 'dummy';

interface Item {
  readonly rank: number;
  readonly kind: ItemKind;
  readonly width: number;
  readonly height: number;
  readonly node?: ViewNode;
  readonly lines?: readonly TextLine[];
  readonly labelLines?: readonly string[];
  readonly preds: number[];
  readonly succs: number[];
  /** Declaration index of the node, or of the edge's dependent: the tie-breaker. */
  readonly tie: number;
}

interface Structure {
  readonly items: readonly Item[];
  readonly itemOf: ReadonlyMap<string, number>;
  /** Per edge, its labels and placeholders from the dependency's rank to the dependent's. */
  readonly chains: readonly (readonly number[])[];
  readonly ranks: number;
  readonly routed: boolean;
}

/**
 * Nodes and placeholders above which a picture is drawn without routing: nodes stay in their
 * layers, in declaration order, and edges run straight from node to node (ordering placeholders
 * costs more than linear time, and such a picture is read by its layers anyway).
 */
export const MAX_ROUTED_ITEMS = 2_000;

/** How many items the routed layout of `view` would order: nodes plus one per rank an edge crosses. */
function routedItems(view: GraphView): number {
  const layer = new Map(view.nodes.map((n) => [n.id, n.layer]));
  let count = view.nodes.length;
  for (const e of view.edges) {
    const span = 2 * ((layer.get(e.to) ?? 0) - (layer.get(e.from) ?? 0)) - 1;
    if (span > 0) count += span;
  }
  return count;
}

function buildStructure(view: GraphView, routed: boolean): Structure {
  const items: Item[] = [];
  const itemOf = new Map<string, number>();
  for (const n of view.nodes) {
    const box = nodeBox(n);
    itemOf.set(n.id, items.length);
    items.push({
      rank: 2 * n.layer,
      kind: 'node',
      width: box.width,
      height: box.height,
      node: n,
      lines: box.lines,
      preds: [],
      succs: [],
      tie: n.index,
    });
  }
  const indexOf = new Map(view.nodes.map((n) => [n.id, n.index]));
  const chains: number[][] = [];
  for (const e of view.edges) {
    const from = itemOf.get(e.from)!;
    const to = itemOf.get(e.to)!;
    const r1 = items[from]!.rank;
    const r2 = items[to]!.rank;
    const chain: number[] = [];
    let prev = from;
    for (let r = r1 + 1; routed && r < r2; r++) {
      const labelLines = r === r2 - 1 && e.fields.length > 0 ? edgeLabelLines(e.fields) : undefined;
      const box = labelLines ? labelBox(labelLines) : { width: 0, height: 0 };
      const id = items.length;
      items.push({
        rank: r,
        kind: labelLines ? 'label' : 'dummy',
        width: box.width,
        height: box.height,
        ...(labelLines ? { labelLines } : {}),
        preds: [prev],
        succs: [],
        tie: indexOf.get(e.to) ?? 0,
      });
      items[prev]!.succs.push(id);
      chain.push(id);
      prev = id;
    }
    // Forward layers always put a dependency in an earlier layer; a bad graph just loses the edge.
    if (r2 > r1) {
      items[prev]!.succs.push(to);
      items[to]!.preds.push(prev);
    }
    chains.push(chain);
  }
  const ranks = maxOf(
    items.map((it) => it.rank + 1),
    1,
  );
  return { items, itemOf, chains, ranks, routed };
}

// ---------------------------------------------------------------------------------------------
// Ordering within ranks
// ---------------------------------------------------------------------------------------------

function positions(order: readonly (readonly number[])[]): Map<number, number> {
  const pos = new Map<number, number>();
  for (const rank of order) for (const [i, it] of rank.entries()) pos.set(it, i);
  return pos;
}

function crossingsBetween(
  items: readonly Item[],
  upper: readonly number[],
  pos: ReadonlyMap<number, number>,
): number {
  const segs: [number, number][] = [];
  upper.forEach((it, i) => {
    for (const s of items[it]!.succs) segs.push([i, pos.get(s)!]);
  });
  // Two segments cross when their ends are in strictly opposite orders: sorted by upper end (then
  // lower), count for each segment the earlier ones whose lower end is strictly greater.
  segs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let size = 1;
  for (const [, l] of segs) if (l + 1 > size) size = l + 1;
  const tree = new Array<number>(size + 1).fill(0);
  let total = 0;
  for (const [k, [, l]] of segs.entries()) {
    let notGreater = 0;
    for (let i = l + 1; i > 0; i -= i & -i) notGreater += tree[i]!;
    total += k - notGreater;
    for (let i = l + 1; i <= size; i += i & -i) tree[i]!++;
  }
  return total;
}

function crossings(items: readonly Item[], order: readonly (readonly number[])[]): number {
  const pos = positions(order);
  let total = 0;
  for (let r = 0; r + 1 < order.length; r++) total += crossingsBetween(items, order[r]!, pos);
  return total;
}

/**
 * Reorders one rank by the mean position of each item's neighbours; items without any stay put.
 * Ties go by `tie` (declaration order, long edges first or last).
 */
function sortByBarycenter(
  rank: number[],
  neighbours: (it: number) => readonly number[],
  pos: ReadonlyMap<number, number>,
  tie: (it: number) => number,
): void {
  const keyed: { it: number; key: number }[] = [];
  const free: number[] = [];
  rank.forEach((it, i) => {
    const ns = neighbours(it);
    if (ns.length === 0) return;
    free.push(i);
    keyed.push({ it, key: ns.reduce((s, n) => s + pos.get(n)!, 0) / ns.length });
  });
  keyed.sort((a, b) => a.key - b.key || tie(a.it) - tie(b.it) || a.it - b.it);
  free.forEach((slot, k) => {
    rank[slot] = keyed[k]!.it;
  });
}

/**
 * Swaps neighbours in a rank while that removes crossings with the ranks on both sides. With
 * `sideways`, swaps that change nothing are made too, which lets a later rank's swap pay off.
 */
function transpose(items: readonly Item[], order: number[][], sideways = false): void {
  const around = (r: number): number => {
    const pos = positions(order);
    return (
      (r > 0 ? crossingsBetween(items, order[r - 1]!, pos) : 0) +
      (r + 1 < order.length ? crossingsBetween(items, order[r]!, pos) : 0)
    );
  };
  for (let round = 0, improved = true; improved && round < 8; round++) {
    improved = false;
    order.forEach((rank, r) => {
      for (let i = 0; i + 1 < rank.length; i++) {
        const before = around(r);
        [rank[i], rank[i + 1]] = [rank[i + 1]!, rank[i]!];
        const after = around(r);
        if (after < before) improved = true;
        else if (!(sideways && after === before)) [rank[i], rank[i + 1]] = [rank[i + 1]!, rank[i]!];
      }
    });
  }
}

function orderRanks(s: Structure): { order: number[][]; crossings: number } {
  const { items, ranks } = s;
  // Swapping recounts crossings for each pair: only for graphs of the size people draw.
  const polish = items.length <= 200;
  let best: number[][] = [];
  let bestCrossings = Number.POSITIVE_INFINITY;
  // Sweeps only improve locally, so start from several orders: declaration order or its reverse,
  // with long edges sorted before or after the items they tie with.
  for (const [reverse, longFirst] of [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ] as const) {
    if (bestCrossings === 0 || (!polish && longFirst)) break;
    const tie = (it: number): number =>
      (items[it]!.kind === 'dummy') === longFirst ? items[it]!.tie - items.length : items[it]!.tie;
    const order: number[][] = Array.from({ length: ranks }, () => []);
    items.forEach((it, i) => {
      order[it.rank]!.push(i);
    });
    order[0]!.sort((a, b) => (items[a]!.tie - items[b]!.tie) * (reverse ? -1 : 1));
    // One position map per sweep, updated as each rank is reordered.
    const reposition = (pos: Map<number, number>, rank: readonly number[]) => {
      for (const [i, it] of rank.entries()) pos.set(it, i);
    };
    const down = () => {
      const pos = positions(order);
      for (let r = 1; r < ranks; r++) {
        sortByBarycenter(order[r]!, (it) => items[it]!.preds, pos, tie);
        reposition(pos, order[r]!);
      }
    };
    const up = () => {
      const pos = positions(order);
      for (let r = ranks - 2; r >= 0; r--) {
        sortByBarycenter(order[r]!, (it) => items[it]!.succs, pos, tie);
        reposition(pos, order[r]!);
      }
    };
    down();
    for (let iter = 0; iter <= 16 && bestCrossings > 0; iter++) {
      if (iter > 0) {
        if (iter % 2 === 1) up();
        else down();
      }
      if (polish) transpose(items, order, iter % 4 === 3);
      const c = crossings(items, order);
      if (c < bestCrossings) {
        bestCrossings = c;
        best = order.map((rank) => [...rank]);
      }
    }
  }
  return { order: best, crossings: bestCrossings };
}

// ---------------------------------------------------------------------------------------------
// Placing ranks
// ---------------------------------------------------------------------------------------------

/**
 * Centres for one rank, in order, as close as possible (least squares) to `wanted` while keeping
 * each item `gap(a, b)` clear of the next: pool-adjacent-violators on centres minus minimum offsets.
 */
function placeRank(sizes: readonly number[], gaps: readonly number[], wanted: readonly number[]): number[] {
  const offsets: number[] = [0];
  for (let i = 1; i < sizes.length; i++)
    offsets.push(offsets[i - 1]! + sizes[i - 1]! / 2 + gaps[i - 1]! + sizes[i]! / 2);
  const blocks: { sum: number; count: number; start: number }[] = [];
  for (let i = 0; i < sizes.length; i++) {
    blocks.push({ sum: wanted[i]! - offsets[i]!, count: 1, start: i });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1]!;
      const prev = blocks[blocks.length - 2]!;
      if (prev.sum / prev.count <= last.sum / last.count) break;
      blocks.pop();
      prev.sum += last.sum;
      prev.count += last.count;
    }
  }
  const out: number[] = [];
  for (const b of blocks) for (let k = 0; k < b.count; k++) out.push(b.sum / b.count + offsets[b.start + k]!);
  return out;
}

/** Positions across the ranks (y when ranks are columns), centres. */
function placeAcross(
  s: Structure,
  order: readonly (readonly number[])[],
  size: (it: Item) => number,
  nodeGap: number,
): number[] {
  const { items } = s;
  // Placeholders (edges passing through) keep clear of boxes but may run close to each other.
  const gap = (a: Item, b: Item): number =>
    a.kind === 'dummy' && b.kind === 'dummy'
      ? 6
      : a.kind === 'dummy' || b.kind === 'dummy'
        ? 12
        : a.kind === 'label' && b.kind === 'label'
          ? 8
          : nodeGap;
  const at: number[] = new Array(items.length).fill(0);
  for (const rank of order) {
    let p = 0;
    rank.forEach((it, i) => {
      if (i > 0) p += gap(items[rank[i - 1]!]!, items[it]!);
      at[it] = p + size(items[it]!) / 2;
      p += size(items[it]!);
    });
    for (const it of rank) at[it]! -= p / 2;
  }
  const mean = (ns: readonly number[]) => ns.reduce((sum, n) => sum + at[n]!, 0) / ns.length;
  const pass = (ranks: readonly (readonly number[])[], neighbours: (it: Item) => readonly number[]) => {
    for (const rank of ranks) {
      const sizes = rank.map((it) => size(items[it]!));
      const gaps = rank.slice(1).map((it, i) => gap(items[rank[i]!]!, items[it]!));
      const wanted = rank.map((it) => {
        const ns = neighbours(items[it]!);
        return ns.length > 0 ? mean(ns) : at[it]!;
      });
      placeRank(sizes, gaps, wanted).forEach((p, i) => {
        at[rank[i]!] = p;
      });
    }
  };
  const reversed = [...order].reverse();
  for (let iter = 0; iter < 6; iter++) {
    pass(order, (it) => it.preds);
    pass(reversed, (it) => it.succs);
  }
  pass(order, (it) => [...it.preds, ...it.succs]);
  return at;
}

// ---------------------------------------------------------------------------------------------
// Geometry
// ---------------------------------------------------------------------------------------------

/** A coordinate with one decimal at most, so output is short and the same everywhere. */
export const num = (n: number): string => {
  const r = Math.round(n * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
};

/** A straight stretch of an edge across one rank: `along` from a1 to a2 at `across`. */
interface Run {
  readonly a1: number;
  readonly a2: number;
  readonly across: number;
}

/** Runs across each rank joined by S-curves in the gaps between ranks. */
function edgePath(runs: readonly Run[], point: (along: number, across: number) => string): string {
  const first = runs[0]!;
  let d = `M${point(first.a1, first.across)}`;
  if (first.a2 > first.a1) d += ` L${point(first.a2, first.across)}`;
  for (let i = 1; i < runs.length; i++) {
    const a = runs[i - 1]!;
    const b = runs[i]!;
    const mid = (a.a2 + b.a1) / 2;
    d +=
      Math.abs(a.across - b.across) < 0.05
        ? ` L${point(b.a1, b.across)}`
        : ` C${point(mid, a.across)} ${point(mid, b.across)} ${point(b.a1, b.across)}`;
    if (b.a2 > b.a1) d += ` L${point(b.a2, b.across)}`;
  }
  return d;
}

/** Spreads the ends of `count` edges over a node side `length` long, centred. */
function portOffsets(count: number, length: number, spacing: number): number[] {
  const step = count > 1 ? Math.min(spacing, (length - 12) / (count - 1)) : 0;
  return Array.from({ length: count }, (_, i) => (i - (count - 1) / 2) * step);
}

function layoutIn(
  view: GraphView,
  s: Structure,
  { order, crossings: left }: { order: readonly (readonly number[])[]; crossings: number },
  direction: Direction,
): Layout {
  const lr = direction === 'lr';
  const { items, itemOf, chains, ranks } = s;
  // Sizes along the ranks' axis and across it.
  const along = (it: Item) => (lr ? it.width : it.height);
  const acrossSize = (it: Item) => (lr ? it.height : it.width);
  const across = placeAcross(s, order, acrossSize, lr ? 14 : 20);

  const title = `${view.name}: ${view.instance}${s.routed ? '' : ' (too large to route: edges drawn straight)'}`;
  const titleY = MARGIN + TITLE_SIZE;
  const captionWidth = maxOf(
    view.layers.map((_, l) => textWidth(`layer ${l + 1}`, CAPTION_SIZE)),
    0,
  );
  // Left to right: captions above the columns. Top to bottom: captions in a gutter on the left.
  const alongStart = lr ? MARGIN + 8 : titleY + 18;
  const acrossStart = lr ? titleY + 10 + CAPTION_SIZE + 16 : MARGIN + captionWidth + 20;
  const rankGap = lr ? 30 : 26;

  const thickness = order.map((rank) =>
    maxOf(
      rank.map((it) => along(items[it]!)),
      0,
    ),
  );
  const rankStart: number[] = [];
  let a = alongStart;
  for (let r = 0; r < ranks; r++) {
    rankStart.push(a);
    a += thickness[r]! + rankGap;
  }
  const alongEnd = a - rankGap;
  const lowest = items.length > 0 ? -maxOf(items.map((it, i) => acrossSize(it) / 2 - across[i]!)) : 0;
  for (let i = 0; i < across.length; i++) across[i] = across[i]! - lowest + acrossStart;
  const acrossEnd = maxOf(
    items.map((it, i) => across[i]! + acrossSize(it) / 2),
    acrossStart,
  );

  const centreAlong = (it: number): number => rankStart[items[it]!.rank]! + thickness[items[it]!.rank]! / 2;
  const xy = (al: number, ac: number): { x: number; y: number } => (lr ? { x: al, y: ac } : { x: ac, y: al });
  const point = (al: number, ac: number): string => {
    const p = xy(al, ac);
    return `${num(p.x)},${num(p.y)}`;
  };

  // Edge ends spread over the node sides, in the order of what they lead to.
  const ends = view.edges.map((e, ei) => {
    const chain = chains[ei]!;
    const from = itemOf.get(e.from)!;
    const to = itemOf.get(e.to)!;
    return { ei, from, to, next: chain[0] ?? to, prev: chain[chain.length - 1] ?? from };
  });
  const outPort = new Map<number, number>();
  const inPort = new Map<number, number>();
  const spacing = lr ? 9 : 14;
  items.forEach((item, it) => {
    if (item.kind !== 'node') return;
    const outs = ends.filter((e) => e.from === it).sort((p, q) => across[p.next]! - across[q.next]!);
    for (const [i, o] of portOffsets(outs.length, acrossSize(item), spacing).entries())
      outPort.set(outs[i]!.ei, o);
    const ins = ends.filter((e) => e.to === it).sort((p, q) => across[p.prev]! - across[q.prev]!);
    for (const [i, o] of portOffsets(ins.length, acrossSize(item), spacing).entries())
      inPort.set(ins[i]!.ei, o);
  });

  const edges: LayoutEdge[] = ends.map(({ ei, from, to }) => {
    const e = view.edges[ei]!;
    const src = items[from]!;
    const dst = items[to]!;
    const runs: Run[] = [
      {
        a1: centreAlong(from) + along(src) / 2,
        a2: rankStart[src.rank]! + thickness[src.rank]!,
        across: across[from]! + (outPort.get(ei) ?? 0),
      },
    ];
    let label: LayoutLabel | undefined;
    for (const c of chains[ei]!) {
      const it = items[c]!;
      runs.push({
        a1: rankStart[it.rank]!,
        a2: rankStart[it.rank]! + thickness[it.rank]!,
        across: across[c]!,
      });
      if (it.kind === 'label') {
        const p = xy(centreAlong(c), across[c]!);
        label = { ...p, width: it.width, height: it.height, lines: it.labelLines ?? [] };
      }
    }
    runs.push({
      a1: rankStart[dst.rank]!,
      a2: centreAlong(to) - along(dst) / 2,
      across: across[to]! + (inPort.get(ei) ?? 0),
    });
    return { edge: e, path: edgePath(runs, point), ...(label ? { label } : {}) };
  });

  const nodes: LayoutNode[] = view.nodes.map((n) => {
    const it = itemOf.get(n.id)!;
    const item = items[it]!;
    return {
      node: n,
      lines: item.lines ?? [],
      ...xy(centreAlong(it), across[it]!),
      width: item.width,
      height: item.height,
    };
  });

  const bandAcrossStart = lr ? acrossStart - CAPTION_SIZE - 14 : MARGIN;
  const bandAcrossEnd = acrossEnd + 8;
  const layers: LayoutLayer[] = view.layers.map((_, l) => {
    const start = rankStart[2 * l]! - 8;
    const size = thickness[2 * l]! + 16;
    return lr
      ? {
          index: l,
          x: start,
          y: bandAcrossStart,
          width: size,
          height: bandAcrossEnd - bandAcrossStart,
          captionX: start + 6,
          captionY: bandAcrossStart + CAPTION_SIZE + 4,
        }
      : {
          index: l,
          x: bandAcrossStart,
          y: start,
          width: bandAcrossEnd - bandAcrossStart,
          height: size,
          captionX: bandAcrossStart + 6,
          captionY: start + CAPTION_SIZE + 4,
        };
  });

  // The picture's extent: every band, caption, node and label, and the title.
  const far = xy(alongEnd, acrossEnd);
  const boxes: { right: number; bottom: number }[] = [
    ...layers.map((l) => ({
      right: Math.max(l.x + l.width, l.captionX + textWidth(`layer ${l.index + 1}`, CAPTION_SIZE)),
      bottom: l.y + l.height,
    })),
    ...[...nodes, ...edges.flatMap((e) => (e.label ? [e.label] : []))].map((b) => ({
      right: b.x + b.width / 2,
      bottom: b.y + b.height / 2,
    })),
    { right: MARGIN + textWidth(title, TITLE_SIZE), bottom: titleY },
    { right: far.x, bottom: far.y },
  ];
  const right = maxOf(boxes.map((b) => b.right));
  const bottom = maxOf(boxes.map((b) => b.bottom));
  return {
    direction,
    width: Math.ceil(right + MARGIN),
    height: Math.ceil(bottom + MARGIN),
    title,
    titleY,
    nodes,
    edges,
    layers,
    crossings: left,
    routed: s.routed,
  };
}

// Each rank in declaration order, for pictures too large to route (see MAX_ROUTED_ITEMS).
function declarationOrder(s: Structure): { order: number[][]; crossings: number } {
  const order: number[][] = Array.from({ length: s.ranks }, () => []);
  s.items.forEach((it, i) => {
    order[it.rank]!.push(i);
  });
  for (const rank of order) rank.sort((a, b) => s.items[a]!.tie - s.items[b]!.tie);
  return { order, crossings: crossings(s.items, order) };
}

/** How much a picture must shrink to fit the screen (1 when it fits). */
const fitScale = (l: Layout): number => Math.min(1, SCREEN.width / l.width, SCREEN.height / l.height);

/**
 * The layout of `view`, ranks left to right or top to bottom; `auto` takes the direction whose
 * picture needs less shrinking to fit a 1600x1000 screen, left to right on a tie.
 */
export function layoutGraph(view: GraphView, direction: Direction | 'auto' = 'auto'): Layout {
  const routed = routedItems(view) <= MAX_ROUTED_ITEMS;
  const s = buildStructure(view, routed);
  const ordered = routed ? orderRanks(s) : declarationOrder(s);
  if (direction !== 'auto') return layoutIn(view, s, ordered, direction);
  const lr = layoutIn(view, s, ordered, 'lr');
  const tb = layoutIn(view, s, ordered, 'tb');
  return fitScale(tb) > fitScale(lr) + 1e-9 ? tb : lr;
}
