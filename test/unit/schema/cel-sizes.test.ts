// The sizes the API server assumes for CEL cost estimates (apiserver's SchemaDeclType): figures
// worked out by hand from its rules (3 MiB request, 4 bytes a character, smallest JSON per kind).
import { describe, expect, it } from 'vitest';
import {
  maxElements,
  maxElementsAtCelPath,
  minSerializedSize,
  ruleCardinality,
} from '../../../src/schema/cel-sizes.js';
import type { SchemaNode } from '../../../src/schema/model.js';

const common = { path: [], required: false, validations: [], immutable: false } as const;
const str = (extra: object = {}): SchemaNode => ({ kind: 'string', ...common, ...extra }) as SchemaNode;
const int: SchemaNode = { kind: 'integer', ...common };
const list = (items: SchemaNode, maxItems?: number): SchemaNode =>
  ({ kind: 'array', ...common, items, ...(maxItems === undefined ? {} : { maxItems }) }) as SchemaNode;
const map = (values: SchemaNode): SchemaNode => ({ kind: 'map', ...common, values });
const struct = (fields: Record<string, SchemaNode>, required: string[] = []): SchemaNode => ({
  kind: 'struct',
  ...common,
  fields: Object.entries(fields).map(([name, node]) => ({ name, node })),
  requiredFields: required,
});

describe('maxElements', () => {
  it('bounds strings by maxLength x 4, the longest enum value, or the request size less the quotes', () => {
    expect(maxElements(str({ maxLength: 10 }))).toBe(40n);
    expect(maxElements(str({ enum: ['a', 'été'] }))).toBe(5n);
    expect(maxElements(str())).toBe(3_145_726n);
  });

  it('bounds lists by maxItems, else by the request size over the smallest item and a comma', () => {
    expect(maxElements(list(int, 7))).toBe(7n);
    expect(maxElements(list(int))).toBe(1_572_863n); // 3145726 / (1 + 1)
    expect(maxElements(list(str()))).toBe(1_048_575n); // 3145726 / (2 + 1)
  });

  it('bounds maps by the request size over the smallest entry', () => {
    expect(maxElements(map(str()))).toBe(393_215n); // 3145726 / (2 + 6)
  });

  it('gives objects and scalars no size', () => {
    expect(maxElements(struct({ a: int }))).toBe(0n);
    expect(maxElements(int)).toBe(0n);
  });
});

describe('minSerializedSize', () => {
  it('counts only required fields without a default', () => {
    const s = struct({ name: str(), n: { ...int, default: 1 } as SchemaNode, x: int }, ['n', 'name']);
    expect(minSerializedSize(s)).toBe(2n + 4n + 2n + 4n); // {} + "name": ""
  });
});

describe('maxElementsAtCelPath', () => {
  const root = struct({ tags: list(str({ maxLength: 3 }), 5), labels: map(int) });
  it('follows fields, @items, @values and @keys from the variable', () => {
    expect(maxElementsAtCelPath(root, ['self', 'tags'])).toBe(5n);
    expect(maxElementsAtCelPath(root, ['self', 'tags', '@items'])).toBe(12n);
    expect(maxElementsAtCelPath(root, ['self', 'labels', '@keys'])).toBe(0n);
    expect(maxElementsAtCelPath(root, ['oldSelf', 'missing'])).toBeUndefined();
    expect(maxElementsAtCelPath(root, ['@items'])).toBe(0n); // a computed list: the root itself
  });
});

describe('ruleCardinality', () => {
  it('multiplies maxItems of enclosing lists, or fits the node in a request when one is unbounded', () => {
    expect(ruleCardinality(int, [struct({}), list(int, 10), list(int, 3)])).toBe(30n);
    expect(ruleCardinality(int, [list(int)])).toBe(1_572_864n); // 3145728 / (1 + 1)
    expect(ruleCardinality(int, [map(int)])).toBe(1_572_864n);
  });
});
