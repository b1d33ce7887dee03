// The instance CRD's `x-kubernetes-validations` rules (SimpleSchema `validation=` markers), checked
// as the API server checks them when an instance is created: each rule sees the field's value as
// `self`. Transition rules (those reading `oldSelf`, such as `immutable=true`) only apply to
// updates, so creating an object never fails them; they are skipped.
import { type CompiledExpression, createKroEnvironment, type KroEnvironment } from '../cel/environment.js';
import type { OpenApiSchema } from '../cel/types.js';
import { quoted } from '../diagnostics.js';
import type { JsonValue } from '../rgd/model.js';
import type { SchemaNode } from '../schema/model.js';
import { toOpenAPI } from '../schema/openapi.js';
import { jsonToCel } from './values.js';

export interface RuleProblem {
  /** Dotted path of the field (`db.port`, `items[2]`), `''` for the root. */
  readonly at: string;
  /** The keys and indexes from the root to the field (a key may hold dots). */
  readonly segments: readonly (string | number)[];
  readonly message: string;
}

const environments = new Map<
  boolean,
  { env: KroEnvironment; programs: Map<string, CompiledExpression | string> }
>();

function program(rule: string, omit: boolean): CompiledExpression | string {
  let e = environments.get(omit);
  if (!e) {
    // The API server's rule environment (sets, ...); `kro-gen validate` already refused rules
    // calling anything it lacks (src/graph/validation-rules.ts).
    const env = createKroEnvironment({ omit, crdRules: true });
    env.declare('self');
    e = { env, programs: new Map() };
    environments.set(omit, e);
  }
  let p = e.programs.get(rule);
  if (p === undefined) {
    try {
      p = e.env.compile(rule);
    } catch (err) {
      p = (err as { summary?: string }).summary ?? String(err);
    }
    e.programs.set(rule, p);
  }
  return p;
}

const schemas = new WeakMap<SchemaNode, OpenApiSchema>();

function schemaOf(node: SchemaNode): OpenApiSchema {
  let s = schemas.get(node);
  if (!s) {
    s = toOpenAPI(node) as OpenApiSchema;
    schemas.set(node, s);
  }
  return s;
}

function join(at: string, key: string): string {
  return at === '' ? key : `${at}.${key}`;
}

function isMap(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const ruled = new WeakMap<SchemaNode, boolean>();

/** Whether `n` or a node below it has a rule (most schemas have none: nothing to walk). */
function hasRules(n: SchemaNode): boolean {
  let any = ruled.get(n);
  if (any === undefined) {
    ruled.set(n, true); // while this is worked out: a node met again below says "walk it"
    any =
      n.validations.length > 0 ||
      (n.kind === 'struct' && n.fields.some((f) => hasRules(f.node))) ||
      (n.kind === 'map' && hasRules(n.values)) ||
      (n.kind === 'array' && hasRules(n.items));
    ruled.set(n, any);
  }
  return any;
}

/** Every rule of `node` and the nodes below it that `value` fails. */
export function checkRules(node: SchemaNode, value: JsonValue, opts: { omit?: boolean } = {}): RuleProblem[] {
  const out: RuleProblem[] = [];
  const visit = (n: SchemaNode, v: JsonValue | undefined, at: string, segments: (string | number)[]) => {
    if (v === undefined || v === null || !hasRules(n)) return;
    for (const { rule, message } of n.validations) {
      if (/\boldSelf\b/.test(rule)) continue;
      const p = program(rule, opts.omit ?? false);
      if (typeof p === 'string') {
        out.push({ at, segments, message: `rule ${quoted(rule)} does not compile: ${p}` });
        continue;
      }
      let ok: unknown;
      try {
        ok = p.evaluate({ self: jsonToCel(v, schemaOf(n)) });
      } catch (err) {
        out.push({
          at,
          segments,
          message: `rule ${quoted(rule)} failed: ${(err as { summary?: string }).summary ?? String(err)}`,
        });
        continue;
      }
      if (ok !== true) out.push({ at, segments, message: `${message} (rule ${quoted(rule)})` });
    }
    switch (n.kind) {
      case 'struct':
        if (isMap(v))
          for (const f of n.fields) visit(f.node, v[f.name], join(at, f.name), [...segments, f.name]);
        return;
      case 'map':
        if (isMap(v))
          for (const [k, item] of Object.entries(v)) visit(n.values, item, join(at, k), [...segments, k]);
        return;
      case 'array':
        if (Array.isArray(v)) {
          v.forEach((item, i) => {
            visit(n.items, item, `${at}[${i}]`, [...segments, i]);
          });
        }
        return;
      default:
        return;
    }
  };
  visit(node, value, '', []);
  return out;
}
