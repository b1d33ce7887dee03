// goParseInt64 and goParseFloat64 check their syntax a character at a time; here against the
// regexes they stand for (the functions as they were written with them).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exactInteger } from '../../../src/rgd/int64.js';
import { goParseFloat64, goParseInt64, goParseInt64Value } from '../../../src/schema/gostrconv.js';

const params = { numRuns: Number(process.env.FC_RUNS ?? 3000), seed: Number(process.env.FC_SEED ?? 11) };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function regexInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

// Up to the hexadecimal form, which goParseFloat64 still reads with its regex.
function regexFloat64(s: string): number | undefined | 'other' {
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return Number.NaN;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
    const v = Number(s);
    return Number.isFinite(v) ? v : undefined;
  }
  return 'other';
}

const chars = (alphabet: string, maxLength = 10) =>
  fc.string({ unit: fc.constantFrom(...alphabet), maxLength });
const words = fc
  .tuple(
    fc.constantFrom('', '+', '-', '+-'),
    fc.constantFrom('inf', 'INF', 'Infinity', 'iNfInItY', 'nan', 'NaN', 'infinit', 'ınf', 'nan ', 'ſnan'),
  )
  .map(([sign, word]) => sign + word);

describe('goParseInt64', () => {
  it('reads what /^[+-]?[0-9]+$/ accepts, within int64', () => {
    for (const s of [
      '0',
      '-1',
      '+7',
      '',
      '+',
      '-',
      '1_0',
      ' 1',
      '1 ',
      '9223372036854775807',
      '9223372036854775808',
      '٣',
    ])
      expect(goParseInt64(s), JSON.stringify(s)).toBe(regexInt64(s));
    fc.assert(
      fc.property(chars('+-0159a _.', 22), (s) => goParseInt64(s) === regexInt64(s)),
      params,
    );
  });
});

describe('goParseInt64Value', () => {
  it('is goParseInt64 as exactInteger gives it, without a bigint up to 15 digits', () => {
    const same = (s: string) => {
      const v = goParseInt64(s);
      const want = v === undefined ? undefined : exactInteger(v);
      expect(Object.is(goParseInt64Value(s), want), JSON.stringify(s)).toBe(true);
      return true;
    };
    for (const s of [
      '0',
      '-0',
      '+0',
      '007',
      '-1',
      '999999999999999',
      '-9999999999999999',
      '9007199254740993',
    ])
      same(s);
    same('9223372036854775807');
    same('9223372036854775808');
    same('-9223372036854775808');
    fc.assert(fc.property(chars('+-0123456789 ', 21), same), params);
  });
});

describe('goParseFloat64', () => {
  const agrees = (s: string) => {
    const want = regexFloat64(s);
    if (want !== 'other') expect(Object.is(goParseFloat64(s), want), JSON.stringify(s)).toBe(true);
    // Not decimal, inf or nan, and without the `p` of a hexadecimal float: no number.
    else expect(goParseFloat64(s), JSON.stringify(s)).toBeUndefined();
    return true;
  };
  it('reads decimal floats, inf and nan as the regexes did', () => {
    for (const s of [
      '1',
      '1.',
      '.5',
      '.',
      '1e5',
      '1e',
      'e1',
      '+1.5E-3',
      '-0',
      '1e400',
      '--1',
      '1.2.3',
      '٣',
      '5 ',
    ])
      agrees(s);
    fc.assert(fc.property(fc.oneof(chars('+-019.eE x'), words), agrees), params);
  });
  it('keeps hexadecimal floats and refuses the rest', () => {
    expect(goParseFloat64('0x1p4')).toBe(16);
    expect(goParseFloat64('-0x1.8p1')).toBe(-3);
    expect(goParseFloat64('abc')).toBeUndefined();
    expect(goParseFloat64('ınf')).toBeUndefined();
  });
});
