import { describe, expect, it } from 'vitest';
import { find, findAll, kubernetesRegexLibrary } from '../../../src/cel/lib/k8s-regex.js';
import { type Case, envWith, runTable } from '../../helpers/cel-table.js';

// Expected values and error texts below were produced by evaluating each expression with kro's
// own CEL environment (kro@0302e659: cel-go v0.31.0, k8s.io/apiserver v0.36.3, Go 1.26), not by
// the code under test. Ints are written as decimal strings so 64-bit values stay exact.
const REGEX_CASES: readonly Case[] = [
  { expr: '"abc 123".find("[0-9]+")', type: 'string', value: '123' },
  { expr: '"abc 123".find("xyz")', type: 'string', value: '' },
  { expr: '"abc".find("b+")', type: 'string', value: 'b' },
  { expr: '"a1b2".findAll("[0-9]")', type: 'list', value: ['1', '2'] },
  { expr: '"123 abc 456".findAll("[0-9]+")', type: 'list', value: ['123', '456'] },
  { expr: '"123 abc 456".findAll("[0-9]+", 1)', type: 'list', value: ['123'] },
  { expr: '"123 abc 456".findAll("[0-9]+", 0)', type: 'list', value: [] },
  { expr: '"123 abc 456".findAll("[0-9]+", -1)', type: 'list', value: ['123', '456'] },
  { expr: '"123 abc 456".findAll("[0-9]+", 5)', type: 'list', value: ['123', '456'] },
  { expr: '"123 abc 456".findAll("xyz")', type: 'list', value: [] },
  { expr: '"abc".findAll("")', type: 'list', value: ['', '', '', ''] },
  { expr: '"abc".findAll("a*")', type: 'list', value: ['a', '', ''] },
  { expr: '"baaab".findAll("a*")', type: 'list', value: ['', 'aaa', ''] },
  { expr: '"abc".find("")', type: 'string', value: '' },
  { expr: '"abc".find("[")', error: 'Illegal regex: error parsing regexp: missing closing ]: `[`' },
  { expr: '"abc".findAll("(")', error: 'Illegal regex: error parsing regexp: missing closing ): `(`' },
  {
    expr: '"abc".find("(?=a)")',
    error: 'Illegal regex: error parsing regexp: invalid or unsupported Perl syntax: `(?=`',
  },
  {
    expr: '"aaa".find("a{1001}")',
    error: 'Illegal regex: error parsing regexp: invalid repeat count: `{1001}`',
  },
  { expr: '"héllo".findAll(".")', type: 'list', value: ['h', 'é', 'l', 'l', 'o'] },
  { expr: '"héllo".find("l+")', type: 'string', value: 'll' },
  { expr: '"ABC".find("(?i)b")', type: 'string', value: 'B' },
  { expr: '"a\\nb".findAll("^.")', type: 'list', value: ['a'] },
  { expr: '"a\\nb".findAll("(?m)^.")', type: 'list', value: ['a', 'b'] },
  { expr: '"abab".findAll("ab|a")', type: 'list', value: ['ab', 'ab'] },
  { expr: '"xyz".find("\\\\d")', type: 'string', value: '' },
  { expr: '"x".find("\\\\p{Greek}")', type: 'string', value: '' },
  { expr: '"abc".find("a(b)c")', type: 'string', value: 'abc' },
  { expr: '"abc".find("[" + "")', error: 'Illegal regex: error parsing regexp: missing closing ]: `[`' },
  {
    expr: '"abc".findAll("(" + "", 1)',
    error: 'Illegal regex: error parsing regexp: missing closing ): `(`',
  },
];

describe('kubernetes regex library', () => {
  const env = envWith(kubernetesRegexLibrary);
  runTable(env, REGEX_CASES);

  it('runs in linear time on patterns that are exponential for backtracking engines', () => {
    expect(find(`${'a'.repeat(5000)}!`, '(a+)+$')).toBe('');
  });

  it('clamps huge limits', () => {
    expect(findAll('a1b2', '[0-9]', 9223372036854775807n)).toEqual(['1', '2']);
  });
});
