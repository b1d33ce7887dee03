// Props checked against the instance schema when a construct is created, so a bad value fails in the
// user's program, at the line that made it, instead of in the cluster. The checks are the API
// server's (src/schema/validate.ts), worded to name the offending value; each problem names the JSON
// path and the schema rule (the SimpleSchema marker, where there is one). CEL `validation=` rules are
// left to the API server.
import type { SchemaNode } from '../schema/model.js';
import { validateValue } from '../schema/validate.js';

export interface PropsProblem {
  /** JSON path from the object root, e.g. `spec.database.image`, `spec.labels["app.kubernetes.io/name"]`. */
  readonly path: string;
  /** The rule broken: a marker name (`enum`, `minimum`, `pattern`, ...), `type`, `required` or `unknown field`. */
  readonly rule: string;
  readonly message: string;
}

/** Every problem of a (defaulted) value at `path`, in document order. */
export function validateAgainst(node: SchemaNode, value: unknown, path: string): PropsProblem[] {
  return validateValue(node, value, { root: path, wording: 'detailed' }).map((p) => ({
    path: p.path,
    rule: p.rule,
    message: p.message,
  }));
}

/** `path: message (rule)`, one line. */
export function formatProblem(p: PropsProblem): string {
  return `${p.path}: ${p.message} (${p.rule})`;
}
