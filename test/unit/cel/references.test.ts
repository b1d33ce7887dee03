import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { findReferences, referencedRoots } from '../../../src/cel/references.js';

const env = new Environment({
  unlistedVariablesAreDyn: true,
  enableOptionalTypes: true,
  homogeneousAggregateLiterals: false,
});
const NS = new Set(['cel', 'optional', 'random']);

function refs(expr: string): string[] {
  return findReferences(env.parse(expr).ast, NS).map((r) => [r.root, ...r.path].join('.'));
}

describe('findReferences', () => {
  it.each([
    ['deployment.spec.selector.matchLabels', ['deployment.spec.selector.matchLabels']],
    ['schema.spec.name + "-svc"', ['schema.spec.name']],
    ['has(x.y)', ['x.y']],
    ['items.map(i, i.name)', ['items']],
    ['schema.spec.?opt.orValue("d")', ['schema.spec.opt']],
    [
      'size(schema.spec.items) > 0 ? service.status.loadBalancer.ingress[0].ip : "pending"',
      ['schema.spec.items', 'service.status.loadBalancer.ingress'],
    ],
    ['configmap.data["key"]', ['configmap.data']],
    ['[1, 2].exists(x, x == y.z)', ['y.z']],
    ['m.all(k, v, v > limit)', ['m', 'limit']],
    ['cel.bind(v, a.b, v.c + d.e)', ['a.b', 'd.e']],
    ['a.filter(x, x.ok).map(x, x.name + suffix)', ['a', 'suffix']],
    ['l.map(x, x > 0, x * factor)', ['l', 'factor']],
    ['m.transformMap(k, v, v + k + extra)', ['m', 'extra']],
    ['random.seededString(8, schema.metadata.uid)', ['schema.metadata.uid']],
    ['optional.of(a).orValue(b)', ['a', 'b']],
  ])('%s', (expr, expected) => {
    expect(refs(expr)).toEqual(expected);
  });

  it('does not let a bound name hide the same name outside the macro', () => {
    expect(refs('items.map(x, x.a) + [x.b]')).toEqual(['items', 'x.b']);
  });

  it('binds cel.bind variables only in the body, not in the initialiser', () => {
    expect(refs('cel.bind(v, v.a, v.b)')).toEqual(['v.a']);
  });

  it('reports offsets of each reference', () => {
    const [r] = findReferences(env.parse('1 + deployment.spec.replicas').ast, NS);
    expect(r).toMatchObject({ root: 'deployment', start: 4, end: 28 });
  });

  it('lists distinct roots in order of first appearance', () => {
    expect(referencedRoots(env.parse('b.x + a.y + b.z').ast, NS)).toEqual(['b', 'a']);
  });

  // A resource named like a namespace is a variable (not in `namespaces`); as in kro, the target
  // of a call to one of the namespace's functions is still the namespace.
  it('skips the target of a namespaced call even when a variable has the namespace name', () => {
    const functions = new Set(['optional.of', 'optional.none', 'random.seededString']);
    const ns = new Set(['cel']);
    const roots = (expr: string) =>
      findReferences(env.parse(expr).ast, ns, functions).map((r) => [r.root, ...r.path].join('.'));
    expect(
      roots('optional.of(optional.spec.x).orValue(random.seededString(4, random.metadata.name))'),
    ).toEqual(['optional.spec.x', 'random.metadata.name']);
    expect(roots('optional.none()')).toEqual([]);
    // Not one of the namespace's functions: a method call on the variable.
    expect(roots('optional.size() + random.filter(x, x > 0).size()')).toEqual(['optional', 'random']);
  });
});
