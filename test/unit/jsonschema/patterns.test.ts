// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are kro expressions
// The SimpleSchema field pattern of `kro-gen schema rgd` against kro's parser: on kro's own test
// table it agrees case by case (two documented exceptions), and on generated fields it never
// refuses one that kro's lexer accepts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIELD_PATTERN, STANDALONE_EXPRESSION_PATTERN } from '../../../src/jsonschema/index.js';
import { MARKER_TYPES } from '../../../src/schema/markers.js';
import { parseField } from '../../../src/schema/types.js';
import { loadKroJson } from '../../helpers/conformance.js';

const RUNS = Number(process.env.FC_RUNS ?? 2000);
const params = { numRuns: RUNS, seed: Number(process.env.FC_SEED ?? 42) };

// Validators compile patterns with the `u` flag (ajv, yaml-language-server); both must agree.
const field = new RegExp(FIELD_PATTERN, 'u');
const fieldNoFlag = new RegExp(FIELD_PATTERN);
const matches = (s: string) => {
  const m = field.test(s);
  expect(fieldNoFlag.test(s), s).toBe(m);
  return m;
};

interface KroCase {
  readonly id: string;
  readonly kind: string;
  readonly input: string;
  readonly expectError?: boolean;
}

describe('the SimpleSchema field pattern', () => {
  const cases = loadKroJson<KroCase[]>('simpleschema.json');
  // kro refuses this for what a pattern does not count: nesting past 16 levels.
  const PATTERN_ACCEPTS_KRO_REFUSES = new Set(['[][][][][][][][][][][][][][][][][]string']);

  it("agrees with kro's parseField table", () => {
    const fields = cases.filter((c) => c.kind === 'parseField');
    expect(fields.length).toBe(31);
    for (const c of fields) {
      const expected = PATTERN_ACCEPTS_KRO_REFUSES.has(c.input) ? true : !c.expectError;
      expect(matches(c.input), JSON.stringify(c.input)).toBe(expected);
    }
  });

  it("agrees with kro's parseMarkers table, after `string | `", () => {
    const markers = cases.filter((c) => c.kind === 'parseMarkers');
    expect(markers.length).toBe(35);
    for (const c of markers)
      expect(matches(`string | ${c.input}`), JSON.stringify(c.input)).toBe(!c.expectError);
  });

  it('accepts every field string that kro-gen parses, on generated fields', () => {
    const type = fc
      .tuple(
        fc.array(fc.constantFrom('[]', 'map[string]', '[] ', 'map[string] '), { maxLength: 3 }),
        fc.constantFrom('string', 'integer', 'boolean', 'float', 'object', 'Server', 'my_Type2'),
      )
      .map(([prefixes, name]) => prefixes.join('') + name);
    // Values from the characters the lexer treats specially.
    const value = fc
      .array(fc.constantFrom('a', '1', ' ', '"', '\\', '{', '}', '[', ']', '=', '|', ',', ':'), {
        maxLength: 10,
      })
      .map((cs) => cs.join(''));
    const marker = fc.tuple(fc.constantFrom(...MARKER_TYPES), fc.constantFrom('', ' '), value);
    const fields = fc
      .tuple(type, fc.option(fc.array(marker, { minLength: 1, maxLength: 3 }), { nil: undefined }))
      .map(([t, ms]) =>
        ms === undefined ? t : `${t} | ${ms.map(([k, sp, v]) => `${k}${sp}=${v}`).join(' ')}`,
      )
      // At most two brackets in the markers: the depth the pattern follows.
      .filter((f) => (f.slice(f.indexOf('|') + 1).match(/[{[]/g) ?? []).length <= 2);
    let accepted = 0;
    fc.assert(
      fc.property(fields, (f) => {
        if (parseField(f).error) return true;
        accepted++;
        return field.test(f);
      }),
      params,
    );
    // The property is not vacuous: a good share of the generated fields parse.
    expect(accepted).toBeGreaterThan(RUNS / 4);
  });

  it('refuses the slips it is there for, each of which kro refuses too', () => {
    for (const s of [
      'string | defualt=1',
      'string | minimum= 1',
      'string | description=two words',
      'string | default=1 ',
      'string |',
      'map[int]string',
      '[]',
      'string | required',
      'string | description="unclosed',
    ]) {
      expect(matches(s), s).toBe(false);
      expect(parseField(s).error, s).toBeDefined();
    }
  });
});

describe('the standalone expression pattern', () => {
  const re = new RegExp(STANDALONE_EXPRESSION_PATTERN, 'u');
  it('accepts one ${...} and refuses text around it', () => {
    expect(re.test('${a.b == 1}')).toBe(true);
    expect(re.test('${a.map(x, {"k": x})}')).toBe(true);
    expect(re.test('a ${b}')).toBe(false);
    expect(re.test('${b}\n')).toBe(false);
    expect(re.test('b')).toBe(false);
  });
});
