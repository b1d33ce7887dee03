// Document symbols: per RGD its schema fields (nested as written) and custom types, and its
// resources with their kinds; per instance its spec fields.
import { isMap, isScalar, type Node } from 'yaml';
import type { FileAnalysis } from './workspace.js';
import { nodeAt, nodeRange } from './yaml-nodes.js';

// The protocol's SymbolKind numbers.
const KIND = { Namespace: 3, Class: 5, Property: 7, Field: 8, Struct: 23, Object: 19 } as const;

export interface OutlineSymbol {
  readonly name: string;
  readonly detail?: string;
  readonly kind: number;
  /** The whole entry, and its name. */
  readonly span: readonly [number, number];
  readonly nameSpan: readonly [number, number];
  readonly children?: OutlineSymbol[];
}

function fields(node: Node | undefined, keyKind: number): OutlineSymbol[] {
  if (!isMap(node)) return [];
  const out: OutlineSymbol[] = [];
  for (const pair of node.items) {
    if (!isScalar(pair.key)) continue;
    const k = nodeRange(pair.key);
    const v = nodeRange(pair.value) ?? k;
    if (!k || !v) continue;
    const value = pair.value as Node | null;
    const children = fields(value ?? undefined, keyKind);
    out.push({
      name: String(pair.key.value),
      ...(isScalar(value) ? { detail: String(value.value) } : {}),
      kind: children.length > 0 ? KIND.Struct : keyKind,
      span: [k[0], Math.max(k[1], v[1])],
      nameSpan: k,
      ...(children.length > 0 ? { children } : {}),
    });
  }
  return out;
}

export function documentSymbols(a: FileAnalysis): OutlineSymbol[] {
  const out: OutlineSymbol[] = [];
  for (const r of a.rgds) {
    const doc = a.docs[r.rgd.docIndex];
    if (!doc) continue;
    const whole = nodeRange(doc.contents) ?? [0, 0];
    const children: OutlineSymbol[] = [];
    for (const part of ['spec', 'types', 'status'] as const) {
      const { node, key } = nodeAt(doc, ['spec', 'schema', part]);
      const k = nodeRange(key);
      const v = nodeRange(node);
      if (!k || !v) continue;
      children.push({
        name: `schema.${part}`,
        kind: KIND.Namespace,
        span: [k[0], v[1]],
        nameSpan: k,
        children: fields(node, part === 'types' ? KIND.Class : KIND.Field),
      });
    }
    for (const res of r.graph.resources) {
      const { node } = nodeAt(doc, ['spec', 'resources', res.index]);
      const id = nodeAt(doc, ['spec', 'resources', res.index, 'id']).node;
      const span = nodeRange(node);
      const nameSpan = nodeRange(id) ?? span;
      if (!span || !nameSpan) continue;
      children.push({
        name: res.id,
        detail: `${res.kind} (${res.apiVersion})`,
        kind: KIND.Object,
        span,
        nameSpan,
      });
    }
    out.push({
      name: r.rgd.name,
      detail: `ResourceGraphDefinition ${r.rgd.schema.kind}`,
      kind: KIND.Class,
      span: whole,
      nameSpan: whole,
      children,
    });
  }
  for (const i of a.instances) {
    const doc = a.docs[i.docIndex];
    if (!doc) continue;
    const whole = nodeRange(doc.contents) ?? [0, 0];
    const { node } = nodeAt(doc, ['spec']);
    const meta = i.object.metadata;
    const name = meta && typeof meta === 'object' && !Array.isArray(meta) ? String(meta.name) : '?';
    out.push({
      name,
      detail: i.rgd.schema.kind,
      kind: KIND.Object,
      span: whole,
      nameSpan: whole,
      children: fields(node, KIND.Field),
    });
  }
  return out;
}
