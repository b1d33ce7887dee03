import { describe, expect, it } from 'vitest';
import { compareIds, DirectedAcyclicGraph } from '../../../src/graph/dag.js';

function graph(vertices: string[], edges: [string, string[]][] = []): DirectedAcyclicGraph {
  const dag = new DirectedAcyclicGraph();
  vertices.forEach((id, i) => {
    expect(dag.addVertex(id, i)).toBeUndefined();
  });
  for (const [from, deps] of edges) expect(dag.addDependencies(from, deps)).toBeUndefined();
  return dag;
}

describe('addDependencies', () => {
  it('keeps each dependency once, in first-added order', () => {
    const dag = graph(['a', 'b', 'c', 'x']);
    expect(dag.addDependencies('x', ['b', 'a', 'b'])).toBeUndefined();
    expect(dag.addDependencies('x', ['c', 'a'])).toBeUndefined();
    expect(dag.dependenciesOf('x')).toEqual(['b', 'a', 'c']);
  });

  it('changes nothing when one id of the call is unknown or the vertex itself', () => {
    // kro adds the ids before the bad one and skips the cycle check; kro-gen is all-or-nothing.
    const dag = graph(['a', 'b', 'x']);
    expect(dag.addDependencies('x', ['a', 'zzz'])).toMatchObject({
      code: 'missing-vertex',
      message: 'node zzz does not exist',
    });
    expect(dag.addDependencies('x', ['b', 'x'])).toMatchObject({
      code: 'self-reference',
      message: 'self references are not allowed',
    });
    expect(dag.addDependencies('nope', ['a'])).toMatchObject({ message: 'node nope does not exist' });
    expect(dag.dependenciesOf('x')).toEqual([]);
  });

  it('keeps earlier dependencies when a call is rejected for a cycle', () => {
    // kro deletes every id named in the failing call, even ones that were there before it.
    const dag = graph(['a', 'b', 'c'], [['b', ['a']]]);
    expect(dag.addDependencies('a', ['c'])).toBeUndefined();
    const err = dag.addDependencies('b', ['a', 'c']);
    expect(err).toBeUndefined();
    const cyc = dag.addDependencies('c', ['a', 'b']);
    expect(cyc?.code).toBe('cycle');
    expect(dag.dependenciesOf('c')).toEqual([]);
    expect(dag.dependenciesOf('b')).toEqual(['a', 'c']);
    expect(dag.hasCycle()).toBe(false);
  });
});

describe('cycle reports', () => {
  it('do not depend on the order edges were added in', () => {
    const messages = new Set<string>();
    const orders: [string, string[]][][] = [
      [
        ['a', ['c']],
        ['b', ['c']],
        ['c', ['b', 'a']],
      ],
      [
        ['b', ['c']],
        ['a', ['c']],
        ['c', ['a', 'b']],
      ],
    ];
    for (const edges of orders) {
      const dag = graph(['a', 'b', 'c']);
      const errors = edges.map(([from, deps]) => dag.addDependencies(from, deps)).filter((e) => e);
      expect(errors).toHaveLength(1);
      messages.add(errors[0]!.message);
      // Two cycles close at once (c->a->c and c->b->c); the one through the smallest vertex wins.
      expect(errors[0]).toMatchObject({ cycle: ['a', 'c', 'a'] });
    }
    expect([...messages]).toEqual(['graph contains a cycle: a -> c -> a']);
  });

  it('start at the smallest (order, id) vertex even when the search enters the cycle elsewhere', () => {
    // d (order 0) reaches the cycle b -> c -> b through c; b has the smaller order.
    const dag = graph(['d', 'b', 'c'], [['d', ['c']]]);
    dag.addDependencyUnchecked('c', 'b');
    dag.addDependencyUnchecked('b', 'c');
    expect(dag.findCycle()).toEqual(['b', 'c', 'b']);
    const sorted = dag.topologicalSort();
    expect(sorted.ok).toBe(false);
    if (!sorted.ok) expect(sorted.error.message).toBe('graph contains a cycle: b -> c -> b');
    expect(dag.applyLayers().ok).toBe(false);
    expect(dag.applyOrders().ok).toBe(false);
  });

  it('survive very long chains', () => {
    const n = 20_000;
    const ids = Array.from({ length: n }, (_, i) => `v${i}`);
    const dag = new DirectedAcyclicGraph();
    for (const [i, id] of ids.entries()) dag.addVertex(id, i);
    const errors = ids.slice(1).map((id, i) => dag.addDependencies(id, [ids[i]!]));
    expect(errors.filter((e) => e !== undefined)).toEqual([]);
    const err = dag.addDependencies('v0', [ids[n - 1]!]);
    expect(err?.code).toBe('cycle');
    if (err?.code === 'cycle') {
      expect(err.cycle).toHaveLength(n + 1);
      expect(err.cycle[0]).toBe('v0');
      expect(err.cycle[1]).toBe(ids[n - 1]);
    }
    expect(dag.topologicalSort()).toEqual({ ok: true, value: ids });
  });
});

describe('orders and layers', () => {
  // A; B and C depend on A; D depends on B; E stands alone.
  const uneven = (): DirectedAcyclicGraph =>
    graph(
      ['A', 'B', 'C', 'D', 'E'],
      [
        ['B', ['A']],
        ['C', ['A']],
        ['D', ['B']],
      ],
    );

  it('forward apply layers put each vertex right after its last dependency', () => {
    expect(uneven().applyLayers()).toEqual({ ok: true, value: [['A', 'E'], ['B', 'C'], ['D']] });
    const waves = uneven().applyWaves();
    expect(waves.ok && Object.fromEntries(waves.value)).toEqual({ A: 0, B: 1, C: 1, D: 2, E: 0 });
  });

  it("kro's apply orders come from the reverse layers instead", () => {
    const orders = uneven().applyOrders();
    expect(orders.ok && Object.fromEntries(orders.value)).toEqual({ A: 1, B: 2, C: 3, D: 3, E: 3 });
  });

  it('break ties by order, then by id in code point order', () => {
    const dag = new DirectedAcyclicGraph();
    dag.addVertex('z', 0);
    dag.addVertex('a\u{10000}', 1);
    dag.addVertex('a\uE000', 1);
    dag.addVertex('b', 1);
    expect(dag.topologicalSort()).toEqual({ ok: true, value: ['z', 'a\uE000', 'a\u{10000}', 'b'] });
    expect(dag.vertices()).toEqual(['z', 'a\uE000', 'a\u{10000}', 'b']);
  });

  it('handle the empty graph', () => {
    const dag = new DirectedAcyclicGraph();
    expect(dag.topologicalSort()).toEqual({ ok: true, value: [] });
    expect(dag.applyLayers()).toEqual({ ok: true, value: [] });
  });
});

describe('compareIds', () => {
  it('orders like Go compares UTF-8 bytes', () => {
    expect(compareIds('a', 'b')).toBeLessThan(0);
    expect(compareIds('ab', 'a')).toBeGreaterThan(0);
    expect(compareIds('\uFFFF', '\u{10000}')).toBeLessThan(0);
    expect(compareIds('\u{10000}', '\uE000')).toBeGreaterThan(0);
    expect(compareIds('\uD7FF', '\u{10000}')).toBeLessThan(0);
    expect(compareIds('x', 'x')).toBe(0);
  });
});
