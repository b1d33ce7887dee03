// kro's index-mutation list functions (pkg/cel/library/lists.go). All return a new list.
import { type Environment, EvaluationError } from '@marcbachmann/cel-js';
import { chargeList } from '../budget.js';
import type { CelLibrary } from '../library.js';
import { registerNamespacedFunction } from '../registration.js';

function items(list: unknown): unknown[] {
  return Array.isArray(list) ? list : [...(list as Iterable<unknown>)];
}

/** `lists.setAtIndex(list, i, v)`: i in [0, size). */
export function setAtIndex(list: unknown, index: bigint, value: unknown): unknown[] {
  const xs = items(list);
  if (index < 0n || index >= BigInt(xs.length)) {
    throw new EvaluationError(`lists.setAtIndex: index ${index} out of bounds [0, ${xs.length})`);
  }
  chargeList(xs.length);
  const out = xs.slice();
  out[Number(index)] = value;
  return out;
}

/** `lists.insertAtIndex(list, i, v)`: i in [0, size]; i == size appends. */
export function insertAtIndex(list: unknown, index: bigint, value: unknown): unknown[] {
  const xs = items(list);
  if (index < 0n || index > BigInt(xs.length)) {
    throw new EvaluationError(`lists.insertAtIndex: index ${index} out of bounds [0, ${xs.length}]`);
  }
  chargeList(xs.length + 1);
  const i = Number(index);
  return [...xs.slice(0, i), value, ...xs.slice(i)];
}

/** `lists.removeAtIndex(list, i)`: i in [0, size). */
export function removeAtIndex(list: unknown, index: bigint): unknown[] {
  const xs = items(list);
  if (index < 0n || index >= BigInt(xs.length)) {
    throw new EvaluationError(`lists.removeAtIndex: index ${index} out of bounds [0, ${xs.length})`);
  }
  chargeList(xs.length);
  const i = Number(index);
  return [...xs.slice(0, i), ...xs.slice(i + 1)];
}

export const kroListsLibrary: CelLibrary = {
  name: 'kro.lists',
  register(env: Environment): void {
    registerNamespacedFunction(env, 'lists', 'setAtIndex(list<T>, int, T): list<T>', setAtIndex);
    registerNamespacedFunction(env, 'lists', 'insertAtIndex(list<T>, int, T): list<T>', insertAtIndex);
    registerNamespacedFunction(env, 'lists', 'removeAtIndex(list<T>, int): list<T>', removeAtIndex);
  },
};
