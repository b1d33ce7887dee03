// The resource graph as one self-contained HTML page: the SVG picture, a legend of the node styles,
// the topological order and the apply layers. No scripts, external fonts, styles or images.
import type { Graph } from '../model.js';
import { type Direction, FONT_FAMILY, layoutGraph } from './layout.js';
import { escapeXml as esc, NODE_STYLE, nodeStyle, svgOfLayout } from './svg.js';
import { type GraphView, graphView, type ViewNode } from './view.js';

function swatch(n: Pick<ViewNode, 'type' | 'includeWhen'>, stacked: boolean): string {
  const s = nodeStyle(n);
  const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : '';
  const rect = (d: number) =>
    `<rect x="${1 + d}" y="${1 + d}" width="34" height="18" rx="4" fill="${s.fill}" stroke="${s.stroke}" stroke-width="1.5"${dash}/>`;
  return `<svg width="42" height="26" viewBox="0 0 42 26" aria-hidden="true">${stacked ? rect(5) : ''}${rect(0)}</svg>`;
}

function legend(): string {
  const items: [string, string][] = [
    [swatch({ type: 'resource', includeWhen: [] }, false), 'a resource kro creates and keeps in sync'],
    [
      swatch({ type: 'collection', includeWhen: [] }, true),
      'a collection: one object per <code>forEach</code> item',
    ],
    [swatch({ type: 'external', includeWhen: [] }, false), 'an external reference: read, never created'],
    [
      swatch({ type: 'resource', includeWhen: ['x'] }, false),
      'created only when its <code>includeWhen</code> holds',
    ],
    [
      `<svg width="42" height="26" viewBox="0 0 42 26" aria-hidden="true"><path d="M2,13 H32" stroke="${NODE_STYLE.edge}" stroke-width="1.4"/><path d="M31,9 L39,13 L31,17 z" fill="${NODE_STYLE.edge}"/></svg>`,
      'the resource at the arrow head reads the one at its tail (the label says which fields), so it is applied after it',
    ],
  ];
  return `<ul class="legend">${items.map(([icon, text]) => `<li>${icon}<span>${text}</span></li>`).join('')}</ul>`;
}

function kindOf(view: GraphView): Map<string, string> {
  return new Map(view.nodes.map((n) => [n.id, `${n.kind} (${n.apiVersion})`]));
}

export function htmlOfView(view: GraphView, direction: Direction | 'auto' = 'auto'): string {
  const layout = layoutGraph(view, direction);
  const kinds = kindOf(view);
  const resource = (id: string) =>
    `<code>${esc(id)}</code> <span class="kind">${esc(kinds.get(id) ?? '')}</span>`;
  const order = view.topologicalOrder.map((id) => `<li>${resource(id)}</li>`).join('');
  const layers = view.layers
    .map((ids, i) => `<li><span class="layer">layer ${i + 1}</span> ${ids.map(resource).join(', ')}</li>`)
    .join('');
  const status =
    view.statusReads.length > 0
      ? `<p>The instance status reads ${view.statusReads.map((id) => `<code>${esc(id)}</code>`).join(', ')}.</p>`
      : '';
  const count = `${view.nodes.length} resource${view.nodes.length === 1 ? '' : 's'} in ${view.layers.length} apply layer${view.layers.length === 1 ? '' : 's'}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="kro-gen">
<title>${esc(view.name)}: kro resource graph</title>
<style>
body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; color: #1a202c; margin: 24px; line-height: 1.45; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 15px; margin: 24px 0 8px; }
code, .kind { font-family: ${FONT_FAMILY}; font-size: 13px; }
.kind { color: #718096; }
.graph { overflow: auto; border: 1px solid #e2e8f0; border-radius: 6px; margin: 16px 0; }
.graph svg { display: block; }
.legend { list-style: none; padding: 0; margin: 0; }
.legend li { display: flex; align-items: center; gap: 10px; margin: 4px 0; }
.legend svg { flex: none; }
.layer { display: inline-block; min-width: 64px; color: #718096; }
ol { padding-left: 28px; margin: 0; }
</style>
</head>
<body>
<h1>${esc(view.name)}</h1>
<p>Resource graph of the ResourceGraphDefinition <code>${esc(view.name)}</code>, instance kind <code>${esc(view.instance)}</code>: ${count}.</p>
${status}<div class="graph">
${svgOfLayout(layout, view)}</div>
<h2>Legend</h2>
${legend()}
<h2>Topological order</h2>
<p>kro's topological order (the RGD's <code>status.topologicalOrder</code>): dependencies first, ties in declaration order.</p>
<ol class="topological-order">${order}</ol>
<h2>Apply layers</h2>
<p>Each resource as early as its dependencies allow; resources of one layer do not depend on each other.</p>
<ol class="apply-layers">${layers}</ol>
</body>
</html>
`;
}

export function renderHtml(graph: Graph, direction: Direction | 'auto' = 'auto'): string {
  return htmlOfView(graphView(graph), direction);
}
