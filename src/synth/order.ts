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
  // The smallest ready index comes next: a heap, since thousands of instances may be ready at once.
  const ready = new MinHeap();
  for (let i = 0; i < n; i++) if (indegree[i] === 0) ready.push(i);
  const order: number[] = [];
  const layers = new Array<number>(n).fill(0);
  while (ready.size > 0) {
    const i = ready.pop();
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

/** A binary min-heap of numbers. */
class MinHeap {
  readonly #items: number[] = [];

  get size(): number {
    return this.#items.length;
  }

  push(v: number): void {
    const a = this.#items;
    let i = a.length;
    a.push(v);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((a[parent] as number) <= v) break;
      a[i] = a[parent] as number;
      i = parent;
    }
    a[i] = v;
  }

  /** Removes and returns the smallest item; the heap must not be empty. */
  pop(): number {
    const a = this.#items;
    const top = a[0] as number;
    const last = a.pop() as number;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const c = l + 1 < a.length && (a[l + 1] as number) < (a[l] as number) ? l + 1 : l;
        if ((a[c] as number) >= last) break;
        a[i] = a[c] as number;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
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

/** Sorted, duplicate-free strings (a new array). */
export function sortedUnique(values: readonly string[]): string[] {
  // Most lists (an object's dependencies) are short and already in order: no set, no sort.
  for (let i = 1; i < values.length; i++)
    if (compareText(values[i - 1] as string, values[i] as string) >= 0)
      return values.length <= 16 ? insertionSortedUnique(values) : [...new Set(values)].sort(compareText);
  return values.slice();
}

/** sortedUnique of a short list: sorted in place in one array (no set, no sort's buffers). */
function insertionSortedUnique(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    let i = out.length;
    while (i > 0 && compareText(out[i - 1] as string, v) > 0) i--;
    if (i > 0 && out[i - 1] === v) continue;
    out.push(v);
    for (let j = out.length - 1; j > i; j--) out[j] = out[j - 1] as string;
    out[i] = v;
  }
  return out;
}
