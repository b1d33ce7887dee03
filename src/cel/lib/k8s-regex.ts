// Kubernetes' CEL regex library (k8s.io/apiserver/pkg/cel/library/regex.go): `find` and
// `findAll` with Go's RE2 semantics (linear time; leftmost-first; an empty match right after a
// previous match is skipped by findAll).
import { type Environment, EvaluationError } from '@marcbachmann/cel-js';
import { boundedMemo } from '../../bounded-memo.js';
import { chargeList } from '../budget.js';
import type { CelLibrary } from '../library.js';
import { compileRe2, Re2SyntaxError } from '../re2.js';

/** The subset of re2js' Go-style RE2 object these functions use. */
interface GoStyleRe2 {
  find(s: string): string | null;
  findAll(s: string, n: number): string[] | null;
}

const compile = boundedMemo(256, (pattern: string): GoStyleRe2 => {
  try {
    return compileRe2(pattern).re2() as unknown as GoStyleRe2;
  } catch (e) {
    if (e instanceof Re2SyntaxError) throw new EvaluationError(`Illegal regex: ${e.message}`);
    throw e;
  }
});

/** `s.find(re)`: the leftmost match, or "" when there is none. */
export function find(s: string, pattern: string): string {
  return compile(pattern).find(s) ?? '';
}

/** `s.findAll(re[, n])`: successive non-overlapping matches; n < 0 means all, 0 means none. */
export function findAll(s: string, pattern: string, limit = -1n): string[] {
  const re = compile(pattern);
  const n = limit < 0n ? -1 : limit > BigInt(s.length + 1) ? s.length + 1 : Number(limit);
  const out = re.findAll(s, n) ?? [];
  chargeList(out.length);
  return out;
}

export const kubernetesRegexLibrary: CelLibrary = {
  name: 'kubernetes.regex',
  register(env: Environment): void {
    env.registerFunction('string.find(string): string', find);
    env.registerFunction('string.findAll(string): list<string>', (s: string, p: string) => findAll(s, p));
    env.registerFunction('string.findAll(string, int): list<string>', findAll);
  },
};
