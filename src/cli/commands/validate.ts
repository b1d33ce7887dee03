// `kro-gen validate`: everything kro checks when an RGD is applied (structure, SimpleSchema, CRD
// generation, the dependency graph, CEL type checking), offline. Kinds resolve from the bundled
// built-in kinds, `--crd` files and the other RGDs given (chained RGDs).
import { dirname } from 'node:path';
import {
  type Diagnostic,
  formatDiagnostic,
  hasErrors,
  type SourcePos,
  sortDiagnostics,
  warning,
} from '../../diagnostics.js';
import { type BuildResult, buildGraph, type GraphContext } from '../../graph/build.js';
import { PREDICTABLE_SECRET, predictableSecretWarnings } from '../../lint/predictable-secret.js';
import type { JsonValue, Rgd } from '../../rgd/model.js';
import { DEFAULT_YAML_LIMITS, parseYamlFile } from '../../rgd/yaml.js';
import { crdChecks } from '../../schema/crd.js';
import { defineCommand } from '../command.js';
import { readInputs } from '../inputs.js';
import { EXIT_INVALID, EXIT_OK, type Io } from '../io.js';
import { progress } from '../output.js';
import { loadInputs, missingRgdErrors } from '../pipeline.js';
import { SUMMARIES } from './summaries.js';

// ---------------------------------------------------------------------------------------------
// CRD files
// ---------------------------------------------------------------------------------------------

export interface CrdDocuments {
  readonly crds: JsonValue[];
  readonly diagnostics: Diagnostic[];
}

function isCrd(v: JsonValue | undefined): boolean {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    v['kind'] === 'CustomResourceDefinition' &&
    typeof v['apiVersion'] === 'string' &&
    v['apiVersion'].startsWith('apiextensions.k8s.io/')
  );
}

/** The CustomResourceDefinition documents in the given files and directories; other documents are skipped. */
/** `--crd`, as every command that resolves kinds from CRD files declares it. */
export const CRD_OPTION = {
  type: 'string',
  multiple: true,
  valueName: 'file|dir',
  description: 'CustomResourceDefinitions of the kinds the RGDs use',
} as const;

export async function readCrdDocuments(args: readonly string[], io: Io): Promise<CrdDocuments> {
  if (args.length === 0) return { crds: [], diagnostics: [] };
  const inputs = await readInputs(args, io);
  const crds: JsonValue[] = [];
  const diagnostics: Diagnostic[] = [...inputs.diagnostics];
  const crdFiles = new Set<string>();
  const badFiles = new Set<string>();
  for (const file of inputs.files) {
    const parsed = parseYamlFile(file, DEFAULT_YAML_LIMITS);
    diagnostics.push(...parsed.diagnostics);
    if (hasErrors(parsed.diagnostics)) badFiles.add(file.path);
    for (const doc of parsed.documents) {
      if (doc.value === undefined || !isCrd(doc.value)) continue;
      crds.push(doc.value);
      crdFiles.add(file.path);
    }
  }
  // Each path that gave none, by name: a path meant for something else must not pass unnoticed.
  for (const input of inputs.args) {
    const paths = input.files.map((f) => f.path);
    if (input.failed || paths.some((p) => crdFiles.has(p) || badFiles.has(p))) continue;
    diagnostics.push(
      warning(`no CustomResourceDefinition found in --crd ${input.arg}`, undefined, 'crd/none'),
    );
  }
  return { crds, diagnostics };
}

// ---------------------------------------------------------------------------------------------
// Graphs of several RGDs, chained kinds resolved between them
// ---------------------------------------------------------------------------------------------

const kindKey = (group: string, version: string, kind: string): string => `${group}/${version}/${kind}`;
const rgdKindKey = (rgd: Rgd): string => kindKey(rgd.schema.group, rgd.schema.apiVersion, rgd.schema.kind);
const where = (p: SourcePos): string => `${p.file}:${p.line}:${p.col}`;

/** Leading directory names two files share: how "near" an RGD is to the one that uses its kind. */
function sharedDirs(a: string, b: string): number {
  const da = dirname(a).split(/[\\/]/);
  const db = dirname(b).split(/[\\/]/);
  let n = 0;
  while (n < da.length && n < db.length && da[n] === db[n]) n++;
  return n;
}

/**
 * When two RGDs define one kind, an RGD using that kind gets the definition nearest to it in the
 * directory tree; `undefined` when two are equally near (then the kind is left untyped).
 */
function nearestDefinition(user: Rgd, candidates: readonly Rgd[]): Rgd | undefined {
  let best: Rgd | undefined;
  let bestScore = -1;
  let tie = false;
  for (const c of candidates) {
    const score = sharedDirs(user.file, c.file);
    if (score > bestScore) {
      best = c;
      bestScore = score;
      tie = false;
    } else if (score === bestScore) tie = true;
  }
  return tie ? undefined : best;
}

/** Two RGDs for one kind: kro refuses the second one's CRD in a cluster that has the first. */
export function duplicateKindWarnings(rgds: readonly Rgd[]): Diagnostic[] {
  const first = new Map<string, Rgd>();
  const out: Diagnostic[] = [];
  for (const rgd of rgds) {
    const key = rgdKindKey(rgd);
    const seen = first.get(key);
    if (!seen) {
      first.set(key, rgd);
      continue;
    }
    out.push(
      warning(
        `kind ${rgd.schema.kind} (${rgd.schema.group}/${rgd.schema.apiVersion}) is also defined by RGD ${seen.name} at ${where(seen.loc.at(['spec', 'schema', 'kind']))}: one cluster can hold only one of them`,
        rgd.loc.at(['spec', 'schema', 'kind']),
        'rgd/duplicate-kind',
      ),
    );
  }
  return out;
}

export interface GraphedRgd {
  readonly rgd: Rgd;
  readonly result: BuildResult;
}

/**
 * buildGraph for each RGD, with the other RGDs as chained kinds and `crds` as known kinds. RGDs that
 * resolve chained kinds the same way share one context, so a chained RGD's status is inferred once.
 */
export function graphRgds(
  rgds: readonly Rgd[],
  crds: readonly JsonValue[] = [],
  io?: Io,
  only?: ReadonlySet<Rgd>,
): GraphedRgd[] {
  const byKind = new Map<string, Rgd[]>();
  for (const rgd of rgds) {
    const list = byKind.get(rgdKindKey(rgd));
    if (list) list.push(rgd);
    else byKind.set(rgdKindKey(rgd), [rgd]);
  }
  const unique = rgds.filter((r) => byKind.get(rgdKindKey(r))?.length === 1);
  const shared = [...byKind.entries()].filter(([, list]) => list.length > 1);

  const contexts = new Map<string, GraphContext>();
  const out: GraphedRgd[] = [];
  const bar = io ? progress(io, 'validate', rgds.length) : undefined;
  for (const rgd of rgds) {
    // `only`: graphs of these RGDs alone (an editor's open file), the others still resolving kinds.
    if (only && !only.has(rgd)) continue;
    bar?.tick(rgd.name);
    const chosen = shared.map(([key, list]) => ({ key, list, pick: nearestDefinition(rgd, list) }));
    const signature = chosen.map((c) => (c.pick ? rgds.indexOf(c.pick) : -1)).join(',');
    let ctx = contexts.get(signature);
    if (!ctx) {
      const picked = chosen.flatMap((c) => (c.pick ? [c.pick] : []));
      ctx = { crds, rgds: [...unique, ...picked] };
      contexts.set(signature, ctx);
    }
    const result = buildGraph(rgd, ctx);
    out.push({
      rgd,
      result: { ...result, diagnostics: explainAmbiguousKinds(rgd, result.diagnostics, chosen) },
    });
  }
  bar?.done();
  return out;
}

/** An equally near pair of definitions leaves the kind unknown; say why instead of "pass its CRD". */
function explainAmbiguousKinds(
  rgd: Rgd,
  diagnostics: Diagnostic[],
  chosen: readonly { key: string; list: readonly Rgd[]; pick: Rgd | undefined }[],
): Diagnostic[] {
  const ambiguous = new Map(chosen.filter((c) => !c.pick).map((c) => [c.key, c.list]));
  if (ambiguous.size === 0) return diagnostics;
  const replaced = new Map<string, Diagnostic>();
  for (const r of rgd.resources) {
    const t = r.template;
    if (!t || typeof t['apiVersion'] !== 'string' || typeof t['kind'] !== 'string') continue;
    const slash = t['apiVersion'].indexOf('/');
    if (slash < 0) continue;
    const key = kindKey(t['apiVersion'].slice(0, slash), t['apiVersion'].slice(slash + 1), t['kind']);
    const list = ambiguous.get(key);
    if (!list) continue;
    const pos = rgd.loc.at(['spec', 'resources', r.index, 'template', 'kind']);
    const defs = list.map((d) => where(d.loc.at(['spec', 'schema', 'kind']))).join(', ');
    replaced.set(
      where(pos),
      warning(
        `kind ${t['kind']} (${t['apiVersion']}) is defined by ${list.length} of the RGDs given (${defs}), none nearer to this file than the others: expressions on resource "${r.id}" are not type-checked`,
        pos,
        'graph/ambiguous-kind',
      ),
    );
  }
  const out = diagnostics.filter(
    (d) => !(d.code === 'graph/unknown-kind' && d.pos && replaced.has(where(d.pos))),
  );
  out.push(...replaced.values());
  return out;
}

/** What validate reports for one graphed RGD: its graph's problems, the lint, the CRD's own checks. */
export function rgdDiagnostics({ rgd, result }: GraphedRgd): Diagnostic[] {
  return [
    ...result.diagnostics,
    ...predictableSecretWarnings(rgd, result.graph),
    // The CRD's own checks (printer columns, plural); its SimpleSchema problems are buildGraph's.
    ...crdChecks(rgd),
  ];
}

// ---------------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------------

/** The same problem found by two stages (the SimpleSchema is read by buildGraph and buildCrd) once. */
export function uniqueDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.severity}\u0000${d.pos ? where(d.pos) : ''}\u0000${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface ValidationSummary {
  readonly files: number;
  readonly rgds: number;
  readonly errors: number;
  readonly warnings: number;
}

/** One entry of `--format json`, documented in docs/cli.md. */
export interface JsonDiagnostic {
  readonly file: string | null;
  readonly line: number | null;
  readonly column: number | null;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly code: string | null;
}

export function toJsonDiagnostic(d: Diagnostic): JsonDiagnostic {
  return {
    file: d.pos?.file ?? null,
    line: d.pos?.line ?? null,
    column: d.pos?.col ?? null,
    severity: d.severity,
    message: d.message,
    code: d.code ?? null,
  };
}

// GitHub workflow commands: `%`, CR and LF escaped in the message; also `:` and `,` in properties.
const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** `::error file=F,line=L,col=C,title=CODE::message`: GitHub Actions shows it on the line. */
export function toGithubAnnotation(d: Diagnostic): string {
  const props: string[] = [];
  if (d.pos) {
    props.push(`file=${escapeProperty(d.pos.file)}`, `line=${d.pos.line}`, `col=${d.pos.col}`);
  }
  if (d.code) props.push(`title=${escapeProperty(d.code)}`);
  return `::${d.severity}${props.length > 0 ? ` ${props.join(',')}` : ''}::${escapeData(d.message)}`;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export function summaryLine(s: ValidationSummary): string {
  return `${plural(s.rgds, 'RGD')}: ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}`;
}

/**
 * The warnings `--allow` can silence, by their code. Errors are never allowed: they are what kro
 * refuses.
 */
export const ALLOWABLE_WARNINGS = [
  PREDICTABLE_SECRET,
  'graph/unknown-kind',
  'graph/ambiguous-kind',
  'rgd/duplicate-kind',
  'crd/none',
] as const;

// ---------------------------------------------------------------------------------------------
// The command
// ---------------------------------------------------------------------------------------------

export const validateCommand = defineCommand({
  name: 'validate',
  summary: SUMMARIES.validate,
  args: '<file|dir>...',
  description: [
    'Check every ResourceGraphDefinition found in the given files and directories (searched',
    'recursively for *.yaml and *.yml; `-` reads stdin) as kro does when one is applied: structure,',
    'SimpleSchema, the generated CRD, the dependency graph and the types of all CEL expressions.',
    'Kinds resolve from the bundled Kubernetes kinds, --crd files and the other RGDs given; a kind',
    'none of them knows is a warning and its expressions are not type-checked.',
    'It also warns about patterns kro accepts but that are unsafe (predictable-secret: a Secret value',
    'from random.seededString/seededInt seeded only by names, labels, spec fields or literals);',
    '--allow RULE silences the warnings of one rule.',
    'Problems go to stdout, sorted by position; a summary line goes to stderr. The exit status is 1',
    'when there is an error (or, with --strict, a warning not allowed), else 0.',
  ].join('\n'),
  options: {
    crd: CRD_OPTION,
    format: {
      type: 'string',
      short: 'f',
      choices: ['text', 'json', 'github'],
      default: 'text',
      description: 'how problems are printed',
    },
    strict: {
      type: 'boolean',
      description: 'fail (exit 1) on warnings too',
    },
    allow: {
      type: 'string',
      multiple: true,
      valueName: 'rule',
      choices: ALLOWABLE_WARNINGS,
      description: `do not report warnings of this rule (their code): ${ALLOWABLE_WARNINGS.join(', ')}`,
    },
  },
  minPositionals: 1,
  async run({ options, positionals, io }) {
    const crdFiles = await readCrdDocuments(options.crd, io);
    const loaded = await loadInputs(positionals, io);
    const diagnostics: Diagnostic[] = [...crdFiles.diagnostics, ...loaded.diagnostics];
    diagnostics.push(...duplicateKindWarnings([...loaded.rgds, ...loaded.invalid]));
    for (const graphed of graphRgds(loaded.rgds, crdFiles.crds, io))
      diagnostics.push(...rgdDiagnostics(graphed));
    const rgdCount = loaded.rgds.length + loaded.invalid.length;
    diagnostics.push(...missingRgdErrors(loaded, { crds: 'pass it with --crd' }));
    const allowed = new Set<string>(options.allow);
    const sorted = sortDiagnostics(
      uniqueDiagnostics(diagnostics).filter(
        (d) => d.severity === 'error' || d.code === undefined || !allowed.has(d.code),
      ),
    );
    const summary: ValidationSummary = {
      files: loaded.files.length,
      rgds: rgdCount,
      errors: sorted.filter((d) => d.severity === 'error').length,
      warnings: sorted.filter((d) => d.severity === 'warning').length,
    };
    if (options.format === 'json') {
      io.stdout(`${JSON.stringify({ diagnostics: sorted.map(toJsonDiagnostic), summary }, null, 2)}\n`);
    } else if (sorted.length > 0) {
      const line = options.format === 'github' ? toGithubAnnotation : formatDiagnostic;
      io.stdout(`${sorted.map(line).join('\n')}\n`);
    }
    io.stderr(`${summaryLine(summary)}\n`);
    const failed = summary.errors > 0 || (options.strict && summary.warnings > 0);
    return failed ? EXIT_INVALID : EXIT_OK;
  },
});
