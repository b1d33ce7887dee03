// Naming rules kro applies to RGDs. Resource ids and forEach iterators become CEL variables, so they
// must be plain identifiers that collide neither with CEL's reserved words nor with names kro binds.

/** lowerCamelCase: kro's rule for resource ids and forEach iterator names. */
export const LOWER_CAMEL = /^[a-z][a-zA-Z0-9]*$/;
/** UpperCamelCase: kro's builder rule for `schema.kind`. */
const UPPER_CAMEL = /^[A-Z][a-zA-Z0-9]*$/;
/** The RGD CRD's pattern for `schema.kind` (adds the 63-character cap). */
export const SCHEMA_KIND_PATTERN = /^[A-Z][a-zA-Z0-9]{0,62}$/;
/** The RGD CRD's pattern for `schema.apiVersion`; the builder's own regex accepts the same set. */
export const SCHEMA_API_VERSION_PATTERN = /^v[0-9]+(alpha[0-9]+|beta[0-9]+)?$/;
/** Pattern (and 63-character cap) for `schema.shortNames` and `schema.categories` items. */
export const SHORT_NAME_PATTERN = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
export const SHORT_NAME_MAX_LENGTH = 63;
export const SHORT_NAMES_MAX_ITEMS = 32;
/** Default of `MaxCollectionDimensionSize` (controller flag `--rgd-max-collection-dimension-size`). */
export const DEFAULT_MAX_FOREACH_DIMENSIONS = 10;

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Words CEL's grammar reserves; an identifier spelled like one cannot be referenced. */
export const CEL_RESERVED_WORDS: ReadonlySet<string> = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);

/** Names kro binds itself or keeps for future use (case-sensitive, as kro compares them). */
export const KRO_RESERVED_WORDS: ReadonlySet<string> = new Set([
  'apiVersion',
  'context',
  'dependency',
  'dependencies',
  'each',
  'externalRef',
  'externalReference',
  'externalRefs',
  'externalReferences',
  'graph',
  'instance',
  'item',
  'items',
  'kind',
  'kro',
  'metadata',
  'namespace',
  'object',
  'resource',
  'resourcegraphdefinition',
  'resourceGraphDefinition',
  'resources',
  'root',
  'runtime',
  'schema',
  'self',
  'serviceAccountName',
  'spec',
  'status',
  'this',
  'variables',
  'vars',
  'version',
]);

export function isValidResourceID(id: string): boolean {
  return LOWER_CAMEL.test(id);
}

export function isValidKindName(kind: string): boolean {
  return UPPER_CAMEL.test(kind);
}

/** kro's `isKROReservedWord`: true for both kro's and CEL's reserved words. */
export function isKROReservedWord(word: string): boolean {
  return KRO_RESERVED_WORDS.has(word) || CEL_RESERVED_WORDS.has(word);
}

export function isValidKubernetesVersion(version: string): boolean {
  return SCHEMA_API_VERSION_PATTERN.test(version);
}

/** Why `value` is not a DNS-1035 label, or undefined when it is one. */
export function dns1035LabelProblem(value: string): string | undefined {
  if (value.length <= 63 && DNS1035_LABEL.test(value)) return undefined;
  const problems: string[] = [];
  if (value.length > 63) problems.push('must be no more than 63 characters');
  if (!DNS1035_LABEL.test(value)) {
    problems.push(
      "must consist of lower-case alphanumeric characters or '-', start with a letter and end with an alphanumeric character",
    );
  }
  return problems.length > 0 ? problems.join(', ') : undefined;
}

/** Why `value` is not a valid name for a cluster-scoped object such as an RGD, or undefined. */
export function objectNameProblem(value: string): string | undefined {
  if (value.length > 253) return 'must be no more than 253 characters';
  if (!DNS1123_SUBDOMAIN.test(value)) {
    return "must consist of lower-case alphanumeric characters, '-' or '.', and start and end with an alphanumeric character";
  }
  return undefined;
}

const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/**
 * Why `key` is not a label or annotation key the API server accepts (its IsQualifiedName: an
 * optional DNS-1123 subdomain prefix and `/`, then a name of at most 63 characters), or undefined.
 */
export function qualifiedNameProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  if (slash >= 0 && key.includes('/', slash + 1)) return "a qualified name has at most one '/'";
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix === '') return 'the prefix before / must be non-empty';
    if (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) {
      return 'the prefix before / must be a DNS-1123 subdomain (lower-case alphanumerics, - and .)';
    }
  }
  if (name === '') return 'the name part must be non-empty';
  if (name.length > 63) return 'the name part must be no more than 63 characters';
  if (!QUALIFIED_NAME_PART.test(name)) {
    return "the name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  }
  return undefined;
}

/** Label/annotation prefixes kro writes itself; templates may not set them. */
export const KRO_OWNED_PREFIXES: readonly string[] = ['kro.run/', 'internal.kro.run/'];
