import { describe, expect, it } from 'vitest';
import { kubernetesIpLibrary } from '../../../src/cel/lib/k8s-ip.js';
import { kubernetesQuantityLibrary } from '../../../src/cel/lib/k8s-quantity.js';
import { parseQuantity } from '../../../src/cel/lib/k8s-resource-quantity.js';
import { kroHashLibrary } from '../../../src/cel/lib/kro-hash.js';
import { jsonMarshal, jsonUnmarshal, kroJsonLibrary } from '../../../src/cel/lib/kro-json.js';
import { kroMapsLibrary } from '../../../src/cel/lib/kro-maps.js';
import { OMIT } from '../../../src/cel/omit.js';
import { formatGoDuration as goDurationString } from '../../../src/cel/values.js';
import { type Case, envWith, runTable } from '../../helpers/cel-table.js';

// Expected values and error texts below were produced by evaluating each expression with kro's
// own CEL environment (kro@0302e659: cel-go v0.31.0, k8s.io/apiserver v0.36.3, Go 1.26), not by
// the code under test. Ints are written as decimal strings so 64-bit values stay exact.
const JSON_CASES: readonly Case[] = [
  {
    expr: 'json.unmarshal(\'{"name": "test", "count": 42}\')',
    type: 'map',
    value: { count: 42, name: 'test' },
  },
  { expr: "json.unmarshal('[1, 2, 3]')", type: 'list', value: [1, 2, 3] },
  { expr: 'json.unmarshal(\'"hello"\')', type: 'string', value: 'hello' },
  { expr: "json.unmarshal('123')", type: 'double', value: 123 },
  { expr: "json.unmarshal('true')", type: 'bool', value: true },
  { expr: "json.unmarshal('null') == null", type: 'bool', value: true },
  { expr: 'json.unmarshal(\'{"nested": {"value": "deep"}}\').nested.value', type: 'string', value: 'deep' },
  { expr: "json.unmarshal('[1, 2, 3]')[1]", type: 'double', value: 2 },
  {
    expr: 'json.unmarshal(\'{"invalid"}\')',
    error: "json.unmarshal failed to parse JSON: invalid character '}' after object key",
  },
  { expr: "json.unmarshal('')", error: 'json.unmarshal failed to parse JSON: unexpected end of JSON input' },
  { expr: 'json.unmarshal(123)', compileError: true },
  {
    expr: "json.unmarshal('1e400')",
    error:
      'json.unmarshal failed to parse JSON: json: cannot unmarshal number 1e400 into Go value of type float64',
  },
  { expr: 'json.unmarshal(\'{"a":1,"a":2}\').a', type: 'double', value: 2 },
  {
    expr: "json.unmarshal('[1,]')",
    error: "json.unmarshal failed to parse JSON: invalid character ']' looking for beginning of value",
  },
  {
    expr: 'json.unmarshal(\'{"a" 1}\')',
    error: "json.unmarshal failed to parse JSON: invalid character '1' after object key",
  },
  {
    expr: 'json.unmarshal(\'{"a":1\')',
    error: 'json.unmarshal failed to parse JSON: unexpected end of JSON input',
  },
  {
    expr: "json.unmarshal('tru')",
    error: "json.unmarshal failed to parse JSON: invalid character ' ' in literal true (expecting 'e')",
  },
  {
    expr: "json.unmarshal('truex')",
    error: "json.unmarshal failed to parse JSON: invalid character 'x' after top-level value",
  },
  {
    expr: "json.unmarshal('1 2')",
    error: "json.unmarshal failed to parse JSON: invalid character '2' after top-level value",
  },
  { expr: 'json.unmarshal(\'"\\\\ud800"\')', type: 'string', value: '�' },
  { expr: 'json.unmarshal(\'"a\\\\u00e9b"\')', type: 'string', value: 'aéb' },
  {
    expr: 'json.unmarshal(\'"a\\\\qb"\')',
    error: "json.unmarshal failed to parse JSON: invalid character 'q' in string escape code",
  },
  { expr: "json.unmarshal(' [ ] ')", type: 'list', value: [] },
  {
    expr: "json.unmarshal('01')",
    error: "json.unmarshal failed to parse JSON: invalid character '1' after top-level value",
  },
  {
    expr: "json.unmarshal('-')",
    error: "json.unmarshal failed to parse JSON: invalid character ' ' in numeric literal",
  },
  {
    expr: "json.unmarshal('1.')",
    error:
      "json.unmarshal failed to parse JSON: invalid character ' ' after decimal point in numeric literal",
  },
  {
    expr: "json.unmarshal('1e')",
    error: "json.unmarshal failed to parse JSON: invalid character ' ' in exponent of numeric literal",
  },
  {
    expr: "json.unmarshal('.5')",
    error: "json.unmarshal failed to parse JSON: invalid character '.' looking for beginning of value",
  },
  {
    expr: "json.unmarshal('\"abc')",
    error: 'json.unmarshal failed to parse JSON: unexpected end of JSON input',
  },
  {
    expr: 'json.unmarshal(\'{"a":}\')',
    error: "json.unmarshal failed to parse JSON: invalid character '}' looking for beginning of value",
  },
  {
    expr: "json.unmarshal('{,}')",
    error:
      "json.unmarshal failed to parse JSON: invalid character ',' looking for beginning of object key string",
  },
  {
    expr: "json.unmarshal('[1 2]')",
    error: "json.unmarshal failed to parse JSON: invalid character '2' after array element",
  },
  {
    expr: "json.unmarshal('nul')",
    error: "json.unmarshal failed to parse JSON: invalid character ' ' in literal null (expecting 'l')",
  },
  {
    expr: 'json.unmarshal(\'"\\t"\')',
    error: "json.unmarshal failed to parse JSON: invalid character '\\t' in string literal",
  },
  {
    expr: "json.unmarshal('\\'x\\'')",
    error: "json.unmarshal failed to parse JSON: invalid character '\\'' looking for beginning of value",
  },
  { expr: 'json.unmarshal(\'{"a":[1,{"b":null}]}\')', type: 'map', value: { a: [1, { b: null }] } },
  { expr: "json.unmarshal('-0')", type: 'double', value: -0 },
  { expr: "json.unmarshal('1E+2')", type: 'double', value: 100 },
  { expr: 'json.unmarshal(\'"\\\\u0041\\\\n\\\\/"\')', type: 'string', value: 'A\n/' },
  { expr: "json.unmarshal('[')", error: 'json.unmarshal failed to parse JSON: unexpected end of JSON input' },
  { expr: "json.unmarshal('{')", error: 'json.unmarshal failed to parse JSON: unexpected end of JSON input' },
  {
    expr: 'json.unmarshal(\'{"a":1,}\')',
    error:
      "json.unmarshal failed to parse JSON: invalid character '}' looking for beginning of object key string",
  },
  {
    expr: 'json.unmarshal(\'"\\\\x"\')',
    error: "json.unmarshal failed to parse JSON: invalid character 'x' in string escape code",
  },
  {
    expr: 'json.unmarshal(\'"\\\\u12"\')',
    error: "json.unmarshal failed to parse JSON: invalid character '\"' in \\u hexadecimal character escape",
  },
  {
    expr: 'json.unmarshal(\'"\\\\u12zz"\')',
    error: "json.unmarshal failed to parse JSON: invalid character 'z' in \\u hexadecimal character escape",
  },
  {
    expr: "json.unmarshal('[1]x')",
    error: "json.unmarshal failed to parse JSON: invalid character 'x' after top-level value",
  },
  {
    expr: 'json.unmarshal(\'{"a":1}}\')',
    error: "json.unmarshal failed to parse JSON: invalid character '}' after top-level value",
  },
  {
    expr: "json.unmarshal('  ')",
    error: 'json.unmarshal failed to parse JSON: unexpected end of JSON input',
  },
  {
    expr: "json.unmarshal('[-]')",
    error: "json.unmarshal failed to parse JSON: invalid character ']' in numeric literal",
  },
  {
    expr: "json.unmarshal('[1.e5]')",
    error:
      "json.unmarshal failed to parse JSON: invalid character 'e' after decimal point in numeric literal",
  },
  {
    expr: "json.unmarshal('[1e+]')",
    error: "json.unmarshal failed to parse JSON: invalid character ']' in exponent of numeric literal",
  },
  {
    expr: "json.unmarshal('[+1]')",
    error: "json.unmarshal failed to parse JSON: invalid character '+' looking for beginning of value",
  },
  {
    expr: "json.unmarshal('[true false]')",
    error: "json.unmarshal failed to parse JSON: invalid character 'f' after array element",
  },
  {
    expr: 'json.unmarshal(\'{"a":1 "b":2}\')',
    error: "json.unmarshal failed to parse JSON: invalid character '\"' after object key:value pair",
  },
  {
    expr: "json.unmarshal('fals')",
    error: "json.unmarshal failed to parse JSON: invalid character ' ' in literal false (expecting 'e')",
  },
  {
    expr: "json.unmarshal('nulx')",
    error: "json.unmarshal failed to parse JSON: invalid character 'x' in literal null (expecting 'l')",
  },
  { expr: 'json.unmarshal(\'"\\u00e9"\')', type: 'string', value: 'é' },
  { expr: 'json.unmarshal(\'"\\\\uD83D\\\\uDE00"\')', type: 'string', value: '😀' },
  { expr: 'json.unmarshal(\'"\\\\uDE00\\\\uD83D"\')', type: 'string', value: '��' },
  {
    expr: 'json.marshal({"name": "test", "count": 42})',
    type: 'string',
    value: '{"count":42,"name":"test"}',
  },
  { expr: 'json.marshal([1, 2, 3])', type: 'string', value: '[1,2,3]' },
  { expr: 'json.marshal("hello")', type: 'string', value: '"hello"' },
  { expr: 'json.marshal(42)', type: 'string', value: '42' },
  { expr: 'json.marshal(true)', type: 'string', value: 'true' },
  { expr: 'json.marshal(null)', type: 'string', value: 'null' },
  {
    expr: 'json.marshal({"outer": {"inner": "value"}})',
    type: 'string',
    value: '{"outer":{"inner":"value"}}',
  },
  {
    expr: 'json.marshal(json.unmarshal(\'{"name":"test","count":42}\'))',
    type: 'string',
    value: '{"count":42,"name":"test"}',
  },
  { expr: 'json.marshal(b"hello")', type: 'string', value: '"aGVsbG8="' },
  { expr: 'json.marshal(18446744073709551615u)', type: 'string', value: '18446744073709551615' },
  {
    expr: 'json.marshal("<a href=\'x\'>&</a>")',
    type: 'string',
    value: '"\\u003ca href=\'x\'\\u003e\\u0026\\u003c/a\\u003e"',
  },
  { expr: 'json.marshal("\\u2028\\u2029")', type: 'string', value: '"\\u2028\\u2029"' },
  { expr: 'json.marshal("tab\\there\\nnl\\"q\\\\b")', type: 'string', value: '"tab\\there\\nnl\\"q\\\\b"' },
  { expr: 'json.marshal("\\x01\\x1f\\x7f")', type: 'string', value: '"\\u0001\\u001f"' },
  { expr: 'json.marshal(1.5)', type: 'string', value: '1.5' },
  { expr: 'json.marshal(1.0)', type: 'string', value: '1' },
  { expr: 'json.marshal(-0.0)', type: 'string', value: '-0' },
  { expr: 'json.marshal(1e21)', type: 'string', value: '1e+21' },
  { expr: 'json.marshal(1e20)', type: 'string', value: '100000000000000000000' },
  { expr: 'json.marshal(1e-6)', type: 'string', value: '0.000001' },
  { expr: 'json.marshal(1e-7)', type: 'string', value: '1e-7' },
  { expr: 'json.marshal(123456789.123)', type: 'string', value: '123456789.123' },
  { expr: 'json.marshal(0.000001234)', type: 'string', value: '0.000001234' },
  { expr: 'json.marshal(1.7976931348623157e308)', type: 'string', value: '1.7976931348623157e+308' },
  { expr: 'json.marshal(5e-324)', type: 'string', value: '5e-324' },
  {
    expr: "json.marshal(double('NaN'))",
    error: 'json.marshal failed to encode value: json: unsupported value: NaN',
  },
  {
    expr: "json.marshal(double('Inf'))",
    error: 'json.marshal failed to encode value: json: unsupported value: +Inf',
  },
  {
    expr: "json.marshal({'b': 1, 'a': 2, 'A': 3, '_': 4, 'é': 5, 'aa': 6})",
    type: 'string',
    value: '{"A":3,"_":4,"a":2,"aa":6,"b":1,"é":5}',
  },
  { expr: "json.marshal(duration('1h2m3.5s'))", type: 'string', value: '"1h2m3.5s"' },
  { expr: "json.marshal(duration('0s'))", type: 'string', value: '"0s"' },
  { expr: "json.marshal(duration('1.000000001s'))", type: 'string', value: '"1.000000001s"' },
  { expr: "json.marshal(duration('-90m'))", type: 'string', value: '"-1h30m0s"' },
  { expr: "json.marshal(duration('1ms'))", type: 'string', value: '"1ms"' },
  { expr: "json.marshal(duration('1500us'))", type: 'string', value: '"1.5ms"' },
  {
    expr: "json.marshal(timestamp('2020-01-01T12:34:56.789Z'))",
    type: 'string',
    value: '"2020-01-01T12:34:56Z"',
  },
  {
    expr: "json.marshal(timestamp('2020-01-01T12:34:56+02:00'))",
    type: 'string',
    value: '"2020-01-01T10:34:56Z"',
  },
  { expr: 'json.marshal(optional.none())', type: 'string', value: 'null' },
  { expr: 'json.marshal(optional.of(1))', type: 'string', value: '1' },
  { expr: 'json.marshal([optional.none()])', type: 'string', value: '[null]' },
  { expr: 'json.marshal(int)', error: 'json.marshal failed to convert value: unsupported type: type' },
  { expr: 'json.marshal(-9223372036854775808)', type: 'string', value: '-9223372036854775808' },
  {
    expr: "json.marshal({'a': [1, {'b': null}], 'c': b'\\xff'})",
    type: 'string',
    value: '{"a":[1,{"b":null}],"c":"/w=="}',
  },
  { expr: "json.marshal([1u, 2.5, 'x', true, null])", type: 'string', value: '[1,2.5,"x",true,null]' },
  {
    expr: "json.marshal(hash.sha256('x'))",
    type: 'string',
    value: '"LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE="',
  },
  { expr: "json.marshal({'k': duration('1s')})", type: 'string', value: '{"k":"1s"}' },
  {
    expr: "json.marshal({'b': {'y': 1}, 'a': 1}.deepMerge({'b': {'x': 2}, 'c': 3}))",
    type: 'string',
    value: '{"a":1,"b":{"x":2,"y":1},"c":3}',
  },
];

describe('kro json library', () => {
  const env = envWith(
    kroJsonLibrary,
    kroHashLibrary,
    kroMapsLibrary,
    kubernetesQuantityLibrary,
    kubernetesIpLibrary,
  );
  runTable(env, JSON_CASES);

  it('names opaque types as kro does when it cannot marshal them', () => {
    expect(() => jsonMarshal(parseQuantity('1'))).toThrow(
      'json.marshal failed to convert value: unsupported type: kubernetes.Quantity',
    );
    expect(() => env.evaluate("json.marshal(ip('1.2.3.4'))")).toThrow('unsupported type: net.IP');
  });

  it('rejects non-string map keys', () => {
    expect(() => jsonMarshal(new Map([[1n, 'a']]))).toThrow(
      'json.marshal failed to convert value: map key must be string, got int64',
    );
  });

  it('marshals the omit sentinel as an empty object, like kro', () => {
    expect(jsonMarshal([1n, OMIT])).toBe('[1,{}]');
  });

  it('decodes objects as prototype-less maps', () => {
    const v = jsonUnmarshal('{"__proto__": 1, "a": {"b": [true, null]}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBeNull();
    expect(Object.keys(v)).toEqual(['__proto__', 'a']);
  });

  it('formats Go durations', () => {
    expect(goDurationString(0n)).toBe('0s');
    expect(goDurationString(1500n)).toBe('1.5µs');
    expect(goDurationString(999n)).toBe('999ns');
    expect(goDurationString(3_723_500_000_000n)).toBe('1h2m3.5s');
    expect(goDurationString(-5_400_000_000_000n)).toBe('-1h30m0s');
  });

  it('sorts keys by UTF-8 bytes', () => {
    expect(jsonMarshal({ '\u{10000}': 1n, '\uffff': 2n })).toBe('{"\uffff":2,"\u{10000}":1}');
  });
});
