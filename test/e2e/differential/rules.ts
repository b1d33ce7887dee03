/**
 * What the differential comparison deliberately leaves out, and why. Every rule
 * here is listed in docs/e2e.md ("What is compared"); change both together.
 */
import { deepEqual, isRecord, type Segment } from './diff.js';

/** Fields the API server sets on every object it stores. */
const SERVER_METADATA = new Set([
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'managedFields',
  'generation',
  'selfLink',
]);

/** Labels kro puts on what it creates (children, instances, generated CRDs). */
export function isKroLabel(key: string): boolean {
  return (
    key.startsWith('kro.run/') ||
    key.startsWith('applyset.kubernetes.io/') ||
    key === 'app.kubernetes.io/managed-by'
  );
}

/** Annotations kro puts on what it creates. */
export function isKroAnnotation(key: string): boolean {
  return key.startsWith('internal.kro.run/') || key.startsWith('kro.run/');
}

/**
 * Annotations kro-gen's synth stamps so that other tools apply objects in
 * dependency order (src/synth/annotate.ts). kro has nothing like them.
 */
const ORDERING_ANNOTATIONS = [
  'config.kubernetes.io/depends-on',
  'argocd.argoproj.io/sync-wave',
  'argocd.argoproj.io/sync-options',
  'kapp.k14s.io/change-group',
  'kapp.k14s.io/change-rule',
];

/** kro-gen's own labels and annotations: prefix `kro-gen.dev/`, plus the ordering annotations. */
export function isKroGenMetadata(key: string, kind: 'labels' | 'annotations'): boolean {
  if (key.startsWith('kro-gen.dev/')) return true;
  return kind === 'annotations' && ORDERING_ANNOTATIONS.some((a) => key === a || key.startsWith(`${a}.`));
}

const metaKey = (
  segments: readonly Segment[],
): { kind: 'labels' | 'annotations'; key: string } | undefined => {
  const [m, kind, key] = segments;
  if (segments.length !== 3 || m !== 'metadata' || typeof key !== 'string') return undefined;
  return kind === 'labels' || kind === 'annotations' ? { kind, key } : undefined;
};

/** Paths not compared between a child kro created and kro-gen's expanded rendering of it. */
export function ignoreForChild(segments: readonly Segment[]): boolean {
  const [top, second] = segments;
  if (top === 'status') return true;
  if (top === 'metadata' && typeof second === 'string' && SERVER_METADATA.has(second)) return true;
  const meta = metaKey(segments);
  if (!meta) return false;
  if (isKroGenMetadata(meta.key, meta.kind)) return true;
  return meta.kind === 'labels' ? isKroLabel(meta.key) : isKroAnnotation(meta.key);
}

/** Paths not compared between the CRD kro generated and `kro-gen crd`. */
export function ignoreForCrd(segments: readonly Segment[]): boolean {
  const [top, second] = segments;
  if (top === 'status') return true;
  if (top === 'metadata' && typeof second === 'string' && SERVER_METADATA.has(second)) return true;
  const meta = metaKey(segments);
  if (!meta) return false;
  return meta.kind === 'labels' ? isKroLabel(meta.key) : isKroAnnotation(meta.key);
}

/**
 * A schema's `required` list is a set: the API server validates the same way in
 * any order. kro v0.9.3 builds it in Go map order (different from one RGD
 * reconcile to the next); kro sorts it since 6b5ae6cb, after v0.9.3, and so does
 * kro-gen. The CRD comparison therefore compares these lists as sets, and logs
 * when only the order differs.
 */
export function unorderedInCrd(segments: readonly Segment[]): boolean {
  return (
    segments.length >= 2 &&
    segments[segments.length - 1] === 'required' &&
    segments[segments.length - 2] !== 'properties' &&
    segments.includes('openAPIV3Schema')
  );
}

/**
 * Values the API server fills into a CustomResourceDefinition that does not set
 * them (apiextensions.k8s.io/v1 defaulting). A CRD field that kro-gen leaves out
 * and the server holds with exactly this value is not a difference.
 */
export const CRD_SERVER_DEFAULTS: readonly { path: readonly Segment[]; value: unknown }[] = [
  { path: ['spec', 'conversion'], value: { strategy: 'None' } },
];

/** A copy of `live` without the server defaults that `ours` does not set. */
export function withoutCrdServerDefaults(ours: unknown, live: unknown): unknown {
  const copy: unknown = structuredClone(live);
  for (const { path, value } of CRD_SERVER_DEFAULTS) {
    const parentPath = path.slice(0, -1);
    const key = path[path.length - 1];
    let ourParent: unknown = ours;
    let liveParent: unknown = copy;
    for (const s of parentPath) {
      ourParent = isRecord(ourParent) ? ourParent[s as string] : undefined;
      liveParent = isRecord(liveParent) ? liveParent[s as string] : undefined;
    }
    if (typeof key !== 'string' || !isRecord(liveParent)) continue;
    const ourHas = isRecord(ourParent) && Object.hasOwn(ourParent, key);
    if (!ourHas && deepEqual(liveParent[key], value)) delete liveParent[key];
  }
  return copy;
}

/**
 * kro-gen's rendering of a child as the API server will store it, where the
 * server rewrites a field rather than defaulting it: a Secret's `stringData` is
 * write-only and is merged into `data` base64-encoded (stringData wins).
 */
export function asStored(obj: Record<string, unknown>): Record<string, unknown> {
  if (obj.kind !== 'Secret' || obj.apiVersion !== 'v1' || !isRecord(obj.stringData)) return obj;
  const { stringData, ...rest } = obj;
  const data: Record<string, unknown> = isRecord(obj.data) ? { ...obj.data } : {};
  for (const [key, value] of Object.entries(stringData)) {
    if (typeof value === 'string') data[key] = Buffer.from(value, 'utf8').toString('base64');
  }
  return { ...rest, data };
}
