// ajv set up as the tests of kro-gen's JSON Schemas use it: draft-07 (what yaml-language-server
// validates), every error reported, and unknown keywords refused except the editor keywords
// kro-gen writes on purpose.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { EDITOR_KEYWORDS } from '../../src/jsonschema/index.js';

export function newAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strictSchema: true, strictTypes: true });
  for (const k of EDITOR_KEYWORDS) ajv.addKeyword(k);
  return ajv;
}

/** Compile `schema` after checking it against the draft-07 meta-schema. */
export function compileSchema(schema: object): ValidateFunction {
  const ajv = newAjv();
  if (!ajv.validateSchema(schema)) throw new Error(ajv.errorsText(ajv.errors));
  return ajv.compile(schema);
}

/** The errors of `value`, `[]` when it is valid. */
export function errorsOf(validate: ValidateFunction, value: unknown): ErrorObject[] {
  return validate(value) ? [] : [...(validate.errors ?? [])];
}

/** `path keyword` of each error, for readable assertions. */
export function shown(errors: readonly ErrorObject[]): string[] {
  return errors.map((e) => `${e.instancePath || '/'} ${e.keyword}`);
}

/**
 * A change to a parsed document, for tables of known-bad files: set the value at a dotted path
 * (`spec.resources.1.id`; a number indexes a list), or delete it when no value is given.
 */
export function edit(path: string, ...value: [unknown?]): (doc: unknown) => void {
  return (doc) => {
    const keys = path.split('.');
    const last = keys.pop()!;
    let at = doc as Record<string, unknown>;
    for (const k of keys) at = at[k] as Record<string, unknown>;
    if (value.length === 0) delete at[last];
    else at[last] = value[0];
  };
}
