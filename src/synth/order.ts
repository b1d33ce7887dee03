// Ordering many things by their dependencies the way kro orders resources: Kahn's algorithm
// taking, among the ready items, the one given first; and layers in which each item sits one
// past the deepest of its dependencies.
import { compareText } from './annotate.js';

export type OrderResult =
  | { readonly ok: true; readonly order: readonly number[]; readonly layers: readonly number[] }
  | { readonly ok: false; readonly cycle: readonly number[] };

/**
 * Orders items `0..n-1` given `deps[i]` (indexes item i depends on): dependencies first, ties in
 * index order. `layers[i]` is 0 for items without dependencies, else 1 + the largest layer of its
 * dependencies. A cycle is returned as the indexes on it.
 */
export function orderByDependencies(n: number, deps: readonly (readonly number[])[]): OrderResult {
  const indegree = new Array<number>(n).fill(0);
  const dependents: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (const d of new Set(deps[i] ?? [])) {
      if (d === i || d < 0 || d >= n) continue;
      indegree[i] = (indegree[i] as number) + 1;
      (dependents[d] as number[]).push(i);
    }
  }
  const ready: number[] = [];
  for (let i = 0; i < n; i++) if (indegree[i] === 0) ready.push(i);
  const order: number[] = [];
  const layers = new Array<number>(n).fill(0);
  while (ready.length > 0) {
    // n is small (RGDs and instances of one run): a linear scan for the smallest index is enough.
    let best = 0;
    for (let k = 1; k < ready.length; k++) if ((ready[k] as number) < (ready[best] as number)) best = k;
    const i = ready.splice(best, 1)[0] as number;
    order.push(i);
    for (const j of dependents[i] as number[]) {
      layers[j] = Math.max(layers[j] as number, (layers[i] as number) + 1);
      indegree[j] = (indegree[j] as number) - 1;
      if (indegree[j] === 0) ready.push(j);
    }
  }
  if (order.length === n) return { ok: true, order, layers };
  return { ok: false, cycle: findCycle(n, deps, new Set(order)) };
}

function findCycle(n: number, deps: readonly (readonly number[])[], done: ReadonlySet<number>): number[] {
  const state = new Array<number>(n).fill(0); // 0 new, 1 on stack, 2 finished
  const stack: number[] = [];
  const visit = (i: number): number[] | undefined => {
    state[i] = 1;
    stack.push(i);
    for (const d of deps[i] ?? []) {
      if (d === i || done.has(d) || d < 0 || d >= n) continue;
      if (state[d] === 1) return [...stack.slice(stack.indexOf(d)), d];
      if (state[d] === 0) {
        const c = visit(d);
        if (c) return c;
      }
    }
    stack.pop();
    state[i] = 2;
    return undefined;
  };
  for (let i = 0; i < n; i++) {
    if (done.has(i) || state[i] !== 0) continue;
    const c = visit(i);
    if (c) return c;
  }
  return [];
}

/** Sorted, duplicate-free strings. */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareText);
}
