// Metadata the API server refuses, per kind, as apimachinery and core/rbac validation check it.
import { describe, expect, it } from 'vitest';
import { MAX_ANNOTATIONS_BYTES, objectMetaProblems } from '../../../src/synth/object-meta.js';

const obj = (apiVersion: string, kind: string, metadata: Record<string, unknown>) =>
  ({ apiVersion, kind, metadata }) as never;
const messages = (o: never, namespaced = true) => objectMetaProblems(o, namespaced).map((p) => p.message);

describe('objectMetaProblems', () => {
  it('names: DNS-1123 subdomain by default, DNS-1123 label for Namespace, DNS-1035 for Service, path segments for RBAC', () => {
    expect(messages(obj('v1', 'ConfigMap', { name: 'a.b-c' }))).toEqual([]);
    expect(messages(obj('v1', 'ConfigMap', { name: '../../../tmp/x' }))[0]).toMatch(
      /^metadata\.name: Invalid value: "\.\.\/\.\.\/\.\.\/tmp\/x": ConfigMap names must be a DNS-1123 subdomain/,
    );
    expect(messages(obj('v1', 'Namespace', { name: 'a.b' }))[0]).toMatch(/must be a DNS-1123 label/);
    expect(messages(obj('v1', 'Service', { name: '9lives' }))[0]).toMatch(/must be a DNS-1035 label/);
    expect(messages(obj('v1', 'Service', { name: 'lives9' }))).toEqual([]);
    expect(messages(obj('rbac.authorization.k8s.io/v1', 'ClusterRole', { name: 'system:Admin' }))).toEqual(
      [],
    );
    expect(messages(obj('rbac.authorization.k8s.io/v1', 'Role', { name: 'a/b' }))[0]).toMatch(
      /may not contain '\/' or '%'/,
    );
    expect(messages(obj('v1', 'ConfigMap', { name: 'x'.repeat(254) }))[0]).toMatch(
      /no more than 253 characters/,
    );
  });

  it('generateName may end in a dash; namespaces are DNS-1123 labels', () => {
    expect(messages(obj('v1', 'ConfigMap', { generateName: 'job-' }))).toEqual([]);
    expect(messages(obj('v1', 'ConfigMap', { generateName: 'Job-' }))[0]).toMatch(/^metadata\.generateName/);
    expect(messages(obj('v1', 'ConfigMap', { name: 'a', namespace: 'a.b' }))[0]).toMatch(
      /^metadata\.namespace/,
    );
    expect(messages(obj('v1', 'ConfigMap', { name: 'a', namespace: 'a.b' }), false)).toEqual([]);
  });

  it('label keys and values, annotation keys and their total size', () => {
    expect(messages(obj('v1', 'ConfigMap', { labels: { 'example.com/app': 'web_1', empty: '' } }))).toEqual(
      [],
    );
    expect(messages(obj('v1', 'ConfigMap', { labels: { 'a/b/c': 'x' } }))[0]).toMatch(/at most one '\/'/);
    expect(messages(obj('v1', 'ConfigMap', { labels: { ok: 'x', app: '-bad' } }))[0]).toMatch(
      /a label value must be 63 characters or less/,
    );
    expect(messages(obj('v1', 'ConfigMap', { annotations: { 'Example.com/Key': 'x' } }))).toEqual([]);
    expect(
      messages(obj('v1', 'ConfigMap', { annotations: { big: 'x'.repeat(MAX_ANNOTATIONS_BYTES) } })),
    ).toEqual([
      `metadata.annotations: Too long: may not be more than 262144 bytes (${MAX_ANNOTATIONS_BYTES + 3} given)`,
    ]);
  });
});
