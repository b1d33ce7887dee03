// A string field holding `${...}` expressions (in a template or the status), and how the graph
// records it: kro's expression text for the field, and each expression as a part with its
// position and type.
import type { ExpressionMatch } from '../cel/scanner.js';
import type { FieldExpression } from '../cel/template.js';
import type { CelType } from '../cel/types.js';
import type { Rgd } from '../rgd/model.js';
import { definePos, type Site } from './build-state.js';
import type { ExpressionPart } from './model.js';

/**
 * A field as the template walk found it: the walk's own record, not a copy (a template holds
 * hundreds). `kind` 'standalone' is exactly a value that is one `${e}` (see classifyString).
 */
export type RawField = FieldExpression;

/** Whether the whole value is one `${...}`: the field then takes the expression's type. */
export function isStandalone(field: RawField): boolean {
  return field.kind === 'standalone';
}

/** The string value as written, for messages: only a template's is kept, a standalone one is `${e}`. */
export function fieldValue(field: RawField): string {
  return field.template ?? `\${${field.matches[0]?.expr ?? field.expression}}`;
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
