// The API server's static cost estimate of a CEL expression (cel-go's checker.Cost with the
// Kubernetes library's call costs): see estimate.ts.
import type { ASTNode } from '@marcbachmann/cel-js';
import { estimateCost } from './estimate.js';
import { fromLibraryAst } from './expand.js';

/**
 * The most `ast` (type-checked by the library) may cost, or undefined when it uses something the
 * estimate does not model. `maxElements` gives the most characters, items or entries the data at
 * a size path (`self.tags.@items`) may hold, as the API server's sizeEstimator does. An
 * expression the estimate cannot walk is not costed rather than failing the command.
 */
export function maxStaticCost(
  ast: ASTNode,
  maxElements: (path: readonly string[]) => bigint | undefined,
): bigint | undefined {
  try {
    return estimateCost(fromLibraryAst(ast), (node) => {
      const max = node.path ? maxElements(node.path) : undefined;
      return max === undefined ? undefined : { min: 0n, max };
    }).max;
  } catch {
    // UnsupportedExpression, or a shape of the library's AST the expansion does not know: no
    // estimate, rather than an internal error.
    return undefined;
  }
}
