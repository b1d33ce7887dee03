// hashDocument: the header's content hash, of canonicalJson's text. canonicalJson prints through
// sorted copies of the objects out of order, and falls back to a walk for what no copy stands for:
// each case is checked against the definition (canonicalByWalk), whatever the shape of the RGD.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contentHash, hashDocument } from '../../../src/codegen/hash.js';
import type { JsonValue } from '../../../src/rgd/model.js';
import { canonicalJson } from '../../../src/runtime/json.js';
import { canonicalByWalk } from '../../helpers/canonical.js';

function expected(value: JsonValue, version: string): string {
  return createHash('sha256')
    .update(`${canonicalByWalk(value)}\nkro-gen@${version}`)
    .digest('hex');
}

function withProto(value: JsonValue, rest: Record<string, JsonValue>): Record<string, JsonValue> {
  const o: Record<string, JsonValue> = {};
  Object.defineProperty(o, '__proto__', { value, writable: true, enumerable: true, configurable: true });
  return Object.assign(o, rest);
}

const CASES: [string, JsonValue][] = [
  ['a scalar', 'x'],
  ['null', null],
  ['a bigint alone', 2n ** 64n],
  ['keys in order', { a: 1, b: { c: [1, 2], d: 'x' } }],
  ['keys out of order at the top', { b: 1, a: { c: 2, d: 3 } }],
  [
    'keys out of order deep inside lists',
    { a: [{ z: 1, y: [{ q: 1, p: null }] }, 'x', [3, { b: 1, a: 2 }]] },
  ],
  ['an in-order object beside an out-of-order one', { a: { b: 1, c: 2 }, b: { d: 1, c: 2 } }],
  ['index keys, in order as strings', { '1': 'a', '10': 'b', x: { b: 1, a: 1 } }],
  ['index keys out of order as strings', { '9': 1, '10': 2, a: 3 }],
  ['index keys in an object that is copied', { y: { '2': 1, '10': { b: 1, a: 2 } } }],
  ['a bigint in an out-of-order object', { b: 2n ** 70n, a: 1 }],
  ['a bigint in an in-order list', { a: [1, 2n ** 60n] }],
  ['a __proto__ key out of order', withProto({ b: 1, a: 2 }, { a: 1 })],
  ['a __proto__ key in order', { a: withProto('x', { z: 1 }) }],
  ['empty objects and lists', { b: {}, a: [] }],
  ['strings needing escapes as keys and values', { 'é"\\': 'line\nbreak', 'a\u2028': '\u0000' }],
];

describe('hashDocument', () => {
  it.each(CASES)('hashes the canonical JSON: %s', (_, value) => {
    expect(canonicalJson(value)).toBe(canonicalByWalk(value));
    expect(hashDocument(value, '1.2.3').hash).toBe(expected(value, '1.2.3'));
    expect(contentHash(value, '1.2.3')).toBe(expected(value, '1.2.3'));
  });

  it('does not change the document', () => {
    const value = { b: [{ d: 1, c: 2 }], a: { f: 1, e: 2 } };
    const before = JSON.stringify(value);
    hashDocument(value, '1');
    expect(JSON.stringify(value)).toBe(before);
    expect(Object.keys(value.b[0] as object)).toEqual(['d', 'c']);
  });

  it('says whether some list starts with a number', () => {
    expect(hashDocument({ a: ['x', 1], b: { c: [] } }, '1').numberLists).toBe(false);
    expect(hashDocument({ a: ['x', { b: [80, 443] }] }, '1').numberLists).toBe(true);
    expect(hashDocument([1.5], '1').numberLists).toBe(true);
    // In a part printed in order as well as in one copied.
    expect(hashDocument({ b: 1, a: { c: [2] } }, '1').numberLists).toBe(true);
  });
});
