// The dependency graph, with kro's ordering (pkg/graph/dag/dag.go).
//
// - Each vertex has an id and a declaration order (its position in the RGD). Whenever several
//   vertices are ready, the one with the smallest (order, id) goes first, so the user's order is
//   kept as far as the dependencies allow. Ids compare by code point (Go compares UTF-8 bytes,
//   which orders the same way).
// - `addDependencies(from, deps)` records "from depends on each of deps": deps come first. Every
//   call keeps the graph acyclic; a call that would close a cycle is rejected and leaves the graph
//   as it was.
//
// Cycle reports are deterministic (kro's depend on Go map iteration order): depth-first search
// over the vertices in (order, id) order, visiting each vertex's dependencies in (order, id) order;
// the first edge back onto the search stack closes the cycle, which is then rotated to start at
// its smallest (order, id) vertex. `a -> b -> a` reads "a depends on b, which depends on a".

export type DagError =
  | { readonly code: 'duplicate-vertex'; readonly message: string; readonly id: string }
  | { readonly code: 'missing-vertex'; readonly message: string; readonly id: string }
  | { readonly code: 'self-reference'; readonly message: string; readonly id: string }
  | {
      readonly code: 'cycle';
      readonly message: string;
      /** The cycle, closed: first and last element are the same vertex. */
      readonly cycle: readonly string[];
    };

export type DagResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: DagError };

interface Vertex {
  readonly id: string;
  readonly order: number;
  /** Dependencies in first-added order, without duplicates. */
  readonly dependsOn: string[];
  readonly dependsOnSet: Set<string>;
  /** How many vertices depend on this one: with none, new edges out of it cannot close a cycle. */
  dependents: number;
}

/** Code point order, which is also Go's (UTF-8 byte) string order. */
export function compareIds(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800..DFFF) encode code points above U+FFFF, so they sort after U+E000..FFFF.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x <= 0xdfff ? x + 0x2000 : x - 0x800;
      y = y <= 0xdfff ? y + 0x2000 : y - 0x800;
    }
    return x - y;
  }
  return a.length - b.length;
}

export function cycleMessage(cycle: readonly string[]): string {
  return `graph contains a cycle: ${cycle.join(' -> ')}`;
}

export class DirectedAcyclicGraph {
  private readonly vertexMap = new Map<string, Vertex>();

  get size(): number {
    return this.vertexMap.size;
  }

  has(id: string): boolean {
    return this.vertexMap.has(id);
  }

  /** Vertex ids in (order, id) order. */
  vertices(): string[] {
    return [...this.vertexMap.values()].sort((a, b) => this.compareVertices(a, b)).map((v) => v.id);
  }

  order(id: string): number | undefined {
    return this.vertexMap.get(id)?.order;
  }

  /** Direct dependencies of `id`, in the order they were first added. */
  dependenciesOf(id: string): readonly string[] {
    return this.vertexMap.get(id)?.dependsOn ?? [];
  }

  addVertex(id: string, order: number): DagError | undefined {
    if (this.vertexMap.has(id)) return { code: 'duplicate-vertex', message: `node ${id} already exists`, id };
    this.vertexMap.set(id, { id, order, dependsOn: [], dependsOnSet: new Set(), dependents: 0 });
    return undefined;
  }

  /**
   * `from` depends on every id in `dependencies`. All-or-nothing: an unknown vertex, a self
   * reference or a cycle rejects the whole call and changes nothing. Repeated ids are kept once.
   */
  addDependencies(from: string, dependencies: readonly string[]): DagError | undefined {
    const vertex = this.vertexMap.get(from);
    if (vertex === undefined)
      return { code: 'missing-vertex', message: `node ${from} does not exist`, id: from };
    // Indexed: cold code (docs/architecture.md).
    for (let i = 0; i < dependencies.length; i++) {
      const dependency = dependencies[i] as string;
      if (!this.vertexMap.has(dependency)) {
        return { code: 'missing-vertex', message: `node ${dependency} does not exist`, id: dependency };
      }
      if (dependency === from) {
        return { code: 'self-reference', message: 'self references are not allowed', id: from };
      }
    }
    const added: string[] = [];
    for (let i = 0; i < dependencies.length; i++) {
      const dependency = dependencies[i] as string;
      if (vertex.dependsOnSet.has(dependency)) continue;
      vertex.dependsOnSet.add(dependency);
      vertex.dependsOn.push(dependency);
      this.vertexMap.get(dependency)!.dependents++;
      added.push(dependency);
    }
    // A new edge from -> d closes a cycle exactly when `from` was already reachable from d.
    if (added.length > 0 && vertex.dependents > 0 && this.reachesFrom(added, from)) {
      const cycle = this.findCycle()!;
      for (const dependency of added) {
        vertex.dependsOnSet.delete(dependency);
        this.vertexMap.get(dependency)!.dependents--;
      }
      vertex.dependsOn.length -= added.length;
      return { code: 'cycle', message: cycleMessage(cycle), cycle };
    }
    return undefined;
  }

  /**
   * Adds `from -> dependency` without any check, so a graph with cycles can be built on purpose
   * (to collect every edge first and report cycles later with `findCycle`).
   */
  addDependencyUnchecked(from: string, dependency: string): void {
    const vertex = this.vertexMap.get(from);
    const target = this.vertexMap.get(dependency);
    if (vertex === undefined || target === undefined || vertex.dependsOnSet.has(dependency)) return;
    vertex.dependsOnSet.add(dependency);
    vertex.dependsOn.push(dependency);
    target.dependents++;
  }

  hasCycle(): boolean {
    return this.findCycle() !== undefined;
  }

  /** The deterministic cycle described at the top of this module, closed (`[a, b, a]`). */
  findCycle(): string[] | undefined {
    const state = new Map<string, 1 | 2>(); // 1 = on the stack, 2 = done
    const stack: string[] = [];
    const sortedDeps = (v: Vertex): Vertex[] =>
      v.dependsOn
        .map((id) => this.vertexMap.get(id))
        .filter((d): d is Vertex => d !== undefined)
        .sort((a, b) => this.compareVertices(a, b));

    // Iterative DFS so deep chains cannot overflow the JS stack.
    for (const root of [...this.vertexMap.values()].sort((a, b) => this.compareVertices(a, b))) {
      if (state.has(root.id)) continue;
      const frames: { vertex: Vertex; deps: Vertex[]; next: number }[] = [
        { vertex: root, deps: sortedDeps(root), next: 0 },
      ];
      state.set(root.id, 1);
      stack.push(root.id);
      while (frames.length > 0) {
        const frame = frames[frames.length - 1]!;
        const dep = frame.deps[frame.next++];
        if (dep === undefined) {
          state.set(frame.vertex.id, 2);
          stack.pop();
          frames.pop();
          continue;
        }
        const seen = state.get(dep.id);
        if (seen === 1) return this.rotateCycle(stack.slice(stack.indexOf(dep.id)));
        if (seen === 2) continue;
        state.set(dep.id, 1);
        stack.push(dep.id);
        frames.push({ vertex: dep, deps: sortedDeps(dep), next: 0 });
      }
    }
    return undefined;
  }

  /** kro's `TopologicalSort`: dependencies first; ties broken by (order, id). */
  topologicalSort(): DagResult<string[]> {
    const inOrder = this.#inDeclarationOrder();
    if (inOrder !== undefined) return { ok: true, value: inOrder };
    const traversal = this.traverse('dependencies-first');
    const out: string[] = [];
    while (traversal.ready.size > 0) {
      const v = traversal.ready.pop();
      out.push(v.id);
      traversal.advance(v.id);
    }
    if (out.length !== this.vertexMap.size) return this.cycleFailure();
    return { ok: true, value: out };
  }

  /**
   * kro's `ReverseTopologicalLayers`: layer 0 holds the vertices nothing depends on, and each later
   * layer the vertices whose dependents are all in earlier layers. Within a layer, (order, id).
   */
  reverseTopologicalLayers(): DagResult<string[][]> {
    const traversal = this.traverse('dependents-first');
    const layers: string[][] = [];
    let processed = 0;
    while (traversal.ready.size > 0) {
      const layer: string[] = [];
      for (let k = traversal.ready.size; k > 0; k--) layer.push(traversal.ready.pop().id);
      for (const id of layer) traversal.advance(id);
      layers.push(layer);
      processed += layer.length;
    }
    if (processed !== this.vertexMap.size) return this.cycleFailure();
    return { ok: true, value: layers };
  }

  /**
   * kro's apply orders (the `internal.kro.run/apply-order` value): the number of reverse layers
   * minus the vertex's reverse layer index. Dependencies get lower numbers; vertices nothing
   * depends on all share the highest number.
   */
  applyOrders(): DagResult<Map<string, number>> {
    const layers = this.reverseTopologicalLayers();
    if (!layers.ok) return layers;
    const orders = new Map<string, number>();
    layers.value.forEach((layer, i) => {
      for (const id of layer) orders.set(id, layers.value.length - i);
    });
    return { ok: true, value: orders };
  }

  /**
   * Forward apply layers, for sync waves: layer 0 holds the vertices without dependencies, and a
   * vertex's layer is one more than the highest layer among its dependencies, so each vertex is
   * applied as early as possible. Within a layer, (order, id).
   */
  applyLayers(): DagResult<string[][]> {
    const sorted = this.topologicalSort();
    if (!sorted.ok) return sorted;
    const layerOf = new Map<string, number>();
    const layers: string[][] = [];
    for (const id of sorted.value) {
      let layer = 0;
      for (const dep of this.vertexMap.get(id)!.dependsOn) layer = Math.max(layer, layerOf.get(dep)! + 1);
      layerOf.set(id, layer);
      const bucket = layers[layer];
      if (bucket === undefined) layers[layer] = [id];
      else bucket.push(id);
    }
    for (const layer of layers) layer.sort((a, b) => this.compareIdsByVertex(a, b));
    return { ok: true, value: layers };
  }

  /** `applyLayers` as id -> layer number. */
  applyWaves(): DagResult<Map<string, number>> {
    const layers = this.applyLayers();
    if (!layers.ok) return layers;
    const waves = new Map<string, number>();
    layers.value.forEach((layer, i) => {
      for (const id of layer) waves.set(id, i);
    });
    return { ok: true, value: waves };
  }

  /**
   * The vertex ids as added, when that is already the topological order: added in ascending
   * (order, id), each after all of its dependencies. Then the smallest vertex not yet taken is
   * always ready, so the traversal would take them in exactly this order. Most RGDs declare their
   * resources so, and the traversal's maps and heap cost more than this one pass.
   */
  #inDeclarationOrder(): string[] | undefined {
    const seen = new Set<string>();
    let previous: Vertex | undefined;
    for (const v of this.vertexMap.values()) {
      if (previous !== undefined && this.compareVertices(previous, v) >= 0) return undefined;
      for (let i = 0; i < v.dependsOn.length; i++) if (!seen.has(v.dependsOn[i]!)) return undefined;
      seen.add(v.id);
      previous = v;
    }
    return [...seen];
  }

  private compareVertices(a: Vertex, b: Vertex): number {
    return a.order !== b.order ? a.order - b.order : compareIds(a.id, b.id);
  }

  private compareIdsByVertex(a: string, b: string): number {
    return this.compareVertices(this.vertexMap.get(a)!, this.vertexMap.get(b)!);
  }

  /** Whether `target` is reachable from any of `starts` along dependency edges. */
  private reachesFrom(starts: readonly string[], target: string): boolean {
    const seen = new Set<string>(starts);
    const todo = [...starts];
    while (todo.length > 0) {
      const id = todo.pop()!;
      if (id === target) return true;
      for (const dep of this.vertexMap.get(id)!.dependsOn) {
        if (!seen.has(dep)) {
          seen.add(dep);
          todo.push(dep);
        }
      }
    }
    return false;
  }

  private rotateCycle(open: string[]): string[] {
    let min = 0;
    for (let i = 1; i < open.length; i++) {
      if (this.compareIdsByVertex(open[i]!, open[min]!) < 0) min = i;
    }
    const rotated = [...open.slice(min), ...open.slice(0, min)];
    rotated.push(rotated[0]!);
    return rotated;
  }

  private cycleFailure(): { ok: false; error: DagError } {
    const cycle = this.findCycle() ?? [];
    return { ok: false, error: { code: 'cycle', message: cycleMessage(cycle), cycle } };
  }

  private traverse(direction: 'dependencies-first' | 'dependents-first') {
    const remaining = new Map<string, number>();
    const unlocks = new Map<string, string[]>();
    for (const id of this.vertexMap.keys()) remaining.set(id, 0);
    for (const v of this.vertexMap.values()) {
      for (const dep of v.dependsOn) {
        const [waiter, unlocker] = direction === 'dependencies-first' ? [v.id, dep] : [dep, v.id];
        remaining.set(waiter, remaining.get(waiter)! + 1);
        const list = unlocks.get(unlocker);
        if (list === undefined) unlocks.set(unlocker, [waiter]);
        else list.push(waiter);
      }
    }
    const ready = new MinHeap<Vertex>((a, b) => this.compareVertices(a, b));
    for (const [id, count] of remaining) if (count === 0) ready.push(this.vertexMap.get(id)!);
    const advance = (id: string): void => {
      for (const unlocked of unlocks.get(id) ?? []) {
        const left = remaining.get(unlocked)! - 1;
        remaining.set(unlocked, left);
        if (left === 0) ready.push(this.vertexMap.get(unlocked)!);
      }
    };
    return { ready, advance };
  }
}

/** Binary min-heap. */
class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.compare(items[i]!, items[parent]!) >= 0) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): T {
    const items = this.items;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < items.length && this.compare(items[l]!, items[smallest]!) < 0) smallest = l;
        if (r < items.length && this.compare(items[r]!, items[smallest]!) < 0) smallest = r;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest]!, items[i]!];
        i = smallest;
      }
    }
    return top;
  }
}
