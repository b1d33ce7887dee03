// OpenAPI (a CRD's JSONSchemaProps) to draft-07: what differs between the two is translated, what
// draft-07 cannot say is dropped, and the result compiles in ajv's strict mode.
import { describe, expect, it } from 'vitest';
import { openApiToJsonSchema } from '../../../src/jsonschema/index.js';
import { compileSchema, errorsOf } from '../../helpers/jsonschema.js';

describe('openApiToJsonSchema', () => {
  it('closes objects with properties unless they preserve unknown fields', () => {
    const closed = openApiToJsonSchema({ type: 'object', properties: { a: { type: 'string' } } });
    expect(closed['additionalProperties']).toBe(false);
    const open = openApiToJsonSchema({
      type: 'object',
      properties: { a: { type: 'string' } },
      'x-kubernetes-preserve-unknown-fields': true,
    });
    expect(open['additionalProperties']).toBeUndefined();
    const map = openApiToJsonSchema({ type: 'object', additionalProperties: { type: 'integer' } });
    expect(map['additionalProperties']).toEqual({ type: 'integer' });
  });

  it('admits null for nullable, both for int-or-string, and moves exclusive bounds', () => {
    const v = compileSchema(
      openApiToJsonSchema({
        type: 'object',
        properties: {
          n: { type: 'string', nullable: true, enum: ['a'] },
          port: { 'x-kubernetes-int-or-string': true },
          ratio: { type: 'number', minimum: 0, exclusiveMinimum: true },
        },
      }),
    );
    expect(errorsOf(v, { n: null, port: 'http', ratio: 0.5 })).toEqual([]);
    expect(errorsOf(v, { port: 80 })).toEqual([]);
    expect(errorsOf(v, { ratio: 0 }).map((e) => e.keyword)).toEqual(['exclusiveMinimum']);
    expect(errorsOf(v, { port: true }).length).toBeGreaterThan(0);
  });

  it('keeps ECMAScript patterns, drops RE2-only ones, CEL rules and Kubernetes-only formats', () => {
    const s = openApiToJsonSchema({
      type: 'object',
      properties: {
        ok: { type: 'string', pattern: '^[a-z]+$' },
        re2: { type: 'string', pattern: '^(?i)abc$' },
        n: { type: 'integer', format: 'int32' },
        t: { type: 'string', format: 'date-time' },
        v: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self != ""' }] },
        tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
      },
    });
    const p = s['properties'] as Record<string, Record<string, unknown>>;
    expect(p['ok']!['pattern']).toBe('^[a-z]+$');
    expect(p['re2']!['pattern']).toBeUndefined();
    expect(p['n']).toEqual({ type: 'integer' });
    expect(p['t']!['format']).toBe('date-time');
    expect(p['v']).toEqual({ type: 'string' });
    expect(p['tags']!['uniqueItems']).toBe(true);
  });
});
