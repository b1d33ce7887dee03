// cel-go's sets extension (ext.Sets), which the Kubernetes API server enables for
// x-kubernetes-validations rules (1.29) and kro does not: `sets.contains(a, b)` (every item of b
// is in a), `sets.equivalent(a, b)` (each contains the other) and `sets.intersects(a, b)` (some
// item of b is in a), items compared with CEL's `==`. Registered only in the API server's rule
// environment (environment.ts), never in kro's.
import type { Environment } from '@marcbachmann/cel-js';
import type { CelLibrary } from '../library.js';
import { registerNamespacedFunction } from '../registration.js';
import { celEquals } from '../values.js';

const has = (list: readonly unknown[], item: unknown): boolean => list.some((x) => celEquals(x, item));
const contains = (a: readonly unknown[], b: readonly unknown[]): boolean => b.every((x) => has(a, x));

function registerSets(env: Environment): void {
  registerNamespacedFunction(env, 'sets', 'contains(list<T>, list<T>): bool', contains);
  registerNamespacedFunction(
    env,
    'sets',
    'equivalent(list<T>, list<T>): bool',
    (a: unknown[], b: unknown[]) => contains(a, b) && contains(b, a),
  );
  registerNamespacedFunction(
    env,
    'sets',
    'intersects(list<T>, list<T>): bool',
    (a: unknown[], b: unknown[]) => b.some((x) => has(a, x)),
  );
}

export const kubernetesSetsLibrary: CelLibrary = { name: 'cel-go ext.Sets', register: registerSets };
