// Regular expressions with RE2 semantics (re2js), as cel-go's `matches` and Kubernetes'
// find/findAll use Go's regexp: matching time is linear in the input (no catastrophic
// backtracking on `(a+)+$`), and syntax RE2 rejects (lookaround, backreferences) is an error.
// The library's built-in `matches` uses JavaScript's RegExp, so it is replaced.
import type { Environment } from '@marcbachmann/cel-js';
import { charge, STRING_COST_DIVISOR } from '../budget.js';
import type { CelLibrary } from '../library.js';
import { compileRe2 } from '../re2.js';
import { replaceBuiltinFunction } from '../registration.js';

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
