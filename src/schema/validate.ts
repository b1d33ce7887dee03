// Checks a JSON value against a schema node the way the API server's OpenAPI validation would
// (types, enum, bounds, lengths, patterns, required and unknown fields). Used to reject `default=`
// values the API server would refuse when the CRD is created; CEL rules are not evaluated here.
import { RE2JS } from 're2js';
import type { JsonValue } from '../rgd/model.js';
import type { SchemaNode } from './model.js';

export interface ValueProblem {
  /** Where in the value, as a dotted path from its root (`''` for the root itself). */
  readonly at: string;
  readonly message: string;
}

export function validateValue(node: SchemaNode, value: JsonValue): ValueProblem[] {
  const problems: ValueProblem[] = [];
  check(node, value, '', problems);
  return problems;
}

function check(node: SchemaNode, value: JsonValue, at: string, out: ValueProblem[]): void {
  const fail = (message: string) => out.push({ at, message });
  const expected = expectedJsonType(node);
  const actual = jsonTypeOf(value);
  if (!(actual === expected || (expected === 'number' && actual === 'integer'))) {
    fail(`expected ${expected}, got ${actual}`);
    return;
  }
  if (typeof value === 'number') {
    if (node.minimum !== undefined && value < node.minimum)
      fail(`must be greater than or equal to ${node.minimum}`);
    if (node.maximum !== undefined && value > node.maximum)
      fail(`must be less than or equal to ${node.maximum}`);
  }
  switch (node.kind) {
    case 'string': {
      const s = value as string;
      const length = [...s].length;
      if (node.enum && !node.enum.includes(s))
        fail(`must be one of ${node.enum.map((e) => JSON.stringify(e)).join(', ')}`);
      if (node.minLength !== undefined && length < node.minLength)
        fail(`must be at least ${node.minLength} characters long`);
      if (node.maxLength !== undefined && length > node.maxLength)
        fail(`must be at most ${node.maxLength} characters long`);
      if (node.pattern !== undefined && !matches(node.pattern, s))
        fail(`must match pattern ${JSON.stringify(node.pattern)}`);
      return;
    }
    case 'integer':
      if (node.enum && !node.enum.includes(value as number)) fail(`must be one of ${node.enum.join(', ')}`);
      return;
    case 'array': {
      const items = value as JsonValue[];
      if (node.minItems !== undefined && items.length < node.minItems)
        fail(`must have at least ${node.minItems} items`);
      if (node.maxItems !== undefined && items.length > node.maxItems)
        fail(`must have at most ${node.maxItems} items`);
      if (node.listType === 'set') {
        const seen = new Set(items.map((i) => JSON.stringify(i)));
        if (seen.size !== items.length) fail('must not contain duplicate items');
      }
      items.forEach((item, i) => {
        check(node.items, item, `${at}[${i}]`, out);
      });
      return;
    }
    case 'map':
      for (const [k, v] of Object.entries(value as Record<string, JsonValue>))
        check(node.values, v, join(at, k), out);
      return;
    case 'struct': {
      const obj = value as Record<string, JsonValue>;
      for (const name of node.requiredFields) {
        const field = node.fields.find((f) => f.name === name);
        // A missing field with a default gets it before validation, so it is not missing.
        if (!(name in obj) && field?.node.default === undefined)
          fail(`missing required field ${JSON.stringify(name)}`);
      }
      for (const [k, v] of Object.entries(obj)) {
        const field = node.fields.find((f) => f.name === k);
        if (field) check(field.node, v, join(at, k), out);
        else out.push({ at: join(at, k), message: 'unknown field' });
      }
      return;
    }
    default:
      return;
  }
}

type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'null';

function expectedJsonType(node: SchemaNode): JsonType {
  switch (node.kind) {
    case 'string':
    case 'integer':
    case 'boolean':
    case 'array':
      return node.kind;
    case 'float':
      return 'number';
    default:
      return 'object';
  }
}

function jsonTypeOf(v: JsonValue): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v as 'string' | 'boolean' | 'object';
}

function join(at: string, key: string): string {
  return at === '' ? key : `${at}.${key}`;
}

const compiled = new Map<string, RE2JS | null>();

// Kubernetes patterns are unanchored searches.
function matches(pattern: string, s: string): boolean {
  let re = compiled.get(pattern);
  if (re === undefined) {
    try {
      re = RE2JS.compile(pattern);
    } catch {
      re = null;
    }
    compiled.set(pattern, re);
  }
  return re === null ? true : re.matcher(s).find();
}
