import { describe, expect, it } from 'vitest';
import { buildInstanceSchema } from '../../../src/schema/build.js';
import { validateValue } from '../../../src/schema/validate.js';

const { schema, diagnostics } = buildInstanceSchema({
  spec: {
    name: 'string | required=true minLength=2 maxLength=4 pattern="^[a-z]+$"',
    size: 'integer | minimum=1 maximum=3 enum="1,2"',
    ratio: 'float',
    tags: '[]string | uniqueItems=true maxItems=2',
    labels: 'map[string]string',
    extra: 'object',
    nested: { port: 'integer | default=80', host: 'string | required=true' },
  },
});

describe('validateValue', () => {
  it('accepts a conforming value (defaults fill missing required fields)', () => {
    expect(diagnostics).toEqual([]);
    const v = {
      name: 'ab',
      size: 2,
      ratio: 1,
      tags: ['x'],
      labels: { a: 'b' },
      extra: { any: [1] },
      nested: { host: 'h' },
    };
    expect(validateValue(schema.spec, v)).toEqual([]);
  });

  it('reports every problem with where it is', () => {
    const v = {
      size: 3,
      ratio: 'x',
      tags: ['a', 'a', 'b'],
      labels: { a: 1 },
      nested: { port: 1.5 },
      stray: true,
    };
    expect(validateValue(schema.spec, v)).toEqual([
      { at: '', message: 'missing required field "name"', path: 'name', segments: [], rule: 'required' },
      { at: 'size', message: 'must be one of 1, 2', path: 'size', segments: ['size'], rule: 'enum' },
      {
        at: 'ratio',
        message: 'expected number, got string',
        path: 'ratio',
        segments: ['ratio'],
        rule: 'type',
      },
      {
        at: 'tags',
        message: 'must have at most 2 items',
        path: 'tags',
        segments: ['tags'],
        rule: 'maxItems',
      },
      {
        at: 'tags',
        message: 'must not contain duplicate items',
        path: 'tags',
        segments: ['tags'],
        rule: 'listType=set',
      },
      {
        at: 'labels.a',
        message: 'expected string, got integer',
        path: 'labels.a',
        segments: ['labels', 'a'],
        rule: 'type',
      },
      {
        at: 'nested',
        message: 'missing required field "host"',
        path: 'nested.host',
        segments: ['nested'],
        rule: 'required',
      },
      {
        at: 'nested.port',
        message: 'expected integer, got number',
        path: 'nested.port',
        segments: ['nested', 'port'],
        rule: 'type',
      },
      { at: 'stray', message: 'unknown field', path: 'stray', segments: ['stray'], rule: 'unknown field' },
    ]);
  });

  it('checks string length in characters, bounds and patterns', () => {
    expect(validateValue(schema.spec, { name: 'ééééé' }).map((p) => p.message)).toEqual([
      'must be at most 4 characters long',
      'must match pattern "^[a-z]+$"',
    ]);
    expect(validateValue(schema.spec, { name: 'ab', size: 0 }).map((p) => p.message)).toEqual([
      'must be greater than or equal to 1',
      'must be one of 1, 2',
    ]);
  });
});
