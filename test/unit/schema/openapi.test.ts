import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../src/rgd/model.js';
import { buildInstanceSchema } from '../../../src/schema/build.js';
import { normalizeSchemaProps, specToOpenAPI } from '../../../src/schema/openapi.js';

function openapi(spec: JsonObject, types: JsonObject = {}) {
  const r = buildInstanceSchema({ spec, types });
  expect(r.diagnostics).toEqual([]);
  return specToOpenAPI(r.schema);
}

describe('OpenAPI output', () => {
  it('orders keys as Go serializes JSONSchemaProps', () => {
    const s = openapi({
      name: 'string | validation="self != \'\'" enum="a,b" pattern="^[ab]$" maxLength=1 minLength=1 default="a" description="d" maximum=9 minimum=0 required=true',
      list: '[]string | listType=map listMapKey=k minItems=1 maxItems=2',
    });
    expect(Object.keys(s)).toEqual(['type', 'required', 'properties']);
    const props = s['properties'] as Record<string, object>;
    expect(Object.keys(props['name'] as object)).toEqual([
      'description',
      'type',
      'default',
      'maximum',
      'minimum',
      'maxLength',
      'minLength',
      'pattern',
      'enum',
      'x-kubernetes-validations',
    ]);
    expect(Object.keys(props['list'] as object)).toEqual([
      'type',
      'maxItems',
      'minItems',
      'items',
      'x-kubernetes-list-map-keys',
      'x-kubernetes-list-type',
    ]);
  });

  it('sorts properties in byte order, not declaration order', () => {
    const s = openapi({ b: 'string', B: 'string', a: 'string', é: 'string', _: 'string' });
    expect(Object.keys(s['properties'] as object)).toEqual(['B', '_', 'a', 'b', 'é']);
  });

  it('drops an empty description, as omitempty does', () => {
    expect(openapi({ a: 'string | description=""' })).toEqual({
      type: 'object',
      properties: { a: { type: 'string' } },
    });
  });

  it('emits maps, open objects and nested structs with their Kubernetes keywords', () => {
    expect(openapi({ m: 'map[string][]object', n: { x: 'float' } })).toEqual({
      type: 'object',
      properties: {
        m: {
          type: 'object',
          additionalProperties: {
            type: 'array',
            items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          },
        },
        n: { type: 'object', properties: { x: { type: 'number' } } },
      },
    });
  });
});

describe('normalizeSchemaProps', () => {
  it('reorders keys recursively and keeps unknown keys last', () => {
    const n = normalizeSchemaProps({
      'x-custom': 1,
      properties: {
        z: { items: { type: 'string' }, type: 'array' },
        a: { format: 'date-time', type: 'string' },
      },
      type: 'object',
      description: 'd',
    });
    expect(JSON.stringify(n)).toBe(
      JSON.stringify({
        description: 'd',
        type: 'object',
        properties: {
          a: { type: 'string', format: 'date-time' },
          z: { type: 'array', items: { type: 'string' } },
        },
        'x-custom': 1,
      }),
    );
  });
});
