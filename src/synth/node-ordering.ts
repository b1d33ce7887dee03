// The order facts of a graph that stamping needs: what each node waits for (looking through
// external references, which are not emitted) and its sync wave.
import type { Graph, GraphResource } from '../graph/model.js';

/** Direct dependencies of a node for ordering: externals are not emitted, so look through them. */
function orderingDependencies(graph: Graph, id: string, byId: ReadonlyMap<string, GraphResource>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (deps: readonly string[]) => {
    for (const d of deps) {
      if (seen.has(d)) continue;
      seen.add(d);
      const r = byId.get(d);
      if (!r) continue;
      if (r.type === 'external' || r.type === 'externalCollection') visit(r.dependencies);
      else out.push(d);
    }
  };
  visit(byId.get(id)?.dependencies ?? []);
  void graph;
  return out;
}

export interface GraphFacts {
  readonly waves: ReadonlyMap<string, number>;
  readonly byId: ReadonlyMap<string, GraphResource>;
  readonly orderDeps: ReadonlyMap<string, readonly string[]>;
  /** The nodes some node waits for (in orderDeps). */
  readonly waitedFor: ReadonlySet<string>;
}

const facts = new WeakMap<Graph, GraphFacts>();

/** What every instance of a graph shares for ordering, worked out once per graph. */
export function graphFacts(graph: Graph): GraphFacts {
  let f = facts.get(graph);
  if (!f) {
    const byId = new Map(graph.resources.map((r) => [r.id, r]));
    const orderDeps = new Map(graph.resources.map((r) => [r.id, orderingDependencies(graph, r.id, byId)]));
    // Waves count emitted objects only: external references are not applied, so they take none.
    const waves = new Map<string, number>();
    for (const id of graph.topologicalOrder) {
      let w = 0;
      for (const d of orderDeps.get(id) ?? []) w = Math.max(w, (waves.get(d) ?? 0) + 1);
      waves.set(id, w);
    }
    const waitedFor = new Set([...orderDeps.values()].flat());
    f = { waves, byId, orderDeps, waitedFor };
    facts.set(graph, f);
  }
  return f;
}

/**
 * Each node's sync wave before any offset: 0 without dependencies, else one past its deepest
 * dependency, looking through external references (they are read, never applied).
 */
export function nodeWaves(graph: Graph): ReadonlyMap<string, number> {
  return graphFacts(graph).waves;
}

/** The nodes each node waits for when applied: its dependencies, externals replaced by theirs. */
export function orderingDependenciesOf(graph: Graph): ReadonlyMap<string, readonly string[]> {
  return graphFacts(graph).orderDeps;
}

/**
 * Renders one instance of an RGD into the objects kro would create for it, in kro's order, each
 * stamped with ordering annotations and identification labels. Never throws for bad input.
 */
