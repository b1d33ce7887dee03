import { describe, expect, it } from 'vitest';
import { kubernetesQuantityLibrary } from '../../../src/cel/lib/k8s-quantity.js';
import {
  addQuantities,
  formatQuantity,
  parseQuantity,
  quantityFromInt64,
  subtractQuantities,
} from '../../../src/cel/lib/k8s-resource-quantity.js';
import { type Case, envWith, runTable } from '../../helpers/cel-table.js';

// Expected values and error texts below were produced by evaluating each expression with kro's
// own CEL environment (kro@0302e659: cel-go v0.31.0, k8s.io/apiserver v0.36.3, Go 1.26), not by
// the code under test. Ints are written as decimal strings so 64-bit values stay exact.
const QUANTITY_CASES: readonly Case[] = [
  { expr: "quantity('12Mi') == quantity('12582912')", type: 'bool', value: true },
  {
    expr: "quantity('10Mo')",
    error: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  },
  { expr: "quantity('10Mm')", error: "unable to parse quantity's suffix" },
  {
    expr: "quantity('')",
    error: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  },
  {
    expr: "quantity('Three')",
    error: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  },
  { expr: "quantity('Mi')", type: 'kubernetes.Quantity', value: '0' },
  { expr: "quantity('200K')", error: "unable to parse quantity's suffix" },
  {
    expr: "quantity('1,3G')",
    error: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  },
  {
    expr: "quantity('1 ')",
    error: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  },
  {
    expr: "quantity(' 1')",
    error: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  },
  {
    expr: "quantity('1.2.3')",
    error: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  },
  { expr: "quantity('1e')", error: "unable to parse quantity's suffix" },
  { expr: "quantity('1ee3')", error: "unable to parse quantity's suffix" },
  { expr: "quantity('1i')", error: "unable to parse quantity's suffix" },
  { expr: "quantity('-').asInteger()", type: 'int', value: '0' },
  { expr: "quantity('+').asInteger()", type: 'int', value: '0' },
  { expr: "quantity('.').asInteger()", type: 'int', value: '0' },
  { expr: "quantity('1.').asInteger()", type: 'int', value: '1' },
  { expr: "quantity('.5').asApproximateFloat()", type: 'double', value: 0.5 },
  { expr: "isQuantity('20')", type: 'bool', value: true },
  { expr: "isQuantity('20M')", type: 'bool', value: true },
  { expr: "isQuantity('20Mi')", type: 'bool', value: true },
  { expr: "isQuantity('20Mo')", type: 'bool', value: false },
  { expr: "isQuantity('10Mm')", type: 'bool', value: false },
  { expr: "isQuantity('1.3G')", type: 'bool', value: true },
  { expr: "isQuantity('1.3Gi')", type: 'bool', value: true },
  { expr: "isQuantity('10000k')", type: 'bool', value: true },
  { expr: "isQuantity('1e3')", type: 'bool', value: true },
  { expr: "isQuantity('1E3')", type: 'bool', value: true },
  { expr: "isQuantity('1e+3')", type: 'bool', value: true },
  { expr: "isQuantity('1e-3')", type: 'bool', value: true },
  { expr: "isQuantity('-1')", type: 'bool', value: true },
  { expr: "isQuantity('+1')", type: 'bool', value: true },
  { expr: "isQuantity('0x1')", type: 'bool', value: false },
  { expr: "isQuantity('1n')", type: 'bool', value: true },
  { expr: "isQuantity('1u')", type: 'bool', value: true },
  { expr: "isQuantity('1Ki')", type: 'bool', value: true },
  { expr: "isQuantity('1Ei')", type: 'bool', value: true },
  { expr: "isQuantity('1P')", type: 'bool', value: true },
  { expr: "isQuantity('1T')", type: 'bool', value: true },
  { expr: "isQuantity('1E')", type: 'bool', value: true },
  { expr: "isQuantity('1m')", type: 'bool', value: true },
  { expr: "isQuantity('1k')", type: 'bool', value: true },
  { expr: "isQuantity('1Kii')", type: 'bool', value: false },
  { expr: 'quantity("200M") == quantity("200M")', type: 'bool', value: true },
  {
    expr: 'quantity("200M") == quantity("0.2G") && quantity("0.2G") == quantity("200M")',
    type: 'bool',
    value: true,
  },
  { expr: 'quantity("200M") == quantity("0.3G")', type: 'bool', value: false },
  { expr: 'quantity("50M").isLessThan(quantity("50Mi"))', type: 'bool', value: true },
  { expr: 'quantity("50Mi").isGreaterThan(quantity("50M"))', type: 'bool', value: true },
  { expr: 'quantity("200M").compareTo(quantity("0.2G"))', type: 'int', value: '0' },
  { expr: 'quantity("50M").compareTo(quantity("50Mi"))', type: 'int', value: '-1' },
  { expr: 'quantity("50Mi").compareTo(quantity("50M"))', type: 'int', value: '1' },
  { expr: 'quantity("50k").add(quantity("20")) == quantity("50.02k")', type: 'bool', value: true },
  { expr: 'quantity("50k").add(20).isLessThan(quantity("50020"))', type: 'bool', value: false },
  { expr: 'quantity("50k").sub(quantity("20")) == quantity("49.98k")', type: 'bool', value: true },
  { expr: 'quantity("50k").sub(20) == quantity("49980")', type: 'bool', value: true },
  { expr: 'quantity("50k").add(20).sub(quantity("100k")).asInteger()', type: 'int', value: '-49980' },
  { expr: 'quantity("50k").add(20).sub(quantity("100k")).sub(-50000).asInteger()', type: 'int', value: '20' },
  { expr: 'quantity("50k").asInteger()', type: 'int', value: '50000' },
  {
    expr: 'quantity("9999999999999999999999999999999999999G").asInteger()',
    error: 'cannot convert value to integer',
  },
  { expr: 'quantity("9999999999999999999999999999999999999G").isInteger()', type: 'bool', value: false },
  { expr: 'quantity("50").isInteger()', type: 'bool', value: true },
  { expr: 'quantity("50.703k").asApproximateFloat()', type: 'double', value: 50703 },
  { expr: "quantity('1Gi').asInteger()", type: 'int', value: '1073741824' },
  { expr: "quantity('1.5Gi').asInteger()", error: 'cannot convert value to integer' },
  { expr: "quantity('1.5Gi').isInteger()", type: 'bool', value: false },
  { expr: "quantity('1.5Gi').asApproximateFloat()", type: 'double', value: 1610612736 },
  { expr: "quantity('1.0').isInteger()", type: 'bool', value: false },
  { expr: "quantity('1.5').isInteger()", type: 'bool', value: false },
  { expr: "quantity('1.5').asApproximateFloat()", type: 'double', value: 1.5 },
  { expr: "quantity('1Ei').isInteger()", type: 'bool', value: false },
  { expr: "quantity('1Ti').isInteger()", type: 'bool', value: true },
  { expr: "quantity('100Ti').isInteger()", type: 'bool', value: false },
  { expr: "quantity('100Ti').asApproximateFloat()", type: 'double', value: 109951162777600 },
  { expr: "quantity('8Ei').asApproximateFloat()", type: 'double', value: 9223372036854776000 },
  { expr: "quantity('8Ei') == quantity('9223372036854775807')", type: 'bool', value: true },
  { expr: "quantity('9Ei').compareTo(quantity('8Ei'))", type: 'int', value: '0' },
  { expr: "quantity('1e400').asApproximateFloat()", type: 'double', value: '+Inf' },
  { expr: "quantity('1e400').isInteger()", type: 'bool', value: false },
  { expr: "quantity('1e-400').asApproximateFloat()", type: 'double', value: 1e-9 },
  { expr: "quantity('1e-400').sign()", compileError: true },
  { expr: "quantity('0.1n').asApproximateFloat()", type: 'double', value: 1e-9 },
  { expr: "quantity('-0.1n').asApproximateFloat()", type: 'double', value: -1e-9 },
  { expr: "quantity('1e18').asInteger()", type: 'int', value: '1000000000000000000' },
  { expr: "quantity('1e19').isInteger()", type: 'bool', value: false },
  { expr: "quantity('9223372036854775807').asInteger()", error: 'cannot convert value to integer' },
  { expr: "quantity('9223372036854775808').isInteger()", type: 'bool', value: false },
  { expr: "quantity('-9223372036854775808').isInteger()", type: 'bool', value: false },
  { expr: "quantity('1k').add(quantity('1.5Gi')).asApproximateFloat()", type: 'double', value: 1610613736 },
  { expr: "quantity('1.5Gi').add(quantity('1k')).isInteger()", type: 'bool', value: false },
  { expr: "quantity('9223372036854775807').add(1).isInteger()", type: 'bool', value: false },
  {
    expr: "quantity('9223372036854775807').add(1).asApproximateFloat()",
    type: 'double',
    value: 9223372036854776000,
  },
  {
    expr: "quantity('9223372036854775807').add(1).compareTo(quantity('9223372036854775807'))",
    type: 'int',
    value: '1',
  },
  { expr: "quantity('-5').sign()", compileError: true },
  { expr: "sign(quantity('-5'))", type: 'int', value: '-1' },
  { expr: "sign(quantity('0'))", type: 'int', value: '0' },
  { expr: "sign(quantity('3m'))", type: 'int', value: '1' },
  { expr: "quantity('1').sign()", compileError: true },
  { expr: "quantity('0.5').add(quantity('0.5')).isInteger()", type: 'bool', value: false },
  { expr: "quantity('0.5').add(quantity('0.5')).asApproximateFloat()", type: 'double', value: 1 },
  { expr: "quantity('1m').asApproximateFloat()", type: 'double', value: 0.001 },
  { expr: "quantity('123456789012345678').asApproximateFloat()", type: 'double', value: 123456789012345680 },
  {
    expr: "quantity('1234567890123456789').asApproximateFloat()",
    type: 'double',
    value: 1234567890123457000,
  },
  { expr: "quantity('0.000000001').asApproximateFloat()", type: 'double', value: 1e-9 },
  { expr: "quantity('12345.6789e3').asApproximateFloat()", type: 'double', value: 12345678.9 },
  { expr: "quantity('1.23456789e-3').asApproximateFloat()", type: 'double', value: 0.0012345680000000001 },
  { expr: "quantity('1.5e-9').asApproximateFloat()", type: 'double', value: 2e-9 },
  { expr: "quantity('3e20').asApproximateFloat()", type: 'double', value: 300000000000000000000 },
  { expr: "quantity('3e32').asApproximateFloat()", type: 'double', value: 3e32 },
  { expr: "quantity('7e45').asApproximateFloat()", type: 'double', value: 7e45 },
  { expr: "quantity('123e-7').asApproximateFloat()", type: 'double', value: 1.2299999999999999e-5 },
  { expr: "quantity('1').add(0) == quantity('1')", type: 'bool', value: true },
  { expr: "quantity('0').add(5).asInteger()", type: 'int', value: '5' },
  { expr: "quantity('1').sub(quantity('1')).sign()", compileError: true },
  { expr: "quantity('5').add(-9223372036854775808).asInteger()", type: 'int', value: '-9223372036854775803' },
  { expr: "quantity('1e99999999999').asApproximateFloat()", type: 'double', value: '+Inf' },
  { expr: "quantity('1').isGreaterThan(quantity('1'))", type: 'bool', value: false },
  { expr: 'isQuantity(1)', compileError: true },
  { expr: "quantity('1') == 1", compileError: true },
  { expr: "string(quantity('1'))", compileError: true },
];

// Canonical text (Go's Quantity.String) of parsed and computed quantities.
const CANONICAL: readonly (readonly [string, string])[] = [
  ['12Mi', '12Mi'],
  ['Mi', '0'],
  ['-', '0'],
  ['.', '0'],
  ['1.', '1.'],
  ['.5', '500m'],
  ['1.5Gi', '1536Mi'],
  ['1.0', '1'],
  ['1.5', '1500m'],
  ['1Ei', '1Ei'],
  ['1Ti', '1Ti'],
  ['100Ti', '100Ti'],
  ['8Ei', '9223372036854775807'],
  ['9Ei', '9223372036854775807'],
  ['1e400', '10e399'],
  ['1e-400', '1e-9'],
  ['0.1n', '1n'],
  ['-0.1n', '-1n'],
  ['1e18', '1e18'],
  ['1e19', '10e18'],
  ['9223372036854775807', '9223372036854775807'],
  ['50.703k', '50.703k'],
  ['123456789012345678', '123456789012345678'],
  ['1234567890123456789', '1234567890123456789'],
  ['12345.6789e3', '12345678900e-3'],
  ['1.23456789e-3', '1234568e-9'],
  ['1.5e-9', '2e-9'],
  ['3e20', '300e18'],
  ['3e32', '300e30'],
  ['7e45', '7e45'],
  ['123e-7', '12300e-9'],
  ['1000E', '1'],
  ['+1k', '+1k'],
  ['01', '01'],
  ['1500m', '1500m'],
  ['1536Mi', '1536Mi'],
  ['0.5Gi', '512Mi'],
  ['1.1Ki', '1126400m'],
  ['2048', '2048'],
  ['1024Ki', '1Mi'],
  ['1025Ki', '1025Ki'],
  ['0.001Ki', '1024m'],
  ['-1.5Gi', '-1536Mi'],
  ['-2048', '-2048'],
  ['1e3', '1e3'],
  ['1000', '1k'],
  ['1000000', '1M'],
  ['1.5e3', '1500'],
  ['100m', '100m'],
  ['0.1', '100m'],
  ['2000Mi', '2000Mi'],
  ['1.5M', '1500k'],
  ['1000k', '1M'],
];

describe('kubernetes quantity library', () => {
  const env = envWith(kubernetesQuantityLibrary);
  runTable(env, QUANTITY_CASES);

  it.each(CANONICAL)('quantity(%j) prints as %j', (text, canonical) => {
    expect(formatQuantity(parseQuantity(text))).toBe(canonical);
  });

  it('formats computed quantities canonically', () => {
    const q = (s: string) => parseQuantity(s);
    expect(formatQuantity(addQuantities(q('1k'), q('1.5Gi')))).toBe('1610613736');
    expect(formatQuantity(addQuantities(q('0'), quantityFromInt64(5n, 'DecimalExponent')))).toBe('5');
    expect(formatQuantity(addQuantities(q('1Ki'), q('1e3')))).toBe('2024');
    expect(formatQuantity(subtractQuantities(q('1Ki'), q('1Ki')))).toBe('0');
    expect(formatQuantity(subtractQuantities(q('0'), q('1Ki')))).toBe('-1Ki');
    expect(formatQuantity(addQuantities(q('1.5Gi'), q('1.5Gi')))).toBe('3Gi');
  });

  // Kubernetes' add/sub return a pointer-wrapped value whose Equal rejects the other form, so
  // `quantity("1") == quantity("1").add(0)` is a "no such overload" error there. We compare by
  // value (docs/kro-differences.md).
  it('compares computed quantities by value', () => {
    expect(env.evaluate("quantity('1') == quantity('1').add(0)")).toBe(true);
    expect(env.evaluate("quantity('1').add(0) == quantity('1000m')")).toBe(true);
    expect(env.evaluate("quantity('1') != quantity('2')")).toBe(true);
  });

  // Kubernetes' Quantity.Equal answers "no such overload" for a value of another type, so
  // `dyn(quantity("1")) == 1` fails in kro (the oracle of test/fuzz/cel); CEL's heterogeneous
  // equality makes it false, as we answer (docs/kro-differences.md).
  it('compares with a value of another type as unequal', () => {
    expect(env.evaluate('dyn(quantity("1")) == 1')).toBe(false);
    expect(env.evaluate('dyn(quantity("1")) == []')).toBe(false);
    expect(env.evaluate('dyn(quantity("1")) != 1')).toBe(true);
  });

  // Go negates the int64 operand and wraps for the most negative value (5 - MinInt64 = a
  // negative number); we keep the exact difference (docs/kro-differences.md).
  it('subtracts the most negative int64 exactly', () => {
    const r = subtractQuantities(parseQuantity('5'), quantityFromInt64(-(1n << 63n), 'DecimalExponent'));
    expect(formatQuantity(r)).toBe('9223372036854775813');
    expect(env.evaluate("quantity('5').sub(-9223372036854775808).isInteger()")).toBe(false);
  });

  it('does not build huge numbers for extreme exponents', () => {
    expect(env.evaluate("quantity('1e2000000000').compareTo(quantity('1e1999999999'))")).toBe(1n);
    expect(env.evaluate("quantity('1e-2000000000').asApproximateFloat()")).toBe(1e-9);
    expect(env.evaluate("quantity('1e2000000000').isInteger()")).toBe(false);
  });

  it('has kubernetes.Quantity as its CEL type', () => {
    expect(String(env.evaluate("type(quantity('1'))"))).toContain('kubernetes.Quantity');
  });
});
