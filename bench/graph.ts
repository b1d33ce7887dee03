// Laying out and drawing large resource graphs (`kro-gen graph --format svg`), in this process:
// 1,000 resources with 5,000 edges (each reads five random earlier ones), which is past
// MAX_ROUTED_ITEMS and drawn by layers, and 60 resources each reading up to four earlier ones,
// which is routed. The graph is built as a view directly, so only layout and drawing are timed.
import { layoutGraph, MAX_ROUTED_ITEMS } from '../src/graph/render/layout.js';
import { svgOfLayout } from '../src/graph/render/svg.js';
import type { GraphView, ViewNode } from '../src/graph/render/view.js';

/** `nodes` resources, each reading `reads` earlier ones picked by a fixed pseudo-random sequence. */
export function syntheticView(nodes: number, reads: number): GraphView {
  let seed = 12345;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const layer: number[] = [];
  const edges: { from: string; to: string; fields: string[] }[] = [];
  for (let i = 0; i < nodes; i++) {
    const deps = new Set<number>();
    while (deps.size < Math.min(i, reads)) deps.add(Math.floor(next() * i));
    let l = 0;
    for (const d of deps) {
      l = Math.max(l, (layer[d] ?? 0) + 1);
      edges.push({ from: `r${d}`, to: `r${i}`, fields: [`data.d${d}`] });
    }
    layer.push(l);
  }
  const viewNodes: ViewNode[] = layer.map((l, i) => ({
    id: `r${i}`,
    kind: 'ConfigMap',
    apiVersion: 'v1',
    type: 'resource',
    index: i,
    includeWhen: [],
    forEach: [],
    readyWhen: [],
    layer: l,
  }));
  const layers: string[][] = Array.from({ length: Math.max(0, ...layer) + 1 }, () => []);
  for (const n of viewNodes) layers[n.layer]?.push(n.id);
  return {
    name: 'big',
    instance: 'Big (kro.run/v1alpha1)',
    nodes: viewNodes,
    edges,
    layers,
    topologicalOrder: viewNodes.map((n) => n.id),
    statusReads: [],
  };
}

function timed(view: GraphView): { seconds: number; bytes: number } {
  const start = performance.now();
  const svg = svgOfLayout(layoutGraph(view), view);
  return { seconds: (performance.now() - start) / 1000, bytes: svg.length };
}

export async function run(): Promise<string[]> {
  timed(syntheticView(30, 3));
  const big = syntheticView(1_000, 5);
  const routed = syntheticView(60, 4);
  const b = timed(big);
  const r = timed(routed);
  return [
    `bench graph: ${big.nodes.length} resources, ${big.edges.length} edges (by layers, over ${MAX_ROUTED_ITEMS} items) laid out and drawn in ${b.seconds.toFixed(2)} s (${(b.bytes / 1024 / 1024).toFixed(1)} MiB SVG); ${routed.nodes.length} resources, ${routed.edges.length} edges routed in ${r.seconds.toFixed(2)} s`,
  ];
}
