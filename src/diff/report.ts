// The shape of `kro-gen diff --format json` (docs/diff.md). It is a stable, documented output: add fields,
// never rename or remove them. The CRD and graph parts come from comparing two RGDs; the instance parts from
// rendering each given instance with the old and the new RGD.
import type { SourcePos } from '../diagnostics.js';

export interface DiffReport {
  /** true when kro would refuse the update, or a given instance would break (exit code 3). */
  breaking: boolean;
  crd: CrdDiff;
  resources: ResourceDiff;
  instances: InstancePlan[];
}

export interface CrdDiff {
  changes: CrdChange[];
}

export interface CrdChange {
  /** Dotted path in the CRD's OpenAPI schema, as kro's compat report names it. */
  path: string;
  /** kro v0.9.3 classifies the change as breaking. */
  breaking: boolean;
  /** Breaking, but the RGD carries `kro.run/allow-breaking-changes: "true"`. */
  allowed: boolean;
  message: string;
  pos?: SourcePos;
}

export interface ResourceChange {
  /** added | removed | renamed | dependencies | order | includeWhen | readyWhen | forEach | template */
  change: string;
  id: string;
  /** The old id, for `renamed`. */
  from?: string;
  message: string;
  pos?: SourcePos;
}

export interface ResourceDiff {
  changes: ResourceChange[];
}

export interface InstanceRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export type PlanAction = 'create' | 'update' | 'delete' | 'unchanged';

export interface FieldChange {
  path: string;
  from?: unknown;
  to?: unknown;
}

export interface ObjectPlan {
  action: PlanAction;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  changes: FieldChange[];
  /** Paths of immutable fields the update changes; any entry makes the instance break. */
  immutable: string[];
}

export interface InstancePlan {
  instance: InstanceRef;
  /** Problems that break this instance under the new RGD (no longer valid, immutable change), positioned. */
  errors: { message: string; pos?: SourcePos }[];
  objects: ObjectPlan[];
}
