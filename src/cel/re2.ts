// RE2 compilation for CEL's regular expressions (cel-go's `matches`, Kubernetes' find/findAll):
// Go's regexp semantics through re2js, Go's error wording, and a bounded cache. Kept apart from
// the libraries so the checker can compile constant patterns too.
import { EvaluationError } from '@marcbachmann/cel-js';
import { RE2JS } from 're2js';

const CACHE_LIMIT = 1000;
const cache = new Map<string, RE2JS | Error>();

/** Thrown for a pattern RE2 cannot compile; the message is Go's ("error parsing regexp: ..."). */
export class Re2SyntaxError extends EvaluationError {}

// Go's regexp/syntax error text: `error parsing regexp: <code>: \`<expr>\``, the expression
// quoted even when empty (re2js leaves the empty one out).
function goRegexpMessage(msg: string): string {
  const m = msg.startsWith('error parsing regexp') ? msg : `error parsing regexp: ${msg}`;
  return m.endsWith('trailing backslash at end of expression') ? `${m}: \`\`` : m;
}

/**
 * Compiles `pattern` with RE2 syntax, from a bounded cache. Throws Re2SyntaxError (an
 * EvaluationError) for patterns RE2 rejects.
 */
export function compileRe2(pattern: string): RE2JS {
  let re = cache.get(pattern);
  if (re === undefined) {
    try {
      re = RE2JS.compile(pattern);
    } catch (e) {
      re = new Re2SyntaxError(goRegexpMessage((e as Error).message));
    }
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(pattern, re);
  }
  if (re instanceof Error) throw new Re2SyntaxError(re.message);
  return re;
}
