// The kro-gen side of the differential run: a case evaluated the way kro-gen evaluates RGD
// expressions. The expression is type-checked first (with `schema` typed from the case's
// SimpleSchema as the graph builder types it, other variables dyn), then evaluated with every
// variable dyn as synth does, `schema` converted from the instance JSON through its OpenAPI schema
// and its scalar, list and map fields' static types carried to the evaluation as synth carries them
// (src/cel/lib/static-types.ts).
import { createKroEnvironment } from '../../../src/cel/environment.js';
import { annotateStaticTypes } from '../../../src/cel/lib/static-types.js';
import { TypeEnv } from '../../../src/cel/typecheck.js';
import {
  type CelType,
  celTypeFromSchema,
  DYN,
  type OpenApiSchema,
  STRING,
  TYPE_NAME_PREFIX,
} from '../../../src/cel/types.js';
import { jsonToCelValue } from '../../../src/cel/values.js';
import { buildInstanceSchema } from '../../../src/schema/build.js';
import { specToOpenAPI } from '../../../src/schema/openapi.js';
import { celTypeFromSchemaNode, objectMetaSchema } from '../../../src/schema/resolver.js';
import type { Case, Result } from './oracle.js';
import { decodeValue, encodeValue } from './values.js';

/** The error class of a kro-gen evaluation error, by the same rules as the oracle's. */
export function errorClass(err: unknown): string {
  const e = err as { name?: string; code?: string; message?: string };
  if (e.name !== 'EvaluationError' && e.name !== 'BudgetExceededError') return `crash (${e.name})`;
  const msg = e.message ?? '';
  if (e.code === 'no_such_overload' || e.code === 'no_matching_overload') return 'no_such_overload';
  if (/no such overload|no matching overload/.test(msg)) return 'no_such_overload';
  if (/division by zero|modulus by zero/.test(msg)) return 'division_by_zero';
  if (e.code === 'numeric_overflow' || /overflow|out of range|range error/.test(msg)) return 'overflow';
  if (e.code === 'index_out_of_bounds' || /index out of (bounds|range)/.test(msg))
    return 'index_out_of_bounds';
  if (e.code === 'no_such_key' || /no such key/i.test(msg)) return 'no_such_key';
  return 'other';
}

function schemaOf(c: Case): { type: CelType; openApi: OpenApiSchema } | undefined {
  if (c.schema === undefined) return undefined;
  const built = buildInstanceSchema({ spec: c.schema as never });
  if (built.diagnostics.length > 0) throw new Error(`bad case schema: ${built.diagnostics[0]?.message}`);
  const name = `${TYPE_NAME_PREFIX}schema`;
  const type: CelType = {
    kind: 'object',
    name,
    fields: {
      apiVersion: STRING,
      kind: STRING,
      metadata: celTypeFromSchema(objectMetaSchema(true), `${name}.metadata`),
      spec: celTypeFromSchemaNode(built.schema.spec, `${name}.spec`),
    },
    preserveUnknown: false,
  };
  const openApi: OpenApiSchema = {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: objectMetaSchema(true),
      spec: specToOpenAPI(built.schema) as OpenApiSchema,
    },
  };
  return { type, openApi };
}

/** Evaluates a case in kro-gen's environment. */
export function evaluateKroGen(c: Case): Result {
  const schema = schemaOf(c);
  const names = Object.keys(c.vars ?? {});
  const types = new Map<string, CelType>(names.map((n) => [n, DYN]));
  if (schema) types.set('schema', schema.type);
  const checked = TypeEnv.create(types).check(c.expr);
  if (!checked.ok) return { error: 'compile', message: checked.message };
  const env = createKroEnvironment();
  const vars: Record<string, unknown> = {};
  for (const n of names) {
    env.declare(n);
    vars[n] = decodeValue(c.vars?.[n] as never);
  }
  if (schema) {
    env.declare('schema');
    vars['schema'] = jsonToCelValue(c.instance ?? {}, schema.openApi);
  }
  let value: unknown;
  try {
    const program = env.compile(c.expr);
    if (schema) annotateStaticTypes(program.ast, new Map([['schema', schema.type]]));
    value = program.evaluate(vars);
  } catch (err) {
    return { error: errorClass(err), message: (err as Error).message?.split('\n')[0] ?? String(err) };
  }
  try {
    return { value: encodeValue(value) };
  } catch (err) {
    return { error: 'unencodable', message: String(err) };
  }
}
