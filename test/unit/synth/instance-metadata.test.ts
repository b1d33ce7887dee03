// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the RGD text holds kro expressions, not JS templates
// The instance's metadata as the renderer receives it: the default namespace goes right after the
// name, and every other key is kept as given, a key named `__proto__` too, with or without a
// namespace of its own.
import { describe, expect, it } from 'vitest';
import { instanceSchemaOf } from '../../../src/schema/index.js';
import { normalizeInstance } from '../../../src/synth/instance.js';
import { docFrom, rgdFrom, rgdYaml } from './helpers.js';

const { rgd } = rgdFrom(
  rgdYaml({
    spec: 'name: string | default="app"',
    resources:
      '- id: cm\n  template:\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: ${schema.spec.name}\n',
  }),
);

function metadataOf(metadata: string): Record<string, unknown> {
  const doc = docFrom(`apiVersion: kro.run/v1alpha1\nkind: TestApp\nmetadata:\n${metadata}spec: {}\n`);
  const { instance, diagnostics } = normalizeInstance(rgd, instanceSchemaOf(rgd).schema, doc);
  expect(diagnostics).toEqual([]);
  return instance?.object.metadata as Record<string, unknown>;
}

describe('instance metadata', () => {
  it('puts the default namespace right after the name', () => {
    const m = metadataOf('  labels: {a: b}\n  name: x\n  foo: bar\n');
    expect(Object.keys(m)).toEqual(['labels', 'name', 'namespace', 'foo']);
    expect(m.namespace).toBe('default');
  });

  it.each([
    [
      'a default namespace',
      '  name: x\n  __proto__: {z: 1}\n  foo: bar\n',
      ['name', 'namespace', '__proto__', 'foo'],
    ],
    [
      'its own namespace',
      '  name: x\n  namespace: team\n  __proto__: {z: 1}\n',
      ['name', 'namespace', '__proto__'],
    ],
  ])('keeps a __proto__ key as a key with %s', (_, metadata, keys) => {
    const m = metadataOf(metadata);
    expect(Object.keys(m)).toEqual(keys);
    expect(Object.getPrototypeOf(m)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(m, '__proto__')?.value).toEqual({ z: 1 });
  });
});
