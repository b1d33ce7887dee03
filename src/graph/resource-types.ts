// The CEL typing of a resource's expressions: the type environment (every resource's kind, the
// instance, forEach iterators, `each`), the type each template field expects from the kind's
// schema, and the checks kro's builder makes: template values assignable to their field,
// string templates made of strings, forEach returning lists, includeWhen/readyWhen returning bool.
import { checkAssignment, isBoolOrOptionalBool } from '../cel/compat.js';
import { extractExpressions } from '../cel/scanner.js';
import { TypeEnv } from '../cel/typecheck.js';
import { type CelType, DYN, formatCelType, listElementType, type SelectPaths, STRING } from '../cel/types.js';
import { error, excerpt } from '../diagnostics.js';
import type { BuildState } from './build-state.js';
import { EACH } from './identifiers.js';
import type { NodeDraft } from './resource-nodes.js';

/** The type expected at `segments` inside `root`; dyn where the schema says nothing. */
export function expectedTypeAt(root: CelType, segments: readonly (string | number)[]): CelType {
  let cur: CelType = root;
  for (const seg of segments) {
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
 * carried as a template has thousands of strings); the status is scanned string by string. A
 * collection's readyWhen reads the resource as `each`.
 */
export function selectPaths(s: BuildState, nodes: readonly NodeDraft[]): Map<string, string[][]> {
  const uses = new Map<string, string[][]>();
  const seen = new Set<string>();
  // Texts already added (without `each`): the same text reads the same paths, and most RGDs
  // repeat a few texts (`schema.spec.name`) in many places.
  const texts = new Set<string>();
  const add = (expr: string, each?: string) => {
    if (each === undefined) {
      if (texts.has(expr)) return;
      texts.add(expr);
    }
    for (const ref of s.inspector.inspect(expr).refs) {
      const root = each !== undefined && ref.root === EACH ? each : ref.root;
      const key = [root, ...ref.path].join('\0');
      if (seen.has(key)) continue;
      seen.add(key);
      let paths = uses.get(root);
      if (!paths) {
        paths = [];
        uses.set(root, paths);
      }
      paths.push([...ref.path]);
    }
  };
  const scan = (text: string) => {
    if (!text.includes('${')) return;
    const found = extractExpressions(text);
    if (found.ok) for (const m of found.value) add(m.expr);
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
  for (const n of nodes) {
    for (const v of n.variables) for (const site of v.sites) add(site.text);
    for (const c of n.includeWhen) add(c.site.text);
    for (const d of n.forEach) add(d.site.text);
    for (const c of n.readyWhen) add(c.site.text, n.forEach.length > 0 ? n.r.id : undefined);
  }
  visit(s.rgd.schema.status);
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

  for (const v of n.variables) {
    const expected = expectedTypeAt(n.celType, v.field.segments);
    if (n.resolved) v.expectedType = expected;
    const what = () =>
      `failed to compile template expression "${excerpt(v.field.value)}" at path "${v.field.path}"`;
    const standalone =
      v.field.matches.length === 1 &&
      v.field.matches[0]?.start === 0 &&
      v.field.matches[0]?.end === v.field.value.length;
    v.types = v.sites.map((site) =>
      n.broken.has(site) ? undefined : s.check(templateEnv, site, () => `resource "${id}": ${what()}`),
    );
    if (v.types.some((t) => t === undefined)) continue;
    let output: CelType;
    if (standalone) {
      output = v.types[0] ?? DYN;
    } else {
      // A string template concatenates its parts: each must be a string.
      let ok = true;
      v.types.forEach((t, i) => {
        const site = v.sites[i];
        if (!t || !site || t.kind === 'dyn' || (t.kind === 'primitive' && t.name === 'string')) return;
        ok = false;
        s.report(
          error(
            `resource "${id}": ${what()}: \${${excerpt(site.text)}} returns ${formatCelType(t)}, but every part of a string template must be a string (convert it with string(...))`,
            s.pos(site),
            'graph/type-mismatch',
          ),
        );
      });
      if (!ok) continue;
      output = STRING;
    }
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

// includeWhen and readyWhen entries are checked alike: each must be a bool or optional bool.
function checkConditions(
  s: BuildState,
  env: TypeEnv,
  n: NodeDraft,
  id: string,
  what: 'includeWhen' | 'readyWhen',
  conditions: NodeDraft['includeWhen'],
): void {
  for (const c of conditions) {
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
