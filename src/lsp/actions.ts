// Code actions for the fixes the diagnostics' messages suggest: take the "did you mean" name (for
// an unknown field, the nearest field the type has), wrap a part of a string template that is not
// a string in string(...), and guard a field read with `.?field.orValue(default)`.
import { chainAt } from '../cel/cursor.js';
import { fieldNames, selectType } from '../cel/fields.js';
import type { CelType } from '../cel/types.js';
import { siteAt, siteRange } from './expressions.js';
import { sitesOf, variablesAt } from './target.js';
import type { FileAnalysis } from './workspace.js';
import { valueToOffset } from './yaml-nodes.js';

export interface Fix {
  readonly title: string;
  readonly kind: 'quickfix' | 'refactor.rewrite';
  readonly edit: { readonly span: readonly [number, number]; readonly text: string };
  /** The diagnostic (by its message) the fix is for. */
  readonly diagnostic?: string;
}

export interface DiagnosticAt {
  readonly message: string;
  readonly span: readonly [number, number];
}

export function codeActions(
  a: FileAnalysis,
  span: readonly [number, number],
  diagnostics: readonly DiagnosticAt[],
): Fix[] {
  const out: Fix[] = [];
  for (const d of diagnostics) {
    const mean = /\(did you mean "([^"]+)"\?\)/.exec(d.message);
    if (mean)
      out.push({
        title: `Change to "${mean[1]}"`,
        kind: 'quickfix',
        edit: { span: d.span, text: mean[1] as string },
        diagnostic: d.message,
      });
    const field = /undefined field '([^']+)'/.exec(d.message);
    if (field) {
      const best = nearestField(a, d.span[0], field[1] as string);
      if (best)
        out.push({
          title: `Change to "${best}"`,
          kind: 'quickfix',
          edit: { span: d.span, text: best },
          diagnostic: d.message,
        });
    }
    if (d.message.includes('convert it with string(...)')) {
      const wrap = wrapInString(a, d.span[0]);
      if (wrap) out.push({ ...wrap, diagnostic: d.message });
    }
  }
  const guard = orValue(a, span[0]);
  if (guard) out.push(guard);
  return out;
}

function expressionAt(a: FileAnalysis, offset: number) {
  for (const rgd of a.rgds) {
    const found = siteAt(a.text, sitesOf(a, rgd), offset);
    if (found) return { rgd, ...found };
  }
  return undefined;
}

function levenshtein(x: string, y: string): number {
  const d = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    let prev = d[0] as number;
    d[0] = i;
    for (let j = 1; j <= y.length; j++) {
      const cur = d[j] as number;
      d[j] = Math.min(cur + 1, (d[j - 1] as number) + 1, prev + (x[i - 1] === y[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[y.length] as number;
}

function nearestField(a: FileAnalysis, offset: number, name: string): string | undefined {
  const e = expressionAt(a, offset);
  const c = e ? chainAt(e.site.match.expr, e.at) : undefined;
  if (!e || !c || c.path.length === 0) return undefined;
  const root = variablesAt(a, e.rgd, e.site.context).get(c.root);
  const base = root ? selectType(root, c.path.slice(0, -1)) : undefined;
  if (!base) return undefined;
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const f of fieldNames(base)) {
    const dist = levenshtein(name.toLowerCase(), f.toLowerCase());
    if (dist < bestD) [best, bestD] = [f, dist];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 2)) ? best : undefined;
}

function wrapInString(a: FileAnalysis, offset: number): Omit<Fix, 'diagnostic'> | undefined {
  for (const rgd of a.rgds) {
    for (const site of sitesOf(a, rgd)) {
      const s = valueToOffset(a.text, site.scalar, site.match.start);
      if (s !== offset) continue;
      const r = siteRange(a.text, site, 0, site.match.expr.length);
      if (!r) return undefined;
      return {
        title: 'Wrap in string(...)',
        kind: 'quickfix',
        edit: { span: r, text: `string(${site.match.expr})` },
      };
    }
  }
  const e = expressionAt(a, offset);
  if (!e) return undefined;
  const r = siteRange(a.text, e.site, 0, e.site.match.expr.length);
  return r
    ? {
        title: 'Wrap in string(...)',
        kind: 'quickfix',
        edit: { span: r, text: `string(${e.site.match.expr})` },
      }
    : undefined;
}

function zeroOf(t: CelType | undefined): string {
  if (!t) return 'null';
  if (t.kind === 'primitive')
    return t.name === 'string'
      ? '""'
      : t.name === 'bool'
        ? 'false'
        : t.name === 'double'
          ? '0.0'
          : t.name === 'int'
            ? '0'
            : 'null';
  if (t.kind === 'list') return '[]';
  if (t.kind === 'map' || t.kind === 'object') return '{}';
  return 'null';
}

function orValue(a: FileAnalysis, offset: number): Fix | undefined {
  const e = expressionAt(a, offset);
  const c = e ? chainAt(e.site.match.expr, e.at) : undefined;
  if (!e || !c || c.called || c.path.length === 0 || c.at === 0) return undefined;
  const seg = c.spans[c.at] as readonly [number, number];
  const expr = e.site.match.expr;
  if (expr[seg[0] - 1] !== '.' || expr[seg[0] - 2] === '?' || c.path[c.at - 1] === '[]') return undefined;
  const root = variablesAt(a, e.rgd, e.site.context).get(c.root);
  const t = root ? selectType(root, c.path.slice(0, c.at)) : undefined;
  const r = siteRange(a.text, e.site, seg[0] - 1, seg[1]);
  if (!r) return undefined;
  const name = expr.slice(seg[0], seg[1]);
  return {
    title: `Guard with .?${name}.orValue(${zeroOf(t)})`,
    kind: 'refactor.rewrite',
    edit: { span: r, text: `.?${name}.orValue(${zeroOf(t)})` },
  };
}
