// The CEL typing of a resource's expressions: the type environment (every resource's kind, the
// instance, forEach iterators, `each`), the type each template field expects from the kind's
// schema, and the checks kro's builder makes: template values assignable to their field,
// string templates made of strings, forEach returning lists, includeWhen/readyWhen returning bool.
import { checkAssignment, isBoolOrOptionalBool } from '../cel/compat.js';
import { type ExpressionMatch, extractExpressions } from '../cel/scanner.js';
import { TypeEnv } from '../cel/typecheck.js';
import {
  type CelType,
  celTypeFromSchema,
  DYN,
  formatCelType,
  listElementType,
  type OpenApiSchema,
  type SelectPaths,
  STRING,
  TYPE_NAME_PREFIX,
} from '../cel/types.js';
import { error, excerpt } from '../diagnostics.js';
import type { BuildState, Site } from './build-state.js';
import { EACH } from './identifiers.js';
import type { StatusDraft } from './instance-status.js';
import type { MutableVariable, NodeDraft } from './resource-nodes.js';
import { fieldValue, isStandalone } from './template-fields.js';

/** The type expected at `segments` inside `root`; dyn where the schema says nothing. */
export function expectedTypeAt(root: CelType, segments: readonly (string | number)[]): CelType {
  let cur: CelType = root;
  // Indexed: cold code (docs/architecture.md).
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as string | number;
    if (typeof seg === 'number') {
      if (cur.kind !== 'list') return DYN;
      cur = cur.elem;
      continue;
    }
    // kro looks a name up in properties, then additionalProperties, then list items.
    while (cur.kind === 'list') cur = cur.elem;
    if (cur.kind === 'object') {
      const f = cur.fields[seg];
      if (f === undefined) return DYN;
      cur = f;
    } else if (cur.kind === 'map') {
      cur = cur.value;
    } else {
      return DYN;
    }
  }
  return cur;
}

/**
 * The type a template field of `n` expects (expectedTypeAt on the kind's type). A kind typed from
 * its OpenAPI schema (kindCelType: every kind but a chained RGD's) is walked in its schema instead,
 * and only the field's own type is made: an object type works out all of its fields at once, so
 * going through the kind's types made every sibling's type along each path (a Pod's spec alone
 * has some forty), most of the cost of checking a template of a built-in kind. The same types
 * come out (celTypeFromSchema names a field's type after the path to it); where the path leaves
 * the plain shapes the walk knows, it goes through the types after all.
 */
export function expectedFieldType(n: NodeDraft, segments: readonly (string | number)[]): CelType {
  const schema = n.resolved?.schema;
  if (schema !== undefined && segments.length > 0 && n.celType.kind !== 'dyn') {
    const t = expectedFromSchema(schema, `${TYPE_NAME_PREFIX}${n.r.id}`, segments);
    if (t !== undefined) return t;
  }
  return expectedTypeAt(n.celType, segments);
}

// A schema celTypeFromSchema converts without reshaping it: no allOf to flatten, no int-or-string
// or embedded resource, one type name. Arrays must have one items schema.
function isPlainSchema(s: OpenApiSchema): boolean {
  return (
    typeof s === 'object' &&
    s !== null &&
    s.allOf === undefined &&
    typeof s.type === 'string' &&
    s['x-kubernetes-int-or-string'] !== true &&
    s['x-kubernetes-embedded-resource'] !== true &&
    (s.type !== 'array' || (typeof s.items === 'object' && s.items !== null && !Array.isArray(s.items)))
  );
}

// expectedTypeAt's walk over the schema celTypeFromSchema(schema, name) converts; undefined where
// the schema is not plain or does not declare a key (then the types decide).
function expectedFromSchema(
  schema: OpenApiSchema,
  name: string,
  segments: readonly (string | number)[],
): CelType | undefined {
  let s = schema;
  let at = name;
  // Indexed: cold code (docs/architecture.md).
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as string | number;
    if (!isPlainSchema(s)) return undefined;
    if (typeof seg === 'number') {
      if (s.type !== 'array') return undefined;
      s = s.items as OpenApiSchema;
      at = `${at}.@idx`;
      continue;
    }
    // A name is looked up in a list's items (expectedTypeAt).
    while (s.type === 'array') {
      s = s.items as OpenApiSchema;
      at = `${at}.@idx`;
      if (!isPlainSchema(s)) return undefined;
    }
    if (s.type !== 'object') return undefined;
    const ap = s.additionalProperties;
    if (ap && typeof ap === 'object') {
      // A map: every key reads its values' schema.
      s = ap as OpenApiSchema;
      at = `${at}.@elem`;
      continue;
    }
    const props = s.properties;
    if (props === undefined || !Object.hasOwn(props, seg)) return undefined;
    s = props[seg] as OpenApiSchema;
    at = `${at}.${seg}`;
  }
  return celTypeFromSchema(s, at);
}

/** The type environment of the graph's variables, declaring only the parts `uses` selects. */
export function typeEnv(
  s: BuildState,
  vars: Map<string, CelType>,
  uses: ReadonlyMap<string, SelectPaths>,
): TypeEnv {
  try {
    return TypeEnv.create(vars, { omit: s.ctx.omit ?? false, uses });
  } catch {
    // A schema the library cannot declare: fall back to untyped variables rather than fail.
    return TypeEnv.create(new Map([...vars.keys()].map((k) => [k, DYN])), {
      omit: s.ctx.omit ?? false,
    });
  }
}

/**
 * What every expression of the RGD selects from each variable, so the type environment declares
 * only those parts of the kinds' schemas (TypeEnvOptions.uses). The resources' expressions are the
 * sites their drafts found (walking the templates again would cost as much as drafting them: a CRD
 * carried as a template has thousands of strings), and so are the status fields (its draft's); the
 * status conditions are scanned string by string. A collection's readyWhen reads the resource as
 * `each`.
 */
export function selectPaths(
  s: BuildState,
  nodes: readonly NodeDraft[],
  status: StatusDraft | undefined,
): Map<string, (readonly string[])[]> {
  const uses = new Map<string, (readonly string[])[]>();
  const seen = new Set<string>();
  // Texts already added (without `each`): the same text reads the same paths, and most RGDs
  // repeat a few texts (`schema.spec.name`) in many places.
  const texts = new Set<string>();
  // The loops here are indexed: cold code (docs/architecture.md).
  const add = (expr: string, each?: string) => {
    if (each === undefined) {
      if (texts.has(expr)) return;
      texts.add(expr);
    }
    const refs = s.inspector.inspect(expr).refs;
    for (let i = 0; i < refs.length; i++) {
      const ref = refs[i] as (typeof refs)[number];
      const root = each !== undefined && ref.root === EACH ? each : ref.root;
      const key = ref.path.length === 0 ? root : `${root}\0${ref.path.join('\0')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      let paths = uses.get(root);
      if (!paths) {
        paths = [];
        uses.set(root, paths);
      }
      // The inspection's own list: nobody changes it.
      paths.push(ref.path);
    }
  };
  const scan = (text: string) => {
    if (!text.includes('${')) return;
    const found = extractExpressions(text);
    if (found.ok) for (let i = 0; i < found.value.length; i++) add((found.value[i] as ExpressionMatch).expr);
  };
  const visit = (value: unknown): void => {
    if (typeof value === 'string') scan(value);
    else if (Array.isArray(value)) for (const v of value) visit(v);
    else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) {
        scan(k);
        visit(v);
      }
    }
  };
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i] as NodeDraft;
    for (let j = 0; j < n.variables.length; j++) {
      const sites = (n.variables[j] as MutableVariable).sites;
      for (let k = 0; k < sites.length; k++) add((sites[k] as Site).text);
    }
    for (let j = 0; j < n.includeWhen.length; j++) add((n.includeWhen[j] as { site: Site }).site.text);
    for (let j = 0; j < n.forEach.length; j++) add((n.forEach[j] as { site: Site }).site.text);
    const each = n.forEach.length > 0 ? n.r.id : undefined;
    for (let j = 0; j < n.readyWhen.length; j++) add((n.readyWhen[j] as { site: Site }).site.text, each);
  }
  if (status === undefined) visit(s.rgd.schema.status);
  else {
    for (let i = 0; i < status.fields.length; i++) {
      const matches = (status.fields[i] as StatusDraft['fields'][number]).matches;
      for (let j = 0; j < matches.length; j++) add((matches[j] as ExpressionMatch).expr);
    }
    if (Object.hasOwn(status.raw, 'conditions')) visit(status.raw.conditions);
  }
  return uses;
}

/** Type-checks every expression of `n`, recording the types on the draft. */
export function checkNode(s: BuildState, n: NodeDraft, env: TypeEnv): void {
  const id = n.r.id;
  let templateEnv = env;
  if (n.forEach.length > 0) {
    const iteratorTypes = new Map<string, CelType>();
    for (const dim of n.forEach) {
      let elem: CelType = DYN;
      if (!n.broken.has(dim.site)) {
        const t = s.check(env, dim.site, `node "${id}": forEach iterator "${dim.name}"`);
        if (t) {
          dim.type = t;
          const e = listElementType(t);
          if (e === undefined) {
            s.report(
              error(
                `node "${id}": forEach iterator "${dim.name}" must return a list, got "${formatCelType(t)}"`,
                s.pos(dim.site),
                'graph/type-mismatch',
              ),
            );
          } else elem = e;
        }
      }
      dim.elementType = elem;
      iteratorTypes.set(dim.name, elem);
    }
    templateEnv = extendEnv(env, iteratorTypes);
  }

  // Indexed loops, and messages made only for a failure: most checks pass, and this runs per
  // field as cold code (docs/architecture.md).
  for (let vi = 0; vi < n.variables.length; vi++) {
    const v = n.variables[vi] as MutableVariable;
    const types: (CelType | undefined)[] = [];
    let unchecked = false;
    for (let j = 0; j < v.sites.length; j++) {
      const site = v.sites[j] as Site;
      let t: CelType | undefined;
      if (!n.broken.has(site)) {
        const r = s.checked(templateEnv, site);
        if (r.ok) t = r.type;
        else s.reportCheck(r, site, `resource "${id}": ${templateWhat(v)}`);
      }
      if (t === undefined) unchecked = true;
      types.push(t);
    }
    v.types = types;
    if (unchecked) continue;
    let output: CelType;
    if (isStandalone(v.field)) {
      output = types[0] ?? DYN;
    } else {
      // A string template concatenates its parts: each must be a string.
      let ok = true;
      for (let i = 0; i < types.length; i++) {
        const t = types[i] as CelType;
        const site = v.sites[i] as Site;
        if (t.kind === 'dyn' || (t.kind === 'primitive' && t.name === 'string')) continue;
        ok = false;
        s.report(
          error(
            `resource "${id}": ${templateWhat(v)}: \${${excerpt(site.text)}} returns ${formatCelType(t)}, but every part of a string template must be a string (convert it with string(...))`,
            s.pos(site),
            'graph/type-mismatch',
          ),
        );
      }
      if (!ok) continue;
      output = STRING;
    }
    // A dyn value may go anywhere (checkAssignment): the expected type, a walk of the kind's
    // schema, is worked out only for a check that reads it (the graph's records work it out when
    // read, finishNode).
    if (output.kind === 'dyn') continue;
    const expected = expectedFieldType(n, v.field.segments);
    if (n.resolved) v.expectedType = expected;
    const compat = checkAssignment(output, expected);
    if (!compat.ok) {
      const site = v.sites[0];
      s.report(
        error(
          `type mismatch in resource "${id}" at path "${v.field.path}": expression "${excerpt(v.field.expression)}" returns type "${formatCelType(output)}" but expected "${formatCelType(expected)}": ${compat.reason}`,
          site ? s.pos(site) : s.rgd.loc.at(n.base),
          'graph/type-mismatch',
        ),
      );
    }
  }

  checkConditions(s, env, n, id, 'includeWhen', n.includeWhen);
  if (n.readyWhen.length > 0) {
    const readyEnv = n.type === 'collection' ? extendEnv(env, new Map([[EACH, n.celType]])) : env;
    checkConditions(s, readyEnv, n, id, 'readyWhen', n.readyWhen);
  }
}

function templateWhat(v: MutableVariable): string {
  return `failed to compile template expression "${excerpt(fieldValue(v.field))}" at path "${v.field.path}"`;
}

// includeWhen and readyWhen entries are checked alike: each must be a bool or optional bool.
function checkConditions(
  s: BuildState,
  env: TypeEnv,
  n: NodeDraft,
  id: string,
  what: 'includeWhen' | 'readyWhen',
  conditions: NodeDraft['includeWhen'],
): void {
  // Indexed: cold code (see checkNode).
  for (let i = 0; i < conditions.length; i++) {
    const c = conditions[i] as NodeDraft['includeWhen'][number];
    if (n.broken.has(c.site)) continue;
    const t = s.check(
      env,
      c.site,
      () => `failed to type-check ${what} expression "${excerpt(c.site.text)}" in resource "${id}"`,
    );
    if (!t) continue;
    c.type = t;
    if (!isBoolOrOptionalBool(t)) {
      s.report(
        error(
          `${what} expression "${excerpt(c.site.text)}" in resource "${id}" must return bool or optional_type(bool), but returns "${formatCelType(t)}"`,
          s.pos(c.site),
          'graph/type-mismatch',
        ),
      );
    }
  }
}

function extendEnv(env: TypeEnv, vars: Map<string, CelType>): TypeEnv {
  try {
    return env.extend(vars);
  } catch {
    return env.extend(new Map([...vars.keys()].map((k) => [k, DYN])));
  }
}
