// kro's DAG tables (test/conformance/kro/dag.json), run against src/graph/dag.ts.
import { describe, expect } from 'vitest';
import { type DagError, DirectedAcyclicGraph } from '../../src/graph/dag.js';
import { loadKroJson, runCases } from '../helpers/conformance.js';

interface GraphInput {
  vertices: { id: string; order: number }[];
  dependencies: Record<string, string[]>;
}

interface Op {
  op: string;
  id?: string;
  order?: number;
  from?: string;
  dependencies?: string[];
  dependency?: string;
  expect?: boolean;
  expectError?: boolean;
  expectCycleError?: boolean;
  errorFromSource?: string;
}

interface DagCase {
  id: string;
  name: string;
  kind: string;
  input: unknown;
  expect?: unknown;
  expectApplyOrders?: Record<string, number>;
  expectCycleError?: boolean;
  errorContains?: string;
  alsoCheck?: string;
}

const cases = loadKroJson<DagCase[]>('dag.json');

// kro names the cycle starting wherever Go's map iteration happened to start. kro-gen starts at
// the smallest (order, id) vertex and follows dependencies; these are worked out by hand from
// each case's graph.
const expectedCycles: Record<string, string> = {
  TestDAGHasCycle: 'graph contains a cycle: A -> B -> C -> A',
  'cyclic dependency (role1 <-> role2 via metadata.name templates)':
    'graph contains a cycle: role1 -> role2 -> role1',
  'cyclic pod dependencies (pod1 -> pod4 -> pod3 -> pod2 -> pod1)':
    'graph contains a cycle: pod1 -> pod4 -> pod3 -> pod2 -> pod1',
  'cycle created only by includeWhen references': 'graph contains a cycle: a -> b -> a',
  'cycle between template dependency and includeWhen dependency': 'graph contains a cycle: a -> b -> a',
  'simpleschema custom types TypeA <-> TypeB': 'graph contains a cycle: TypeA -> TypeB -> TypeA',
};

function build(input: GraphInput): { dag: DirectedAcyclicGraph; errors: DagError[] } {
  const dag = new DirectedAcyclicGraph();
  for (const v of input.vertices) expect(dag.addVertex(v.id, v.order)).toBeUndefined();
  const errors: DagError[] = [];
  for (const [from, deps] of Object.entries(input.dependencies)) {
    const err = dag.addDependencies(from, deps);
    if (err) errors.push(err);
  }
  return { dag, errors };
}

function expectValidTopologicalOrder(order: string[], input: GraphInput): void {
  const position = new Map(order.map((id, i) => [id, i]));
  expect(position.size).toBe(input.vertices.length);
  for (const [from, deps] of Object.entries(input.dependencies)) {
    for (const dep of deps) expect(position.get(dep)!).toBeLessThan(position.get(from)!);
  }
}

function runOperations(c: DagCase): void {
  const { ops } = c.input as { ops: Op[] };
  const dag = new DirectedAcyclicGraph();
  for (const op of ops) {
    switch (op.op) {
      case 'addVertex': {
        const err = dag.addVertex(op.id!, op.order!);
        expect(err !== undefined).toBe(op.expectError ?? false);
        if (err && op.errorFromSource) expect(err.message).toBe(op.errorFromSource);
        break;
      }
      case 'addDependencies': {
        const err = dag.addDependencies(op.from!, op.dependencies!);
        expect(err !== undefined).toBe(op.expectError ?? false);
        if (err && op.errorFromSource) expect(err.message).toBe(op.errorFromSource);
        if (op.expectCycleError) {
          expect(err?.code).toBe('cycle');
          expect(err?.message).toBe(expectedCycles[c.name]);
        }
        break;
      }
      case 'hasCycle':
        expect(dag.hasCycle()).toBe(op.expect);
        break;
      case 'forceDependency':
        dag.addDependencyUnchecked(op.from!, op.dependency!);
        break;
      case 'topologicalSort':
      case 'reverseTopologicalLayers': {
        const r = op.op === 'topologicalSort' ? dag.topologicalSort() : dag.reverseTopologicalLayers();
        expect(!r.ok).toBe(op.expectError ?? false);
        if (!r.ok && op.expectCycleError) {
          expect(r.error.code).toBe('cycle');
          expect(r.error.message).toBe(expectedCycles[c.name]);
        }
        break;
      }
      default:
        throw new Error(`unknown op ${op.op}`);
    }
  }
  const { vertexCount } = (c.expect ?? {}) as { vertexCount?: number };
  if (vertexCount !== undefined) expect(dag.size).toBe(vertexCount);
}

describe('kro dag.json', () => {
  runCases('dag.json', cases, (c) => {
    switch (c.kind) {
      case 'operations':
        runOperations(c);
        break;
      case 'topologicalSort': {
        const input = c.input as GraphInput;
        const { dag, errors } = build(input);
        expect(errors).toEqual([]);
        const order = dag.topologicalSort();
        expect(order).toEqual({ ok: true, value: c.expect });
        if (order.ok) expectValidTopologicalOrder(order.value, input);
        if (c.expectApplyOrders) {
          const orders = dag.applyOrders();
          expect(orders.ok && Object.fromEntries(orders.value)).toEqual(c.expectApplyOrders);
        }
        break;
      }
      case 'reverseTopologicalLayers': {
        const { dag } = build(c.input as GraphInput);
        expect(dag.reverseTopologicalLayers()).toEqual({ ok: true, value: c.expect });
        break;
      }
      case 'applyOrders': {
        const { dag } = build(c.input as GraphInput);
        const orders = dag.applyOrders();
        expect(orders.ok && Object.fromEntries(orders.value)).toEqual(c.expect);
        break;
      }
      case 'cycleDetection': {
        const { errors } = build(c.input as GraphInput);
        expect(errors).toHaveLength(1);
        const err = errors[0]!;
        expect(err.code).toBe('cycle');
        if (c.errorContains) expect(err.message).toContain(c.errorContains);
        expect(err.message).toBe(expectedCycles[c.name]);
        break;
      }
      case 'addDependencyDedup': {
        const deps = (c.input as string[] | null) ?? [];
        const dag = new DirectedAcyclicGraph();
        dag.addVertex('node', 0);
        for (const id of new Set(deps)) dag.addVertex(id, 1);
        for (const id of deps) expect(dag.addDependencies('node', [id])).toBeUndefined();
        // kro's nil slice (no dependency ever added) is the empty list here.
        expect(dag.dependenciesOf('node')).toEqual(c.expect ?? []);
        break;
      }
      default:
        throw new Error(`unhandled kind ${c.kind}`);
    }
  });
});
