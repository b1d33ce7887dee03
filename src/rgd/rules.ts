// kro's RGD rules as small pure checks, each returning the message kro would give (or undefined).
// The functions named after kro's validators stop at the first problem, as kro does; validate.ts uses
// the per-item checks underneath them so that it can report every problem at its own position.
import type { JsonValue } from './model.js';
import {
  dns1035LabelProblem,
  isKROReservedWord,
  isValidKindName,
  isValidKubernetesVersion,
  isValidResourceID,
  KRO_OWNED_PREFIXES,
} from './names.js';

export const NAMING_CONVENTION_VIOLATION = 'naming convention violation';

type JsonMap = { readonly [key: string]: JsonValue };

function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Problem with one resource id on its own (reserved first, then shape: kro's order). */
export function resourceIdProblem(id: string): string | undefined {
  if (isKROReservedWord(id)) return `id ${id} is a reserved keyword in KRO`;
  if (!isValidResourceID(id)) return `id ${id} is not a valid KRO resource id: must be lower camelCase`;
  return undefined;
}

export function duplicateResourceIdProblem(id: string): string {
  return `found duplicate resource IDs ${id}`;
}

/** kro's `validateResourceIDs`: ids are valid, not reserved and unique. */
export function validateResourceIDs(ids: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const id of ids) {
    const problem = resourceIdProblem(id) ?? (seen.has(id) ? duplicateResourceIdProblem(id) : undefined);
    if (problem) return problem;
    seen.add(id);
  }
  return undefined;
}

export function kindNameProblem(kind: string): string | undefined {
  return isValidKindName(kind)
    ? undefined
    : `${NAMING_CONVENTION_VIOLATION}: kind '${kind}' is not a valid KRO kind name: must be UpperCamelCase`;
}

export function forEachDimensionCountProblem(
  resourceId: string,
  count: number,
  max: number,
): string | undefined {
  return count > max
    ? `resource "${resourceId}": forEach cannot have more than ${max} dimensions, got ${count}`
    : undefined;
}

/** Problem with one forEach iterator name; `seen` holds the names earlier in the same resource. */
export function forEachIteratorProblem(
  resourceId: string,
  name: string,
  resourceIds: ReadonlySet<string>,
  seen: ReadonlySet<string>,
): string | undefined {
  if (!isValidResourceID(name)) {
    return `resource "${resourceId}": forEach iterator name "${name}" is not valid: must be lowerCamelCase`;
  }
  if (isKROReservedWord(name))
    return `resource "${resourceId}": forEach iterator name "${name}" is a reserved keyword`;
  if (resourceIds.has(name)) {
    return `resource "${resourceId}": forEach iterator name "${name}" conflicts with resource ID`;
  }
  if (seen.has(name)) return `resource "${resourceId}": duplicate forEach iterator name "${name}"`;
  return undefined;
}

/** kro's `validateForEachDimensions` for one resource. */
export function validateForEachDimensions(
  resourceId: string,
  forEach: readonly Readonly<Record<string, unknown>>[],
  resourceIds: ReadonlySet<string>,
  maxDimensions: number,
): string | undefined {
  const tooMany = forEachDimensionCountProblem(resourceId, forEach.length, maxDimensions);
  if (tooMany) return tooMany;
  const seen = new Set<string>();
  for (const dimension of forEach) {
    for (const name of Object.keys(dimension)) {
      const problem = forEachIteratorProblem(resourceId, name, resourceIds, seen);
      if (problem) return problem;
      seen.add(name);
    }
  }
  return undefined;
}

/**
 * kro's `validateResourceGraphDefinition`: the kind name, the resource ids and every resource's
 * forEach iterators, over a (possibly partial) RGD object.
 */
export function validateResourceGraphDefinition(rgd: unknown, maxDimensions: number): string | undefined {
  const spec = isMap(rgd) && isMap(rgd['spec']) ? rgd['spec'] : {};
  const schema = isMap(spec['schema']) ? spec['schema'] : {};
  const kind = typeof schema['kind'] === 'string' ? schema['kind'] : '';
  const kindProblem = kindNameProblem(kind);
  if (kindProblem) return kindProblem;
  const resources = Array.isArray(spec['resources']) ? spec['resources'].filter(isMap) : [];
  const ids = resources.map((r) => (typeof r['id'] === 'string' ? r['id'] : ''));
  const idProblem = validateResourceIDs(ids);
  if (idProblem) return `${NAMING_CONVENTION_VIOLATION}: ${idProblem}`;
  const idSet = new Set(ids);
  for (const [i, r] of resources.entries()) {
    const forEach = Array.isArray(r['forEach']) ? r['forEach'].filter(isMap) : [];
    const problem = validateForEachDimensions(ids[i]!, forEach, idSet, maxDimensions);
    if (problem) return problem;
  }
  return undefined;
}

/** kro's `validateKubernetesObjectStructure`: string apiVersion, string kind, map metadata. */
export function validateKubernetesObjectStructure(obj: JsonMap): string | undefined {
  if (!('apiVersion' in obj)) return 'apiVersion field not found';
  if (typeof obj['apiVersion'] !== 'string') return 'apiVersion field is not a string';
  if (!('kind' in obj)) return 'kind field not found';
  if (typeof obj['kind'] !== 'string') return 'kind field is not a string';
  if (!('metadata' in obj)) return 'metadata field not found';
  if (!isMap(obj['metadata'])) return 'metadata field is not a map';
  return undefined;
}

/** kro's `validateKubernetesVersion`. */
export function validateKubernetesVersion(version: string): string | undefined {
  return isValidKubernetesVersion(version)
    ? undefined
    : `version ${version} is not a valid Kubernetes version`;
}

/** kro's `validateCombinableResourceFields`. */
export function validateCombinableResourceFields(
  id: string,
  hasTemplate: boolean,
  hasExternalRef: boolean,
  forEachCount: number,
): string | undefined {
  if (!hasTemplate && !hasExternalRef)
    return `resource "${id}": exactly one of template or externalRef must be provided`;
  if (hasTemplate && hasExternalRef) return `resource "${id}": cannot use externalRef with template`;
  if (hasExternalRef && forEachCount > 0) return `resource "${id}": cannot use externalRef with forEach`;
  return undefined;
}

/**
 * How Kubernetes splits an apiVersion into group and version (`schema.ParseGroupVersion`): at most one
 * `/`. Returns the problem, or undefined when it parses.
 */
export function groupVersionProblem(apiVersion: string): string | undefined {
  if (apiVersion === '' || apiVersion === '/') return undefined;
  const slash = apiVersion.indexOf('/');
  return slash >= 0 && apiVersion.includes('/', slash + 1)
    ? `invalid apiVersion format "${apiVersion}": unexpected GroupVersion string: ${apiVersion}`
    : undefined;
}

/** Template kinds become resource names once lower-cased, so they must be DNS-1035 labels. */
export function templateKindProblem(kind: string): string | undefined {
  const problem = dns1035LabelProblem(kind.toLowerCase());
  return problem
    ? `invalid kind "${kind}": ${problem} (must be a valid DNS-1035 label when lowercased)`
    : undefined;
}

/** The kro-owned prefix `key` starts with, if any. */
export function kroOwnedPrefix(key: string): string | undefined {
  // Indexed: cold code (docs/architecture.md).
  for (let i = 0; i < KRO_OWNED_PREFIXES.length; i++) {
    const p = KRO_OWNED_PREFIXES[i] as string;
    if (key.startsWith(p)) return p;
  }
  return undefined;
}

export function kroOwnedLabelProblem(resourceId: string, prefix: string): string {
  return `invalid label for resource "${resourceId}". labels with prefix "${prefix}" are reserved for internal use`;
}

export function kroOwnedAnnotationProblem(resourceId: string, prefix: string): string {
  return `invalid annotation for resource "${resourceId}". annotations with prefix "${prefix}" are reserved for internal use`;
}

function metadataMap(obj: JsonMap, field: 'labels' | 'annotations'): JsonMap | undefined {
  const metadata = obj['metadata'];
  if (!isMap(metadata)) return undefined;
  const value = metadata[field];
  return isMap(value) ? value : undefined;
}

/** kro's `validateNoKROOwnedLabels`. */
export function validateNoKROOwnedLabels(resourceId: string, obj: JsonMap): string | undefined {
  for (const key of Object.keys(metadataMap(obj, 'labels') ?? {})) {
    const prefix = kroOwnedPrefix(key);
    if (prefix) return kroOwnedLabelProblem(resourceId, prefix);
  }
  return undefined;
}

/** kro's `validateNoKROOwnedAnnotations`. */
export function validateNoKROOwnedAnnotations(resourceId: string, obj: JsonMap): string | undefined {
  for (const key of Object.keys(metadataMap(obj, 'annotations') ?? {})) {
    const prefix = kroOwnedPrefix(key);
    if (prefix) return kroOwnedAnnotationProblem(resourceId, prefix);
  }
  return undefined;
}

export function clusterScopedWithNamespaceProblem(resourceId: string): string {
  return `resource "${resourceId}" is cluster-scoped and must not set metadata.namespace`;
}

export function namespaceRequiredProblem(resourceId: string): string {
  return `resource "${resourceId}" is namespaced and must set metadata.namespace when the instance CRD is cluster-scoped`;
}

/**
 * kro's `validateTemplateConstraints`: namespace rules that depend on the resource's and the
 * instance's scope, then the kro-owned label and annotation rules. Needs the resource's scope, which
 * only a schema lookup can tell.
 */
export function validateTemplateConstraints(
  resourceId: string,
  isExternalCollection: boolean,
  obj: JsonMap,
  resourceNamespaced: boolean,
  instanceNamespaced: boolean,
): string | undefined {
  const metadata = obj['metadata'];
  if (metadata !== undefined && !isMap(metadata)) {
    return `resource "${resourceId}" has invalid metadata.namespace: metadata is not a map`;
  }
  const hasNamespace = isMap(metadata) && 'namespace' in metadata;
  const namespace = isMap(metadata) ? metadata['namespace'] : undefined;
  if (!resourceNamespaced && hasNamespace) return clusterScopedWithNamespaceProblem(resourceId);
  if (resourceNamespaced && !instanceNamespaced && !isExternalCollection) {
    if (typeof namespace !== 'string' || namespace.trim() === '') return namespaceRequiredProblem(resourceId);
  }
  return validateNoKROOwnedLabels(resourceId, obj) ?? validateNoKROOwnedAnnotations(resourceId, obj);
}
