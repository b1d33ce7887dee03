// How types, SimpleSchema fields and CEL functions read in hovers and completion details.
import { createKroEnvironment, NAMESPACE_IDENTIFIERS, namespaceTypeName } from '../cel/environment.js';
import { FUNCTION_DOCS } from '../cel/function-docs.js';
import type { CelType } from '../cel/types.js';
import type { JsonValue } from '../rgd/model.js';
import type { SchemaNode } from '../schema/model.js';

/** A CEL type as a reader wants it: objects as `object` rather than kro's internal type names. */
export function showType(t: CelType): string {
  switch (t.kind) {
    case 'dyn':
      return 'dyn';
    case 'null':
      return 'null_type';
    case 'type':
      return t.of ? `type(${t.of})` : 'type';
    case 'primitive':
      return t.name;
    case 'list':
      return `list(${showType(t.elem)})`;
    case 'map':
      return `map(${showType(t.key)}, ${showType(t.value)})`;
    case 'optional':
      return `optional_type(${showType(t.inner)})`;
    case 'object':
      return 'object';
    case 'opaque':
      return t.name;
  }
}

/** SimpleSchema's name of a node's type (`integer`, `[]string`, `map[string]Port`). */
export function simpleTypeName(n: SchemaNode): string {
  if (n.typeName) return n.typeName;
  switch (n.kind) {
    case 'array':
      return `[]${simpleTypeName(n.items)}`;
    case 'map':
      return `map[string]${simpleTypeName(n.values)}`;
    case 'struct':
      return 'object (fields)';
    default:
      return n.kind;
  }
}

const show = (v: JsonValue): string => JSON.stringify(v);

/** A SimpleSchema field's type, markers and description, as Markdown lines. */
export function describeSchemaNode(name: string, n: SchemaNode, written?: string): string[] {
  const lines = [`**${name}**: \`${simpleTypeName(n)}\``];
  if (written !== undefined) lines.push(`SimpleSchema: \`${written}\``);
  const markers: string[] = [];
  if (n.required) markers.push('required');
  if (n.default !== undefined) markers.push(`default ${show(n.default)}`);
  if ('enum' in n && n.enum) markers.push(`enum ${n.enum.map((e) => show(e)).join(', ')}`);
  if (n.minimum !== undefined) markers.push(`minimum ${n.minimum}`);
  if (n.maximum !== undefined) markers.push(`maximum ${n.maximum}`);
  if (n.kind === 'string' && n.pattern !== undefined) markers.push(`pattern ${show(n.pattern)}`);
  if (n.immutable) markers.push('immutable');
  for (const v of n.validations) if (v.rule !== 'self == oldSelf') markers.push(`validation ${show(v.rule)}`);
  if (markers.length > 0) lines.push(markers.join(' · '));
  if (n.description) lines.push('', n.description);
  return lines;
}

export interface FunctionInfo {
  readonly name: string;
  /** `random` for `random.seededString`. */
  readonly namespace?: string;
  /** The library's receiver type (`string`, `list<A>`) of a method. */
  readonly receiver?: string;
  readonly signatures: string[];
  readonly doc?: string;
}

let catalog: FunctionInfo[] | undefined;

/** Every function of kro's CEL environment (without omit), grouped by name and namespace. */
export function functionCatalog(): readonly FunctionInfo[] {
  if (catalog) return catalog;
  const byNs = new Map<string, string>();
  for (const ns of NAMESPACE_IDENTIFIERS) byNs.set(namespaceTypeName(ns), ns);
  const groups = new Map<
    string,
    { name: string; namespace?: string; receiver?: string; signatures: string[] }
  >();
  for (const f of createKroEnvironment().raw.getDefinitions().functions) {
    if (f.name.startsWith('kroInternal')) continue;
    const namespace = f.receiverType ? byNs.get(f.receiverType) : undefined;
    const receiver = namespace ? undefined : (f.receiverType ?? undefined);
    const key = `${namespace ?? ''}.${f.name}.${receiver ? 'm' : 'f'}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        name: f.name,
        ...(namespace ? { namespace } : {}),
        ...(receiver ? { receiver } : {}),
        signatures: [],
      };
      groups.set(key, g);
    }
    const sig = namespace ? `${namespace}.${f.signature.slice(f.signature.indexOf('.') + 1)}` : f.signature;
    if (!g.signatures.includes(sig)) g.signatures.push(sig);
  }
  catalog = [...groups.values()].map((g) => {
    const doc = FUNCTION_DOCS[g.namespace ? `${g.namespace}.${g.name}` : g.name];
    return { ...g, ...(doc ? { doc } : {}) };
  });
  return catalog;
}

/** The functions named `name` (in `namespace`, if given). */
export function functionsNamed(name: string, namespace?: string): FunctionInfo[] {
  return functionCatalog().filter((f) => f.name === name && f.namespace === namespace);
}
