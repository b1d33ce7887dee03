// The instance's status: its fields' expressions (which must read a resource or the schema), the
// status.conditions entries (runtime.newCondition(...), typed with kro's runtime library), the
// resources the status depends on, and the status schema inferred from the fields' CEL types.
import { kroRuntimeLibrary } from '../cel/lib/kro-runtime.js';
import { unwrapExpression } from '../cel/scanner.js';
import { parseSchemalessResource, type SchemalessWalk } from '../cel/template.js';
import type { TypeEnv } from '../cel/typecheck.js';
import { type CelType, formatCelType, STRING } from '../cel/types.js';
import { error, excerpt, warning } from '../diagnostics.js';
import type { DocPath, JsonObject, JsonValue } from '../rgd/model.js';
import { inferStatusSchema, type StatusField } from '../schema/status.js';
import { type BuildState, definePos, type Site } from './build-state.js';
import {
  type ExtractedConditions,
  extractConditionExpressions,
  validateConditionEntries,
} from './conditions.js';
import { RUNTIME, SCHEMA } from './identifiers.js';
import type { FieldVariable, GraphCondition } from './model.js';
import { fieldValue, isStandalone, part, type RawField } from './template-fields.js';

function isMap(v: JsonValue | undefined | null): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The instance status before anything is inspected or typed: its conditions entries and the fields
 * the walk of the rest found. Worked out before the type environment, whose declarations follow
 * what the status reads too (selectPaths), and typed after it (buildStatus): one walk for both.
 * Reports nothing: buildStatus reports in its turn, so the diagnostics keep their order.
 */
export interface StatusDraft {
  readonly raw: JsonObject;
  readonly extracted: ExtractedConditions;
  readonly walk: SchemalessWalk;
  readonly fields: readonly RawField[];
}

/** The status draft, or undefined when `schema.status` is not a map (it has no fields then). */
export function draftStatus(s: BuildState): StatusDraft | undefined {
  const raw = s.rgd.schema.status;
  if (!isMap(raw)) return undefined;
  const extracted = extractConditionExpressions(raw);
  let rest: JsonObject;
  if (extracted.ok) rest = extracted.rest;
  else {
    const { conditions: _dropped, ...others } = raw;
    rest = others;
  }
  const walk = parseSchemalessResource(rest);
  return { raw, extracted, walk, fields: walk.expressions };
}

/** The instance status of the graph, typed in `env`. */
export function buildStatus(
  s: BuildState,
  env: TypeEnv,
  draft: StatusDraft | undefined,
): {
  /** The status fields' records, made when called (the graph makes them when first read). */
  variables: () => FieldVariable[];
  conditions: GraphCondition[];
  dependencies: string[];
  schema: JsonObject;
} {
  const base: DocPath = ['spec', 'schema', 'status'];
  // What each field's record is made of, kept for `variables`: `generate` reads no record.
  const checked: { field: RawField; sites: Site[]; types: (CelType | undefined)[]; refs: string[] }[] = [];
  const out = {
    variables: (): FieldVariable[] =>
      checked.map((c) => statusVariable(s, c.field, c.sites, c.types, c.refs)),
    conditions: [] as GraphCondition[],
    dependencies: [] as string[],
    schema: {} as JsonObject,
  };
  if (draft === undefined) {
    out.schema = inferStatusSchema([]);
    return out;
  }
  const addDep = (d: string) => {
    if (!out.dependencies.includes(d)) out.dependencies.push(d);
  };
  const { extracted, walk, fields } = draft;
  if (!extracted.ok) {
    const at: DocPath = [...base, 'conditions', ...(extracted.index !== undefined ? [extracted.index] : [])];
    s.report(
      error(`failed to extract conditions block: ${extracted.message}`, s.rgd.loc.at(at), 'graph/condition'),
    );
  } else if (extracted.conditions) {
    out.conditions = buildConditions(
      s,
      extracted.conditions,
      [...base, 'conditions'],
      env.withLibrary(kroRuntimeLibrary, { omit: s.ctx.omit ?? false }),
      addDep,
    );
  }

  // Indexed loops and concat, not spreads: cold code (docs/architecture.md).
  for (let i = 0; i < walk.errors.length; i++) {
    const p = walk.errors[i] as (typeof walk.errors)[number];
    const docPath = base.concat(p.segments);
    s.report(
      error(
        `failed to extract CEL expressions from status: ${p.message}`,
        p.offset !== undefined ? s.rgd.loc.inString(docPath, p.offset) : s.rgd.loc.at(docPath),
        'graph/status',
      ),
    );
  }
  if (walk.plainFields.length > 0) {
    s.report(
      error(
        `status fields without expressions are not supported: [${walk.plainFields.map((p) => p.path).join(' ')}]`,
        s.rgd.loc.at([...base, ...(walk.plainFields[0]?.segments ?? [])]),
        'graph/status',
      ),
    );
  }

  const statusFields: StatusField[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as RawField;
    const docPath = base.concat(field.segments);
    const sites: Site[] = [];
    for (let j = 0; j < field.matches.length; j++) {
      const m = field.matches[j] as (typeof field.matches)[number];
      sites.push({ text: m.expr, docPath, innerStart: m.innerStart, dollar: m.start });
    }
    const broken = new Set<Site>();
    const refs: string[] = [];
    const who = `status field "${field.path}"`;
    for (let j = 0; j < sites.length; j++) {
      const site = sites[j] as Site;
      const ins = s.inspect(site, 'status', who, broken);
      if (!ins) continue;
      const insRefs = ins.refs;
      for (let k = 0; k < insRefs.length; k++) {
        const ref = insRefs[k] as (typeof insRefs)[number];
        if (!refs.includes(ref.root)) refs.push(ref.root);
        if (ref.root === SCHEMA) continue;
        if (s.ids.has(ref.root)) addDep(ref.root);
        else
          s.unknown(
            site,
            ref.root,
            ref.start,
            `${who} expression "${excerpt(site.text)}"`,
            [...s.ids, SCHEMA],
            broken,
          );
      }
    }
    if (broken.size === 0 && refs.length === 0) {
      s.report(
        error(
          `failed to create instance node: instance status field must refer to a resource or schema: status.${field.path}`,
          sites[0] ? s.pos(sites[0]) : undefined,
          'graph/status',
        ),
      );
    }
    const standalone = isStandalone(field);
    const what = () =>
      `failed to type-check status expression "${excerpt(fieldValue(field))}" at path "${field.path}"`;
    const types: (CelType | undefined)[] = [];
    let all = true;
    for (let j = 0; j < sites.length; j++) {
      const site = sites[j] as Site;
      const t = broken.has(site) ? undefined : s.check(env, site, what);
      if (t === undefined) all = false;
      types.push(t);
    }
    let type: CelType | undefined;
    if (all) {
      if (standalone) type = types[0];
      else {
        type = STRING;
        types.forEach((t, i) => {
          const site = sites[i];
          if (!t || !site || t.kind === 'dyn' || (t.kind === 'primitive' && t.name === 'string')) return;
          type = undefined;
          s.report(
            error(
              `${what()}: \${${excerpt(site.text)}} returns ${formatCelType(t)}, but every part of a string template must be a string (convert it with string(...))`,
              s.pos(site),
              'graph/type-mismatch',
            ),
          );
        });
      }
    }
    if (type) statusFields.push({ path: field.segments, type });
    if (type && holdsUint(type) && sites[0]) {
      s.report(
        warning(
          `${who} holds a uint (${formatCelType(type)}): kro's reconcile cannot copy it into the instance status (cannot deep copy uint64) and the instance never gets its status; convert it, e.g. int(...)`,
          s.pos(sites[0]),
          'graph/status-uint',
        ),
      );
    }
    checked.push({ field, sites, types, refs });
  }
  out.schema = inferStatusSchema(statusFields);
  return out;
}

function statusVariable(
  s: BuildState,
  field: RawField,
  sites: readonly Site[],
  types: readonly (CelType | undefined)[],
  refs: string[],
): FieldVariable {
  const variable: FieldVariable = {
    path: field.path,
    segments: field.segments,
    expression: field.expression,
    standalone: isStandalone(field),
    parts: field.matches.map((m, i) => part(m, sites[i], types[i], s.rgd)),
    kind: 'dynamic',
    references: refs,
  };
  const first = sites[0];
  // Worked out when read, as the resources' positions are (definePos).
  return first ? definePos(variable, () => s.pos(first, -2)) : variable;
}

function buildConditions(
  s: BuildState,
  raw: readonly string[],
  at: DocPath,
  env: TypeEnv,
  addDep: (d: string) => void,
): GraphCondition[] {
  const entries: { site: Site; index: number }[] = [];
  raw.forEach((entry, i) => {
    const u = unwrapExpression(entry);
    if (!u.ok) {
      s.report(
        error(
          `invalid conditions block: ${u.error.message}`,
          s.rgd.loc.inString([...at, i], u.error.offset),
          'graph/condition',
        ),
      );
      return;
    }
    entries.push({
      site: {
        text: u.value.expr,
        docPath: [...at, i],
        innerStart: u.value.innerStart,
        dollar: u.value.start,
      },
      index: i,
    });
  });
  // Inspected first (as below, cached) so that the trees are the inspections' spares.
  for (const e of entries) s.inspector.inspect(e.site.text);
  for (const p of validateConditionEntries(
    entries.map((e) => s.inspector.parse(e.site.text)),
    entries.map((e) => e.site.text),
  )) {
    const e = entries[p.index];
    if (e) s.report(error(p.message, s.pos(e.site), 'graph/condition'));
  }
  const out: GraphCondition[] = [];
  const known = [...s.ids, SCHEMA, RUNTIME];
  entries.forEach((e) => {
    const broken = new Set<Site>();
    const who = `condition "${excerpt(e.site.text)}"`;
    const ins = s.inspect(e.site, 'condition', who, broken);
    const refs: string[] = [];
    for (const ref of ins?.refs ?? []) {
      if (!refs.includes(ref.root)) refs.push(ref.root);
      if (ref.root === SCHEMA || ref.root === RUNTIME) continue;
      if (s.ids.has(ref.root)) addDep(ref.root);
      else s.unknown(e.site, ref.root, ref.start, who, known, broken);
    }
    // Without the runtime library (older environments) the entries cannot be typed.
    if (ins && broken.size === 0 && (env.kro.isDeclared(RUNTIME) || !refs.includes(RUNTIME))) {
      const t = s.check(env, e.site, () => `failed to type-check condition "${excerpt(e.site.text)}"`);
      if (t && !isConditionResult(t)) {
        s.report(
          error(
            `condition "${excerpt(e.site.text)}": condition expressions must return runtime.newCondition(...) or a list of them, got "${formatCelType(t)}"`,
            s.pos(e.site),
            'graph/condition',
          ),
        );
      }
    }
    out.push(definePos({ expression: e.site.text, references: refs }, () => s.pos(e.site, -2)));
  });
  return out;
}

// Whether values of type `t` can be uint (kro writes them as Go uint64).
function holdsUint(t: CelType): boolean {
  switch (t.kind) {
    case 'primitive':
      return t.name === 'uint';
    case 'list':
      return holdsUint(t.elem);
    case 'map':
      return holdsUint(t.value);
    case 'optional':
      return holdsUint(t.inner);
    default:
      return false;
  }
}

function isConditionResult(t: CelType): boolean {
  const one = (x: CelType) =>
    x.kind === 'dyn' || x.kind === 'opaque' || x.kind === 'object' || x.kind === 'map';
  return one(t) || (t.kind === 'list' && one(t.elem));
}
