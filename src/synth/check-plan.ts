// The field checks of a rendered object (undeclaredField, storedForm) without walking all of it.
// Both walk the whole object with its kind's schema, once per object written; but only the values
// the template's expressions put in change from one instance to the next. So the template is
// checked once per node (its expression fields set to null), and each object then only checks the
// values of its fields, each against the schema the full walk would reach it with. When the
// template alone already has a finding, or a value has one, the full walk runs and gives the
// exact result (the first finding in walk order); the plan only ever skips walks that find nothing.
import type { OpenApiSchema } from '../cel/types.js';
import { deepCopyJson, setOwn } from '../json.js';
import type { DocPath, JsonObject } from '../rgd/model.js';
import { declaresProperties, firstUndeclared, flattened } from './apply-checks.js';
import { isQuantitySchema, stored } from './stored.js';

/**
 * Per expression field of a node: the schema its value is checked against, or null when nothing
 * under it is checked. Undefined for a check the template alone fails (always walk in full).
 */
export interface CheckPlan {
  readonly undeclared?: readonly (OpenApiSchema | null)[];
  readonly stored?: readonly (OpenApiSchema | null)[];
  /** Per field, with `stored`: whether its schema is a quantity's (a scalar there may change). */
  readonly quantities?: readonly boolean[];
}

type Container = Record<string | number, unknown>;

/** The schema of one step into `container` under `key`, or null where the walk stops checking. */
type Step = (s: OpenApiSchema, container: object, key: string | number) => OpenApiSchema | null;

/** The schema a walk taking `step` at each level reaches the value at `segments` of `root` with. */
function schemaAt(root: unknown, schema: OpenApiSchema, segments: DocPath, step: Step): OpenApiSchema | null {
  let value = root;
  let s: OpenApiSchema | null | undefined = schema;
  for (const seg of segments) {
    if (!s || typeof value !== 'object' || value === null) return null;
    s = step(s, value, seg);
    value = (value as Container)[seg];
  }
  return s ?? null;
}

function itemsOf(f: OpenApiSchema): OpenApiSchema | null {
  return f.items && !Array.isArray(f.items) ? (f.items as OpenApiSchema) : null;
}

// undeclaredField's walk: unknown fields preserved, lists' items, maps' values, declared properties.
const undeclaredStep: Step = (s, container, key) => {
  if (s['x-kubernetes-preserve-unknown-fields'] === true) return null;
  const f = flattened(s);
  if (Array.isArray(container)) return itemsOf(f);
  const additional = f.additionalProperties;
  if (additional !== undefined && additional !== false)
    return typeof additional === 'object' ? additional : null;
  const props = f.properties;
  if (!props || !declaresProperties(props) || !Object.hasOwn(props, key)) return null;
  return props[key as string] ?? null;
};

// storedForm's walk: a quantity is a leaf, lists' items, declared properties, else maps' values.
const storedStep: Step = (s, container, key) => {
  if (isQuantitySchema(s)) return null;
  const f = flattened(s);
  if (Array.isArray(container)) return itemsOf(f);
  const props = f.properties;
  const additional = typeof f.additionalProperties === 'object' ? f.additionalProperties : undefined;
  return (props && Object.hasOwn(props, key) ? props[key as string] : additional) ?? null;
};

/** Writes null at `segments` (whose containers exist) of a private copy. */
function clear(root: JsonObject, segments: DocPath): void {
  let cur: unknown = root;
  for (let i = 0; i < segments.length - 1; i++) {
    cur = (cur as Container)[segments[i] as string | number];
    if (typeof cur !== 'object' || cur === null) return;
  }
  const last = segments[segments.length - 1];
  if (last !== undefined) setOwn(cur as Record<string, unknown>, String(last), null);
}

/** The plan of a template whose expression fields sit at `fields`, under `schema`. */
export function checkPlan(
  template: JsonObject,
  fields: readonly DocPath[],
  schema: OpenApiSchema,
): CheckPlan {
  const skeleton = deepCopyJson(template);
  for (const segments of fields) clear(skeleton, segments);
  const templateOk = !firstUndeclared(skeleton, schema, []);
  const storedSame = stored(skeleton, schema, []) === skeleton;
  const storedSchemas = storedSame ? fields.map((f) => schemaAt(skeleton, schema, f, storedStep)) : undefined;
  return {
    ...(templateOk ? { undeclared: fields.map((f) => schemaAt(skeleton, schema, f, undeclaredStep)) } : {}),
    ...(storedSchemas
      ? { stored: storedSchemas, quantities: storedSchemas.map((s) => s !== null && isQuantitySchema(s)) }
      : {}),
  };
}

// Most field values are scalars (strings from templates): the two checks below only walk maps and
// lists (and quantities, for the stored form), so the walkers stay out of the per-object path.
function isContainer(v: unknown): boolean {
  return typeof v === 'object' && v !== null;
}

/** True when the field values (in plan order) need no undeclared-field walk of the object. */
export function undeclaredSkippable(plan: CheckPlan, values: readonly unknown[]): boolean {
  const schemas = plan.undeclared;
  if (schemas === undefined) return false;
  for (let i = 0; i < schemas.length; i++) {
    const s = schemas[i];
    const v = values[i];
    // A scalar holds no field: firstUndeclared would find nothing.
    if (s && isContainer(v) && firstUndeclared(v, s, [])) return false;
  }
  return true;
}

/** True when storedForm would return the object unchanged: no value changes or fails. */
export function storedUnchanged(plan: CheckPlan, values: readonly unknown[]): boolean {
  const schemas = plan.stored;
  const quantities = plan.quantities;
  if (schemas === undefined || quantities === undefined) return false;
  for (let i = 0; i < schemas.length; i++) {
    const s = schemas[i];
    const v = values[i];
    // stored() changes only quantities and what is inside maps and lists.
    if (s && (quantities[i] || isContainer(v)) && stored(v, s, []) !== v) return false;
  }
  return true;
}
