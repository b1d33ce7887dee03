// Large graphs are drawn, not refused: past MAX_ROUTED_ITEMS by layers without routing, and no
// step spreads an array into arguments (which overflowed at a few hundred thousand items).
import { describe, expect, it } from 'vitest';
import { syntheticView } from '../../../bench/graph.js';
import { layoutGraph, MAX_ROUTED_ITEMS } from '../../../src/graph/render/layout.js';
import { svgOfLayout } from '../../../src/graph/render/svg.js';
import type { GraphView } from '../../../src/graph/render/view.js';

// 400 resources, each reading the previous one and the first: 400 layers, edges from the first
// spanning all of them (about 160,000 placeholders if routed).
function chainReadingFirst(n: number): GraphView {
  const v = syntheticView(n, 0);
  const nodes = v.nodes.map((node, i) => ({ ...node, layer: i }));
  const edges = nodes
    .slice(1)
    .flatMap((node, i) => [
      { from: `r${i}`, to: node.id, fields: ['data.prev'] },
      ...(i > 0 ? [{ from: 'r0', to: node.id, fields: ['data.first'] }] : []),
    ]);
  return { ...v, nodes, edges, layers: nodes.map((node) => [node.id]) };
}

describe('layout of large graphs', () => {
  it('draws 1,000 resources with about 5,000 edges by layers, every node and edge present', () => {
    const view = syntheticView(1_000, 5);
    expect(view.edges.length).toBeGreaterThan(4_900);
    const layout = layoutGraph(view);
    expect(layout.routed).toBe(false);
    expect(layout.title).toMatch(/too large to route/);
    expect(layout.nodes).toHaveLength(1_000);
    expect(layout.edges).toHaveLength(view.edges.length);
    // Within one layer, boxes do not overlap.
    const byLayer = new Map<number, typeof layout.nodes>();
    for (const n of layout.nodes) byLayer.set(n.node.layer, [...(byLayer.get(n.node.layer) ?? []), n]);
    for (const ns of byLayer.values()) {
      const sorted = [...ns].sort((a, b) => a.y - b.y || a.x - b.x);
      for (let i = 1; i < sorted.length; i++) {
        const a = sorted[i - 1]!;
        const b = sorted[i]!;
        const apart =
          layout.direction === 'lr'
            ? b.y - b.height / 2 >= a.y + a.height / 2
            : b.x - b.width / 2 >= a.x + a.width / 2 || b.y !== a.y;
        expect(apart).toBe(true);
      }
    }
    expect(svgOfLayout(layout, view)).toContain('data-node-id="r999"');
  });

  it('draws a 400-layer chain whose edges from the first resource span every layer', () => {
    const view = chainReadingFirst(400);
    const layout = layoutGraph(view);
    expect(layout.routed).toBe(false);
    expect(layout.nodes).toHaveLength(400);
    expect(Number.isFinite(layout.width) && Number.isFinite(layout.height)).toBe(true);
  });

  it('still routes graphs of the size people draw', () => {
    const view = syntheticView(60, 4);
    const layout = layoutGraph(view);
    expect(layout.routed).toBe(true);
    expect(layout.title).not.toMatch(/too large/);
    expect(MAX_ROUTED_ITEMS).toBe(2_000);
  });
});
