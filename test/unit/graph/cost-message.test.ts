import { describe, expect, it } from 'vitest';
import { costErrorMessage } from '../../../src/graph/validation-rules.js';

describe('costErrorMessage', () => {
  const factor = (cost: bigint): string =>
    /factor of (.+?) \(try/.exec(costErrorMessage('estimated rule cost', cost, 10_000_000n))?.[1] ?? '';

  it('prints the factor as the API server does: 6 decimals below 1.5x, 1 up to 100x, then a floor', () => {
    expect(factor(10_006_543n)).toBe('1.000654x');
    expect(factor(14_999_999n)).toBe('1.500000x');
    expect(factor(19_992_877n)).toBe('2.0x');
    expect(factor(1_000_000_001n)).toBe('more than 100x');
    expect(factor(1_000_000_000n)).toBe('100.0x');
  });

  it('rounds an exact half to even, as Go does', () => {
    expect(factor(22_500_000n)).toBe('2.2x');
    expect(factor(23_500_000n)).toBe('2.4x');
  });
});
