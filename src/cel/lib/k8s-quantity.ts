// Kubernetes' CEL quantity library (k8s.io/apiserver/pkg/cel/library/quantity.go) over the
// resource.Quantity model in k8s-resource-quantity.ts.
//
// `sign` is declared as a global function in Kubernetes (`sign(quantity("-1"))`), though its
// documentation shows a method call; the method form does not type-check there, nor here.
import { type Environment, EvaluationError } from '@marcbachmann/cel-js';
import type { CelLibrary } from '../library.js';
import {
  addQuantities,
  compareQuantities,
  parseQuantity,
  Quantity,
  QuantityParseError,
  quantityAsApproximateFloat64,
  quantityAsInt64,
  quantityFromInt64,
  quantitySign,
  subtractQuantities,
} from './k8s-resource-quantity.js';

export const QUANTITY_TYPE = 'kubernetes.Quantity';

export function toQuantity(s: string): Quantity {
  try {
    return parseQuantity(s);
  } catch (e) {
    if (e instanceof QuantityParseError) throw new EvaluationError(e.message);
    throw e;
  }
}

export function isQuantity(s: string): boolean {
  try {
    parseQuantity(s);
    return true;
  } catch (e) {
    if (e instanceof QuantityParseError) return false;
    throw e;
  }
}

export function asInteger(q: Quantity): bigint {
  const v = quantityAsInt64(q);
  if (v === undefined) throw new EvaluationError('cannot convert value to integer');
  return v;
}

export const kubernetesQuantityLibrary: CelLibrary = {
  name: 'kubernetes.quantity',
  register(env: Environment): void {
    const Q = QUANTITY_TYPE;
    env.registerType(Q, Quantity);
    env.registerFunction(`quantity(string): ${Q}`, toQuantity);
    env.registerFunction('isQuantity(string): bool', isQuantity);
    env.registerFunction(`sign(${Q}): int`, (q: Quantity) => BigInt(quantitySign(q)));
    env.registerFunction(
      `${Q}.isGreaterThan(${Q}): bool`,
      (a: Quantity, b: Quantity) => compareQuantities(a, b) === 1,
    );
    env.registerFunction(
      `${Q}.isLessThan(${Q}): bool`,
      (a: Quantity, b: Quantity) => compareQuantities(a, b) === -1,
    );
    env.registerFunction(`${Q}.compareTo(${Q}): int`, (a: Quantity, b: Quantity) =>
      BigInt(compareQuantities(a, b)),
    );
    env.registerFunction(`${Q}.asApproximateFloat(): double`, quantityAsApproximateFloat64);
    env.registerFunction(`${Q}.asInteger(): int`, asInteger);
    env.registerFunction(`${Q}.isInteger(): bool`, (q: Quantity) => quantityAsInt64(q) !== undefined);
    env.registerFunction(`${Q}.add(${Q}): ${Q}`, addQuantities);
    env.registerFunction(`${Q}.add(int): ${Q}`, (q: Quantity, n: bigint) =>
      addQuantities(q, quantityFromInt64(n, 'DecimalExponent')),
    );
    env.registerFunction(`${Q}.sub(${Q}): ${Q}`, subtractQuantities);
    env.registerFunction(`${Q}.sub(int): ${Q}`, (q: Quantity, n: bigint) =>
      subtractQuantities(q, quantityFromInt64(n, 'DecimalExponent')),
    );
    env.registerOperator(`${Q} == ${Q}`, (a: Quantity, b: Quantity) => compareQuantities(a, b) === 0);
  },
};
