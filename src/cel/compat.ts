// kro's rule for "may this expression's result go into that field?" (pkg/cel/compatibility.go):
// first CEL assignability, then a structural duck-typing check where maps and structs are
// interchangeable, a struct result may carry a subset of the target's fields, and lists and maps
// compare element-wise. dyn is compatible with everything; an optional result is judged by its
// value type (an absent value is simply not written).
import { type CelType, formatCelType } from './types.js';

export type Compatibility = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const OK: Compatibility = { ok: true };
const fail = (reason: string): Compatibility => ({ ok: false, reason });

/** cel-go's `expected.IsAssignableType(output)`: exact type agreement, dyn only on the expected side. */
export function isAssignable(expected: CelType, output: CelType): boolean {
  if (expected.kind === 'dyn') return true;
  switch (expected.kind) {
    case 'primitive':
      return output.kind === 'primitive' && output.name === expected.name;
    case 'list':
      return output.kind === 'list' && isAssignable(expected.elem, output.elem);
    case 'map':
      return (
        output.kind === 'map' &&
        isAssignable(expected.key, output.key) &&
        isAssignable(expected.value, output.value)
      );
    case 'optional':
      return output.kind === 'optional' && isAssignable(expected.inner, output.inner);
    case 'object':
    case 'opaque':
      return (output.kind === 'object' || output.kind === 'opaque') && output.name === expected.name;
    default:
      return output.kind === expected.kind;
  }
}

/** Whether a value of type `output` may be written where `expected` is declared. */
export function checkAssignment(output: CelType, expected: CelType): Compatibility {
  if (isAssignable(expected, output)) return OK;
  return structurallyCompatible(output, expected);
}

// cel-go's type parameters: what the list/map checks below compare.
function params(t: CelType): CelType[] {
  switch (t.kind) {
    case 'list':
      return [t.elem];
    case 'map':
      return [t.key, t.value];
    case 'optional':
      return [t.inner];
    default:
      return [];
  }
}

// cel-go's kinds: structs and other named types are one kind.
function kindOf(t: CelType): string {
  switch (t.kind) {
    case 'primitive':
      return t.name;
    case 'object':
    case 'opaque':
      return 'struct';
    default:
      return t.kind;
  }
}

/** The structural half of kro's rule; `reason` mirrors kro's wording. */
export function structurallyCompatible(output: CelType, expected: CelType): Compatibility {
  if (expected.kind === 'dyn' || output.kind === 'dyn') return OK;
  if (output.kind === 'optional') return structurallyCompatible(output.inner, expected);

  if (expected.kind === 'object' && output.kind === 'map') return mapToStruct(output, expected);
  if (expected.kind === 'map' && output.kind === 'object') return structToMap(output, expected);
  if (expected.kind === 'list') return listToList(output, expected);
  if (expected.kind === 'map') return mapToMap(output, expected);
  if (expected.kind === 'object' || expected.kind === 'opaque') return toStruct(output, expected);
  if (kindOf(output) !== kindOf(expected)) {
    return fail(`type kind mismatch: got "${formatCelType(output)}", expected "${formatCelType(expected)}"`);
  }
  return OK;
}

function listToList(output: CelType, expected: Extract<CelType, { kind: 'list' }>): Compatibility {
  const out = params(output);
  const [outElem] = out;
  if (outElem === undefined) return fail(`list parameter count mismatch: got ${out.length}, expected 1`);
  const r = structurallyCompatible(outElem, expected.elem);
  return r.ok ? OK : fail(`list element type incompatible: ${r.reason}`);
}

function mapToMap(output: CelType, expected: Extract<CelType, { kind: 'map' }>): Compatibility {
  const out = params(output);
  const [outKey, outValue] = out;
  if (outKey === undefined || outValue === undefined) {
    return fail(`map parameter count mismatch: got ${out.length}, expected 2`);
  }
  const k = structurallyCompatible(outKey, expected.key);
  if (!k.ok) return fail(`map key type incompatible: ${k.reason}`);
  const v = structurallyCompatible(outValue, expected.value);
  return v.ok ? OK : fail(`map value type incompatible: ${v.reason}`);
}

// A struct target accepts any value whose declared fields are a subset of its own; values with
// no known fields (scalars, lists, library types) are not inspected, as in kro.
function toStruct(output: CelType, expected: CelType): Compatibility {
  if (expected.kind !== 'object' || output.kind !== 'object') return OK;
  if (expected.preserveUnknown) return OK;
  for (const [name, outField] of Object.entries(output.fields)) {
    const expField = expected.fields[name];
    if (expField === undefined) return fail(`field "${name}" exists in output but not in expected type`);
    const r = structurallyCompatible(outField, expField);
    if (!r.ok) return fail(`field "${name}" has incompatible type: ${r.reason}`);
  }
  return OK;
}

// kro checks the map's value type against every field of the struct.
function mapToStruct(
  output: Extract<CelType, { kind: 'map' }>,
  expected: Extract<CelType, { kind: 'object' }>,
): Compatibility {
  if (!(output.key.kind === 'primitive' && output.key.name === 'string')) {
    return fail('map keys must be strings to assign to struct');
  }
  for (const [name, field] of Object.entries(expected.fields)) {
    const r = structurallyCompatible(output.value, field);
    if (!r.ok) return fail(`map value incompatible with struct field "${name}": ${r.reason}`);
  }
  return OK;
}

function structToMap(
  output: Extract<CelType, { kind: 'object' }>,
  expected: Extract<CelType, { kind: 'map' }>,
): Compatibility {
  if (!(expected.key.kind === 'primitive' && expected.key.name === 'string')) {
    return fail('map key type must be string when assigning struct → map');
  }
  for (const [name, field] of Object.entries(output.fields)) {
    const r = structurallyCompatible(field, expected.value);
    if (!r.ok) return fail(`struct field "${name}" incompatible with map value type: ${r.reason}`);
  }
  return OK;
}

/** includeWhen/readyWhen results: bool or optional bool (dyn may be either at run time). */
export function isBoolOrOptionalBool(t: CelType): boolean {
  if (t.kind === 'dyn') return true;
  if (t.kind === 'primitive') return t.name === 'bool';
  if (t.kind === 'optional') return isBoolOrOptionalBool(t.inner) && t.inner.kind !== 'optional';
  return false;
}
