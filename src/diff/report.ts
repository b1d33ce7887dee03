// The shape of `kro-gen diff --format json` (docs/diff.md). It is a stable, documented output: add fields,
// never rename or remove them. The CRD and graph parts come from comparing two RGDs; the instance parts from
// rendering each given instance with the old and the new RGD.
import type { SourcePos } from '../diagnostics.js';

export interface DiffReport {
  /** true when kro would refuse the update, or a given instance would break (exit code 3). */
  breaking: boolean;
  /** Which RGD this is and whether it was modified, added or removed (added by the CLI; optional). */
  rgd?: RgdRef;
  crd: CrdDiff;
  resources: ResourceDiff;
  instances: InstancePlan[];
}

export interface CrdDiff {
  changes: CrdChange[];
  /** The instance CRD's name (`<plural>.<group>`) under the new RGD. */
  name?: string;
  /** The old CRD's name, when kind or group changed it. */
  oldName?: string;
  /** Whether kro (and the API server) would apply the update. */
  accepted?: boolean;
  /** Why not: kro's error text (`cannot update CRD ...: breaking changes detected: ...`) or the API server's. */
  refusal?: string;
  /** What to expect when working around a refusal (e.g. re-creating the RGD for a new kind). */
  note?: string;
}

export interface RgdRef {
  /** `metadata.name`. */
  name: string;
  status: 'modified' | 'unchanged' | 'added' | 'removed';
  /** Where the old and the new version were read (`<ref>:<path>` for --base). */
  oldFile?: string;
  newFile?: string;
}

export interface CrdChange {
  /** Dotted path in the CRD's OpenAPI schema, as kro's compat report names it. */
  path: string;
  /** The instance field it concerns, e.g. `spec.ports[].name` (added; `version...` for version changes). */
  field?: string;
  /** kro's change type, e.g. `PROPERTY_REMOVED`; `IMMUTABLE_FIELD_CHANGED` for schema.kind/group/apiVersion/scope. */
  type?: string;
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
