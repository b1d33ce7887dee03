// JSON Schemas of instance files: one per kind, made from the CRD kro generates for the RGD (the
// same CRD `kro-gen crd` prints), so an editor checks an instance as the API server would; and one
// schema for several kinds, which picks the kind's schema by apiVersion and kind.
import { setOwn } from '../json.js';
import type { JsonObject } from '../rgd/model.js';
import { DNS1123_SUBDOMAIN } from '../rgd/names.js';
import { DRAFT_07, isObject, ordered } from './draft.js';
import { openApiToJsonSchema } from './openapi.js';

/** What an instance schema is made from: a CRD from `buildCrd` and the RGD that defines it. */
export interface InstanceKind {
  readonly crd: JsonObject;
  readonly rgdName: string;
}

interface CrdFacts {
  readonly name: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly openAPIV3Schema: JsonObject;
}

function factsOf(crd: JsonObject): CrdFacts {
  const metadata = isObject(crd['metadata']) ? crd['metadata'] : {};
  const spec = isObject(crd['spec']) ? crd['spec'] : {};
  const names = isObject(spec['names']) ? spec['names'] : {};
  const versions = Array.isArray(spec['versions']) ? spec['versions'].filter(isObject) : [];
  const version = versions[0] ?? {};
  const schema = isObject(version['schema']) ? version['schema'] : {};
  return {
    name: String(metadata['name']),
    apiVersion: `${String(spec['group'])}/${String(version['name'])}`,
    kind: String(names['kind']),
    namespaced: spec['scope'] !== 'Cluster',
    openAPIV3Schema: isObject(schema['openAPIV3Schema']) ? schema['openAPIV3Schema'] : {},
  };
}

const STRING_MAP: JsonObject = { type: 'object', additionalProperties: { type: 'string' } };

function objectMeta(namespaced: boolean): JsonObject {
  const properties: JsonObject = {
    name: {
      type: 'string',
      description: 'The instance name: kro names the resources it creates from it.',
      maxLength: 253,
      pattern: DNS1123_SUBDOMAIN.source,
    },
  };
  if (namespaced) properties['namespace'] = { type: 'string', description: 'The namespace of the instance.' };
  properties['labels'] = STRING_MAP;
  properties['annotations'] = STRING_MAP;
  return { type: 'object', required: ['name'], properties };
}

/** The draft-07 schema of an instance of the kind `crd` defines, without `$schema`. */
function instanceSchemaBody(kind: InstanceKind): JsonObject {
  const facts = factsOf(kind.crd);
  const crdProps = isObject(facts.openAPIV3Schema['properties']) ? facts.openAPIV3Schema['properties'] : {};
  const properties: JsonObject = {
    apiVersion: { const: facts.apiVersion },
    kind: { const: facts.kind },
    metadata: objectMeta(facts.namespaced),
  };
  const required = ['apiVersion', 'kind', 'metadata'];
  const spec = crdProps['spec'];
  if (isObject(spec)) {
    properties['spec'] = openApiToJsonSchema(spec);
    // Without a spec, the required fields in it are missing too.
    if (Array.isArray(spec['required']) && spec['required'].length > 0) required.push('spec');
  }
  const status = crdProps['status'];
  if (isObject(status)) {
    properties['status'] = {
      ...openApiToJsonSchema(status),
      description: 'Written by kro from the RGD status expressions; not part of an instance file.',
    };
  }
  return {
    title: `${facts.kind} (${facts.apiVersion})`,
    description: `An instance of ${facts.kind}, the API that ResourceGraphDefinition ${kind.rgdName} defines.`,
    type: 'object',
    required,
    properties,
    additionalProperties: false,
  };
}

/** The schema file for instances of one kind. */
export function instanceJsonSchema(kind: InstanceKind): JsonObject {
  return ordered({ $schema: DRAFT_07, ...instanceSchemaBody(kind) });
}

/** The CRD name (`<plural>.<group>`) a kind's schema file is named after. */
export function crdNameOf(crd: JsonObject): string {
  return factsOf(crd).name;
}

/**
 * One schema for instances of several kinds: each kind's schema applies to the documents with its
 * apiVersion and kind; any other apiVersion or kind is an error. Kinds are sorted by CRD name.
 */
export function combinedInstanceJsonSchema(kinds: readonly InstanceKind[]): JsonObject {
  const sorted = [...kinds].sort((a, b) => (crdNameOf(a.crd) < crdNameOf(b.crd) ? -1 : 1));
  const definitions: JsonObject = {};
  const branches: JsonObject[] = [];
  const pairs: JsonObject[] = [];
  const apiVersions = new Set<string>();
  const kindNames = new Set<string>();
  for (const k of sorted) {
    const facts = factsOf(k.crd);
    apiVersions.add(facts.apiVersion);
    kindNames.add(facts.kind);
    setOwn(definitions, facts.name, instanceSchemaBody(k));
    const pair: JsonObject = {
      required: ['apiVersion', 'kind'],
      properties: { apiVersion: { const: facts.apiVersion }, kind: { const: facts.kind } },
    };
    pairs.push(pair);
    branches.push({
      if: pair,
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a promise
      then: { $ref: `#/definitions/${escapePointer(facts.name)}` },
    });
  }
  return ordered({
    $schema: DRAFT_07,
    title: 'kro instances',
    description: `An instance of one of: ${[...kindNames].join(', ')}.`,
    type: 'object',
    required: ['apiVersion', 'kind'],
    properties: {
      apiVersion: { enum: [...apiVersions].sort() },
      kind: { enum: [...kindNames].sort() },
    },
    // The enums above complete each field; this refuses an apiVersion of one kind with another kind.
    anyOf: pairs,
    allOf: branches,
    definitions,
  });
}

/** A JSON Pointer token (RFC 6901), as a URI fragment needs it. */
function escapePointer(token: string): string {
  return encodeURIComponent(token.replace(/~/g, '~0').replace(/\//g, '~1'));
}
