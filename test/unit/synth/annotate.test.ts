// Ordering metadata: the exact formats kpt / cli-utils, Argo CD and kapp read.
import { describe, expect, it } from 'vitest';
import { stampOwned } from '../../../src/synth/annotate.js';
import {
  DEPENDS_ON,
  dependsOnRef,
  groupOf,
  kappGroup,
  parseAnnotationStyles,
  stamp,
} from '../../../src/synth/index.js';

describe('depends-on references', () => {
  it('use `<group>/namespaces/<ns>/<kind>/<name>`, or `<group>/<kind>/<name>` when cluster-scoped; core group empty', () => {
    expect(dependsOnRef({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'prod' })).toBe(
      'apps/namespaces/prod/Deployment/web',
    );
    expect(dependsOnRef({ apiVersion: 'v1', kind: 'Service', name: 'svc', namespace: 'prod' })).toBe(
      '/namespaces/prod/Service/svc',
    );
    expect(dependsOnRef({ apiVersion: 'v1', kind: 'Namespace', name: 'prod', namespace: '' })).toBe(
      '/Namespace/prod',
    );
    expect(groupOf('rbac.authorization.k8s.io/v1')).toBe('rbac.authorization.k8s.io');
  });
});

describe('stamp', () => {
  const object = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', annotations: { mine: 'x' } },
    data: {},
  };

  it('joins direct dependencies sorted and without duplicates; keeps existing annotations first', () => {
    const out = stamp(object, {
      styles: ['depends-on', 'argocd'],
      dependsOn: ['b/Kind/z', 'a/Kind/y', 'b/Kind/z'],
      wave: 2,
      changeGroup: 'g',
      dependsOnGroups: [],
    });
    expect(out.metadata).toEqual({
      name: 'c',
      annotations: { mine: 'x', [DEPENDS_ON]: 'a/Kind/y,b/Kind/z', 'argocd.argoproj.io/sync-wave': '2' },
    });
    expect(Object.keys(out)).toEqual(['apiVersion', 'kind', 'metadata', 'data']);
    expect(object.metadata.annotations).toEqual({ mine: 'x' });
  });

  it('kapp: a change group, and one change rule per dependency group', () => {
    const out = stamp(object, {
      styles: ['kapp'],
      dependsOn: [],
      wave: 0,
      changeGroup: 'kro-gen.dev/app.x',
      dependsOnGroups: ['kro-gen.dev/b', 'kro-gen.dev/a'],
    });
    expect((out.metadata as { annotations: Record<string, string> }).annotations).toEqual({
      mine: 'x',
      'kapp.k14s.io/change-group': 'kro-gen.dev/app.x',
      'kapp.k14s.io/change-rule': 'upsert after upserting kro-gen.dev/a',
      'kapp.k14s.io/change-rule.1': 'upsert after upserting kro-gen.dev/b',
    });
  });

  it('no styles and no labels leaves the object as it is', () => {
    expect(
      stamp(object, { styles: [], dependsOn: ['x'], wave: 1, changeGroup: 'g', dependsOnGroups: ['h'] }),
    ).toBe(object);
  });

  it('an object without dependencies gets no depends-on annotation', () => {
    const out = stamp(object, {
      styles: ['depends-on'],
      dependsOn: [],
      wave: 0,
      changeGroup: 'g',
      dependsOnGroups: [],
    });
    expect(out).toBe(object);
  });
});

describe('stampOwned', () => {
  const stamps = [
    { styles: ['depends-on', 'argocd', 'kapp'] as const, labels: { 'kro-gen.dev/node-id': 'n', app: 'new' } },
    { styles: ['argocd'] as const },
    { styles: [] as const, labels: { a: 'b' } },
    { styles: [] as const },
  ];
  const objects = () => [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', labels: { app: 'old', x: 'y' } },
      data: {},
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { annotations: { mine: 'x' }, name: 'c' } },
    { apiVersion: 'v1', kind: 'ConfigMap', data: { k: 'v' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: null, annotations: 'odd' } },
  ];

  it('gives what stamp gives, key order included, by merging into the object it is given', () => {
    for (const s of stamps) {
      for (const [i, object] of objects().entries()) {
        const full = {
          ...s,
          dependsOn: ['b/Kind/z', 'a/Kind/y'],
          wave: 3,
          changeGroup: 'g',
          dependsOnGroups: ['h'],
        };
        const expected = JSON.stringify(stamp(objects()[i] as typeof object, full));
        const out = stampOwned(object, full);
        expect(out).toBe(object);
        expect(JSON.stringify(out)).toBe(expected);
      }
    }
  });
});

describe('kapp change group names', () => {
  it('are qualified names under kro-gen.dev/, hashed when too long or odd', () => {
    expect(kappGroup(['application', 'default', 'web', 'deployment'])).toBe(
      'kro-gen.dev/application.default.web.deployment',
    );
    const long = kappGroup(['application', 'default', 'x'.repeat(80), 'deployment']);
    expect(long).toMatch(/^kro-gen\.dev\/[A-Za-z0-9][-A-Za-z0-9_.]{0,61}[A-Za-z0-9]$/);
    expect(long).not.toBe(kappGroup(['application', 'default', 'y'.repeat(80), 'deployment']));
  });
});

describe('--annotations', () => {
  it('accepts a comma list, `none`, and rejects anything else', () => {
    expect(parseAnnotationStyles('depends-on,argocd')).toEqual({
      ok: true,
      styles: ['depends-on', 'argocd'],
    });
    expect(parseAnnotationStyles('kapp, depends-on,kapp')).toEqual({
      ok: true,
      styles: ['kapp', 'depends-on'],
    });
    expect(parseAnnotationStyles('none')).toEqual({ ok: true, styles: [] });
    expect(parseAnnotationStyles('argo')).toEqual({ ok: false, bad: 'argo' });
  });

  it('takes none only on its own: next to a style it contradicts it', () => {
    expect(parseAnnotationStyles('none,kapp')).toEqual({ ok: false, bad: 'none' });
    expect(parseAnnotationStyles('depends-on, none')).toEqual({ ok: false, bad: 'none' });
    expect(parseAnnotationStyles('none,none')).toEqual({ ok: false, bad: 'none' });
  });
});
