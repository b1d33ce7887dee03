// Integer literals outside int64 are refused by the loader instead of rounded.
import { describe, expect, it } from 'vitest';
import { int64Overflow } from '../../../src/rgd/int64.js';
import { parseYamlFile } from '../../../src/rgd/yaml.js';

describe('int64Overflow', () => {
  it('judges by the literal, not the rounded number', () => {
    expect(int64Overflow(2 ** 63, '9223372036854775808')).toBe('9223372036854775808');
    expect(int64Overflow(2 ** 63, '9223372036854775807')).toBeUndefined();
    expect(int64Overflow(-(2 ** 63), '-9223372036854775808')).toBeUndefined();
    expect(int64Overflow(-(2 ** 63), '-9223372036854775809')).toBe('-9223372036854775809');
    expect(int64Overflow(1.2345678901234568e29, '123456789012345678901234567890')).toBeDefined();
    expect(int64Overflow(2 ** 63, '0x8000000000000000')).toBe('0x8000000000000000');
    expect(int64Overflow(1e30, '1e30')).toBeUndefined();
    expect(int64Overflow(12, '12')).toBeUndefined();
  });
});

describe('the loader', () => {
  it('refuses 2^63 with its position and keeps int64 values', () => {
    const r = parseYamlFile({
      path: 'i.yaml',
      text: 'spec:\n  replicas: 9223372036854775808\n  ok: 9007199254740993\n',
    });
    expect(r.diagnostics.map((d) => [d.pos?.line, d.pos?.col, d.message])).toEqual([
      [2, 13, 'integer 9223372036854775808 is outside int64, the range of Kubernetes integers'],
    ]);
  });
});
