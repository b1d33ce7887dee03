// What externalRef resources read from the objects supplied: the lookups go through an index by
// kind and name (so n instances reading each other stay linear), with the scan's results.
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../src/rgd/model.js';
import { findExternal, listExternals } from '../../../src/synth/external.js';

const cm = (name: string, namespace?: string, labels?: Record<string, string>): JsonObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}) },
});

describe('findExternal', () => {
  it('gives the first supplied object of the kind and name whose namespace fits', () => {
    const a = cm('x', 'other');
    const b = cm('x', 'team');
    const c = cm('x');
    const supplied = [a, { ...cm('x', 'team'), kind: 'Secret' }, b, c];
    expect(
      findExternal(supplied, { apiVersion: 'v1', kind: 'ConfigMap', name: 'x', namespace: 'team' }),
    ).toBe(b);
    expect(findExternal(supplied, { apiVersion: 'v1', kind: 'ConfigMap', name: 'x', namespace: '' })).toBe(a);
    expect(findExternal(supplied, { apiVersion: 'v1', kind: 'ConfigMap', name: 'x', namespace: 'dev' })).toBe(
      c,
    );
    expect(
      findExternal(supplied, { apiVersion: 'v1', kind: 'ConfigMap', name: 'y', namespace: '' }),
    ).toBeUndefined();
    expect(
      findExternal(supplied, { apiVersion: 'v2', kind: 'ConfigMap', name: 'x', namespace: '' }),
    ).toBeUndefined();
  });

  it('sees objects added to the array after an earlier lookup', () => {
    const supplied = [cm('x', 'team')];
    expect(
      findExternal(supplied, { apiVersion: 'v1', kind: 'ConfigMap', name: 'y', namespace: '' }),
    ).toBeUndefined();
    const y = cm('y', 'team');
    supplied.push(y);
    expect(findExternal(supplied, { apiVersion: 'v1', kind: 'ConfigMap', name: 'y', namespace: '' })).toBe(y);
  });
});

describe('listExternals', () => {
  it('lists the objects of the kind whose labels match, in the namespace, by namespace then name', () => {
    const supplied = [
      cm('b', 'team', { app: 'web' }),
      cm('a', 'team', { app: 'web' }),
      cm('c', 'other', { app: 'web' }),
      cm('d', 'team', { app: 'db' }),
      { ...cm('e', 'team', { app: 'web' }), kind: 'Secret' },
    ];
    const names = (objects: JsonObject[]) =>
      objects.map((o) => `${(o.metadata as JsonObject).namespace}/${(o.metadata as JsonObject).name}`);
    const selector = { matchLabels: { app: 'web' } };
    expect(
      names(listExternals(supplied, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'team', selector })),
    ).toEqual(['team/a', 'team/b']);
    expect(
      names(listExternals(supplied, { apiVersion: 'v1', kind: 'ConfigMap', namespace: '', selector })),
    ).toEqual(['other/c', 'team/a', 'team/b']);
  });
});
