/**
 * The comparison the differential test relies on: paths, subset/exact modes,
 * normalisation through the dry-run result, and the ignore rules.
 */
import { describe, expect, it } from 'vitest';
import { compare, formatDifference, formatPath, parsePath, pathMatches } from './diff.js';
import { asStored, ignoreForChild, ignoreForCrd, unorderedInCrd, withoutCrdServerDefaults } from './rules.js';

describe('paths', () => {
  it('formats identifiers with dots, indices in brackets and other keys quoted', () => {
    expect(formatPath(['spec', 'containers', 0, 'image'])).toBe('$.spec.containers[0].image');
    expect(formatPath(['metadata', 'labels', 'app.kubernetes.io/name'])).toBe(
      '$.metadata.labels["app.kubernetes.io/name"]',
    );
    expect(formatPath(['data', 'index.html'])).toBe('$.data["index.html"]');
    expect(formatPath(['x-kubernetes-preserve-unknown-fields'])).toBe(
      '$.x-kubernetes-preserve-unknown-fields',
    );
    expect(formatPath([])).toBe('$');
  });

  it('parses what it formats', () => {
    for (const segments of [
      ['spec', 'containers', 0, 'image'],
      ['metadata', 'labels', 'app.kubernetes.io/name'],
      ['data', 'a"b'],
      [],
    ]) {
      expect(parsePath(formatPath(segments))).toEqual(segments);
    }
  });

  it('matches * against any one segment', () => {
    expect(pathMatches(parsePath('$.spec.containers[*].image'), ['spec', 'containers', 3, 'image'])).toBe(
      true,
    );
    expect(pathMatches(parsePath('$.spec.*.image'), ['spec', 'x', 'image'])).toBe(true);
    expect(pathMatches(parsePath('$.spec.*'), ['spec', 'x', 'image'])).toBe(false);
  });

  it('rejects malformed paths', () => {
    expect(() => parsePath('spec.x')).toThrow();
    expect(() => parsePath('$.spec[')).toThrow();
  });
});

describe('compare', () => {
  it('subset: fields only the server has are defaults, not differences', () => {
    const ours = { spec: { replicas: 2, template: { spec: { containers: [{ name: 'a', image: 'x' }] } } } };
    const live = {
      spec: {
        replicas: 2,
        progressDeadlineSeconds: 600,
        template: { spec: { containers: [{ name: 'a', image: 'x', imagePullPolicy: 'IfNotPresent' }] } },
      },
    };
    expect(compare(ours, live, { mode: 'subset' })).toEqual([]);
  });

  it('reports a changed value, a missing field and a list of another length at their paths', () => {
    const ours = { spec: { replicas: 3, paused: false, ports: [1, 2] }, data: { 'a.b': 'x' } };
    const live = { spec: { replicas: 2, ports: [1] }, data: { 'a.b': 'y' } };
    const lines = compare(ours, live, { mode: 'subset' }).map(formatDifference);
    expect(lines).toEqual([
      '$.spec.replicas: kro-gen 3, kro 2',
      '$.spec.paused: kro-gen false, kro <absent>',
      '$.spec.ports: kro-gen [1,2], kro [1]',
      '$.data["a.b"]: kro-gen "x", kro "y"',
    ]);
  });

  it('distinguishes types: "2" is not 2', () => {
    expect(compare({ a: '2' }, { a: 2 }, { mode: 'subset' })).toHaveLength(1);
  });

  it('exact: reports fields only the other side has, at the leaves', () => {
    const lines = compare({ a: 1 }, { a: 1, b: { c: 2 } }, { mode: 'exact' }).map(formatDifference);
    expect(lines).toEqual(['$.b.c: kro-gen <absent>, kro 2']);
  });

  it('an empty map we render is compared, not skipped', () => {
    expect(compare({ spec: { emptyDir: {} } }, { spec: {} }, { mode: 'subset' })).toHaveLength(1);
  });

  it('ignores what the rule says, and everything below it', () => {
    const ignore = (s: readonly (string | number)[]): boolean => s[0] === 'status';
    expect(compare({ status: { x: 1 } }, { status: { x: 2 } }, { mode: 'exact', ignore })).toEqual([]);
  });

  it('a difference the API server normalises away (its dry run stores the live value) is none', () => {
    const seen: string[] = [];
    const differences = compare(
      { spec: { resources: { requests: { cpu: '1000m' } } } },
      { spec: { resources: { requests: { cpu: '1' } } } },
      {
        mode: 'subset',
        normalized: { spec: { resources: { requests: { cpu: '1' } } } },
        onNormalized: (path) => seen.push(path),
      },
    );
    expect(differences).toEqual([]);
    expect(seen).toEqual(['$.spec.resources.requests.cpu']);
  });

  it('unordered lists: the same set in another order is no difference, but is reported', () => {
    const reordered: string[] = [];
    const unordered = (s: readonly (string | number)[]): boolean => s[s.length - 1] === 'required';
    const onReordered = (path: string): void => {
      reordered.push(path);
    };
    expect(
      compare(
        { required: ['name', 'url'] },
        { required: ['url', 'name'] },
        { mode: 'exact', unordered, onReordered },
      ),
    ).toEqual([]);
    expect(reordered).toEqual(['$.required']);
    expect(
      compare({ required: ['name', 'url'] }, { required: ['url', 'host'] }, { mode: 'exact', unordered }).map(
        formatDifference,
      ),
    ).toEqual(['$.required: kro-gen ["name","url"], kro ["url","host"]']);
    expect(compare({ items: [1, 2] }, { items: [2, 1] }, { mode: 'exact', unordered })).toHaveLength(2);
  });

  it('normalisation does not hide a real difference', () => {
    const differences = compare(
      { spec: { replicas: 3 } },
      { spec: { replicas: 2 } },
      { mode: 'subset', normalized: { spec: { replicas: 3 } } },
    );
    expect(differences.map(formatDifference)).toEqual(['$.spec.replicas: kro-gen 3, kro 2']);
  });
});

describe('ignore rules', () => {
  it('children: status, server metadata, kro and kro-gen labels and annotations; not user metadata', () => {
    expect(ignoreForChild(['status', 'readyReplicas'])).toBe(true);
    expect(ignoreForChild(['metadata', 'uid'])).toBe(true);
    expect(ignoreForChild(['metadata', 'labels', 'kro.run/instance-name'])).toBe(true);
    expect(ignoreForChild(['metadata', 'labels', 'app.kubernetes.io/managed-by'])).toBe(true);
    expect(ignoreForChild(['metadata', 'labels', 'applyset.kubernetes.io/part-of'])).toBe(true);
    expect(ignoreForChild(['metadata', 'annotations', 'internal.kro.run/apply-order'])).toBe(true);
    expect(ignoreForChild(['metadata', 'labels', 'kro-gen.dev/node-id'])).toBe(true);
    expect(ignoreForChild(['metadata', 'annotations', 'argocd.argoproj.io/sync-wave'])).toBe(true);
    expect(ignoreForChild(['metadata', 'annotations', 'config.kubernetes.io/depends-on'])).toBe(true);
    expect(ignoreForChild(['metadata', 'annotations', 'kapp.k14s.io/change-rule.1'])).toBe(true);
    expect(ignoreForChild(['metadata', 'annotations', 'wordpress.kro-gen.dev/database'])).toBe(false);
    expect(ignoreForChild(['metadata', 'labels', 'app.kubernetes.io/name'])).toBe(false);
    expect(ignoreForChild(['spec', 'status'])).toBe(false);
  });

  it('CRD: kro-gen ordering annotations are not ignored (kro-gen crd has no business emitting them)', () => {
    expect(ignoreForCrd(['metadata', 'labels', 'kro.run/owned'])).toBe(true);
    expect(ignoreForCrd(['metadata', 'annotations', 'argocd.argoproj.io/sync-wave'])).toBe(false);
    expect(ignoreForCrd(['metadata', 'labels', 'team'])).toBe(false);
  });

  it("CRD: a schema's required list is unordered; a property named required is not", () => {
    const base = ['spec', 'versions', 0, 'schema', 'openAPIV3Schema', 'properties', 'spec'];
    expect(unorderedInCrd([...base, 'required'])).toBe(true);
    expect(unorderedInCrd([...base, 'properties', 'x', 'items', 'required'])).toBe(true);
    expect(unorderedInCrd([...base, 'properties', 'required'])).toBe(false);
    expect(unorderedInCrd(['spec', 'names', 'required'])).toBe(false);
  });

  it('CRD server defaults are dropped only where kro-gen sets nothing and the value is the default', () => {
    const live = { spec: { conversion: { strategy: 'None' }, group: 'g' } };
    expect(withoutCrdServerDefaults({ spec: { group: 'g' } }, live)).toEqual({ spec: { group: 'g' } });
    const webhook = { spec: { conversion: { strategy: 'Webhook' } } };
    expect(withoutCrdServerDefaults({ spec: {} }, webhook)).toEqual(webhook);
    expect(live.spec.conversion).toEqual({ strategy: 'None' });
  });

  it('a Secret is compared as stored: stringData merged into data, base64', () => {
    expect(
      asStored({ apiVersion: 'v1', kind: 'Secret', data: { a: 'eA==' }, stringData: { a: 'y', b: 'z' } }),
    ).toEqual({ apiVersion: 'v1', kind: 'Secret', data: { a: 'eQ==', b: 'eg==' } });
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', stringData: { a: 'y' } };
    expect(asStored(cm)).toBe(cm);
  });
});
