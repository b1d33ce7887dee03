// Which schema describes a resource kind, offline: schemas handed in directly, kinds defined by
// user-supplied CRD files, instance kinds of other RGDs (chained RGDs), then the bundled
// built-in Kubernetes kinds. kro asks the API server; a kind none of these know is unknown, and
// callers type it as dyn with a warning instead of failing.
import {
  type CelType,
  celTypeFromSchema,
  DYN,
  INT,
  kindCelType,
  listOf,
  mapOf,
  type OpenApiSchema,
  STRING,
} from '../cel/types.js';
import { setOwn } from '../json.js';
import type { JsonObject, JsonValue, Rgd } from '../rgd/model.js';
import type { SchemaNode } from './model.js';

export type KindSource = 'provided' | 'crd' | 'rgd' | 'builtin';

/** A kind with a known schema. */
export interface KnownKind {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** The object's whole OpenAPI schema (apiVersion, kind, metadata, spec, status...). */
  readonly schema: OpenApiSchema;
}

export interface ResolvedKind {
  readonly namespaced: boolean;
  readonly source: KindSource;
  /** The OpenAPI schema of the whole object, for walking templates (absent for chained RGD kinds). */
  readonly schema?: OpenApiSchema;
  /** The CEL type of objects of this kind, its types named from `typeName` (kro: `__type_<id>`). */
  celType(typeName: string): CelType;
}

/** Built-in kinds lookup (src/schema/k8s-builtin.ts has this signature). */
export type BuiltinLookup = (
  apiVersion: string,
  kind: string,
) => { readonly schema: OpenApiSchema; readonly namespaced: boolean } | undefined;

export interface ResolverSources {
  readonly kinds?: readonly KnownKind[];
  /** Parsed CustomResourceDefinition documents (apiextensions.k8s.io/v1). */
  readonly crds?: readonly JsonValue[];
  /** Other RGDs whose instance kinds may be used as resources. */
  readonly rgds?: readonly Rgd[];
  readonly builtin?: BuiltinLookup;
  /** The status type of another RGD's instances (from building that RGD's graph). */
  readonly rgdStatus?: (rgd: Rgd, typeName: string) => CelType | undefined;
  /** The spec type of another RGD's instances. */
  readonly rgdSpec?: (rgd: Rgd, typeName: string) => CelType | undefined;
}

const key = (apiVersion: string, kind: string): string => `${apiVersion}\u0000${kind}`;

function isMap(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// metav1.ObjectMeta as the API server publishes it; the parts expressions read.
const OWNER_REFERENCE: OpenApiSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'name', 'uid'],
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    name: { type: 'string' },
    uid: { type: 'string' },
    controller: { type: 'boolean' },
    blockOwnerDeletion: { type: 'boolean' },
  },
};

const MANAGED_FIELDS_ENTRY: OpenApiSchema = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    fieldsType: { type: 'string' },
    fieldsV1: { type: 'object' },
    manager: { type: 'string' },
    operation: { type: 'string' },
    subresource: { type: 'string' },
    time: { type: 'string', format: 'date-time' },
  },
};

/** ObjectMeta's schema; `namespaced: false` leaves out `namespace` (cluster-scoped instances). */
export function objectMetaSchema(namespaced = true): OpenApiSchema {
  const properties: Record<string, OpenApiSchema> = {
    name: { type: 'string' },
    generateName: { type: 'string' },
    namespace: { type: 'string' },
    selfLink: { type: 'string' },
    uid: { type: 'string' },
    resourceVersion: { type: 'string' },
    generation: { type: 'integer', format: 'int64' },
    creationTimestamp: { type: 'string', format: 'date-time' },
    deletionTimestamp: { type: 'string', format: 'date-time' },
    deletionGracePeriodSeconds: { type: 'integer', format: 'int64' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    // List types as Kubernetes publishes them: kro's typed values compare such lists by key or
    // as sets (cel/values.ts, schemaValueEquals).
    ownerReferences: {
      type: 'array',
      items: OWNER_REFERENCE,
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['uid'],
    },
    finalizers: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
    managedFields: { type: 'array', items: MANAGED_FIELDS_ENTRY },
  };
  if (!namespaced) delete properties.namespace;
  return { type: 'object', properties };
}

/** The API server serves every custom resource with full ObjectMeta, whatever the CRD says. */
function withObjectMeta(schema: OpenApiSchema): OpenApiSchema {
  const props = { ...(schema.properties ?? {}) };
  props.apiVersion ??= { type: 'string' };
  props.kind ??= { type: 'string' };
  props.metadata = objectMetaSchema(true);
  return { ...schema, type: 'object', properties: props };
}

function kindsFromCrd(doc: JsonValue): KnownKind[] {
  if (!isMap(doc) || doc.kind !== 'CustomResourceDefinition') return [];
  const spec = doc.spec;
  if (!isMap(spec) || !isMap(spec.names)) return [];
  const group = typeof spec.group === 'string' ? spec.group : '';
  const kind = spec.names.kind;
  if (typeof kind !== 'string') return [];
  const namespaced = spec.scope !== 'Cluster';
  const out: KnownKind[] = [];
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  for (const v of versions) {
    if (!isMap(v) || typeof v.name !== 'string') continue;
    const openAPI = isMap(v.schema) ? v.schema.openAPIV3Schema : undefined;
    const schema = isMap(openAPI)
      ? (openAPI as OpenApiSchema)
      : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    const apiVersion = group ? `${group}/${v.name}` : v.name;
    out.push({ apiVersion, kind, namespaced, schema: withObjectMeta(schema) });
  }
  return out;
}

/** `schema.spec`'s CEL type from the SimpleSchema model. */
export function celTypeFromSchemaNode(node: SchemaNode, name: string): CelType {
  switch (node.kind) {
    case 'string':
      return STRING;
    case 'integer':
      return INT;
    case 'float':
      return { kind: 'primitive', name: 'double' };
    case 'boolean':
      return { kind: 'primitive', name: 'bool' };
    case 'object':
      return { kind: 'object', name, fields: {}, preserveUnknown: true };
    case 'array':
      return listOf(celTypeFromSchemaNode(node.items, `${name}.@idx`));
    case 'map':
      return mapOf(STRING, celTypeFromSchemaNode(node.values, `${name}.@elem`));
    case 'struct': {
      const fields: Record<string, CelType> = {};
      // Indexed: cold code (docs/architecture.md).
      for (let i = 0; i < node.fields.length; i++) {
        const f = node.fields[i] as (typeof node.fields)[number];
        setOwn(fields, f.name, celTypeFromSchemaNode(f.node, `${name}.${f.name}`));
      }
      return { kind: 'object', name, fields, preserveUnknown: false };
    }
    default:
      return DYN;
  }
}

/** kro's instance status fields it always adds (state and conditions). */
export function kroDefaultStatusFields(name: string): Record<string, CelType> {
  return {
    state: STRING,
    conditions: listOf({
      kind: 'object',
      name: `${name}.conditions.@idx`,
      fields: {
        type: STRING,
        status: STRING,
        reason: STRING,
        message: STRING,
        lastTransitionTime: STRING,
        observedGeneration: INT,
      },
      preserveUnknown: false,
    }),
  };
}

export class KindResolver {
  readonly #direct = new Map<string, { known: KnownKind; source: KindSource }>();
  readonly #rgds = new Map<string, Rgd>();
  readonly #sources: ResolverSources;

  constructor(sources: ResolverSources) {
    this.#sources = sources;
    for (const k of sources.kinds ?? [])
      this.#direct.set(key(k.apiVersion, k.kind), { known: k, source: 'provided' });
    for (const doc of sources.crds ?? []) {
      for (const k of kindsFromCrd(doc)) {
        if (!this.#direct.has(key(k.apiVersion, k.kind)))
          this.#direct.set(key(k.apiVersion, k.kind), { known: k, source: 'crd' });
      }
    }
    for (const rgd of sources.rgds ?? []) {
      const s = rgd.schema;
      this.#rgds.set(key(`${s.group}/${s.apiVersion}`, s.kind), rgd);
    }
  }

  resolve(apiVersion: string, kind: string): ResolvedKind | undefined {
    const direct = this.#direct.get(key(apiVersion, kind));
    if (direct) {
      const schema = direct.known.schema;
      return {
        namespaced: direct.known.namespaced,
        source: direct.source,
        schema,
        celType: (n) => kindCelType(schema, n),
      };
    }
    const rgd = this.#rgds.get(key(apiVersion, kind));
    if (rgd) return this.#rgdKind(rgd);
    const builtin = this.#sources.builtin?.(apiVersion, kind);
    if (builtin) {
      const schema = builtin.schema;
      return {
        namespaced: builtin.namespaced,
        source: 'builtin',
        schema,
        celType: (n) => kindCelType(schema, n),
      };
    }
    return undefined;
  }

  /** The scope of a kind, when known (the shape the RGD validator asks for). */
  scopeOf = (apiVersion: string, kind: string): 'Namespaced' | 'Cluster' | undefined => {
    const r = this.resolve(apiVersion, kind);
    if (!r) return undefined;
    return r.namespaced ? 'Namespaced' : 'Cluster';
  };

  #rgdKind(rgd: Rgd): ResolvedKind {
    const namespaced = rgd.schema.scope !== 'Cluster';
    const sources = this.#sources;
    return {
      namespaced,
      source: 'rgd',
      celType(name: string): CelType {
        const spec = sources.rgdSpec?.(rgd, `${name}.spec`) ?? DYN;
        const status = sources.rgdStatus?.(rgd, `${name}.status`);
        const statusType: CelType =
          status && status.kind === 'object'
            ? { ...status, fields: { ...kroDefaultStatusFields(`${name}.status`), ...status.fields } }
            : {
                kind: 'object',
                name: `${name}.status`,
                fields: kroDefaultStatusFields(`${name}.status`),
                preserveUnknown: true,
              };
        return {
          kind: 'object',
          name,
          fields: {
            apiVersion: STRING,
            kind: STRING,
            metadata: celTypeFromSchema(objectMetaSchema(true), `${name}.metadata`),
            spec,
            status: statusType,
          },
          preserveUnknown: false,
        };
      },
    };
  }
}
