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

  it('copies a `__proto__` key as data, with or without a field below it, never as the prototype', () => {
    const withProto = JSON.parse(
      '{"kind": "ConfigMap", "data": {"__proto__": {"x": "=a", "y": "z"}, "k": "v"}, "more": {"__proto__": {"p": 1}}}',
    ) as JsonObject;
    const out = fillTemplate(withProto, [['data', '__proto__', 'x']], ['filled']);
    for (const key of ['data', 'more'] as const) {
      const map = out[key] as Record<string, unknown>;
      expect(Object.getPrototypeOf(map)).toBe(Object.prototype);
      expect(Object.hasOwn(map, '__proto__')).toBe(true);
      const own = (o: unknown) => Object.getOwnPropertyDescriptor(o, '__proto__')?.value;
      expect(own(map)).not.toBe(own(withProto[key]));
    }
    expect(JSON.stringify(out)).toBe(
      '{"kind":"ConfigMap","data":{"__proto__":{"x":"filled","y":"z"},"k":"v"},"more":{"__proto__":{"p":1}}}',
    );
  });
});
