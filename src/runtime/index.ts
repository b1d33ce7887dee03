// kro-gen/runtime: what generated constructs import. Generated code refers to everything through
// this one module, as `kro.<name>`.
export type { ApiObjectMetadata, GroupVersionKind } from 'cdk8s';
export { Construct } from 'constructs';

import type { JsonValue } from '../rgd/model.js';

export type { JsonObject, JsonValue } from '../rgd/model.js';
export { isKroApiObject, KroApiObject, ObjectGroup } from './api-object.js';
export { RGD_CHART_ID, rgdChartOf } from './bundle.js';
export { ANNOTATIONS_CONTEXT_KEY, ANNOTATIONS_ENV, KroConstruct } from './construct.js';
export {
  defineRgd,
  type InstanceManifest,
  type InstanceProps,
  instanceManifest,
  PropsError,
  RgdDefinition,
  type RgdSource,
} from './definition.js';
export type { PositionTable } from './locator.js';
export {
  defaultNamespaceOf,
  EXPAND_CHAINED_CONTEXT_KEY,
  EXPAND_CHAINED_ENV,
  expandChainedOf,
  type KroMode,
  MODE_CONTEXT_KEY,
  MODE_ENV,
  MODES,
  modeOf,
  NAMESPACE_CONTEXT_KEY,
  NAMESPACE_ENV,
  setMode,
} from './mode.js';
export type { PropsProblem } from './validate.js';

/**
 * An int64 of the embedded RGD beyond 2^53, kept exact (generated code writes it as a string:
 * a bigint literal would need ES2020 in the user's tsconfig).
 */
export function int64(digits: string): JsonValue {
  return BigInt(digits);
}

/** One entry of kro's `status.conditions`. */
export interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
  readonly lastTransitionTime?: string;
  readonly observedGeneration?: number;
}
