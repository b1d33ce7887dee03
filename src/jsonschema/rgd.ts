// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are kro expressions
// The JSON Schema of an RGD file, for editors that validate YAML against JSON Schemas. Its
// structure is RGD_SHAPE, the shape `kro-gen validate` checks (kro's RGD CRD), so the two cannot
// drift apart; on top come the rules of kro's own validation that a schema can say (resource ids,
// forEach iterators, standalone expressions, template or externalRef, SimpleSchema strings) and a
// description of each field for hover and completion.
import { setOwn } from '../json.js';
import { RGD_API_VERSION, RGD_KIND } from '../rgd/load.js';
import type { JsonObject } from '../rgd/model.js';
import {
  CEL_RESERVED_WORDS,
  DEFAULT_MAX_FOREACH_DIMENSIONS,
  DNS1123_SUBDOMAIN,
  KRO_RESERVED_WORDS,
  LOWER_CAMEL,
  SCHEMA_KIND_PATTERN,
} from '../rgd/names.js';
import { RGD_SHAPE, type Shape } from '../rgd/shape.js';
import { DRAFT_07, ordered } from './draft.js';
import { FIELD_PATTERN, STANDALONE_EXPRESSION_PATTERN } from './patterns.js';

/** Words a resource id or forEach iterator may not be, sorted for stable output. */
const RESERVED = [...new Set([...KRO_RESERVED_WORDS, ...CEL_RESERVED_WORDS])].sort();

const FIELD_STRING: JsonObject = {
  type: 'string',
  description:
    'A SimpleSchema field: `<type>` or `<type> | <markers>`. Types: string, integer, boolean, float, object, []T, map[string]T or a name from schema.types. Markers, separated by spaces: required, default, description, enum, minimum, maximum, pattern, minLength, maxLength, minItems, maxItems, uniqueItems, listType, listMapKey, validation, immutable (e.g. `integer | default=1 minimum=0`).',
  pattern: FIELD_PATTERN,
  patternErrorMessage:
    'Not a SimpleSchema field: expected `<type>` or `<type> | key=value ...` with known markers, quotes around values with spaces and nothing after the last marker.',
};

const SELF_REF = '#/definitions/simpleSchemaFields';

const SIMPLE_SCHEMA_FIELDS: JsonObject = {
  type: 'object',
  description: 'SimpleSchema fields: each value is a field string, or a map of nested fields.',
  additionalProperties: { anyOf: [{ $ref: '#/definitions/fieldString' }, { $ref: SELF_REF }] },
};

const STANDALONE: JsonObject = {
  type: 'string',
  pattern: STANDALONE_EXPRESSION_PATTERN,
  patternErrorMessage: 'Each entry must be exactly one ${...} expression, with nothing around it.',
};

const LOWER_CAMEL_NAME: JsonObject = {
  type: 'string',
  pattern: LOWER_CAMEL.source,
  patternErrorMessage:
    'Must be lowerCamelCase (a letter, then letters and digits): it becomes a CEL variable.',
  not: { enum: RESERVED },
};

/**
 * What kro-gen adds to the shape's schema at a path (`spec.resources[].id`): descriptions and the
 * rules of kro's validation beyond the CRD. Keywords here replace the shape's.
 */
const OVERLAY: Readonly<Record<string, JsonObject>> = {
  '': {
    title: 'kro ResourceGraphDefinition',
    description:
      'A kro ResourceGraphDefinition: the schema of a new API (spec.schema) and the Kubernetes resources each instance of it becomes (spec.resources), wired together with ${...} CEL expressions.',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
  },
  apiVersion: { const: RGD_API_VERSION },
  kind: { const: RGD_KIND },
  'metadata.name': {
    description: 'The RGD name, a DNS subdomain (RGDs are cluster-scoped).',
    maxLength: 253,
    pattern: DNS1123_SUBDOMAIN.source,
  },
  spec: { description: 'The instance API (schema) and the resources behind it.' },
  'spec.schema': {
    description:
      'The API that instances of this RGD have: kro turns it into a CustomResourceDefinition (see `kro-gen crd`).',
  },
  'spec.schema.apiVersion': {
    description: 'The version of the generated API, e.g. v1alpha1.',
    patternErrorMessage: 'A Kubernetes version: v1, v1alpha1, v2beta3, ...',
  },
  'spec.schema.kind': {
    description: 'The kind of the generated API, UpperCamelCase.',
    pattern: SCHEMA_KIND_PATTERN.source,
    patternErrorMessage: 'UpperCamelCase: an upper-case letter, then letters and digits (at most 63).',
  },
  'spec.schema.group': {
    description: 'The API group of the generated CRD, a domain with at least one dot.',
    default: 'kro.run',
    maxLength: 253,
    pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$',
  },
  'spec.schema.scope': {
    description: 'Whether instances live in a namespace or in the whole cluster.',
    default: 'Namespaced',
  },
  'spec.schema.spec': {
    $ref: SELF_REF,
    description: 'The fields of an instance spec, in SimpleSchema (e.g. `replicas: integer | default=1`).',
  },
  'spec.schema.types': {
    description: 'Custom types the spec can name: each a field string or a map of fields.',
    additionalProperties: { anyOf: [{ $ref: '#/definitions/fieldString' }, { $ref: SELF_REF }] },
  },
  'spec.schema.status': {
    description:
      'The instance status: fields whose values are ${...} expressions over the resources (their types are inferred).',
  },
  'spec.schema.shortNames': { description: 'Short names of the generated CRD (kro after v0.9.3).' },
  'spec.schema.categories': { description: 'Categories of the generated CRD (kro after v0.9.3).' },
  'spec.schema.additionalPrinterColumns': {
    description:
      "Columns `kubectl get` shows for instances; when given, kro's default columns are not added.",
  },
  'spec.schema.metadata': { description: 'Labels and annotations for the generated CRD.' },
  'spec.resources': { description: 'The resources each instance creates or reads.' },
  'spec.resources[]': {
    description: 'One resource: a template to create, or an externalRef to an existing object.',
    oneOf: [
      { required: ['template'], not: { required: ['externalRef'] } },
      { required: ['externalRef'], not: { anyOf: [{ required: ['template'] }, { required: ['forEach'] }] } },
    ],
  },
  'spec.resources[].id': {
    ...LOWER_CAMEL_NAME,
    description:
      'The name expressions use for this resource (e.g. ${deployment.status.readyReplicas}), unique in the RGD.',
  },
  'spec.resources[].template': {
    description: 'The Kubernetes object to create; strings may hold ${...} expressions.',
    required: ['apiVersion', 'kind', 'metadata'],
    properties: {
      apiVersion: {
        type: 'string',
        description: 'A literal apiVersion: kro resolves the kind before it evaluates expressions.',
        minLength: 1,
        pattern: '^(?![\\s\\S]*\\$\\{)[^/]*(/[^/]*)?$',
        patternErrorMessage: 'group/version or version, with no ${...} expression.',
      },
      kind: { type: 'string', minLength: 1 },
      metadata: { type: 'object' },
    },
  },
  'spec.resources[].externalRef': {
    description: 'An existing object to read (not managed by kro), by name or by label selector.',
  },
  'spec.resources[].externalRef.metadata': {
    oneOf: [
      { required: ['name'], not: { required: ['selector'] } },
      { required: ['selector'], not: { required: ['name'] } },
    ],
  },
  'spec.resources[].readyWhen': {
    description: 'Expressions that must all be true before the resource counts as ready.',
  },
  'spec.resources[].readyWhen[]': STANDALONE,
  'spec.resources[].includeWhen': {
    description: 'Expressions that must all be true for the resource to be created.',
  },
  'spec.resources[].includeWhen[]': STANDALONE,
  'spec.resources[].forEach': {
    description:
      'Make one resource per element: each entry names an iterator and the list it runs over; several entries give the cartesian product.',
    maxItems: DEFAULT_MAX_FOREACH_DIMENSIONS,
  },
  'spec.resources[].forEach[]': {
    propertyNames: { pattern: LOWER_CAMEL.source, not: { enum: RESERVED } },
    additionalProperties: STANDALONE,
  },
};

/** The draft-07 schema of one RGD document. */
export function rgdJsonSchema(): JsonObject {
  const root = fromShape(RGD_SHAPE, '');
  return ordered({
    $schema: DRAFT_07,
    ...root,
    definitions: { fieldString: FIELD_STRING, simpleSchemaFields: SIMPLE_SCHEMA_FIELDS },
  });
}

function fromShape(shape: Shape, path: string): JsonObject {
  const out: JsonObject = {};
  switch (shape.type) {
    case 'any':
      break;
    case 'string':
      out['type'] = 'string';
      if (shape.enum) out['enum'] = [...shape.enum];
      if (shape.minLength !== undefined) out['minLength'] = shape.minLength;
      if (shape.maxLength !== undefined) out['maxLength'] = shape.maxLength;
      if (shape.pattern) out['pattern'] = shape.pattern.source;
      break;
    case 'integer':
    case 'boolean':
      out['type'] = shape.type;
      break;
    case 'freeObject':
      out['type'] = 'object';
      break;
    case 'object': {
      out['type'] = 'object';
      const properties: JsonObject = {};
      for (const [name, child] of Object.entries(shape.fields)) {
        setOwn(properties, name, fromShape(child, path === '' ? name : `${path}.${name}`));
      }
      out['properties'] = properties;
      if (shape.required && shape.required.length > 0) out['required'] = [...shape.required];
      // kubectl's strict field validation refuses unknown fields; so does `kro-gen validate`.
      out['additionalProperties'] = false;
      break;
    }
    case 'map':
      out['type'] = 'object';
      out['additionalProperties'] = fromShape(shape.values, `${path}{}`);
      if (shape.minProperties !== undefined) out['minProperties'] = shape.minProperties;
      if (shape.maxProperties !== undefined) out['maxProperties'] = shape.maxProperties;
      break;
    case 'array':
      out['type'] = 'array';
      out['items'] = fromShape(shape.items, `${path}[]`);
      if (shape.maxItems !== undefined) out['maxItems'] = shape.maxItems;
      if (shape.unique) out['uniqueItems'] = true;
      break;
  }
  const overlay = OVERLAY[path];
  if (!overlay) return out;
  const merged: JsonObject = { ...out, ...overlay };
  // A template's own properties add to its open object rather than closing it.
  if (overlay['properties'] && out['properties']) {
    merged['properties'] = { ...(out['properties'] as JsonObject), ...(overlay['properties'] as JsonObject) };
  }
  // A $ref stands alone in draft-07: siblings other than the description are ignored.
  if (overlay['$ref'] !== undefined) {
    return {
      $ref: overlay['$ref'],
      ...(overlay['description'] ? { description: overlay['description'] } : {}),
    };
  }
  return merged;
}
