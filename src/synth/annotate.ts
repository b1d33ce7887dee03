// The ordering metadata other tools read, stamped on rendered objects.
//
//   depends-on  `config.kubernetes.io/depends-on` (kpt, cli-utils, Config Sync, Pulumi yaml/v2):
//               the object's direct dependencies as `<group>/namespaces/<ns>/<kind>/<name>` or
//               `<group>/<kind>/<name>` (core group empty), comma-separated, sorted.
//   argocd      `argocd.argoproj.io/sync-wave`: the object's wave; a dependency always has a
//               strictly lower wave.
//   kapp        `kapp.k14s.io/change-group` naming the object's node (or RGD / instance), and one
//               `kapp.k14s.io/change-rule[.N]` `upsert after upserting <group>` per dependency.
//
// Identification labels use kro-gen's own prefix; kro's `kro.run/*` labels are never emitted (kro
// rejects templates that carry them and sets them itself).
import { setOwn } from '../json.js';
import type { JsonObject, JsonValue } from '../rgd/model.js';

export type AnnotationStyle = 'depends-on' | 'argocd' | 'kapp';

export const ANNOTATION_STYLES: readonly AnnotationStyle[] = ['depends-on', 'argocd', 'kapp'];
/** What `renderInstance` and the CLI stamp unless told otherwise. */
export const DEFAULT_ANNOTATIONS: readonly AnnotationStyle[] = ['depends-on', 'argocd'];

export const DEPENDS_ON = 'config.kubernetes.io/depends-on';
export const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
export const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
export const KAPP_CHANGE_GROUP = 'kapp.k14s.io/change-group';
export const KAPP_CHANGE_RULE = 'kapp.k14s.io/change-rule';

export const LABEL_PREFIX = 'kro-gen.dev/';
export const INSTANCE_GROUP_LABEL = `${LABEL_PREFIX}instance-group`;
export const INSTANCE_KIND_LABEL = `${LABEL_PREFIX}instance-kind`;
export const INSTANCE_NAME_LABEL = `${LABEL_PREFIX}instance-name`;
export const INSTANCE_NAMESPACE_LABEL = `${LABEL_PREFIX}instance-namespace`;
export const NODE_ID_LABEL = `${LABEL_PREFIX}node-id`;
export const COLLECTION_INDEX_LABEL = `${LABEL_PREFIX}collection-index`;
// On objects of a chained instance (one an RGD's resource creates): the instance given, whose
// expansion they are part of.
export const ROOT_INSTANCE_GROUP_LABEL = `${LABEL_PREFIX}root-instance-group`;
export const ROOT_INSTANCE_KIND_LABEL = `${LABEL_PREFIX}root-instance-kind`;
export const ROOT_INSTANCE_NAME_LABEL = `${LABEL_PREFIX}root-instance-name`;
export const ROOT_INSTANCE_NAMESPACE_LABEL = `${LABEL_PREFIX}root-instance-namespace`;

/**
 * Parses a `--annotations` list: a comma list of styles, or `none` alone. Returns the styles, or the
 * offending entry (`none` when it is combined with styles).
 */
export function parseAnnotationStyles(
  text: string,
): { readonly ok: true; readonly styles: AnnotationStyle[] } | { readonly ok: false; readonly bad: string } {
  const styles: AnnotationStyle[] = [];
  const entries = text.split(',').map((raw) => raw.trim());
  for (const s of entries) {
    // `none` means no annotations at all: next to a style it contradicts it.
    if (s === 'none') {
      if (entries.length > 1) return { ok: false, bad: 'none' };
      continue;
    }
    if (!(ANNOTATION_STYLES as readonly string[]).includes(s)) return { ok: false, bad: s };
    if (!styles.includes(s as AnnotationStyle)) styles.push(s as AnnotationStyle);
  }
  return { ok: true, styles };
}

/** The API group of an apiVersion (`apps/v1` -> `apps`, `v1` -> ``). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The identity of an object, as depends-on and messages need it. */
export interface ObjectIdentity {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** Empty for cluster-scoped objects. */
  readonly namespace: string;
}

function isMap(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function identityOf(obj: JsonObject): ObjectIdentity {
  const m = isMap(obj.metadata) ? obj.metadata : NO_METADATA;
  return {
    apiVersion: stringOr(obj.apiVersion),
    kind: stringOr(obj.kind),
    name: stringOr(m.name),
    namespace: stringOr(m.namespace),
  };
}

const NO_METADATA: JsonObject = Object.freeze({}) as JsonObject;

function stringOr(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : '';
}

/** The kpt / cli-utils object reference of `id`. */
export function dependsOnRef(id: ObjectIdentity): string {
  const group = groupOf(id.apiVersion);
  return id.namespace === ''
    ? `${group}/${id.kind}/${id.name}`
    : `${group}/namespaces/${id.namespace}/${id.kind}/${id.name}`;
}

/** Code point order, so output does not depend on the locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What to stamp on one object. */
export interface Stamp {
  readonly styles: readonly AnnotationStyle[];
  /** depends-on references of the direct dependencies. */
  readonly dependsOn: readonly string[];
  readonly wave: number;
  /** kapp change group of this object and of its dependencies. */
  readonly changeGroup: string;
  readonly dependsOnGroups: readonly string[];
  readonly labels?: Readonly<Record<string, string>> | undefined;
  /** Extra annotations (e.g. Argo CD sync options), set whatever the styles. */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Sorted, duplicate-free; the input itself when it already is (the renderer passes such lists). */
function sortedDistinct(values: readonly string[]): readonly string[] {
  for (let i = 1; i < values.length; i++) {
    if (compareText(values[i - 1] as string, values[i] as string) >= 0)
      return [...new Set(values)].sort(compareText);
  }
  return values;
}

function hasKeys(o: Readonly<Record<string, unknown>>): boolean {
  for (const k in o) if (Object.hasOwn(o, k)) return true;
  return false;
}

/** The annotations a stamp adds, or undefined when it adds none. */
function stampAnnotations(s: Stamp): Record<string, string> | undefined {
  const annotations: Record<string, string> = {};
  let annotated = false;
  if (s.dependsOn.length > 0 && s.styles.includes('depends-on')) {
    annotations[DEPENDS_ON] = sortedDistinct(s.dependsOn).join(',');
    annotated = true;
  }
  if (s.styles.includes('argocd')) {
    annotations[SYNC_WAVE] = String(s.wave);
    annotated = true;
  }
  if (s.styles.includes('kapp')) {
    annotations[KAPP_CHANGE_GROUP] = s.changeGroup;
    sortedDistinct(s.dependsOnGroups).forEach((g, i) => {
      annotations[i === 0 ? KAPP_CHANGE_RULE : `${KAPP_CHANGE_RULE}.${i}`] = `upsert after upserting ${g}`;
    });
    annotated = true;
  }
  if (s.annotations !== undefined && hasKeys(s.annotations)) {
    Object.assign(annotations, s.annotations);
    annotated = true;
  }
  return annotated ? annotations : undefined;
}

/** `object` with the stamp's labels and annotations merged into its metadata (a new object). */
export function stamp(object: JsonObject, s: Stamp): JsonObject {
  const annotations = stampAnnotations(s);
  const labels = s.labels !== undefined && hasKeys(s.labels) ? s.labels : undefined;
  if (annotations === undefined && labels === undefined) return object;
  const metadata: JsonObject = isMap(object.metadata) ? { ...object.metadata } : {};
  if (labels !== undefined) {
    metadata.labels = isMap(metadata.labels) ? { ...metadata.labels, ...labels } : { ...labels };
  }
  if (annotations !== undefined) {
    metadata.annotations = isMap(metadata.annotations)
      ? { ...metadata.annotations, ...annotations }
      : annotations;
  }
  return { ...object, metadata };
}

/**
 * stamp() for an object the caller owns outright (nothing else holds it or its metadata, labels
 * or annotations maps: the renderer's freshly rendered objects), with a labels map (`labels`, else
 * the stamp's) the caller gives away (the object may take it as its own) and gives only when it
 * holds labels (the map is not tested per object): merged in place, with the same result and key
 * order as stamp(), without copying the object, its metadata or the labels per manifest.
 */
export function stampOwned(
  object: JsonObject,
  s: Stamp,
  labels: Readonly<Record<string, string>> | undefined = s.labels,
): JsonObject {
  const annotations = stampAnnotations(s);
  if (annotations === undefined && labels === undefined) return object;
  let metadata = object.metadata;
  if (!isMap(metadata)) {
    metadata = {};
    object.metadata = metadata;
  }
  if (labels !== undefined) mergeInto(metadata, 'labels', labels);
  // stampAnnotations made the map for this object alone.
  if (annotations !== undefined) mergeInto(metadata, 'annotations', annotations);
  return object;
}

/** Merges `added` into `metadata[field]`, or makes it that map (given away by the caller). */
function mergeInto(metadata: JsonObject, field: string, added: Record<string, string>): void {
  const existing = metadata[field];
  if (!isMap(existing)) {
    metadata[field] = added;
    return;
  }
  for (const k in added) if (Object.hasOwn(added, k)) setOwn(existing, k, added[k]);
}

// A label value: at most 63 characters, alphanumeric at both ends, `-_.` inside.
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

export function isLabelValue(v: string): boolean {
  return LABEL_VALUE.test(v);
}
