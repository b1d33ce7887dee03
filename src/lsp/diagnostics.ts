// Diagnostics as an editor shows them: the stages' messages unchanged, each spread from the point
// the stage reports (`file:line:col`) over the whole token or expression it is about: the
// identifier inside a `${...}` it names, the whole `${...}` when it points at its start, else the
// YAML scalar (or, inside one, the word) it points at.
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { Diagnostic } from '../diagnostics.js';
import { siteAt, siteRange } from './expressions.js';
import { sitesOf } from './target.js';
import type { FileAnalysis } from './workspace.js';
import { hitAt, nodeRange, valueToOffset } from './yaml-nodes.js';

const IDENT = /[A-Za-z0-9_]/;
const SOURCE = 'kro-gen';

/** The document offsets a diagnostic covers. */
export function diagnosticRange(a: FileAnalysis, d: Diagnostic): [number, number] {
  if (!d.pos) return [0, 0];
  const offset = a.lines.offsetOfLineCol(d.pos.line, d.pos.col);
  return inExpression(a, offset) ?? inYaml(a, offset) ?? restOfLine(a, offset);
}

function inExpression(a: FileAnalysis, offset: number): [number, number] | undefined {
  for (const rgd of a.rgds) {
    const sites = sitesOf(a, rgd);
    // A point at the `$` of `${` (or at its first CEL character) means the whole expression.
    for (const site of sites) {
      const dollar = valueToOffset(a.text, site.scalar, site.match.start);
      if (dollar === offset) return wholeSite(a, site);
    }
    const found = siteAt(a.text, sites, offset);
    if (!found) continue;
    const expr = found.site.match.expr;
    if (found.at === 0) return wholeSite(a, found.site);
    let s = found.at;
    let e = found.at;
    while (s > 0 && IDENT.test(expr[s - 1] as string)) s--;
    while (e < expr.length && IDENT.test(expr[e] as string)) e++;
    if (e === s) e = expr.length;
    return siteRange(a.text, found.site, s, e);
  }
  return undefined;
}

function wholeSite(a: FileAnalysis, site: Parameters<typeof siteRange>[1]): [number, number] | undefined {
  const s = valueToOffset(a.text, site.scalar, site.match.start);
  const e = valueToOffset(a.text, site.scalar, site.match.end);
  return s === undefined || e === undefined ? undefined : [s, e];
}

function inYaml(a: FileAnalysis, offset: number): [number, number] | undefined {
  const hit = hitAt(a.docs, offset);
  const r = hit?.scalar ? nodeRange(hit.scalar) : undefined;
  if (!r || r[1] <= r[0]) return undefined;
  if (r[0] === offset) return r;
  let e = offset;
  while (e < r[1] && !/\s/.test(a.text[e] as string)) e++;
  return e > offset ? [offset, e] : undefined;
}

function restOfLine(a: FileAnalysis, offset: number): [number, number] {
  let e = offset;
  while (e < a.text.length && a.text[e] !== '\n') e++;
  while (e > offset && /\s/.test(a.text[e - 1] as string)) e--;
  return [offset, Math.max(e, Math.min(offset + 1, a.text.length))];
}

/** The analysis's diagnostics in the protocol's shape. */
export function toLspDiagnostics(a: FileAnalysis, extra: readonly Diagnostic[] = []): LspDiagnostic[] {
  return [...a.diagnostics, ...extra].map((d) => {
    const [s, e] = diagnosticRange(a, d);
    return {
      range: a.lines.range(s, e),
      severity: d.severity === 'error' ? 1 : 2,
      message: d.message,
      source: SOURCE,
      ...(d.code ? { code: d.code } : {}),
    };
  });
}
