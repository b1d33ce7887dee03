import { describe, expect, it } from 'vitest';
import { apiServerCheckMessage, apiServerFunctionProblem } from '../../../src/cel/api-server-functions.js';
import { createKroEnvironment } from '../../../src/cel/environment.js';
import { kubernetesSetsLibrary } from '../../../src/cel/lib/k8s-sets.js';
import { TypeEnv } from '../../../src/cel/typecheck.js';
import { DYN } from '../../../src/cel/types.js';
import { type Case, envWith, runTable } from '../../helpers/cel-table.js';

// Expected values and messages below were produced by compiling and evaluating each expression in
// the API server's own environment for x-kubernetes-validations rules (k8s.io/apiserver v0.36.3,
// environment.MustBaseEnvSet(1.36).StoredExpressionsEnv(), cel-go v0.26.0, Go 1.26), not by the
// code under test.
const SETS_CASES: readonly Case[] = [
  { expr: 'sets.contains([1, 2, 3], [1, 2])', type: 'bool', value: true },
  { expr: 'sets.contains([], [])', type: 'bool', value: true },
  { expr: 'sets.contains([1], [])', type: 'bool', value: true },
  { expr: 'sets.contains([], [1])', type: 'bool', value: false },
  { expr: "sets.contains(['a'], ['A'])", type: 'bool', value: false },
  { expr: 'sets.equivalent([1, 1], [1])', type: 'bool', value: true },
  { expr: 'sets.equivalent([1], [1, 2])', type: 'bool', value: false },
  { expr: 'sets.intersects([1, 2], [3, 2])', type: 'bool', value: true },
  { expr: 'sets.intersects([], [])', type: 'bool', value: false },
  { expr: 'sets.intersects([[1]], [[1], [2]])', type: 'bool', value: true },
];

describe('cel-go ext.Sets', () => {
  runTable(envWith(kubernetesSetsLibrary), SETS_CASES);

  it('is in the API server rule environment only, not in kro', () => {
    expect(createKroEnvironment({ crdRules: true }).evaluate('sets.contains([1], [1])')).toBe(true);
    expect(createKroEnvironment().check('sets.contains([1], [1])').valid).toBe(false);
  });
});

// The API server's first compile error (same source as above) for names kro has and it lacks.
const MISSING: readonly (readonly [string, string])[] = [
  ['cel.bind(x, 1, x)', "undeclared reference to 'cel' (in container '')"],
  ["random.seededString(1, 'a')", "undeclared reference to 'random' (in container '')"],
  ["base64.encode(b'a')", "undeclared reference to 'base64' (in container '')"],
  ['dyn([1]).deepMerge({})', "undeclared reference to 'deepMerge' (in container '')"],
  ["'abc'.reverse()", "found no matching overload for 'reverse' applied to 'string.()'"],
];

describe('functions the API server rule environment lacks', () => {
  const env = TypeEnv.create(new Map([['self', DYN]]), { crdRules: true });
  it.each(MISSING)('%s', (expr, message) => {
    const r = env.check(expr);
    if (!r.ok || !r.ast) throw new Error(`kro-gen should check ${expr}`);
    expect(apiServerFunctionProblem(r.ast, new Set(['self']))?.message).toBe(message);
  });

  it.each(['[1].reverse()', 'sets.intersects(self, [1])', "self.exists(x, x == 'a')", 'lists.range(2)'])(
    '%s is declared',
    (expr) => {
      const r = env.check(expr);
      if (!r.ok || !r.ast) throw new Error(`kro-gen should check ${expr}`);
      expect(apiServerFunctionProblem(r.ast, new Set(['self']))).toBeUndefined();
    },
  );
});

// cel-go has no namespaces, only qualified function names: what a namespace lacks, and the
// namespace used as a value, are undeclared identifiers (same source as above).
describe('namespaces in the API server rule environment', () => {
  it.each([
    [
      "found no matching overload for 'sets.bogus' applied to '(string)'",
      "undeclared reference to 'sets' (in container '')",
    ],
    [
      "found no matching overload for '_==_' applied to '(FormatNamespace, int)'",
      "undeclared reference to 'format' (in container '')",
    ],
    [
      "found no matching overload for 'format.named' applied to '(int)'",
      "found no matching overload for 'format.named' applied to '(int)'",
    ],
  ])('%s', (checkMessage, apiServer) => {
    expect(apiServerCheckMessage(checkMessage)).toBe(apiServer);
  });
});
