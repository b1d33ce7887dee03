// The API server's checks of an object's metadata (k8s.io/apimachinery's ValidateObjectMeta and the
// per-kind name rules of k8s.io/kubernetes pkg/apis/core/validation and rbac validation), applied to
// every object kro-gen writes, so a name that would be refused at apply time is refused here.
import { boundedMemo } from '../bounded-memo.js';
import { quoted } from '../diagnostics.js';
import type { JsonObject, JsonValue } from '../rgd/model.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** apimachinery's TotalAnnotationSizeLimitB. */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

interface NameRule {
  readonly name: string;
  readonly check: (value: string) => string | undefined;
}

const subdomain: NameRule = {
  name: 'a DNS-1123 subdomain',
  check: (v) =>
    v.length > 253
      ? 'must be no more than 253 characters'
      : DNS1123_SUBDOMAIN.test(v)
        ? undefined
        : "must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
};
const label: NameRule = {
  name: 'a DNS-1123 label',
  check: (v) =>
    v.length > 63
      ? 'must be no more than 63 characters'
      : DNS1123_LABEL.test(v)
        ? undefined
        : "must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
};
const dns1035: NameRule = {
  name: 'a DNS-1035 label',
  check: (v) =>
    v.length > 63
      ? 'must be no more than 63 characters'
      : DNS1035_LABEL.test(v)
        ? undefined
        : "must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
};
const pathSegment: NameRule = {
  name: 'a path segment name',
  check: (v) =>
    v === '.' || v === '..'
      ? `may not be '${v}'`
      : v.includes('/') || v.includes('%')
        ? "may not contain '/' or '%'"
        : undefined,
};

// Kinds whose names follow another rule than a DNS-1123 subdomain (the default, also that of
// custom resources), keyed by `group/Kind` (core group empty).
const NAME_RULES: ReadonlyMap<string, NameRule> = new Map([
  ['/Namespace', label],
  ['/Service', dns1035],
  ['rbac.authorization.k8s.io/Role', pathSegment],
  ['rbac.authorization.k8s.io/ClusterRole', pathSegment],
  ['rbac.authorization.k8s.io/RoleBinding', pathSegment],
  ['rbac.authorization.k8s.io/ClusterRoleBinding', pathSegment],
]);

function nameRuleFor(apiVersion: unknown, kind: unknown): NameRule {
  // Only a few kinds have their own rule: most objects never need the `group/Kind` key built.
  if (typeof kind !== 'string' || !SPECIAL_KINDS.has(kind)) return subdomain;
  const group = typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return NAME_RULES.get(`${group}/${kind}`) ?? subdomain;
}
const SPECIAL_KINDS: ReadonlySet<string> = new Set(
  [...NAME_RULES.keys()].map((k) => k.slice(k.indexOf('/') + 1)),
);

// Label and annotation keys repeat on every object (kro-gen's own labels, the ordering
// annotations): each distinct key is checked once. Bounded, so a long-lived process (the language
// server) cannot grow it without limit.
const qualifiedNameProblem = boundedMemo(4096, (key: string) => checkQualifiedName(key));
// Annotation keys are checked lower-cased (the API server's rule), memoized as written.
const annotationKeyProblem = boundedMemo(4096, (key: string) => qualifiedNameProblem(key.toLowerCase()));

function checkQualifiedName(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const [prefix, name] = slash < 0 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
  if (key.split('/').length > 2) return "a qualified name has at most one '/'";
  if (prefix !== undefined) {
    if (prefix === '') return 'prefix part must be non-empty';
    const p = subdomain.check(prefix);
    if (p) return `prefix part ${p}`;
  }
  if (name === '') return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!QUALIFIED_NAME.test(name)) {
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  }
  return undefined;
}

export interface MetaProblem {
  /** Path in the object, e.g. `['metadata', 'labels', 'app']`. */
  readonly path: readonly string[];
  readonly message: string;
}

/** What the API server would refuse in `obj.metadata`, in its words where it has them. */
export function objectMetaProblems(obj: JsonObject, namespaced = true): MetaProblem[] {
  const out: MetaProblem[] = [];
  const meta = obj.metadata;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return out;
  const m = meta as JsonObject;
  const rule = nameRuleFor(obj.apiVersion, obj.kind);
  const kind = typeof obj.kind === 'string' ? obj.kind : 'object';
  if (typeof m.name === 'string' && m.name !== '') {
    const p = rule.check(m.name);
    if (p)
      out.push({
        path: ['metadata', 'name'],
        message: `metadata.name: Invalid value: ${quoted(m.name)}: ${kind} names must be ${rule.name}: ${p}`,
      });
  }
  if (typeof m.generateName === 'string' && m.generateName !== '') {
    // A prefix may end in '-' (the API server masks a trailing dash before checking).
    const masked = m.generateName.endsWith('-') ? `${m.generateName.slice(0, -1)}a` : m.generateName;
    const p = rule.check(masked);
    if (p)
      out.push({
        path: ['metadata', 'generateName'],
        message: `metadata.generateName: Invalid value: ${quoted(m.generateName)}: ${kind} name prefixes must be ${rule.name}: ${p}`,
      });
  }
  if (namespaced && typeof m.namespace === 'string' && m.namespace !== '') {
    const p = label.check(m.namespace);
    if (p)
      out.push({
        path: ['metadata', 'namespace'],
        message: `metadata.namespace: Invalid value: ${quoted(m.namespace)}: a namespace must be a DNS-1123 label: ${p}`,
      });
  }
  const labels = asMap(m.labels);
  for (const k in labels) {
    if (!Object.hasOwn(labels, k)) continue;
    const v = labels[k];
    const kp = qualifiedNameProblem(k);
    if (kp)
      out.push({
        path: ['metadata', 'labels', k],
        message: `metadata.labels: Invalid value: ${quoted(k)}: a label key must be a qualified name: ${kp}`,
      });
    if (typeof v === 'string' && (v.length > 63 || !LABEL_VALUE.test(v))) {
      out.push({
        path: ['metadata', 'labels', k],
        message: `metadata.labels: Invalid value: ${quoted(v)}: a label value must be 63 characters or less, empty or alphanumeric at both ends with '-', '_' or '.' between`,
      });
    }
  }
  const annotations = asMap(m.annotations);
  let total = 0;
  for (const k in annotations) {
    if (!Object.hasOwn(annotations, k)) continue;
    const v = annotations[k];
    const kp = annotationKeyProblem(k);
    if (kp)
      out.push({
        path: ['metadata', 'annotations', k],
        message: `metadata.annotations: Invalid value: ${quoted(k)}: an annotation key must be a qualified name: ${kp}`,
      });
    total += k.length + (typeof v === 'string' ? v.length : 0);
  }
  // UTF-16 units first: a unit is at most 3 UTF-8 bytes, so only a large total needs counting.
  if (total * 3 > MAX_ANNOTATIONS_BYTES) total = annotationBytes(annotations);
  if (total > MAX_ANNOTATIONS_BYTES) {
    out.push({
      path: ['metadata', 'annotations'],
      message: `metadata.annotations: Too long: may not be more than ${MAX_ANNOTATIONS_BYTES} bytes (${total} given)`,
    });
  }
  return out;
}

/** The UTF-8 size of the keys and string values of `annotations`, as the API server counts it. */
function annotationBytes(annotations: JsonObject): number {
  let total = 0;
  for (const k in annotations) {
    if (!Object.hasOwn(annotations, k)) continue;
    const v = annotations[k];
    total += utf8Length(k) + (typeof v === 'string' ? utf8Length(v) : 0);
  }
  return total;
}

const NO_ENTRIES: JsonObject = Object.freeze({}) as JsonObject;

function asMap(v: JsonValue | undefined): JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonObject) : NO_ENTRIES;
}

// Counted without encoding: the limit is checked for every object written.
const utf8Length = (s: string): number => Buffer.byteLength(s, 'utf8');
