// fillTemplate: a private copy of a template with each field's value at its path.
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../src/rgd/model.js';
import { fillTemplate } from '../../../src/synth/template-copy.js';

describe('fillTemplate', () => {
  const template: JsonObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: '=a', labels: { keep: 'x', app: '=b' } },
    spec: { containers: [{ name: 'c', ports: [{ containerPort: '=c' }] }, { name: '=d' }] },
  };
  const paths = [
    ['metadata', 'name'],
    ['metadata', 'labels', 'app'],
    ['spec', 'containers', 0, 'ports', 0, 'containerPort'],
    ['spec', 'containers', 1, 'name'],
  ];

  it('puts each value at its path, keeps key order, and shares nothing with the template', () => {
    const out = fillTemplate(template, paths, ['web', 'web-app', 8080n, 'side']);
    expect(JSON.stringify(out, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))).toBe(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web', labels: { keep: 'x', app: 'web-app' } },
        spec: { containers: [{ name: 'c', ports: [{ containerPort: '8080n' }] }, { name: 'side' }] },
      }),
    );
    (out.metadata as { labels: Record<string, string> }).labels.keep = 'changed';
    expect((template.metadata as { labels: Record<string, string> }).labels.keep).toBe('x');
    expect(out.spec).not.toBe(template.spec);
  });

  it('writes a value that is a map or a list as it is, and undefined as a key without a value', () => {
    const value = { x: 1 };
    const out = fillTemplate(template, paths, [value, undefined, [1], 's']);
    expect((out.metadata as JsonObject).name).toBe(value);
    expect(Object.hasOwn((out.metadata as { labels: object }).labels, 'app')).toBe(true);
    expect(Object.keys((out.metadata as { labels: object }).labels)).toEqual(['keep', 'app']);
  });
});
