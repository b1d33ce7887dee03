// The observation and comparison helpers of the RGD-update differential, without a cluster.
import { describe, expect, it } from 'vitest';
import type { InstancePlan } from '../../../src/diff/report.js';
import type { KubeObject } from '../cluster/kube.js';
import { compareObservations, expectedObservation, observe } from './observe.js';

const cm = (name: string, data: Record<string, string>, uid = name, labels = {}): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'ns', uid, resourceVersion: String(Math.random()), labels },
    data,
  }) as KubeObject;

const plan = (objects: InstancePlan['objects']): InstancePlan => ({
  instance: { apiVersion: 'kro.run/v1alpha1', kind: 'X', namespace: 'ns', name: 'i' },
  errors: [],
  objects,
});

const obj = (action: 'create' | 'update' | 'delete' | 'unchanged', name: string, extra = {}) => ({
  action,
  apiVersion: 'v1',
  kind: 'ConfigMap',
  namespace: 'ns',
  name,
  changes: [],
  immutable: [],
  ...extra,
});

describe('observe', () => {
  it("classifies children by what changed, ignoring the server's and kro's bookkeeping", () => {
    const before = [cm('a', { k: '1' }), cm('b', { k: '1' }), cm('c', { k: '1' }), cm('d', { k: '1' })];
    const after = [
      cm('a', { k: '1' }, 'a', { 'kro.run/node-id': 'renamed' }),
      cm('b', { k: '2' }),
      cm('d', { k: '1' }, 'other-uid'),
      cm('e', { k: '1' }),
    ];
    const seen = observe(before, after);
    expect([...seen.values()].map((o) => [o.key, o.action, o.changes])).toEqual([
      ['/ConfigMap ns/a', 'unchanged', []],
      ['/ConfigMap ns/b', 'update', ['data.k: "1" -> "2"']],
      ['/ConfigMap ns/d', 'create', ['(recreated)']],
      ['/ConfigMap ns/e', 'create', []],
      ['/ConfigMap ns/c', 'delete', []],
    ]);
  });

  it('expects nothing to change when kro refuses, and no prune when an apply is refused', () => {
    const p = plan([
      obj('update', 'a', { changes: [{ path: 'data.k', from: '1', to: '2' }] }),
      obj('create', 'b'),
      obj('delete', 'c'),
    ]);
    expect([...expectedObservation(p, false).values()].map((o) => o.action)).toEqual([
      'update',
      'create',
      'delete',
    ]);
    expect([...expectedObservation(p, true).values()].map((o) => [o.key, o.action])).toEqual([
      ['/ConfigMap ns/a', 'unchanged'],
      ['/ConfigMap ns/c', 'unchanged'],
    ]);
    const blocked = plan([obj('update', 'a', { immutable: ['spec.selector'] }), obj('delete', 'c')]);
    expect([...expectedObservation(blocked, false).values()].map((o) => o.action)).toEqual([
      'unchanged',
      'unchanged',
    ]);
  });

  it('lists every difference between expected and observed', () => {
    const expected = expectedObservation(
      plan([obj('update', 'b', { changes: [{ path: 'data.k', from: '1', to: '3' }] }), obj('delete', 'c')]),
      false,
    );
    const seen = observe([cm('b', { k: '1' }), cm('c', {})], [cm('b', { k: '2' }), cm('c', {}), cm('e', {})]);
    expect(compareObservations(expected, seen)).toEqual([
      '/ConfigMap ns/b: changes differ: kro-gen [data.k: "1" -> "3"], kro [data.k: "1" -> "2"]',
      '/ConfigMap ns/c: kro-gen delete, kro unchanged',
      '/ConfigMap ns/e: kro create, kro-gen does not list it',
    ]);
  });
});
