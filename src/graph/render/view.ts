// What every picture of a resource graph shows, independent of the output format: one node per
// resource with the facts that change how it is applied (collection, external, conditional), one
// edge per dependency labelled with the dependent's fields that read the other resource, and the
// forward apply layers.
import type { Graph, GraphResource, NodeType } from '../model.js';

export interface ViewNode {
  readonly id: string;
  readonly kind: string;
  readonly apiVersion: string;
  readonly type: NodeType;
  /** Declaration index, the tie-breaker everywhere. */
  readonly index: number;
  /** includeWhen expressions (CEL without `${}`); the node is created only when all hold. */
  readonly includeWhen: readonly string[];
  /** forEach dimension names. */
  readonly forEach: readonly string[];
  readonly readyWhen: readonly string[];
  /** Position in graph.layers. */
  readonly layer: number;
}

export interface ViewEdge {
  /** The resource read. */
  readonly from: string;
  /** The resource that reads it (and is applied after it). */
  readonly to: string;
  /** Where `to` reads `from`: field paths, `includeWhen`, `forEach <name>`. */
  readonly fields: readonly string[];
}

export interface GraphView {
  readonly name: string;
  /** The instance kind, e.g. `WordPress (kro.run/v1alpha1)`. */
  readonly instance: string;
  readonly nodes: readonly ViewNode[];
  readonly edges: readonly ViewEdge[];
  /** Node ids per forward apply layer. */
  readonly layers: readonly (readonly string[])[];
  readonly topologicalOrder: readonly string[];
  /** Resources the instance status reads. */
  readonly statusReads: readonly string[];
}

export const isCollection = (n: ViewNode): boolean =>
  n.type === 'collection' || n.type === 'externalCollection';
export const isExternal = (n: ViewNode): boolean => n.type === 'external' || n.type === 'externalCollection';
export const isConditional = (n: ViewNode): boolean => n.includeWhen.length > 0;

function fieldsReading(r: GraphResource, dep: string): string[] {
  const out: string[] = [];
  for (const v of r.variables) if (v.references.includes(dep) && !out.includes(v.path)) out.push(v.path);
  for (const d of r.forEach) if (d.expression.references.includes(dep)) out.push(`forEach ${d.name}`);
  if (r.includeWhen.some((e) => e.references.includes(dep))) out.push('includeWhen');
  return out;
}

/**
 * The view of a graph. Layers come from the graph; a graph without them (it had a cycle) gets one
 * layer per resource in declaration order, so it can still be drawn.
 */
export function graphView(graph: Graph): GraphView {
  const layers: (readonly string[])[] =
    graph.layers.length > 0 || graph.resources.length === 0
      ? graph.layers.map((l) => [...l])
      : graph.resources.map((r) => [r.id]);
  const layerOf = new Map<string, number>();
  layers.forEach((ids, i) => {
    for (const id of ids) layerOf.set(id, i);
  });
  const ids = new Set(graph.resources.map((r) => r.id));
  const nodes: ViewNode[] = graph.resources.map((r) => ({
    id: r.id,
    kind: r.kind,
    apiVersion: r.apiVersion,
    type: r.type,
    index: r.index,
    includeWhen: r.includeWhen.map((e) => e.expression),
    forEach: r.forEach.map((d) => d.name),
    readyWhen: r.readyWhen.map((e) => e.expression),
    layer: layerOf.get(r.id) ?? 0,
  }));
  const edges: ViewEdge[] = [];
  for (const r of graph.resources) {
    for (const dep of r.dependencies) {
      if (!ids.has(dep) || dep === r.id) continue;
      edges.push({ from: dep, to: r.id, fields: fieldsReading(r, dep) });
    }
  }
  const i = graph.instance;
  return {
    name: graph.name,
    instance: `${i.kind} (${i.apiVersion})`,
    nodes,
    edges,
    layers,
    topologicalOrder: graph.topologicalOrder,
    statusReads: i.dependencies,
  };
}

// ---------------------------------------------------------------------------------------------
// Abbreviating labels
// ---------------------------------------------------------------------------------------------

/** Splits a kro field path at the dots that separate fields (not those inside `["a.b"]`). */
function pathSegments(path: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  let quote = false;
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (quote) {
      if (c === '\\') {
        cur += c + (path[i + 1] ?? '');
        i++;
        continue;
      }
      if (c === '"') quote = false;
    } else if (c === '"') quote = true;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '.' && depth === 0) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out;
}

const ELLIPSIS = '…';

/** Cuts the middle out of `s` so it is at most `max` characters. */
export function shorten(s: string, max: number): string {
  if (s.length <= max) return s;
  const keep = max - 1;
  const head = Math.ceil(keep / 2);
  return `${s.slice(0, head)}${ELLIPSIS}${s.slice(s.length - (keep - head))}`;
}

/**
 * A field path in at most `max` characters: its last fields, which say most (`…secretKeyRef.name`
 * rather than `spec.template.spec…`).
 */
export function abbreviatePath(path: string, max = 36): string {
  if (path.length <= max) return path;
  const segs = pathSegments(path);
  let tail = segs[segs.length - 1]!;
  for (let i = segs.length - 2; i >= 0; i--) {
    const next = `${segs[i]}.${tail}`;
    if (next.length + 1 > max) break;
    tail = next;
  }
  return tail.length + 1 <= max ? `${ELLIPSIS}${tail}` : shorten(tail, max);
}

/** The lines of an edge label: a few abbreviated fields, then how many more. */
export function edgeLabelLines(fields: readonly string[], maxLines = 3, maxWidth = 36): string[] {
  const shown = fields.length <= maxLines ? fields : fields.slice(0, maxLines - 1);
  const lines = shown.map((f) => abbreviatePath(f, maxWidth));
  if (shown.length < fields.length) lines.push(`+${fields.length - shown.length} more`);
  return lines;
}

/** The extra line under a node's kind: what makes it special, or nothing. */
export function nodeNotes(n: ViewNode, maxWidth = 36): string[] {
  const notes: string[] = [];
  if (n.forEach.length > 0) notes.push(shorten(`forEach ${n.forEach.join(', ')}`, maxWidth));
  if (n.type === 'externalCollection') notes.push('external: all matching a selector');
  else if (isExternal(n)) notes.push('external (read only)');
  if (isConditional(n)) notes.push(shorten(`if ${n.includeWhen.join(' && ')}`, maxWidth));
  return notes;
}
