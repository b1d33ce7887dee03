// Checks a value against a schema node the way the API server's OpenAPI validation would (types,
// enum, bounds, lengths, patterns, unique list items and list-map keys, required and unknown
// fields); CEL rules are not evaluated here. Used for `default=` values the API server would refuse
// when the CRD is created, for instances before synthesis, and for the props of generated
// constructs at construction (`src/runtime`), which word their problems in more detail.
import { RE2JS } from 're2js';
import { MAX_QUOTED_EXPRESSION, quoted } from '../diagnostics.js';
import { isPlainObject, stringifyJson } from '../json.js';
import type { ArrayNode, SchemaNode, StructNode } from './model.js';

export interface ValueProblem {
  /**
   * Where in the value, as a dotted path from its root (`''` for the root itself); a missing
   * required field is reported at the object that lacks it.
   */
  readonly at: string;
  /**
   * The JSON path of the value concerned, from `root` (`spec.ports[0].port`,
   * `spec.labels["app.kubernetes.io/name"]`); a missing required field's own path.
   */
  readonly path: string;
  /** The keys and indexes from the value's root to `at` (a key may hold dots). */
  readonly segments: readonly (string | number)[];
  /** The rule broken: a marker name (`enum`, `minimum`, `pattern`, ...), `type`, `required` or `unknown field`. */
  readonly rule: string;
  readonly message: string;
}

export interface ValidateValueOptions {
  /** The JSON path of the value itself, the start of every problem's `path`; `''` by default. */
  readonly root?: string;
  /**
   * `server` (the default): short messages, as the API server words them. `detailed`: messages
   * that also say what the value was (`must be at least 1, got 0`), for props errors in a program.
   */
  readonly wording?: 'server' | 'detailed';
}

/**
 * Every problem of `value`, in document order; a struct's missing required fields come first.
 * Object members that are `undefined` count as unset.
 */
export function validateValue(
  node: SchemaNode,
  value: unknown,
  opts: ValidateValueOptions = {},
): ValueProblem[] {
  const out: ValueProblem[] = [];
  const words = opts.wording === 'detailed' ? DETAILED : SERVER;
  check(node, value, undefined, { words, root: opts.root ?? '', out });
  return out;
}

/**
 * A problem's place for a message: the dotted `at` while every key is plain (as the API server
 * prints paths), else the JSON `path` with keys quoted and cut, so a user's key holding a line
 * break, a space or a quote cannot break the line or read as two keys; a long path is cut.
 */
export function shownPath(p: { readonly at: string; readonly path?: string }): string {
  if (/^[\w./[\]-]*$/.test(p.at)) return p.at.length <= MAX_QUOTED_EXPRESSION ? p.at : quoted(p.at);
  return p.path ?? quoted(p.at);
}

/** A position in the value in both path notations. */
interface Where {
  readonly at: string;
  readonly path: string;
  readonly segments: readonly (string | number)[];
}

/**
 * A position as the keys that lead to it, linked from the root: cheap to make for every value
 * visited, and turned into a `Where` only when a problem is reported there.
 */
interface Place {
  readonly parent: Place | undefined;
  readonly key: string | number;
}

function child(w: Where, key: string | number): Where {
  const segments = [...w.segments, key];
  if (typeof key === 'number') return { at: `${w.at}[${key}]`, path: `${w.path}[${key}]`, segments };
  const at = w.at === '' ? key : `${w.at}.${key}`;
  if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) return { at, path: `${w.path}[${quoted(key)}]`, segments };
  return { at, path: w.path === '' ? key : `${w.path}.${key}`, segments };
}

function whereOf(place: Place | undefined, root: string): Where {
  const keys: (string | number)[] = [];
  for (let p = place; p !== undefined; p = p.parent) keys.push(p.key);
  let w: Where = { at: '', path: root, segments: [] };
  for (let i = keys.length - 1; i >= 0; i--) w = child(w, keys[i] as string | number);
  return w;
}

/** The message of each rule, given the facts the check found. */
interface Wording {
  type(expected: string, got: string): string;
  minimum(bound: number, value: number | bigint): string;
  maximum(bound: number, value: number | bigint): string;
  enum(allowed: string, got: string): string;
  minLength(bound: number, length: number): string;
  maxLength(bound: number, length: number): string;
  pattern(pattern: string, value: string): string;
  minItems(bound: number, count: number): string;
  maxItems(bound: number, count: number): string;
  set(first: number, second: number): string;
  listMapKeys(first: number, second: number, keys: readonly string[]): string;
  /** Reported at the object when `parent`, at the field itself otherwise. */
  required(field: string): { readonly atParent: boolean; readonly message: string };
  unknown(known: readonly string[]): string;
}

const SERVER: Wording = {
  type: (expected, got) => `expected ${expected}, got ${got}`,
  minimum: (bound) => `must be greater than or equal to ${bound}`,
  maximum: (bound) => `must be less than or equal to ${bound}`,
  enum: (allowed) => `must be one of ${allowed}`,
  minLength: (bound) => `must be at least ${bound} characters long`,
  maxLength: (bound) => `must be at most ${bound} characters long`,
  pattern: (pattern) => `must match pattern ${JSON.stringify(pattern)}`,
  minItems: (bound) => `must have at least ${bound} items`,
  maxItems: (bound) => `must have at most ${bound} items`,
  set: () => 'must not contain duplicate items',
  listMapKeys: listMapKeysMessage,
  required: (field) => ({ atParent: true, message: `missing required field ${JSON.stringify(field)}` }),
  unknown: () => 'unknown field',
};

const DETAILED: Wording = {
  type: (expected, got) => `must be ${article(expected)}, got ${got}`,
  minimum: (bound, value) => `must be at least ${bound}, got ${value}`,
  maximum: (bound, value) => `must be at most ${bound}, got ${value}`,
  enum: (allowed, got) => `must be one of ${allowed}, got ${got}`,
  minLength: (bound, length) => `must be at least ${bound} characters long, got ${length}`,
  maxLength: (bound, length) => `must be at most ${bound} characters long, got ${length}`,
  pattern: (pattern, value) => `must match ${JSON.stringify(pattern)}, got ${show(value)}`,
  minItems: (bound, count) => `must have at least ${bound} items, got ${count}`,
  maxItems: (bound, count) => `must have at most ${bound} items, got ${count}`,
  set: (first, second) => `must not repeat an item, but items ${first} and ${second} are equal`,
  listMapKeys: listMapKeysMessage,
  required: () => ({ atParent: false, message: 'is required' }),
  unknown: (known) => `is not in the schema${known.length > 0 ? ` (known fields: ${known.join(', ')})` : ''}`,
};

/** What one validation carries through every value it visits. */
interface Run {
  readonly words: Wording;
  /** The JSON path of the value's root. */
  readonly root: string;
  readonly out: ValueProblem[];
}

function fail(run: Run, place: Place | undefined, rule: string, message: string): void {
  run.out.push({ ...whereOf(place, run.root), rule, message });
}

function listMapKeysMessage(first: number, second: number, keys: readonly string[]): string {
  return `items ${first} and ${second} have the same ${keys.join(', ')}, which must identify one item`;
}

function check(node: SchemaNode, value: unknown, place: Place | undefined, run: Run): void {
  const words = run.words;
  if (!typeMatches(node, value)) {
    fail(run, place, 'type', words.type(expectedType(node), describe(value)));
    return;
  }
  if (typeof value === 'number' || typeof value === 'bigint') {
    if (node.minimum !== undefined && value < node.minimum)
      fail(run, place, 'minimum', words.minimum(node.minimum, value));
    if (node.maximum !== undefined && value > node.maximum)
      fail(run, place, 'maximum', words.maximum(node.maximum, value));
  }
  switch (node.kind) {
    case 'string': {
      const s = value as string;
      if (node.enum && !node.enum.includes(s))
        fail(run, place, 'enum', words.enum(node.enum.map(show).join(', '), show(s)));
      if (node.minLength !== undefined || node.maxLength !== undefined) {
        // The API server counts characters (code points), not UTF-16 units.
        const length = [...s].length;
        if (node.minLength !== undefined && length < node.minLength)
          fail(run, place, 'minLength', words.minLength(node.minLength, length));
        if (node.maxLength !== undefined && length > node.maxLength)
          fail(run, place, 'maxLength', words.maxLength(node.maxLength, length));
      }
      if (node.pattern !== undefined && !matches(node.pattern, s))
        fail(run, place, 'pattern', words.pattern(node.pattern, s));
      return;
    }
    case 'integer':
      if (node.enum && !node.enum.some((e) => String(e) === String(value)))
        fail(run, place, 'enum', words.enum(node.enum.join(', '), String(value)));
      return;
    case 'array':
      checkArray(node, value as unknown[], place, run);
      return;
    case 'map': {
      const obj = value as Record<string, unknown>;
      for (const k of Object.keys(obj)) {
        const v = obj[k];
        if (v !== undefined) check(node.values, v, { parent: place, key: k }, run);
      }
      return;
    }
    case 'struct':
      checkStruct(node, value as Record<string, unknown>, place, run);
      return;
    default:
      return;
  }
}

function checkArray(node: ArrayNode, items: unknown[], place: Place | undefined, run: Run): void {
  const words = run.words;
  if (node.minItems !== undefined && items.length < node.minItems)
    fail(run, place, 'minItems', words.minItems(node.minItems, items.length));
  if (node.maxItems !== undefined && items.length > node.maxItems)
    fail(run, place, 'maxItems', words.maxItems(node.maxItems, items.length));
  if (node.listType === 'set') {
    const dup = firstDuplicate(items.map((i) => stringifyJson(i)));
    if (dup !== undefined) fail(run, place, 'listType=set', words.set(dup[0], dup[1]));
  }
  if (node.listType === 'map' && node.listMapKeys && node.listMapKeys.length > 0) {
    const keys = node.listMapKeys;
    const dup = firstDuplicate(
      items.map((i) => stringifyJson(keys.map((k) => (isPlainObject(i) ? i[k] : undefined)))),
    );
    if (dup !== undefined) fail(run, place, 'listMapKeys', words.listMapKeys(dup[0], dup[1], keys));
  }
  items.forEach((item, i) => {
    check(node.items, item, { parent: place, key: i }, run);
  });
}

function checkStruct(
  node: StructNode,
  obj: Record<string, unknown>,
  place: Place | undefined,
  run: Run,
): void {
  for (const name of node.requiredFields) {
    if (Object.hasOwn(obj, name) && obj[name] !== undefined) continue;
    // A missing field with a default gets it before validation, so it is not missing.
    if (node.fields.find((f) => f.name === name)?.node.default !== undefined) continue;
    const { atParent, message } = run.words.required(name);
    const at = whereOf({ parent: place, key: name }, run.root);
    const parent = atParent ? whereOf(place, run.root) : at;
    run.out.push({ at: parent.at, path: at.path, segments: parent.segments, rule: 'required', message });
  }
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    if (v === undefined) continue;
    const field = node.fields.find((f) => f.name === k);
    if (field) check(field.node, v, { parent: place, key: k }, run);
    else
      fail(
        run,
        { parent: place, key: k },
        'unknown field',
        run.words.unknown(node.fields.map((f) => f.name)),
      );
  }
}

function typeMatches(node: SchemaNode, v: unknown): boolean {
  switch (node.kind) {
    case 'string':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'integer':
      return typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
    case 'float':
      return typeof v === 'bigint' || (typeof v === 'number' && Number.isFinite(v));
    case 'array':
      return Array.isArray(v);
    case 'object':
    case 'map':
    case 'struct':
      return isPlainObject(v);
  }
}

/** The OpenAPI type a node's values have. */
function expectedType(node: SchemaNode): string {
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

/** What a value is, in the terms of `expectedType` (JSON integers and numbers told apart). */
function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'bigint') return 'integer';
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

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v === null)
    return String(v);
  return describe(v);
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

const compiled = new Map<string, RE2JS | null>();

// Kubernetes patterns are unanchored searches in RE2 syntax; one that does not compile was
// reported when the schema was built, so it rejects nothing here.
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
