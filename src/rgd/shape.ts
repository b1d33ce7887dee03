// The shape the RGD CRD's OpenAPI schema enforces (helm/crds/kro.run_resourcegraphdefinitions.yaml):
// what the API server rejects on `kubectl apply` before kro ever sees the RGD. Unknown fields are
// errors, as with kubectl's default strict field validation; nulls count as absent, as the API
// server prunes them from fields that are not nullable.
import { type Diagnostic, error, quoted } from '../diagnostics.js';
import { stringifyJson } from '../json.js';
import type { DocPath, JsonValue, Locator } from './model.js';
import {
  SCHEMA_API_VERSION_PATTERN,
  SHORT_NAME_MAX_LENGTH,
  SHORT_NAME_PATTERN,
  SHORT_NAMES_MAX_ITEMS,
} from './names.js';

export type Shape =
  | {
      readonly type: 'string';
      readonly pattern?: RegExp;
      readonly enum?: readonly string[];
      readonly minLength?: number;
      readonly maxLength?: number;
    }
  | { readonly type: 'integer' }
  | { readonly type: 'boolean' }
  /** A closed object: only the listed fields. */
  | {
      readonly type: 'object';
      readonly fields: { readonly [name: string]: Shape };
      readonly required?: readonly string[];
    }
  /** An object with arbitrary keys whose values all have one shape. */
  | {
      readonly type: 'map';
      readonly values: Shape;
      readonly minProperties?: number;
      readonly maxProperties?: number;
    }
  /** Any object (x-kubernetes-preserve-unknown-fields). */
  | { readonly type: 'freeObject' }
  | { readonly type: 'array'; readonly items: Shape; readonly maxItems?: number; readonly unique?: boolean }
  | { readonly type: 'any' };

const str: Shape = { type: 'string' };
const stringMap: Shape = { type: 'map', values: str };
const stringList: Shape = { type: 'array', items: str };

const OBJECT_META: Shape = {
  type: 'object',
  fields: {
    name: str,
    generateName: str,
    namespace: str,
    labels: stringMap,
    annotations: stringMap,
    uid: str,
    resourceVersion: str,
    generation: { type: 'integer' },
    creationTimestamp: { type: 'any' },
    deletionTimestamp: { type: 'any' },
    deletionGracePeriodSeconds: { type: 'integer' },
    ownerReferences: { type: 'array', items: { type: 'freeObject' } },
    finalizers: stringList,
    managedFields: { type: 'array', items: { type: 'freeObject' } },
    selfLink: str,
  },
};

const LABEL_SELECTOR: Shape = {
  type: 'object',
  fields: {
    matchLabels: stringMap,
    matchExpressions: {
      type: 'array',
      items: {
        type: 'object',
        fields: { key: str, operator: str, values: stringList },
        required: ['key', 'operator'],
      },
    },
  },
};

const EXTERNAL_REF: Shape = {
  type: 'object',
  fields: {
    apiVersion: str,
    kind: str,
    metadata: {
      type: 'object',
      fields: { name: { type: 'string', minLength: 1 }, namespace: str, selector: LABEL_SELECTOR },
    },
  },
  required: ['apiVersion', 'kind', 'metadata'],
};

const RESOURCE: Shape = {
  type: 'object',
  fields: {
    id: str,
    template: { type: 'freeObject' },
    externalRef: EXTERNAL_REF,
    readyWhen: stringList,
    includeWhen: stringList,
    forEach: { type: 'array', items: { type: 'map', values: str, minProperties: 1, maxProperties: 1 } },
  },
  required: ['id'],
};

const NAME_LIST: Shape = {
  type: 'array',
  items: { type: 'string', pattern: SHORT_NAME_PATTERN, maxLength: SHORT_NAME_MAX_LENGTH },
  maxItems: SHORT_NAMES_MAX_ITEMS,
  unique: true,
};

const SCHEMA: Shape = {
  type: 'object',
  fields: {
    apiVersion: { type: 'string', pattern: SCHEMA_API_VERSION_PATTERN },
    // The CRD's kind pattern is checked with kro's own UpperCamelCase rule in validate.ts.
    kind: str,
    group: str,
    scope: { type: 'string', enum: ['Namespaced', 'Cluster'] },
    spec: { type: 'freeObject' },
    types: { type: 'freeObject' },
    status: { type: 'freeObject' },
    additionalPrinterColumns: {
      type: 'array',
      items: {
        type: 'object',
        fields: {
          name: str,
          type: str,
          format: str,
          description: str,
          priority: { type: 'integer' },
          jsonPath: str,
        },
        required: ['jsonPath', 'name', 'type'],
      },
    },
    shortNames: NAME_LIST,
    categories: NAME_LIST,
    metadata: { type: 'object', fields: { labels: stringMap, annotations: stringMap } },
  },
  required: ['apiVersion', 'kind'],
};

/** The whole RGD document. */
export const RGD_SHAPE: Shape = {
  type: 'object',
  fields: {
    apiVersion: str,
    kind: str,
    metadata: OBJECT_META,
    spec: {
      type: 'object',
      fields: { schema: SCHEMA, resources: { type: 'array', items: RESOURCE } },
      required: ['schema'],
    },
    status: { type: 'freeObject' },
  },
  required: ['metadata', 'spec'],
};

/** `spec.resources[0].template` style, as Kubernetes prints field paths. */
export function displayPath(path: DocPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out === '' ? '<document>' : out;
}

export function jsonTypeName(v: JsonValue | undefined): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'map';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'bigint') return 'integer';
  return typeof v;
}

function isObject(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const EXPECTED: Record<Shape['type'], string> = {
  string: 'a string',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'a map',
  map: 'a map',
  freeObject: 'a map',
  array: 'a list',
  any: 'a value',
};

/**
 * A value its shape accepts whatever it holds: a string where any string will do, any map where
 * any map will do (a template), anything where anything will. Most values checked: passed over
 * without a call.
 */
function plainlyValid(value: JsonValue, shape: Shape): boolean {
  return (
    (shape === str && typeof value === 'string') ||
    (shape.type === 'freeObject' && isObject(value)) ||
    shape.type === 'any'
  );
}

function typeError(value: JsonValue, shape: Shape, path: DocPath, loc: Locator, out: Diagnostic[]): void {
  out.push(
    error(
      `${displayPath(path)} must be ${EXPECTED[shape.type]}, not ${jsonTypeName(value)}`,
      loc.at(path),
      'rgd/type',
    ),
  );
}

/**
 * Check `value` (present, not null) against `shape`, appending every problem found. It runs for
 * every node the shape describes, so problems are reported without a closure made per call.
 */
export function checkShape(
  value: JsonValue,
  shape: Shape,
  path: DocPath,
  loc: Locator,
  out: Diagnostic[],
): void {
  check(value, shape, [...path], loc, out);
}

const NO_NAMES: readonly string[] = [];

/**
 * checkShape with `path` one array for the whole walk: a child's key is pushed for its check and
 * popped after, and a problem gets a copy. (A path array made per node visited was most of what
 * the walk allocated.)
 */
function check(
  value: JsonValue,
  shape: Shape,
  path: (string | number)[],
  loc: Locator,
  out: Diagnostic[],
): void {
  switch (shape.type) {
    case 'any':
      return;
    case 'string': {
      if (typeof value !== 'string') return void typeError(value, shape, [...path], loc, out);
      if (shape.enum && !shape.enum.includes(value)) {
        out.push(
          error(
            `${displayPath(path)} must be one of ${shape.enum.map((e) => JSON.stringify(e)).join(', ')}, not ${stringifyJson(value)}`,
            loc.at([...path]),
            'rgd/enum',
          ),
        );
      }
      if (shape.minLength !== undefined && value.length < shape.minLength) {
        out.push(error(`${displayPath(path)} must not be empty`, loc.at([...path]), 'rgd/length'));
      }
      if (shape.maxLength !== undefined && value.length > shape.maxLength) {
        out.push(
          error(
            `${displayPath(path)} must be at most ${shape.maxLength} characters long`,
            loc.at([...path]),
            'rgd/length',
          ),
        );
      }
      if (shape.pattern && !shape.pattern.test(value)) {
        out.push(
          error(
            `${displayPath(path)} ${JSON.stringify(value)} does not match ${shape.pattern.source}`,
            loc.at([...path]),
            'rgd/pattern',
          ),
        );
      }
      return;
    }
    case 'integer':
      if (typeof value !== 'bigint' && (typeof value !== 'number' || !Number.isInteger(value)))
        typeError(value, shape, [...path], loc, out);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') typeError(value, shape, [...path], loc, out);
      return;
    case 'freeObject':
      if (!isObject(value)) typeError(value, shape, [...path], loc, out);
      return;
    case 'object': {
      if (!isObject(value)) return void typeError(value, shape, [...path], loc, out);
      // Indexed loops here and below: cold code (docs/architecture.md).
      const required = shape.required ?? NO_NAMES;
      for (let i = 0; i < required.length; i++) {
        const name = required[i] as string;
        if (value[name] === undefined || value[name] === null) {
          out.push(
            error(
              `missing required field "${name}" in ${displayPath(path)}`,
              loc.at([...path], 'key'),
              'rgd/required',
            ),
          );
        }
      }
      // for-in: no key array per object either (documents hold plain data, with no enumerable
      // inherited properties).
      for (const name in value) {
        const child = value[name] as JsonValue;
        const childShape = shape.fields[name];
        if (!childShape) {
          out.push(
            error(
              `unknown field ${quoted(name)} in ${displayPath(path)}`,
              loc.at([...path, name], 'key'),
              'rgd/unknown-field',
            ),
          );
          continue;
        }
        if (child === null || plainlyValid(child, childShape)) continue;
        path.push(name);
        check(child, childShape, path, loc, out);
        path.pop();
      }
      return;
    }
    case 'map': {
      if (!isObject(value)) return void typeError(value, shape, [...path], loc, out);
      const keys = Object.keys(value);
      const count = keys.length;
      if (
        shape.minProperties !== undefined &&
        shape.maxProperties === shape.minProperties &&
        count !== shape.minProperties
      ) {
        out.push(
          error(
            `${displayPath(path)} must have exactly ${shape.minProperties} ${shape.minProperties === 1 ? 'entry' : 'entries'}, has ${count}`,
            loc.at([...path]),
            'rgd/properties',
          ),
        );
      } else if (shape.minProperties !== undefined && count < shape.minProperties) {
        out.push(
          error(
            `${displayPath(path)} must have at least ${shape.minProperties} entries`,
            loc.at([...path]),
            'rgd/properties',
          ),
        );
      } else if (shape.maxProperties !== undefined && count > shape.maxProperties) {
        out.push(
          error(
            `${displayPath(path)} must have at most ${shape.maxProperties} entries`,
            loc.at([...path]),
            'rgd/properties',
          ),
        );
      }
      for (let i = 0; i < keys.length; i++) {
        const name = keys[i] as string;
        const child = value[name] as JsonValue;
        if (child === null) {
          const at = [...path, name];
          out.push(
            error(
              `${displayPath(at)} must be ${EXPECTED[shape.values.type]}, not null`,
              loc.at(at),
              'rgd/type',
            ),
          );
        } else if (!plainlyValid(child, shape.values)) {
          path.push(name);
          check(child, shape.values, path, loc, out);
          path.pop();
        }
      }
      return;
    }
    case 'array': {
      if (!Array.isArray(value)) return void typeError(value, shape, [...path], loc, out);
      if (shape.maxItems !== undefined && value.length > shape.maxItems) {
        out.push(
          error(
            `${displayPath(path)} must have at most ${shape.maxItems} items, has ${value.length}`,
            loc.at([...path]),
            'rgd/items',
          ),
        );
      }
      const seen = shape.unique ? new Set<string>() : undefined;
      for (let i = 0; i < value.length; i++) {
        const item = value[i] as JsonValue;
        if (item === null) {
          const at = [...path, i];
          out.push(
            error(
              `${displayPath(at)} must be ${EXPECTED[shape.items.type]}, not null`,
              loc.at(at),
              'rgd/type',
            ),
          );
          continue;
        }
        if (seen) {
          const k = stringifyJson(item);
          if (seen.has(k))
            out.push(
              error(
                `${displayPath(path)} has duplicate item ${quoted(item)}`,
                loc.at([...path, i]),
                'rgd/duplicate',
              ),
            );
          seen.add(k);
        }
        if (plainlyValid(item, shape.items)) continue;
        path.push(i);
        check(item, shape.items, path, loc, out);
        path.pop();
      }
      return;
    }
  }
}
