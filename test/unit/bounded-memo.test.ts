import { describe, expect, it } from 'vitest';
import { boundedMemo } from '../../src/bounded-memo.js';

describe('boundedMemo', () => {
  it('computes each key once, undefined results included', () => {
    const calls: string[] = [];
    const f = boundedMemo(10, (k) => {
      calls.push(k);
      return k === 'none' ? undefined : k.length;
    });
    expect([f('ab'), f('ab'), f('none'), f('none')]).toEqual([2, 2, undefined, undefined]);
    expect(calls).toEqual(['ab', 'none']);
  });

  it('starts over once it holds `limit` keys', () => {
    const calls: string[] = [];
    const f = boundedMemo(2, (k) => calls.push(k));
    f('a');
    f('b');
    f('c'); // full: forgets a and b, keeps c
    f('c');
    f('a');
    expect(calls).toEqual(['a', 'b', 'c', 'a']);
  });

  it('caches nothing when compute throws', () => {
    let n = 0;
    const f = boundedMemo(4, () => {
      n++;
      throw new Error('bad');
    });
    expect(() => f('x')).toThrow('bad');
    expect(() => f('x')).toThrow('bad');
    expect(n).toBe(2);
  });
});
