// Props checked against the instance schema when a construct is created, so a bad value fails in the
// user's program, at the line that made it, instead of in the cluster. Each problem names the JSON
// path and the schema rule (the SimpleSchema marker, where there is one). CEL `validation=` rules are
// left to the API server.
import { RE2JS } from 're2js';
import type { SchemaNode } from '../schema/model.js';
import { isPlainObject } from './json.js';

export interface PropsProblem {
  /** JSON path from the object root, e.g. `spec.database.image`, `spec.labels["app.kubernetes.io/name"]`. */
  readonly path: string;
  /** The rule broken: a marker name (`enum`, `minimum`, `pattern`, ...), `type`, `required` or `unknown field`. */
  readonly rule: string;
  readonly message: string;
}

/** Every problem of a (defaulted) value, in document order. */
export function validateAgainst(node: SchemaNode, value: unknown, path: string): PropsProblem[] {
  const out: PropsProblem[] = [];
  check(node, value, path, out);
  return out;
}

/** `path: message (rule)`, one line. */
export function formatProblem(p: PropsProblem): string {
  return `${p.path}: ${p.message} (${p.rule})`;
}

export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  return describe(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    return Number.isInteger(v) ? 'integer' : 'number';
  }
  if (typeof v === 'object') {
    if (isPlainObject(v)) return 'object';
    const name = (v as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== '' ? `an instance of ${name}` : 'a non-plain object';
  }
  return typeof v;
}

function expected(node: SchemaNode): string {
  switch (node.kind) {
    case 'float':
      return 'number';
    case 'struct':
    case 'map':
      return 'object';
    default:
      return node.kind;
  }
}

function typeMatches(node: SchemaNode, v: unknown): boolean {
  switch (node.kind) {
    case 'string':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'float':
      return typeof v === 'number' && Number.isFinite(v);
    case 'array':
      return Array.isArray(v);
    case 'object':
    case 'map':
    case 'struct':
      return isPlainObject(v);
  }
}

function check(node: SchemaNode, value: unknown, path: string, out: PropsProblem[]): void {
  const fail = (rule: string, message: string) => out.push({ path, rule, message });
  if (!typeMatches(node, value)) {
    fail('type', `must be ${article(expected(node))}, got ${describe(value)}`);
    return;
  }
  if (typeof value === 'number') {
    if (node.minimum !== undefined && value < node.minimum)
      fail('minimum', `must be at least ${node.minimum}, got ${value}`);
    if (node.maximum !== undefined && value > node.maximum)
      fail('maximum', `must be at most ${node.maximum}, got ${value}`);
  }
  switch (node.kind) {
    case 'string': {
      const s = value as string;
      // The API server counts characters (code points), not UTF-16 units.
      const length = [...s].length;
      if (node.enum && !node.enum.includes(s))
        fail('enum', `must be one of ${node.enum.map(show).join(', ')}, got ${show(s)}`);
      if (node.minLength !== undefined && length < node.minLength)
        fail('minLength', `must be at least ${node.minLength} characters long, got ${length}`);
      if (node.maxLength !== undefined && length > node.maxLength)
        fail('maxLength', `must be at most ${node.maxLength} characters long, got ${length}`);
      if (node.pattern !== undefined && !matches(node.pattern, s))
        fail('pattern', `must match ${JSON.stringify(node.pattern)}, got ${show(s)}`);
      return;
    }
    case 'integer':
      if (node.enum && !node.enum.includes(value as number))
        fail('enum', `must be one of ${node.enum.join(', ')}, got ${value}`);
      return;
    case 'array': {
      const items = value as unknown[];
      if (node.minItems !== undefined && items.length < node.minItems)
        fail('minItems', `must have at least ${node.minItems} items, got ${items.length}`);
      if (node.maxItems !== undefined && items.length > node.maxItems)
        fail('maxItems', `must have at most ${node.maxItems} items, got ${items.length}`);
      if (node.listType === 'set') {
        const first = firstDuplicate(items.map((i) => JSON.stringify(i)));
        if (first !== undefined)
          fail('listType=set', `must not repeat an item, but items ${first[0]} and ${first[1]} are equal`);
      }
      if (node.listType === 'map' && node.listMapKeys && node.listMapKeys.length > 0) {
        const keys = node.listMapKeys;
        const first = firstDuplicate(
          items.map((i) => JSON.stringify(keys.map((k) => (isPlainObject(i) ? i[k] : undefined)))),
        );
        if (first !== undefined)
          fail(
            'listMapKeys',
            `items ${first[0]} and ${first[1]} have the same ${keys.join(', ')}, which must identify one item`,
          );
      }
      items.forEach((item, i) => {
        check(node.items, item, childPath(path, i), out);
      });
      return;
    }
    case 'map':
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (v !== undefined) check(node.values, v, childPath(path, k), out);
      }
      return;
    case 'struct': {
      const obj = value as Record<string, unknown>;
      for (const f of node.fields) {
        const v = obj[f.name];
        if (!Object.hasOwn(obj, f.name) || v === undefined) {
          if (f.node.required)
            out.push({ path: childPath(path, f.name), rule: 'required', message: 'is required' });
          continue;
        }
        check(f.node, v, childPath(path, f.name), out);
      }
      for (const [k, v] of Object.entries(obj)) {
        if (v === undefined || node.fields.some((f) => f.name === k)) continue;
        const known = node.fields.map((f) => f.name);
        out.push({
          path: childPath(path, k),
          rule: 'unknown field',
          message: `is not in the schema${known.length > 0 ? ` (known fields: ${known.join(', ')})` : ''}`,
        });
      }
      return;
    }
    default:
      return;
  }
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

function firstDuplicate(keys: readonly string[]): [number, number] | undefined {
  const seen = new Map<string, number>();
  for (const [i, k] of keys.entries()) {
    const j = seen.get(k);
    if (j !== undefined) return [j, i];
    seen.set(k, i);
  }
  return undefined;
}

const compiled = new Map<string, RE2JS>();

// OpenAPI patterns are unanchored searches in RE2 syntax; the generator already checked they compile.
function matches(pattern: string, s: string): boolean {
  let re = compiled.get(pattern);
  if (re === undefined) {
    re = RE2JS.compile(pattern);
    compiled.set(pattern, re);
  }
  return re.matcher(s).find();
}
