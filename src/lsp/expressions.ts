// Every `${...}` of an RGD document with where it sits and what it reads, for hover, definition,
// references and rename. Sites are found in the YAML tree (so offsets map back to the text
// exactly), their references by the same CEL parser and reference walk the graph builder uses.
import type { Document, Scalar } from 'yaml';
import { chainAt } from '../cel/cursor.js';
import { createKroEnvironment, NAMESPACE_IDENTIFIERS } from '../cel/environment.js';
import { findReferences } from '../cel/references.js';
import { type ExpressionMatch, extractExpressions } from '../cel/scanner.js';
import type { DocPath, Rgd } from '../rgd/model.js';
import { forEachString, nodeRange, offsetToValue, valueToOffset } from './yaml-nodes.js';

/** Where an expression sits in the RGD: which resource and which part of it, or the status. */
export interface SiteContext {
  /** The resource's id; undefined in `spec.schema.status`. */
  readonly resource?: string;
  readonly part: 'template' | 'externalRef' | 'readyWhen' | 'includeWhen' | 'forEach' | 'status' | 'other';
}

export interface ExpressionRef {
  readonly root: string;
  readonly path: readonly string[];
  /** Offsets inside the expression text. */
  readonly start: number;
  readonly end: number;
}

export interface ExpressionSite {
  readonly path: DocPath;
  readonly scalar: Scalar;
  readonly match: ExpressionMatch;
  readonly context: SiteContext;
  readonly refs: readonly ExpressionRef[];
}

const env = () => (sharedEnv ??= createKroEnvironment());
let sharedEnv: ReturnType<typeof createKroEnvironment> | undefined;

export function siteContext(rgd: Rgd, path: DocPath): SiteContext {
  if (path[0] !== 'spec') return { part: 'other' };
  if (path[1] === 'schema') return { part: path[2] === 'status' ? 'status' : 'other' };
  if (path[1] !== 'resources' || typeof path[2] !== 'number') return { part: 'other' };
  const r = rgd.resources.find((x) => x.index === path[2]);
  const part = path[3];
  const known = ['template', 'externalRef', 'readyWhen', 'includeWhen', 'forEach'] as const;
  const p = known.find((k) => k === part) ?? 'other';
  return { ...(r ? { resource: r.id } : {}), part: p };
}

/** References in one expression: from its AST when it parses, else read lexically (while typing). */
export function expressionRefs(text: string, resourceIds: ReadonlySet<string>): ExpressionRef[] {
  const namespaces = new Set(
    [...NAMESPACE_IDENTIFIERS].filter((n) => !resourceIds.has(n) && n !== 'runtime'),
  );
  try {
    const ast = env().parse(text).ast;
    return findReferences(ast, namespaces).map((r) => ({
      root: r.root,
      path: r.path,
      start: r.start,
      end: r.end,
    }));
  } catch {
    const out: ExpressionRef[] = [];
    const re = /[A-Za-z_][A-Za-z0-9_]*/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (text[m.index - 1] === '.' || text[m.index - 1] === '?') continue;
      const c = chainAt(text, m.index);
      if (!c || c.root !== m[0] || namespaces.has(c.root) || c.called) continue;
      let end = m.index + m[0].length;
      let i = 0;
      while (text[end] === '.' && /[A-Za-z_]/.test(text[end + 1] ?? '')) {
        const seg = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(end + 1))?.[0] ?? '';
        end += 1 + seg.length;
        i++;
      }
      const full = chainAt(text, end - 1);
      out.push({ root: m[0], path: full?.path.slice(0, i) ?? [], start: m.index, end });
    }
    return out;
  }
}

/** Every expression site of the RGD at `docIndex`. */
export function expressionSites(doc: Document.Parsed, rgd: Rgd): ExpressionSite[] {
  const ids = new Set(rgd.resources.map((r) => r.id));
  const out: ExpressionSite[] = [];
  forEachString(doc, (path, scalar) => {
    const value = scalar.value as string;
    if (!value.includes('${')) return;
    const found = extractExpressions(value);
    if (!found.ok) return;
    const context = siteContext(rgd, path);
    for (const match of found.value) {
      out.push({ path, scalar, match, context, refs: expressionRefs(match.expr, ids) });
    }
  });
  return out;
}

/** The document offsets of expression offsets [start, end) of a site. */
export function siteRange(
  text: string,
  site: ExpressionSite,
  start: number,
  end: number,
): [number, number] | undefined {
  const a = valueToOffset(text, site.scalar, site.match.innerStart + start);
  const b = valueToOffset(text, site.scalar, site.match.innerStart + end);
  return a === undefined || b === undefined ? undefined : [a, b];
}

/** The site a document offset falls in, and the offset inside its expression text. */
export function siteAt(
  text: string,
  sites: readonly ExpressionSite[],
  offset: number,
): { site: ExpressionSite; at: number } | undefined {
  for (const site of sites) {
    const r = nodeRange(site.scalar);
    if (!r || offset < r[0] || offset > r[1]) continue;
    const v = offsetToValue(text, site.scalar, offset);
    if (v === undefined) continue;
    if (v >= site.match.innerStart && v <= site.match.innerEnd)
      return { site, at: v - site.match.innerStart };
  }
  return undefined;
}
