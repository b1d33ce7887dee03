// A string field holding `${...}` expressions (in a template or the status), and how the graph
// records it: kro's expression text for the field, and each expression as a part with its
// position and type.
import type { ExpressionMatch } from '../cel/scanner.js';
import type { FieldExpression } from '../cel/template.js';
import type { CelType } from '../cel/types.js';
import type { DocPath, Rgd } from '../rgd/model.js';
import { definePos, type Site } from './build-state.js';
import type { ExpressionPart } from './model.js';

export interface RawField {
  readonly segments: DocPath;
  readonly path: string;
  /** The string value as written. */
  readonly value: string;
  readonly matches: readonly ExpressionMatch[];
  /** kro's expression text for the field: the CEL of a standalone `${e}`, else the concatenation. */
  readonly expression: string;
}

export function rawField(fe: FieldExpression): RawField {
  const value = fe.template ?? `\${${fe.matches[0]?.expr ?? fe.expression}}`;
  return { segments: fe.segments, path: fe.path, value, matches: fe.matches, expression: fe.expression };
}

export function part(
  m: ExpressionMatch,
  site: Site | undefined,
  type: CelType | undefined,
  rgd: Rgd,
): ExpressionPart {
  const out: { -readonly [K in keyof ExpressionPart]: ExpressionPart[K] } = {
    expression: m.expr,
    start: m.start,
    end: m.end,
  };
  if (site) definePos(out, () => rgd.loc.inString(site.docPath, m.start));
  if (type) out.type = type;
  return out;
}
