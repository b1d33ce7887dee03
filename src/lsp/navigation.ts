// Definition, references and rename. A resource id in an expression leads to its `- id:`; a
// `schema.spec.x` path to the field in `spec.schema.spec` (or in the custom type that declares
// it); a custom type name in a SimpleSchema value to its declaration under `types`. References of
// a resource are every expression reading it; of a spec field, every `schema.spec...` path through
// it. Rename changes a resource's id and every reference to it.
import type { DocPath } from '../rgd/model.js';
import type { SchemaNode } from '../schema/model.js';
import { type ExpressionSite, siteRange } from './expressions.js';
import { sitesOf, specNodeOf, type Target, targetAt } from './target.js';
import type { AnalyzedRgd, FileAnalysis } from './workspace.js';
import { nodeAt, nodeRange, offsetToValue } from './yaml-nodes.js';

/** A span of the analysed document, as offsets. */
export type Span = readonly [number, number];

/** What a position names, for navigation: a resource, a spec field, or a custom type. */
type NamedThing =
  | { readonly kind: 'resource'; readonly rgd: AnalyzedRgd; readonly id: string }
  | { readonly kind: 'field'; readonly rgd: AnalyzedRgd; readonly path: readonly string[] }
  | { readonly kind: 'type'; readonly rgd: AnalyzedRgd; readonly name: string };

function symbolAt(a: FileAnalysis, offset: number): { symbol: NamedThing; span?: Span } | undefined {
  const t = targetAt(a, offset);
  if (!t) return undefined;
  if (t.kind === 'resource-id') {
    const r = nodeRange(t.scalar);
    return { symbol: { kind: 'resource', rgd: t.rgd, id: t.resource.id }, ...(r ? { span: r } : {}) };
  }
  if (t.kind === 'expression') return expressionSymbol(a, t);
  if (t.kind === 'schema') {
    if (t.part === 'key' && t.path[0] === 'spec') {
      return { symbol: { kind: 'field', rgd: t.rgd, path: t.path.map(String) } };
    }
    if (t.part === 'key' && t.path[0] === 'types' && t.path.length === 2) {
      return { symbol: { kind: 'type', rgd: t.rgd, name: String(t.path[1]) } };
    }
    // A custom type's name inside a SimpleSchema value (`[]Port | required=true`).
    if (t.scalar && typeof t.scalar.value === 'string') {
      const v = offsetToValue(a.text, t.scalar, offset);
      const value = t.scalar.value;
      if (v === undefined) return undefined;
      let s = v;
      let e = v;
      while (s > 0 && /\w/.test(value[s - 1] as string)) s--;
      while (e < value.length && /\w/.test(value[e] as string)) e++;
      const name = value.slice(s, e);
      const pipe = value.indexOf('|');
      if (name !== '' && (pipe < 0 || s < pipe) && t.rgd.schema.types.some((x) => x.name === name)) {
        return { symbol: { kind: 'type', rgd: t.rgd, name } };
      }
    }
  }
  return undefined;
}

function expressionSymbol(
  a: FileAnalysis,
  t: Extract<Target, { kind: 'expression' }>,
): { symbol: NamedThing; span?: Span } | undefined {
  const c = t.chain;
  if (!c || c.called) return undefined;
  const span = c.spans[c.at] as readonly [number, number];
  const r = siteRange(a.text, t.site, span[0], span[1]);
  const at = r ? { span: r } : {};
  if (c.root === 'schema' && c.path[0] === 'spec' && c.path.length > 1) {
    return {
      symbol: { kind: 'field', rgd: t.rgd, path: c.path.slice(0, Math.max(2, c.at)) as string[] },
      ...at,
    };
  }
  if (c.at === 0 && t.rgd.graph.resources.some((x) => x.id === c.root)) {
    return { symbol: { kind: 'resource', rgd: t.rgd, id: c.root }, ...at };
  }
  return undefined;
}

function keySpan(
  a: FileAnalysis,
  rgd: AnalyzedRgd,
  path: DocPath,
  part: 'key' | 'value' = 'key',
): Span | undefined {
  const doc = a.docs[rgd.rgd.docIndex];
  if (!doc) return undefined;
  const found = nodeAt(doc, path);
  return nodeRange(part === 'key' ? (found.key ?? found.node) : found.node);
}

/** Where the symbol is declared. */
function declaration(a: FileAnalysis, s: NamedThing): Span | undefined {
  switch (s.kind) {
    case 'resource': {
      const r = s.rgd.rgd.resources.find((x) => x.id === s.id);
      return r ? keySpan(a, s.rgd, ['spec', 'resources', r.index, 'id'], 'value') : undefined;
    }
    case 'type':
      return keySpan(a, s.rgd, ['spec', 'schema', 'types', s.name]);
    case 'field': {
      const node: SchemaNode | undefined = specNodeOf(s.rgd.schema.spec, s.path);
      return node ? keySpan(a, s.rgd, node.path) : keySpan(a, s.rgd, ['spec', 'schema', ...s.path]);
    }
  }
}

export function definition(a: FileAnalysis, offset: number): Span | undefined {
  const found = symbolAt(a, offset);
  return found ? declaration(a, found.symbol) : undefined;
}

/** Every use of the symbol in expressions, each span covering the name used (the id, the field). */
function uses(a: FileAnalysis, s: NamedThing): Span[] {
  if (s.kind === 'type') return [];
  const out: Span[] = [];
  for (const site of sitesOf(a, s.rgd)) {
    for (const ref of site.refs) {
      const span = useSpan(a, site, ref, s);
      if (span) out.push(span);
    }
  }
  return out;
}

function useSpan(
  a: FileAnalysis,
  site: ExpressionSite,
  ref: ExpressionSite['refs'][number],
  s: NamedThing,
): Span | undefined {
  if (s.kind === 'resource') {
    const self = site.context.part === 'readyWhen' && site.context.resource === s.id && ref.root === 'each';
    if (ref.root !== s.id && !self) return undefined;
    return siteRange(a.text, site, ref.start, ref.start + ref.root.length);
  }
  if (s.kind !== 'field' || ref.root !== 'schema') return undefined;
  if (s.path.some((p, i) => ref.path[i] !== p)) return undefined;
  // The span of the last segment of the field's path in the reference's text.
  const expr = site.match.expr;
  let i = ref.start + ref.root.length;
  let last: Span | undefined;
  for (const seg of s.path) {
    const at = expr.indexOf(seg, i);
    if (at < 0 || at >= ref.end) return undefined;
    last = [at, at + seg.length];
    i = at + seg.length;
  }
  return last ? siteRange(a.text, site, last[0], last[1]) : undefined;
}

export function references(a: FileAnalysis, offset: number, includeDeclaration: boolean): Span[] {
  const found = symbolAt(a, offset);
  if (!found) return [];
  const decl = declaration(a, found.symbol);
  const all = uses(a, found.symbol);
  return includeDeclaration && decl ? [decl, ...all] : all;
}

/** The span a rename at `offset` would change (resources only), for the editor's prepare step. */
export function renameSpan(a: FileAnalysis, offset: number): Span | undefined {
  const found = symbolAt(a, offset);
  return found?.symbol.kind === 'resource' ? found.span : undefined;
}

/** The edits that rename the resource at `offset`, or a reason it cannot be renamed. */
export function rename(
  a: FileAnalysis,
  offset: number,
  newName: string,
): { edits: { span: Span; text: string }[] } | { error: string } {
  const found = symbolAt(a, offset);
  if (found?.symbol.kind !== 'resource') return { error: 'only a resource id can be renamed' };
  const id = found.symbol.id;
  if (!/^[a-z][a-zA-Z0-9]*$/.test(newName))
    return { error: `"${newName}" is not a valid resource id (lowerCamelCase)` };
  if (found.symbol.rgd.rgd.resources.some((r) => r.id === newName))
    return { error: `resource "${newName}" already exists` };
  const decl = declaration(a, found.symbol);
  const spans = [...(decl ? [decl] : []), ...uses(a, found.symbol)];
  // `each` in a collection's readyWhen stays `each`.
  const edits = spans
    .filter(([s, e]) => a.text.slice(s, e) === id || decl?.[0] === s)
    .map((span) => ({ span, text: newName }));
  return { edits };
}
