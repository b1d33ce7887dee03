// Regular expressions with RE2 semantics (re2js), as cel-go's `matches` and Kubernetes'
// find/findAll use Go's regexp: matching time is linear in the input (no catastrophic
// backtracking on `(a+)+$`), and syntax RE2 rejects (lookaround, backreferences) is an error.
// The library's built-in `matches` uses JavaScript's RegExp, so it is replaced.
import { type Environment, EvaluationError } from '@marcbachmann/cel-js';
import { RE2JS } from 're2js';
import { charge, STRING_COST_DIVISOR } from '../budget.js';
import { replaceBuiltinFunction } from '../environment.js';
import type { CelLibrary } from '../library.js';

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

/** `s.matches(re)`: whether RE2 `re` matches anywhere in `s`. */
export function matches(s: string, pattern: string): boolean {
  const re = compileRe2(pattern);
  charge(1 + Math.ceil(s.length / STRING_COST_DIVISOR));
  return re.test(s);
}

function registerRegex(env: Environment): void {
  replaceBuiltinFunction(env, 'string.matches(string): bool', matches);
  env.registerFunction('matches(string, string): bool', matches);
}

export const regexLibrary: CelLibrary = {
  name: 'RE2 regular expressions for matches',
  register: registerRegex,
};
