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
