// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are kro expressions
// Property-based tests (fast-check) for the three hand-written lexers every RGD goes through: the
// `${...}` scanner, the SimpleSchema marker lexer and the SimpleSchema type parser. npm test runs
// FC_RUNS (default 2,000) inputs per property; `npm run fuzz:properties` runs 20,000 per property
// (over 100,000 in all).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildStringTemplate, extractExpressions } from '../../src/cel/scanner.js';
import { MARKER_TYPES, parseMarkers } from '../../src/schema/markers.js';
import { parseField, parseTypeString } from '../../src/schema/types.js';

const RUNS = Number(process.env.FC_RUNS ?? 2000);
const params = { numRuns: RUNS, seed: Number(process.env.FC_SEED ?? 42) };

/** Strings rich in the characters the lexers care about. */
const lexy = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '$',
        '{',
        '}',
        '${',
        '"',
        '\\',
        '|',
        '=',
        ' ',
        '[',
        ']',
        'map[',
        'string',
        'x',
        '\u0000',
        '\u{1F600}',
      ),
      fc.string({ maxLength: 3 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));
const anyText = fc.oneof(lexy, fc.string({ maxLength: 60 }), fc.fullUnicodeString({ maxLength: 30 }));

describe('${} scanner', () => {
  it('never throws; matches are in order, disjoint, in bounds, and spell ${expr}', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const r = extractExpressions(s);
        if (!r.ok) {
          expect(r.error.offset).toBeGreaterThanOrEqual(0);
          expect(r.error.offset).toBeLessThanOrEqual(s.length);
          return;
        }
        let last = 0;
        for (const m of r.value) {
          expect(m.start).toBeGreaterThanOrEqual(last);
          expect(m.end).toBeLessThanOrEqual(s.length);
          expect(s.slice(m.start, m.end)).toBe(`\${${m.expr}}`);
          expect(s.slice(m.innerStart, m.innerEnd)).toBe(m.expr);
          last = m.end;
        }
        expect(typeof buildStringTemplate(s, r.value)).toBe('string');
      }),
      params,
    );
  });

  it('finds exactly the expression spliced between text without $ or braces', () => {
    const plain = fc.string({ maxLength: 20 }).filter((t) => !/[${}"]/.test(t));
    fc.assert(
      fc.property(plain, plain, plain, (before, expr, after) => {
        const r = extractExpressions(`${before}\${${expr}}${after}`);
        expect(r.ok && r.value.map((m) => m.expr)).toEqual([expr]);
      }),
      params,
    );
  });

  it('text without ${ has no expressions', () => {
    fc.assert(
      fc.property(
        anyText.filter((s) => !s.includes('${')),
        (s) => {
          const r = extractExpressions(s);
          expect(r.ok && r.value.length).toBe(0);
        },
      ),
      params,
    );
  });
});

describe('marker lexer', () => {
  it('never throws, and error offsets point into the text', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const r = parseMarkers(s);
        if (r.error) {
          expect(r.error.offset).toBeGreaterThanOrEqual(0);
          expect(r.error.offset).toBeLessThanOrEqual(s.length);
        } else {
          for (const m of r.markers) expect(s.startsWith(m.key, m.offset)).toBe(true);
        }
      }),
      params,
    );
  });

  it('reads back generated markers, quoted values unescaped', () => {
    // Brackets and braces group text in kro's lexer (a value may hold `{a: b}`), so they are left out.
    const value = fc.string({ maxLength: 12 }).filter((v) => v !== '' && !/[\s"\\=|[\]{}]/.test(v));
    const marker = fc.record({ type: fc.constantFrom(...MARKER_TYPES), value, quoted: fc.boolean() });
    fc.assert(
      fc.property(fc.uniqueArray(marker, { selector: (m) => m.type, maxLength: 5 }), (ms) => {
        const text = ms.map((m) => `${m.type}=${m.quoted ? `"${m.value}"` : m.value}`).join(' ');
        const r = parseMarkers(text);
        if (r.error) return; // a value the lexer refuses (e.g. unbalanced brackets) is reported, not thrown
        expect(r.markers.map((m) => [m.type, m.value])).toEqual(ms.map((m) => [m.type, m.value]));
      }),
      params,
    );
  });
});

describe('SimpleSchema type parser', () => {
  it('never throws on any field string', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const r = parseField(s);
        expect(r.error !== undefined || r.type !== undefined).toBe(true);
      }),
      params,
    );
  });

  it('parses every nesting of lists and string-keyed maps around an atomic type', () => {
    const wrapper = fc.constantFrom('[]', 'map[string]');
    const atomic = fc.constantFrom('string', 'integer', 'boolean', 'float', 'object');
    fc.assert(
      fc.property(fc.array(wrapper, { maxLength: 8 }), atomic, (ws, a) => {
        const r = parseTypeString(`${ws.join('')}${a}`);
        expect(r.error).toBeUndefined();
      }),
      params,
    );
  });
});
