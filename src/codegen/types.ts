// Schema model -> TypeScript declarations: the spec interface, one named interface per nested object,
// one declaration per custom type, and the status interface from the inferred status schema.
// Property keys are the schema's own keys; constraints the compiler cannot express go into JSDoc.
import { stringifyJson } from '../json.js';
import type { JsonObject, JsonValue } from '../rgd/model.js';
import type { InstanceSchema, SchemaNode, StructNode } from '../schema/model.js';
import { type DocTag, jsdoc } from './jsdoc.js';
import { type NameRegistry, pascalCase, propertyKey, quote, withArticle } from './names.js';

/** One exported declaration, as text. */
export interface Declaration {
  readonly name: string;
  readonly text: string;
}

export interface TypeNames {
  /** The construct class, e.g. `WordPress`; prefixes every other name. */
  readonly className: string;
  readonly spec: string;
  readonly status: string;
}

/** The runtime's condition type, which kro's default `status.conditions` schema describes. */
const CONDITION_TYPE = 'kro.Condition';
const OPEN_OBJECT = '{ readonly [key: string]: unknown }';
const NO_TAGS: readonly DocTag[] = [];

interface Member {
  readonly key: string;
  readonly optional: boolean;
  readonly type: string;
  readonly doc: string | undefined;
  readonly tags: readonly DocTag[];
}

function interfaceText(name: string, doc: string, members: readonly Member[]): string {
  // `{}` would accept any non-null value; an object with no fields accepts only `{}`.
  if (members.length === 0) return `${doc}export interface ${name} {\n  readonly [key: string]: never;\n}\n`;
  let body = '';
  for (let i = 0; i < members.length; i++) {
    const m = members[i] as Member;
    body += `${jsdoc('  ', m.doc, m.tags)}  readonly ${propertyKey(m.key)}${m.optional ? '?' : ''}: ${m.type};\n`;
  }
  return `${doc}export interface ${name} {\n${body}}\n`;
}

/** Schema constraints as JSDoc tags, in a fixed order. */
export function constraintTags(node: SchemaNode): DocTag[] {
  const tags: DocTag[] = [];
  // addTag rather than a closure per node: most nodes have no constraint at all.
  if (node.default !== undefined) addTag(tags, 'default', stringifyJson(node.default));
  addTag(tags, 'minimum', node.minimum);
  addTag(tags, 'maximum', node.maximum);
  if (node.kind === 'string') {
    addTag(tags, 'pattern', node.pattern);
    addTag(tags, 'minLength', node.minLength);
    addTag(tags, 'maxLength', node.maxLength);
  }
  if (node.kind === 'array') {
    addTag(tags, 'minItems', node.minItems);
    addTag(tags, 'maxItems', node.maxItems);
    addTag(tags, 'listType', node.listType);
    if (node.listMapKeys && node.listMapKeys.length > 0)
      addTag(tags, 'listMapKeys', node.listMapKeys.join(', '));
  }
  // The immutability rule is listed among the validations; the tag says it in one word.
  if (node.immutable) tags.push({ tag: 'immutable' });
  const validations = node.validations;
  for (let i = 0; i < validations.length; i++) {
    const rule = (validations[i] as SchemaNode['validations'][number]).rule;
    if (node.immutable && rule === 'self == oldSelf') continue;
    addTag(tags, 'validation', rule);
  }
  return tags;
}

function addTag(tags: DocTag[], tag: string, value: string | number | undefined): void {
  if (value !== undefined) tags.push({ tag, value: String(value) });
}

/** A field is optional unless it is required and the API server would not fill it in. */
function isOptional(node: SchemaNode): boolean {
  return !node.required || node.default !== undefined;
}

// What decides the TypeScript type of a node: two nodes with equal signatures have the same type.
function signature(node: SchemaNode): string {
  switch (node.kind) {
    case 'string':
    case 'integer':
      return node.enum ? `${node.kind}${stringifyJson(node.enum)}` : node.kind;
    case 'float':
    case 'boolean':
    case 'object':
      return node.kind;
    case 'array':
      return `[${signature(node.items)}]`;
    case 'map':
      return `map(${signature(node.values)})`;
    case 'struct':
      return `{${node.fields.map((f) => `${JSON.stringify(f.name)}${isOptional(f.node) ? '?' : ''}:${signature(f.node)}`).join(',')}}`;
  }
}

/**
 * The name of the type of a field that is an object (or a list or map of them): its parent's name
 * and the field's key, joined only when a type of that name is declared.
 */
interface NestedName {
  readonly parent: string;
  readonly key: string;
}

function nestedName({ parent, key }: NestedName): string {
  return `${parent}${pascalCase(key) || 'Field'}`;
}

/** `readonly T[]`, parenthesising unions and readonly arrays, which `[]` would bind wrongly. */
function arrayOf(element: string): string {
  const wrap = element.includes(' | ') || element.startsWith('readonly ');
  return `readonly ${wrap ? `(${element})` : element}[]`;
}

/**
 * Builds the declarations of one RGD's spec and custom types. Names are claimed from the registry in
 * a fixed order (custom types first, then nested objects depth-first in declaration order), so the same
 * schema always gives the same names.
 */
export class SpecTypes {
  readonly #registry: NameRegistry;
  readonly #names: TypeNames;
  readonly #declarations: Declaration[] = [];
  /** Custom type name -> [TypeScript name, signature]. */
  readonly #custom = new Map<string, { readonly name: string; readonly signature: string }>();

  constructor(registry: NameRegistry, names: TypeNames) {
    this.#registry = registry;
    this.#names = names;
  }

  build(schema: InstanceSchema, rgdName: string): Declaration[] {
    const customNames = schema.types.map((t) =>
      this.#registry.claim(`${this.#names.className}${pascalCase(t.name) || 'Type'}`),
    );
    schema.types.forEach((t, i) => {
      this.#custom.set(t.name, { name: customNames[i]!, signature: signature(t.node) });
    });
    this.#struct(
      schema.spec,
      this.#names.spec,
      'spec',
      `The spec of ${withArticle(this.#names.className)}: what the user sets.`,
    );
    schema.types.forEach((t, i) => {
      const name = customNames[i]!;
      const about = `Custom type \`${t.name}\` of RGD ${rgdName}.`;
      if (t.node.kind === 'struct') {
        this.#struct(t.node, name, t.name, about, t.node.description);
        return;
      }
      const doc = jsdoc('', [about, t.node.description].filter(Boolean).join('\n\n'), constraintTags(t.node));
      const type = this.#type(t.node, name, t.name, true);
      this.#declarations.push({ name, text: `${doc}export type ${name} = ${type};\n` });
    });
    return this.#declarations;
  }

  // The TypeScript type of `node`; nested objects become named interfaces called `name` (a
  // NestedName until it is needed: most fields are not objects).
  #type(node: SchemaNode, name: string | NestedName, path: string, isDeclaration = false): string {
    if (!isDeclaration && node.typeName !== undefined) {
      const custom = this.#custom.get(node.typeName);
      if (custom && custom.signature === signature(node)) return custom.name;
    }
    switch (node.kind) {
      case 'string':
        return node.enum ? node.enum.map(quote).join(' | ') : 'string';
      case 'integer':
        return node.enum ? node.enum.map(String).join(' | ') : 'number';
      case 'float':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'object':
        return OPEN_OBJECT;
      case 'array':
        return arrayOf(this.#type(node.items, name, `${path}[]`));
      case 'map':
        return `{ readonly [key: string]: ${this.#type(node.values, name, `${path}[*]`)} }`;
      case 'struct': {
        const named = typeof name === 'string' ? name : nestedName(name);
        return this.#struct(
          node,
          isDeclaration ? named : this.#registry.claim(named),
          path,
          `Type of \`${path}\`.`,
        );
      }
    }
  }

  #struct(node: StructNode, name: string, path: string, about: string, description?: string): string {
    // Reserve the slot first so a parent reads before the objects nested in it.
    const slot = this.#declarations.length;
    this.#declarations.push({ name, text: '' });
    const members: Member[] = [];
    const fields = node.fields;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i] as StructNode['fields'][number];
      members.push({
        key: f.name,
        optional: isOptional(f.node),
        type: this.#type(f.node, { parent: name, key: f.name }, `${path}.${f.name}`),
        doc: f.node.description,
        tags: constraintTags(f.node),
      });
    }
    const doc = jsdoc('', description ? `${about}\n\n${description}` : about);
    this.#declarations[slot] = { name, text: interfaceText(name, doc, members) };
    return name;
  }
}

/**
 * The status interface from the OpenAPI status schema kro infers from the `schema.status` expressions,
 * plus kro's `state` and `conditions` when the RGD does not define them. Every field is optional: kro
 * fills the status in as the data arrives.
 */
export function statusDeclarations(
  registry: NameRegistry,
  names: TypeNames,
  statusSchema: JsonObject,
): Declaration[] {
  const out: Declaration[] = [];
  const typeOf = (schema: JsonValue | undefined, name: NestedName, path: string): string => {
    if (!isObject(schema)) return 'unknown';
    if (schema['x-kubernetes-int-or-string'] === true) return 'number | string';
    switch (schema['type']) {
      case 'string':
        return Array.isArray(schema['enum']) && schema['enum'].every((v) => typeof v === 'string')
          ? (schema['enum'] as string[]).map(quote).join(' | ')
          : 'string';
      case 'integer':
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'array':
        return arrayOf(typeOf(schema['items'], name, `${path}[]`));
      case 'object': {
        const props = schema['properties'];
        if (isObject(props) && Object.keys(props).length > 0)
          return objectType(props, registry.claim(nestedName(name)), path, `Type of \`${path}\`.`);
        const additional = schema['additionalProperties'];
        if (isObject(additional))
          return `{ readonly [key: string]: ${typeOf(additional, name, `${path}[*]`)} }`;
        return OPEN_OBJECT;
      }
      default:
        return 'unknown';
    }
  };
  const objectType = (
    props: JsonObject,
    name: string,
    path: string,
    about: string,
    extra: readonly Member[] = [],
  ): string => {
    const slot = out.length;
    out.push({ name, text: '' });
    const members: Member[] = [];
    const keys = Object.keys(props);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      members.push({
        key,
        optional: true,
        type: typeOf(props[key], { parent: name, key }, `${path}.${key}`),
        doc: undefined,
        tags: NO_TAGS,
      });
    }
    for (let i = 0; i < extra.length; i++) members.push(extra[i] as Member);
    out[slot] = { name, text: interfaceText(name, jsdoc('', about), members) };
    return name;
  };
  const props = isObject(statusSchema['properties']) ? statusSchema['properties'] : {};
  const extra: Member[] = [];
  if (!('state' in props))
    extra.push({
      key: 'state',
      optional: true,
      type: 'string',
      doc: "kro's summary of the instance: `IN_PROGRESS`, `ACTIVE`, `DELETING` or `ERROR`.",
      tags: [],
    });
  if (!('conditions' in props))
    extra.push({
      key: 'conditions',
      optional: true,
      type: arrayOf(CONDITION_TYPE),
      doc: 'Conditions kro reports on the instance (`Ready` and what it is made of).',
      tags: [],
    });
  objectType(
    props,
    names.status,
    'status',
    `The status of ${withArticle(names.className)}, as kro reports it.`,
    extra,
  );
  return out;
}

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
