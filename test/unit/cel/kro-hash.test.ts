import { describe, expect, it } from 'vitest';
import { fnv64a, kroHashLibrary, md5, sha256 } from '../../../src/cel/lib/kro-hash.js';
import { kroJsonLibrary } from '../../../src/cel/lib/kro-json.js';
import { type Case, envWith, runTable } from '../../helpers/cel-table.js';

// Expected values and error texts below were produced by evaluating each expression with kro's
// own CEL environment (kro@0302e659: cel-go v0.31.0, k8s.io/apiserver v0.36.3, Go 1.26), not by
// the code under test. Ints are written as decimal strings so 64-bit values stay exact.
const HASH_CASES: readonly Case[] = [
  {
    expr: "json.marshal(hash.sha256('x'))",
    type: 'string',
    value: '"LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE="',
  },
  { expr: "hash.fnv64a('hello world')", type: 'bytes', value: 'd5pl5wI80uc=' },
  { expr: "hash.fnv64a('')", type: 'bytes', value: 'y/Kc5IQiIyU=' },
  {
    expr: "hash.sha256('hello world')",
    type: 'bytes',
    value: 'uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=',
  },
  { expr: "hash.sha256('')", type: 'bytes', value: '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' },
  { expr: "hash.md5('hello world')", type: 'bytes', value: 'XrY7u+Ae7tCTyyK7j1rNww==' },
  { expr: "hash.md5('')", type: 'bytes', value: '1B2M2Y8AsgTpgAmY7PhCfg==' },
  { expr: 'hash.fnv64a(123)', compileError: true },
  { expr: 'hash.sha256(123)', compileError: true },
  { expr: 'hash.md5(123)', compileError: true },
];

describe('kro hash library', () => {
  const env = envWith(kroHashLibrary, kroJsonLibrary);
  runTable(env, HASH_CASES);

  it('returns bytes of the digest length', () => {
    expect(fnv64a('x')).toHaveLength(8);
    expect(sha256('x')).toHaveLength(32);
    expect(md5('x')).toHaveLength(16);
  });

  // FNV-1a 64 reference vectors (offset basis for "", and "a").
  it('matches FNV-1a 64 reference values', () => {
    expect(Buffer.from(fnv64a('')).toString('hex')).toBe('cbf29ce484222325');
    expect(Buffer.from(fnv64a('a')).toString('hex')).toBe('af63dc4c8601ec8c');
  });
});
