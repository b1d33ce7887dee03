// biome-ignore-all lint/suspicious/noTemplateCurlyInString: kro ${...} expressions are the subject under test
// The pure functions the language server added to the stages: reading the select chain at an
// offset of CEL text that may not parse, selecting fields on CEL types, walking OpenAPI schemas
// along a path, and loading RGDs from a parse whose YAML trees the caller keeps.
import { describe, expect, it } from 'vitest';
import { chainAt, inStringLiteral, typingAt } from '../../../src/cel/cursor.js';
import { fieldNames, INDEX, selectType } from '../../../src/cel/fields.js';
import { type CelType, DYN, INT, listOf, mapOf, STRING } from '../../../src/cel/types.js';
import { loadParsedRgds, loadRgds } from '../../../src/rgd/load.js';
import { parseYamlFile } from '../../../src/rgd/yaml.js';
import { openApiAt, openApiDescription } from '../../../src/schema/openapi-path.js';

describe('cel/cursor', () => {
  it('reads the chain up to the identifier at an offset, with spans and whether it is called', () => {
    const text = 'deployment.spec.replicas + size(schema.spec.items[0].name)';
    const c = chainAt(text, text.indexOf('spec') + 2);
    expect(c).toMatchObject({ root: 'deployment', path: ['spec'], called: false, at: 1 });
    expect(c?.spans).toEqual([
      [0, 10],
      [11, 15],
    ]);
    expect(chainAt(text, text.indexOf('name') + 1)).toMatchObject({
      root: 'schema',
      path: ['spec', 'items', INDEX, 'name'],
    });
    expect(chainAt(text, text.indexOf('size') + 1)).toMatchObject({ root: 'size', path: [], called: true });
    expect(chainAt('a.?b.c', 5)).toMatchObject({ root: 'a', path: ['b', 'c'] });
    expect(chainAt('1.5 + x', 2)).toBeUndefined();
    expect(chainAt('"schema.spec" + x', 3)).toBeUndefined();
  });

  it('reads what is being typed: the chain before the last dot and the partial name', () => {
    expect(typingAt('schema.spec.', 12)).toMatchObject({
      base: { root: 'schema', path: ['spec'] },
      partial: '',
    });
    expect(typingAt('a + deployment.spec.rep', 23)).toMatchObject({
      base: { root: 'deployment', path: ['spec'] },
      partial: 'rep',
      partialStart: 20,
    });
    expect(typingAt('a + sch', 7)).toEqual({ partial: 'sch', partialStart: 4 });
    expect(typingAt('f(x).', 5)).toBeUndefined();
    expect(inStringLiteral('"a\\"b" + \'x', 10)).toBe(true);
    expect(inStringLiteral('"a" + b', 7)).toBe(false);
  });
});

describe('cel/fields', () => {
  const spec: CelType = {
    kind: 'object',
    name: 'x',
    fields: { replicas: INT, labels: mapOf(STRING, STRING), items: listOf(STRING) },
    preserveUnknown: false,
  };
  const root: CelType = { kind: 'object', name: 'r', fields: { spec }, preserveUnknown: false };

  it('selects fields, map values and list elements; a missing field is undefined, dyn stays dyn', () => {
    expect(selectType(root, ['spec', 'replicas'])).toEqual(INT);
    expect(selectType(root, ['spec', 'labels', 'anything'])).toEqual(STRING);
    expect(selectType(root, ['spec', 'items', INDEX])).toEqual(STRING);
    expect(selectType(root, ['spec', 'items', 'x'])).toBeUndefined();
    expect(selectType(root, ['spec', 'nope'])).toBeUndefined();
    expect(selectType(DYN, ['a', 'b'])).toEqual(DYN);
    expect(selectType({ ...spec, preserveUnknown: true }, ['free'])).toEqual(DYN);
    expect(fieldNames(root)).toEqual(['spec']);
    expect(fieldNames(spec)).toEqual(['replicas', 'labels', 'items']);
    expect(fieldNames(INT)).toEqual([]);
  });
});

describe('schema/openapi-path', () => {
  it('follows properties, items, additionalProperties and a one-element allOf', () => {
    const schema = {
      type: 'object',
      properties: {
        spec: {
          allOf: [{ type: 'object', properties: { size: { type: 'integer', description: 'How big.' } } }],
          description: 'The spec.',
        },
        list: {
          type: 'array',
          items: { type: 'object', properties: { n: { type: 'string', description: 'N.' } } },
        },
        map: { type: 'object', additionalProperties: { type: 'string', description: 'A value.' } },
      },
    };
    expect(openApiDescription(openApiAt(schema, ['spec']))).toBe('The spec.');
    expect(openApiDescription(openApiAt(schema, ['spec', 'size']))).toBe('How big.');
    expect(openApiDescription(openApiAt(schema, ['list', '[]', 'n']))).toBe('N.');
    expect(openApiDescription(openApiAt(schema, ['map', 'key']))).toBe('A value.');
    expect(openApiAt(schema, ['spec', 'missing'])).toBeUndefined();
  });
});

describe('rgd/load: loadParsedRgds', () => {
  it('loads what loadRgds loads from a parse that keeps the YAML trees', () => {
    const text =
      'apiVersion: kro.run/v1alpha1\nkind: ResourceGraphDefinition\nmetadata:\n  name: a\nspec:\n  schema:\n    apiVersion: v1alpha1\n    kind: A\n  resources: []\n---\nkind: Other\n';
    const parsed = parseYamlFile({ path: 'a.yaml', text });
    expect(parsed.trees).toHaveLength(2);
    expect(parsed.trees[1]?.toJS()).toEqual({ kind: 'Other' });
    const fromParse = loadParsedRgds(parsed);
    const direct = loadRgds([{ path: 'a.yaml', text }]);
    expect(fromParse.rgds.map((r) => r.raw)).toEqual(direct.rgds.map((r) => r.raw));
    expect(fromParse.diagnostics).toEqual(direct.diagnostics);
  });
});
