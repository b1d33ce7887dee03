// printJson: the embedded RGD as a TypeScript literal. It prints through JSON.stringify and adjusts
// the text, so the cases where the two differ are written out here by hand.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printJson, printSource } from '../../../src/codegen/module.js';
import { positionTable, positionTableText } from '../../../src/codegen/positions.js';
import { loadRgds } from '../../../src/rgd/load.js';
import type { JsonValue, Locator, Rgd } from '../../../src/rgd/model.js';
import { yamlFilesUnder } from '../../helpers/yaml-files.js';

describe('printJson', () => {
  it('indents nested objects and lists by two spaces from the given indent', () => {
    expect(printJson({ a: { b: ['x', { c: true }] }, d: null }, '  ')).toBe(
      '{\n    "a": {\n      "b": [\n        "x",\n        {\n          "c": true\n        }\n      ]\n    },\n    "d": null\n  }',
    );
    expect(printJson({ e: {}, f: [] }, '')).toBe('{\n  "e": {},\n  "f": []\n}');
    expect(printJson('s', '    ')).toBe('"s"');
  });

  it('keeps lists of numbers on one line, at any depth, and only lists of numbers', () => {
    expect(printJson([1, -2.5, 1e21, 3e-7], '')).toBe('[1, -2.5, 1e+21, 3e-7]');
    expect(printJson({ p: [80, 443], q: [1, 'a'], r: [[1, 2], [3]] }, '')).toBe(
      '{\n  "p": [80, 443],\n  "q": [\n    1,\n    "a"\n  ],\n  "r": [\n    [1, 2],\n    [3]\n  ]\n}',
    );
  });

  it('looks for lists of numbers only when told some list starts with a number', () => {
    expect(printJson({ p: [80, 443] }, '', true)).toBe('{\n  "p": [80, 443]\n}');
    expect(printJson({ p: [80, 443] }, '', false)).toBe('{\n  "p": [\n    80,\n    443\n  ]\n}');
  });

  it('leaves strings that look like number lists or keys alone', () => {
    expect(printJson({ s: '[\n1\n]', t: '\n"__proto__": ' }, '')).toBe(
      '{\n  "s": "[\\n1\\n]",\n  "t": "\\n\\"__proto__\\": "\n}',
    );
  });

  it('writes a __proto__ key as a computed key, which defines data instead of the prototype', () => {
    const inner: Record<string, JsonValue> = {};
    Object.defineProperty(inner, '__proto__', { value: 'x', enumerable: true });
    const outer: Record<string, JsonValue> = { a: inner, 'b"__proto__': 1 };
    expect(printJson(outer, '')).toBe('{\n  "a": {\n    ["__proto__"]: "x"\n  },\n  "b\\"__proto__": 1\n}');
  });

  it('writes an int64 beyond 2^53 as kro.int64, with the rest printed alike', () => {
    const value = { big: 9007199254740993n, list: [1, 2], s: 'x' } as unknown as JsonValue;
    expect(printJson(value, '  ')).toBe(
      '{\n    "big": kro.int64("9007199254740993"),\n    "list": [1, 2],\n    "s": "x"\n  }',
    );
  });

  it('indents by any indent, not only an even number of spaces', () => {
    const value = { a: [1, 2], b: { c: 'x' } };
    const plain = '{\n  "a": [1, 2],\n  "b": {\n    "c": "x"\n  }\n}';
    expect(printJson(value, '')).toBe(plain);
    for (const indent of ['  ', '    ', '      ', ' ', '\t']) {
      expect(printJson(value, indent)).toBe(plain.replace(/\n/g, `\n${indent}`));
    }
  });
});

describe('printSource', () => {
  it('prints the file, the position table and the document as printJson prints the whole RgdSource', () => {
    const inner: Record<string, JsonValue> = { list: [3, 4] };
    Object.defineProperty(inner, '__proto__', { value: 'x', enumerable: true });
    const documents: JsonValue[] = [
      { kind: 'A', spec: { ports: [80, 443], nested: [[1], ['a']], inner } },
      { big: 9007199254740993n, s: 'x' } as unknown as JsonValue,
      {},
    ];
    for (const document of documents) {
      const tables = [
        { '': [1, 1], '/a~1b': [2, 3, 1, 0, 2, 3] },
        {},
        // Pointers JSON.stringify escapes: a quote, a backslash, a control character, a lone surrogate.
        { '/a"b': [1, 2], '/c\\': [3, 4], '/\u0001': [5, 6], '/\ud800x': [7, 8], '/\u{1f600}': [9, 1] },
      ];
      for (const positions of tables) {
        const source = { file: '../rgd "x".yaml', positions, document };
        expect(printSource(source.file, positions, printJson(document, '    '))).toBe(
          printJson(source as unknown as JsonValue, '  '),
        );
      }
    }
  });
});

describe('positionTableText', () => {
  // The table as printSource prints the object positionTable returns, for every RGD of the
  // examples (read by the fast reader and, through a plain locator, by the walk over the value),
  // and for pointers JSON escapes and an id that holds an expression (its entry replaced in place).
  const printed = (r: Rgd, documentJson?: string) =>
    printSource('f.yaml', positionTable(r, documentJson), '{}')
      .split('"positions": ')[1]
      ?.split(',\n    "document"')[0];
  const expectSame = (r: Rgd) => {
    const json = JSON.stringify(r.raw);
    expect(positionTableText(r, json, '    '), r.file).toBe(printed(r, json));
    expect(positionTableText(r, undefined, '    '), r.file).toBe(printed(r));
    expect(positionTableText(r, '{}', '    '), r.file).toBe(printed(r, '{}'));
  };

  it('prints what printSource prints of positionTable', () => {
    const files = yamlFilesUnder('examples', 'test/conformance/kro/examples');
    for (const file of files) {
      const loaded = loadRgds([{ path: file, text: readFileSync(file, 'utf8') }]);
      for (const r of [...loaded.rgds, ...loaded.invalid]) {
        expectSame(r);
        const walked: Locator = {
          file: r.loc.file,
          at: (path, part) => r.loc.at(path, part),
          inString: (path, offset) => r.loc.inString(path, offset),
        };
        expectSame({ ...r, loc: walked });
      }
    }
  });

  it('escapes pointers and replaces an id entry in place', () => {
    const text = [
      'apiVersion: kro.run/v1alpha1',
      'kind: ResourceGraphDefinition',
      'metadata: {name: esc}',
      'spec:',
      '  schema: {apiVersion: v1alpha1, kind: Esc, spec: {name: string}}',
      '  resources:',
      `    - id: \${schema.spec.name}`,
      '      template:',
      '        apiVersion: v1',
      '        kind: ConfigMap',
      '        data:',
      `          "a\\"b\\\\c\\u0001": x \${schema.spec.name}`,
      '',
    ].join('\n');
    const r = loadRgds([{ path: 'esc.yaml', text }]);
    const rgd = [...r.rgds, ...r.invalid][0] as Rgd;
    const table = positionTable(rgd);
    expect(Object.keys(table)).toEqual([
      '',
      '/spec/resources/0',
      '/spec/resources/0/id',
      '/spec/resources/0/template/data/a"b\\c\u0001',
    ]);
    expect((table['/spec/resources/0/id'] as number[]).length).toBeGreaterThan(2);
    expectSame(rgd);
    // The same through the walk over the value (a locator other than the fast reader's).
    const walked: Locator = {
      file: rgd.loc.file,
      at: (path, part) => rgd.loc.at(path, part),
      inString: (path, offset) => rgd.loc.inString(path, offset),
    };
    expect(Object.entries(positionTable({ ...rgd, loc: walked }))).toEqual(Object.entries(table));
    expectSame({ ...rgd, loc: walked });
  });
});
