// The resource graph as a standalone SVG: the layout of layout.ts drawn with presentation
// attributes only (no CSS, scripts, fonts or links), so any viewer shows it the same way.
// Each node is a `<g data-node-id>`, each edge a `<g data-from data-to>`, for tools and tests.
import type { Graph } from '../model.js';
import {
  CAPTION_SIZE,
  type Direction,
  FONT_FAMILY,
  LABEL_PAD_X,
  LABEL_PAD_Y,
  type Layout,
  type LayoutNode,
  LINE_HEIGHT,
  layoutGraph,
  NODE_PAD_Y,
  NODE_TEXT,
  num,
  STACK_OFFSET,
  type TextLine,
  TITLE_SIZE,
} from './layout.js';
import { type GraphView, graphView, isCollection, isConditional, isExternal, type ViewNode } from './view.js';

export function escapeXml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export const ARROW_ID = 'kro-gen-arrow';

/** How each kind of node looks; the HTML legend draws the same. */
export const NODE_STYLE = {
  stroke: '#4a5568',
  fill: '#ffffff',
  conditionalFill: '#fff4d6',
  conditionalStroke: '#b7791f',
  externalFill: '#f2f5f9',
  externalDash: '5 3',
  edge: '#8391a7',
  band: '#f3f5f8',
} as const;

export function nodeStyle(n: Pick<ViewNode, 'type' | 'includeWhen'>): {
  fill: string;
  stroke: string;
  dash?: string;
} {
  const external = n.type === 'external' || n.type === 'externalCollection';
  const conditional = n.includeWhen.length > 0;
  return {
    fill: conditional ? NODE_STYLE.conditionalFill : external ? NODE_STYLE.externalFill : NODE_STYLE.fill,
    stroke: conditional ? NODE_STYLE.conditionalStroke : NODE_STYLE.stroke,
    ...(external ? { dash: NODE_STYLE.externalDash } : {}),
  };
}

function textLines(
  lines: readonly (TextLine | { text: string; size: number; color: string })[],
  x: number,
  top: number,
  anchor: 'middle' | 'start',
): string {
  let y = top;
  const out: string[] = [];
  for (const l of lines) {
    const h = l.size * LINE_HEIGHT;
    // The baseline a third of an em below the line's middle centres lower-case and capitals alike.
    const baseline = y + h / 2 + l.size * 0.34;
    const attrs = [
      `x="${num(x)}"`,
      `y="${num(baseline)}"`,
      `font-size="${l.size}"`,
      `fill="${l.color}"`,
      ...(anchor === 'middle' ? ['text-anchor="middle"'] : []),
      ...('bold' in l && l.bold ? ['font-weight="bold"'] : []),
      ...('italic' in l && l.italic ? ['font-style="italic"'] : []),
    ];
    out.push(`<text ${attrs.join(' ')}>${escapeXml(l.text)}</text>`);
    y += h;
  }
  return out.join('');
}

function nodeTitle(n: ViewNode): string {
  const lines = [`${n.id}: ${n.kind} (${n.apiVersion})`];
  if (n.forEach.length > 0) lines.push(`forEach: ${n.forEach.join(', ')}`);
  for (const e of n.includeWhen) lines.push(`includeWhen: ${e}`);
  for (const e of n.readyWhen) lines.push(`readyWhen: ${e}`);
  if (isExternal(n)) lines.push('external: read, never created');
  return lines.join('\n');
}

function drawNode(ln: LayoutNode): string {
  const n = ln.node;
  const style = nodeStyle(n);
  const stack = isCollection(n) ? STACK_OFFSET : 0;
  const w = ln.width - stack;
  const h = ln.height - stack;
  const left = ln.x - ln.width / 2;
  const top = ln.y - ln.height / 2;
  const dash = style.dash ? ` stroke-dasharray="${style.dash}"` : '';
  const rect = (dx: number) =>
    `<rect x="${dx}" y="${dx}" width="${num(w)}" height="${num(h)}" rx="6" fill="${style.fill}" stroke="${style.stroke}" stroke-width="1.5"${dash}/>`;
  const classes = ['node', n.type, ...(isConditional(n) ? ['conditional'] : [])].join(' ');
  return [
    `<g class="${classes}" data-node-id="${escapeXml(n.id)}" data-layer="${n.layer + 1}" transform="translate(${num(left)},${num(top)})">`,
    `<title>${escapeXml(nodeTitle(n))}</title>`,
    stack > 0 ? rect(stack) : '',
    rect(0),
    textLines(ln.lines, w / 2, NODE_PAD_Y, 'middle'),
    '</g>',
  ].join('');
}

/** The SVG of a laid-out graph. */
export function svgOfLayout(layout: Layout, view: GraphView): string {
  const { width, height } = layout;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(FONT_FAMILY)}" role="img" aria-label="${escapeXml(`resource graph of ${layout.title}`)}">`,
    `<title>${escapeXml(`kro resource graph: ${layout.title}`)}</title>`,
    `<defs><marker id="${ARROW_ID}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,1 L9,5 L0,9 z" fill="${NODE_STYLE.edge}"/></marker></defs>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="${num(layout.titleY)}" font-size="${TITLE_SIZE}" font-weight="bold" fill="#1a202c">${escapeXml(layout.title)}</text>`,
  );
  out.push('<g class="layers">');
  for (const l of layout.layers) {
    out.push(
      `<g class="layer" data-layer="${l.index + 1}"><rect x="${num(l.x)}" y="${num(l.y)}" width="${num(l.width)}" height="${num(l.height)}" rx="6" fill="${NODE_STYLE.band}"/>`,
      `<text x="${num(l.captionX)}" y="${num(l.captionY)}" font-size="${CAPTION_SIZE}" fill="#718096">layer ${l.index + 1}</text></g>`,
    );
  }
  out.push('</g><g class="edges">');
  for (const e of layout.edges) {
    const what = e.edge.fields.length > 0 ? `: ${e.edge.fields.join(', ')}` : '';
    out.push(
      `<g class="edge" data-from="${escapeXml(e.edge.from)}" data-to="${escapeXml(e.edge.to)}"><title>${escapeXml(`${e.edge.to} reads ${e.edge.from}${what}`)}</title>`,
      `<path d="${e.path}" fill="none" stroke="${NODE_STYLE.edge}" stroke-width="1.4" marker-end="url(#${ARROW_ID})"/></g>`,
    );
  }
  out.push('</g><g class="edge-labels">');
  for (const e of layout.edges) {
    const l = e.label;
    if (!l) continue;
    const left = l.x - l.width / 2;
    const top = l.y - l.height / 2;
    const lines = l.lines.map((text) => ({ text, ...NODE_TEXT.label }));
    out.push(
      `<g class="edge-label" data-from="${escapeXml(e.edge.from)}" data-to="${escapeXml(e.edge.to)}" transform="translate(${num(left)},${num(top)})">`,
      `<title>${escapeXml(e.edge.fields.join('\n'))}</title>`,
      `<rect width="${num(l.width)}" height="${num(l.height)}" rx="3" fill="#ffffff" stroke="#d5dbe3"/>`,
      textLines(lines, LABEL_PAD_X, LABEL_PAD_Y, 'start'),
      '</g>',
    );
  }
  out.push('</g><g class="nodes">');
  for (const n of layout.nodes) out.push(drawNode(n));
  out.push('</g>');
  if (view.nodes.length === 0) {
    out.push(`<text x="16" y="${num(layout.titleY + 24)}" font-size="12" fill="#718096">no resources</text>`);
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

export function renderSvg(graph: Graph, direction: Direction | 'auto' = 'auto'): string {
  const view = graphView(graph);
  return svgOfLayout(layoutGraph(view, direction), view);
}
