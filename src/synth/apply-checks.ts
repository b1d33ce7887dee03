// What kro's apply of a rendered object refuses although the object renders: kro-gen must fail
import type { OpenApiSchema } from '../cel/types.js';

// there too rather than print an object kro never creates (the instance goes to ERROR in kro).

/**
 * Characters the API server's YAML decoder refuses (go-yaml's reader: "control characters are not
 * allowed"). kro sends apply bodies as JSON, which escapes only characters below U+0020, so DEL,
 * the C1 controls other than NEL, and the non-characters U+FFFE/U+FFFF reach the decoder raw.
 */
function isUnsendable(cp: number): boolean {
  return (cp >= 0x7f && cp <= 0x9f && cp !== 0x85) || cp === 0xfffe || cp === 0xffff;
}

export interface UnsendableText {
  /** JSON path inside the value (`` for the value itself), e.g. `.a[0]`. */
  readonly path: string;
  /** `U+007F`. */
  readonly char: string;
}

// isUnsendable's characters, all in the Basic Multilingual Plane: a test per string, not per character.
const UNSENDABLE = /[\u007f-\u0084\u0086-\u009f\ufffe\uffff]/;

function firstUnsendable(s: string): string | undefined {
  const found = UNSENDABLE.exec(s);
  if (found === null) return undefined;
  const cp = (found[0] as string).charCodeAt(0);
  return isUnsendable(cp) ? `U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}

/** Whether any string in `value` (map keys included) holds an unsendable character. */
export function holdsUnsendable(value: unknown): boolean {
  if (typeof value === 'string') return UNSENDABLE.test(value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(holdsUnsendable);
  for (const k in value)
    if (
      Object.hasOwn(value, k) &&
      (UNSENDABLE.test(k) || holdsUnsendable((value as Record<string, unknown>)[k]))
    )
      return true;
  return false;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

// A key in a message: JSON-quoted, with the characters this module looks for escaped too.
function quoted(k: string): string {
  return JSON.stringify(k).replace(
    /[\u007f-\u009f\ufffe\uffff]/g,
    (c) => `\\u${(c.codePointAt(0) as number).toString(16).padStart(4, '0')}`,
  );
}

/** The first string (map keys included) in `value` holding a character kro's apply cannot send. */
export function unsendableText(value: unknown, path = ''): UnsendableText | undefined {
  // Nearly every value holds none: paths are built only to report one.
  if (path === '' && !holdsUnsendable(value)) return undefined;
  if (typeof value === 'string') {
    const char = firstUnsendable(value);
    return char ? { path, char } : undefined;
  }
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = unsendableText(v, `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const at = IDENTIFIER.test(k) ? `${path}.${k}` : `${path}[${quoted(k)}]`;
      const char = firstUnsendable(k);
      if (char) return { path: at, char };
      const found = unsendableText(v, at);
      if (found) return found;
    }
  }
  return undefined;
}

/** The message for an unsendable value rendered by an expression. */
export function unsendableMessage(found: UnsendableText): string {
  const where = found.path === '' ? 'its value' : `its value at ${found.path}`;
  return `${where} holds the control character ${found.char}, which kro cannot apply: the API server refuses it (error converting YAML to JSON: yaml: control characters are not allowed)`;
}

/**
 * kro applies every object by name (client-go's dynamic client: "name is required"); it never
 * creates from metadata.generateName. Undefined when the rendered metadata has a name.
 */
export function missingNameProblem(metadata: unknown): string | undefined {
  const m = typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>) : {};
  if (typeof m['name'] === 'string' && m['name'] !== '') return undefined;
  const generate = typeof m['generateName'] === 'string' && m['generateName'] !== '';
  return generate
    ? 'metadata.name is required: kro does not create objects from metadata.generateName (its apply fails with "name is required")'
    : 'metadata.name is required (kro\'s apply fails with "name is required")';
}

/**
 * The first field of `value` that `schema` does not declare, as a path (`.spec.x`), or undefined.
 * The API server's server-side apply refuses such a field ("field not declared in schema"); kro's
 * walk of the template finds literal ones when it validates the RGD, a map an expression returns is
 * only found at apply. Objects that keep unknown fields, maps (additionalProperties) and objects
 * without declared properties (free-form, e.g. RawExtension) take any field.
 */
export function undeclaredField(value: unknown, schema: OpenApiSchema | undefined): string | undefined {
  // Every object written is walked: the path is kept as keys and spelled out only for a finding.
  const at: (string | number)[] = [];
  return firstUndeclared(value, schema, at) ? fieldPath(at) : undefined;
}

/** True when `value` holds an undeclared field, whose path is then left in `at`. */
export function firstUndeclared(
  value: unknown,
  schema: OpenApiSchema | undefined,
  at: (string | number)[],
): boolean {
  if (!schema || schema['x-kubernetes-preserve-unknown-fields'] === true) return false;
  if (typeof value !== 'object' || value === null) return false;
  const s = flattened(schema);
  if (Array.isArray(value)) {
    const items = s.items;
    if (!items || Array.isArray(items)) return false;
    // Only maps and lists can hold a field: scalars are not visited (most values are strings).
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (typeof v !== 'object' || v === null) continue;
      at.push(i);
      if (firstUndeclared(v, items as OpenApiSchema, at)) return true;
      at.pop();
    }
    return false;
  }
  const map = value as Record<string, unknown>;
  const additional = s.additionalProperties;
  if (additional !== undefined && additional !== false) {
    if (typeof additional !== 'object') return false;
    for (const k of Object.keys(map)) {
      const v = map[k];
      if (typeof v !== 'object' || v === null) continue;
      at.push(k);
      if (firstUndeclared(v, additional, at)) return true;
      at.pop();
    }
    return false;
  }
  const props = s.properties;
  if (!props || !declaresProperties(props)) return false;
  for (const k of Object.keys(map)) {
    at.push(k);
    if (!Object.hasOwn(props, k)) return true;
    const v = map[k];
    if (typeof v === 'object' && v !== null && firstUndeclared(v, props[k], at)) return true;
    at.pop();
  }
  return false;
}

const declared = new WeakMap<object, boolean>();

/**
 * Whether a `properties` map declares any property. Remembered per schema object: the built-in
 * kinds' property maps are large dictionaries, and every object written asks about the same ones.
 */
export function declaresProperties(props: object): boolean {
  let any = declared.get(props);
  if (any === undefined) {
    any = Object.keys(props).length > 0;
    declared.set(props, any);
  }
  return any;
}

/** A template path (`['spec', 'ports', 0]`) written as undeclaredField writes paths. */
export function fieldPath(segments: readonly (string | number)[]): string {
  return segments.map((s) => (typeof s === 'number' ? `[${s}]` : segment(s))).join('');
}

/** One key of a path, as messages write it. */
export function segment(k: string): string {
  return IDENTIFIER.test(k) ? `.${k}` : `[${quoted(k)}]`;
}

const flat = new WeakMap<OpenApiSchema, OpenApiSchema>();

// Kubernetes' published schemas wrap a `$ref` with siblings in a one-element allOf. Remembered per
// schema object: every object rendered goes through the same schemas.
export function flattened(s: OpenApiSchema): OpenApiSchema {
  if (s.allOf === undefined) return s;
  let f = flat.get(s);
  if (f === undefined) {
    const [inner] = s.allOf;
    if (s.allOf.length !== 1 || !inner || s.properties) f = s;
    else {
      const { allOf: _allOf, ...rest } = s;
      f = { ...inner, ...rest };
    }
    flat.set(s, f);
  }
  return f;
}
