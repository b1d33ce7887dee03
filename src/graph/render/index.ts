// Pictures of a resource graph: `kro-gen graph` picks one by format.
import type { Graph } from '../model.js';
import { renderDot } from './dot.js';
import { renderHtml } from './html.js';
import type { Direction } from './layout.js';
import { renderMermaid } from './mermaid.js';
import { renderSvg } from './svg.js';

export { renderDot } from './dot.js';
export { renderHtml } from './html.js';
export { type Direction, type Layout, layoutGraph } from './layout.js';
export { renderMermaid } from './mermaid.js';
export { renderSvg } from './svg.js';
export { type GraphView, graphView } from './view.js';

export const GRAPH_FORMATS = ['dot', 'mermaid', 'svg', 'html'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

export function renderGraph(
  graph: Graph,
  format: GraphFormat,
  direction: Direction | 'auto' = 'auto',
): string {
  switch (format) {
    case 'dot':
      return renderDot(graph, direction);
    case 'mermaid':
      return renderMermaid(graph, direction);
    case 'svg':
      return renderSvg(graph, direction);
    case 'html':
      return renderHtml(graph, direction);
  }
}
