// What the position an editor asks about points at, in an analysed file: a name inside an
// expression, a resource's `id`, a SimpleSchema field or type, or a field of an instance.
import type { Scalar } from 'yaml';
import { type ChainAt, chainAt } from '../cel/cursor.js';
import type { CelType } from '../cel/types.js';
import { listOf } from '../cel/types.js';
import type { GraphResource } from '../graph/model.js';
import type { DocPath } from '../rgd/model.js';
import type { SchemaNode, StructNode } from '../schema/model.js';
import { type ExpressionSite, expressionSites, siteAt } from './expressions.js';
import type { AnalyzedInstance, AnalyzedRgd, FileAnalysis } from './workspace.js';
import { hitAt } from './yaml-nodes.js';

export type Target =
  | {
      readonly kind: 'expression';
      readonly rgd: AnalyzedRgd;
      readonly site: ExpressionSite;
      /** Offset inside the expression text. */
      readonly at: number;
      readonly chain?: ChainAt;
    }
  | {
      readonly kind: 'resource-id';
      readonly rgd: AnalyzedRgd;
      readonly resource: GraphResource;
      readonly scalar: Scalar;
    }
  | {
      readonly kind: 'schema';
      readonly rgd: AnalyzedRgd;
      /** Path below `spec.schema` (`['spec', 'replicas']`, `['types', 'Port']`). */
      readonly path: DocPath;
      readonly part: 'key' | 'value';
      readonly scalar?: Scalar;
    }
  | {
      readonly kind: 'instance';
      readonly instance: AnalyzedInstance;
      readonly path: DocPath;
      readonly part: 'key' | 'value';
    };

const sitesCache = new WeakMap<AnalyzedRgd, ExpressionSite[]>();

/** The expression sites of an analysed RGD (cached with the analysis). */
export function sitesOf(a: FileAnalysis, rgd: AnalyzedRgd): ExpressionSite[] {
  let sites = sitesCache.get(rgd);
  if (!sites) {
    const doc = a.docs[rgd.rgd.docIndex];
    sites = doc ? expressionSites(doc, rgd.rgd) : [];
    sitesCache.set(rgd, sites);
  }
  return sites;
}

export function targetAt(a: FileAnalysis, offset: number): Target | undefined {
  const hit = hitAt(a.docs, offset);
  if (!hit) return undefined;
  if (a.kind === 'instance') {
    const instance = a.instances.find((i) => i.docIndex === hit.docIndex);
    return instance ? { kind: 'instance', instance, path: hit.path, part: hit.part } : undefined;
  }
  const rgd = a.rgds.find((r) => r.rgd.docIndex === hit.docIndex);
  if (!rgd) return undefined;
  const found = siteAt(a.text, sitesOf(a, rgd), offset);
  if (found) {
    const chain = chainAt(found.site.match.expr, found.at);
    return { kind: 'expression', rgd, site: found.site, at: found.at, ...(chain ? { chain } : {}) };
  }
  const p = hit.path;
  if (
    p[0] === 'spec' &&
    p[1] === 'resources' &&
    typeof p[2] === 'number' &&
    p[3] === 'id' &&
    p.length === 4
  ) {
    const resource = rgd.graph.resources.find((r) => r.index === p[2]);
    if (resource && hit.scalar && hit.part === 'value')
      return { kind: 'resource-id', rgd, resource, scalar: hit.scalar };
  }
  if (p[0] === 'spec' && p[1] === 'schema' && (p[2] === 'spec' || p[2] === 'types') && p.length > 3) {
    return {
      kind: 'schema',
      rgd,
      path: p.slice(2),
      part: hit.part,
      ...(hit.scalar ? { scalar: hit.scalar } : {}),
    };
  }
  return undefined;
}

/** The SimpleSchema node defined at document path `path`, searching spec and custom types. */
export function schemaNodeAt(rgd: AnalyzedRgd, path: DocPath): SchemaNode | undefined {
  const want = path.join('\u0000');
  let found: SchemaNode | undefined;
  const visit = (n: SchemaNode): void => {
    if (found) return;
    if (n.path.join('\u0000') === want) {
      found = n;
      return;
    }
    if (n.kind === 'struct') for (const f of n.fields) visit(f.node);
    else if (n.kind === 'array') visit(n.items);
    else if (n.kind === 'map') visit(n.values);
  };
  visit(rgd.schema.spec);
  for (const t of rgd.schema.types) visit(t.node);
  return found;
}

/** The node of `schema.spec` a select path (`['spec', 'a', 'b']`) reaches. */
export function specNodeOf(spec: StructNode, path: readonly string[]): SchemaNode | undefined {
  if (path[0] !== 'spec') return undefined;
  let cur: SchemaNode = spec;
  for (const seg of path.slice(1)) {
    if (cur.kind === 'struct') {
      const f: { node: SchemaNode } | undefined = cur.fields.find((x) => x.name === seg);
      if (!f) return undefined;
      cur = f.node;
    } else if (cur.kind === 'array' && seg === '[]') cur = cur.items;
    else if (cur.kind === 'map') cur = cur.values;
    else return undefined;
  }
  return cur;
}

/** The variables an expression at `site` can read, with their CEL types. */
export function variablesAt(
  a: FileAnalysis,
  rgd: AnalyzedRgd,
  context: ExpressionSite['context'],
): Map<string, CelType> {
  const vars = new Map<string, CelType>([['schema', rgd.graph.instance.schemaType]]);
  for (const r of rgd.graph.resources) {
    const t = resourceType(a, r);
    vars.set(r.id, r.type === 'collection' || r.type === 'externalCollection' ? listOf(t) : t);
  }
  const here = rgd.graph.resources.find((r) => r.id === context.resource);
  if (here && context.part !== 'forEach') {
    for (const d of here.forEach) vars.set(d.name, d.elementType ?? { kind: 'dyn' });
  }
  if (here && context.part === 'readyWhen' && here.type === 'collection')
    vars.set('each', resourceType(a, here));
  return vars;
}

const typeCache = new WeakMap<GraphResource, CelType>();

/** The CEL type of one object of a resource's kind (dyn when the kind is unknown). */
export function resourceType(a: FileAnalysis, r: GraphResource): CelType {
  let t = typeCache.get(r);
  if (!t) {
    const resolved = r.apiVersion && r.kind ? a.resolver.resolve(r.apiVersion, r.kind) : undefined;
    try {
      t = resolved ? resolved.celType(`__type_${r.id}`) : { kind: 'dyn' };
    } catch {
      t = { kind: 'dyn' };
    }
    typeCache.set(r, t);
  }
  return t;
}
