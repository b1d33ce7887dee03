// The API server's rule environment refuses list and map literals that mix types (cel-go's
// HomogeneousAggregateLiterals, an AST validator run after type-checking): `[1, 'a']` and
// `{'a': 1, 'b': 'x'}` compile in kro (which leaves the option off) but not in a CRD rule. As
// cel-go does, each element (or map key, or value) is compared with the first one's type, an
// optional element's or entry's by the type it holds, and literals anywhere inside a string's
// `format()` call are exempt (its argument list mixes types by design).
import type { ASTNode } from '@marcbachmann/cel-js';
import { isOptionalMarked } from './lib/literals.js';
import { childNodes } from './references.js';
import { type CelTypeTable, formatCelType, parseLibraryTypeName } from './types.js';

interface LibraryType {
  readonly name: string;
  readonly kind: string;
  readonly valueType?: LibraryType;
  readonly hasPlaceholderType?: boolean;
}

export interface MixedLiteralProblem {
  /** cel-go's words. */
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

const checked = (n: ASTNode): LibraryType | undefined => (n as { checkedType?: LibraryType }).checkedType;

/**
 * The first (by position) element, key or value of a literal in `ast` (type-checked, so each node
 * carries its type) whose type differs from the first one's, in cel-go's words.
 */
export function mixedLiteralProblem(ast: ASTNode, table: CelTypeTable): MixedLiteralProblem | undefined {
  const spelled = (n: ASTNode, optional: boolean): string | undefined => {
    let t = checked(n);
    if (optional && t?.kind === 'optional') t = t.valueType;
    // An empty literal's element type is still open here; cel-go has bound it to its neighbours'.
    if (!t || t.hasPlaceholderType) return undefined;
    return validatorSpelling(formatCelType(parseLibraryTypeName(t.name, table)));
  };
  const problems: MixedLiteralProblem[] = [];
  const mismatch = (n: ASTNode, expected: string, found: string): void => {
    problems.push({
      message: `expected type '${expected}' but found '${found}'`,
      start: n.start,
      end: n.end,
    });
  };
  const pending: ASTNode[] = [ast];
  while (pending.length > 0) {
    const n = pending.pop() as ASTNode;
    if (n.op === 'rcall' && n.args[0] === 'format') continue;
    if (n.op === 'list') {
      let first: string | undefined;
      for (const e of n.args) {
        const t = spelled(e, isOptionalMarked(e));
        if (t === undefined) continue;
        if (first === undefined) first = t;
        else if (t !== first) {
          mismatch(e, first, t);
          break;
        }
      }
    } else if (n.op === 'map') {
      let firstKey: string | undefined;
      let firstValue: string | undefined;
      for (const [k, v] of n.args) {
        const kt = spelled(k, false);
        const vt = spelled(v, isOptionalMarked(k));
        if (firstKey === undefined && firstValue === undefined) {
          firstKey = kt;
          firstValue = vt;
          continue;
        }
        if (kt !== undefined && firstKey !== undefined && kt !== firstKey) mismatch(k, firstKey, kt);
        if (vt !== undefined && firstValue !== undefined && vt !== firstValue) mismatch(v, firstValue, vt);
      }
    }
    pending.push(...childNodes(n));
  }
  problems.sort((a, b) => a.start - b.start);
  return problems[0];
}

/**
 * The validator spells types as cel-go's FormatCELType does, which differs from the checker's
 * messages (formatCelType) in three names.
 */
function validatorSpelling(checkerSpelling: string): string {
  return checkerSpelling
    .replace(/\bnull_type\b/g, 'null')
    .replace(/\bgoogle\.protobuf\.Timestamp\b/g, 'timestamp')
    .replace(/\bgoogle\.protobuf\.Duration\b/g, 'duration');
}
