// Structural validation of one RGD document: the RGD CRD's schema (shape.ts) plus the rules kro's
// graph builder applies before it needs any resource schema (pkg/graph/validation.go, builder.go).
// kro stops at the first problem; this reports every problem, each at the key or value at fault.
import { unwrapExpression } from '../cel/scanner.js';
import { type Diagnostic, error } from '../diagnostics.js';
import type { DocPath, JsonValue, Locator, Rgd, RgdResource } from './model.js';
import {
  DEFAULT_MAX_FOREACH_DIMENSIONS,
  objectNameProblem,
  qualifiedNameProblem,
  SCHEMA_KIND_PATTERN,
} from './names.js';
import {
  clusterScopedWithNamespaceProblem,
  duplicateResourceIdProblem,
  forEachDimensionCountProblem,
  forEachIteratorProblem,
  groupVersionProblem,
  kindNameProblem,
  kroOwnedAnnotationProblem,
  kroOwnedLabelProblem,
  kroOwnedPrefix,
  NAMING_CONVENTION_VIOLATION,
  namespaceRequiredProblem,
  resourceIdProblem,
  templateKindProblem,
  validateCombinableResourceFields,
  validateKubernetesObjectStructure,
} from './rules.js';
import { checkShape, RGD_SHAPE } from './shape.js';

export type ResourceScope = 'Namespaced' | 'Cluster';

export interface ValidateOptions {
  /** kro's `MaxCollectionDimensionSize`; defaults to kro's 10. */
  readonly maxForEachDimensions?: number;
}

type JsonMap = { [key: string]: JsonValue };

function isMap(v: JsonValue | undefined): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function present(v: JsonValue | undefined): v is Exclude<JsonValue, null> {
  return v !== undefined && v !== null;
}

/** Validate a loaded RGD. */
export function validateRgd(rgd: Rgd, opts: ValidateOptions = {}): Diagnostic[] {
  return validateRgdDocument(rgd.raw, rgd.loc, opts);
}

/** Collects diagnostics, positioned at a path's key or value, or inside a string value. */
class Reporter {
  readonly #loc: Locator;
  readonly #out: Diagnostic[];
  constructor(loc: Locator, out: Diagnostic[]) {
    this.#loc = loc;
    this.#out = out;
  }
  at(message: string, path: DocPath, part: 'key' | 'value', code: string): void {
    this.#out.push(error(message, this.#loc.at(path, part), code));
  }
  inString(message: string, path: DocPath, offset: number, code: string): void {
    this.#out.push(error(message, this.#loc.inString(path, offset), code));
  }
  /** A scanner problem: inside the string when it has an offset, else at the value. */
  expression(prefix: string, problem: ExpressionProblem, path: DocPath, code: string): void {
    if (problem.offset === undefined) this.at(prefix + problem.message, path, 'value', code);
    else this.inString(prefix + problem.message, path, problem.offset, code);
  }
}

interface ExpressionProblem {
  readonly message: string;
  readonly offset?: number;
}

/** Validate an RGD document given as JSON plus where its nodes sit in the source. */
export function validateRgdDocument(raw: JsonValue, loc: Locator, opts: ValidateOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  checkShape(raw, RGD_SHAPE, [], loc, out);
  if (!isMap(raw)) return out;
  const report = new Reporter(loc, out);

  const metadata = raw['metadata'];
  if (isMap(metadata) && typeof metadata['name'] === 'string') {
    const problem = objectNameProblem(metadata['name']);
    if (problem)
      report.at(
        `invalid RGD name "${metadata['name']}": ${problem}`,
        ['metadata', 'name'],
        'value',
        'rgd/name',
      );
  } else if (isMap(metadata) && !present(metadata['name'])) {
    report.at('missing required field "name" in metadata', ['metadata'], 'key', 'rgd/required');
  }

  const spec = raw['spec'];
  if (!isMap(spec)) return out;
  const schema = spec['schema'];
  if (isMap(schema)) {
    const kind = schema['kind'];
    if (typeof kind === 'string') {
      const problem =
        kindNameProblem(kind) ??
        (SCHEMA_KIND_PATTERN.test(kind)
          ? undefined
          : `spec.schema.kind "${kind}" is longer than 63 characters`);
      if (problem) report.at(problem, ['spec', 'schema', 'kind'], 'value', 'rgd/kind-name');
    }
    const group = schema['group'];
    if (typeof group === 'string') {
      const problem = groupProblem(group);
      if (problem) report.at(problem, ['spec', 'schema', 'group'], 'value', 'rgd/group');
    }
  }

  const resources = Array.isArray(spec['resources']) ? spec['resources'] : [];
  validateResources(resources, opts, report);
  return out;
}

/** The CRD group must be a DNS subdomain with a dot, or the API server refuses the generated CRD. */
function groupProblem(group: string): string | undefined {
  if (group === '') return 'spec.schema.group must not be empty (omit it to get the default kro.run)';
  const problem = objectNameProblem(group);
  if (problem) return `invalid group "${group}": ${problem}`;
  if (!group.includes('.')) return `invalid group "${group}": must be a domain with at least one dot`;
  return undefined;
}

function validateResources(resources: readonly JsonValue[], opts: ValidateOptions, report: Reporter): void {
  const maxDims = opts.maxForEachDimensions ?? DEFAULT_MAX_FOREACH_DIMENSIONS;
  const ids = new Set<string>();
  // Indexed loops here: cold code (docs/architecture.md).
  for (let i = 0; i < resources.length; i++) {
    const r = resources[i];
    if (isMap(r) && typeof r['id'] === 'string') ids.add(r['id']);
  }
  const seen = new Set<string>();
  // Plain loops, not forEach with a closure per resource and per list: this runs for every
  // resource of every RGD, mostly in V8's interpreter.
  for (let i = 0; i < resources.length; i++) {
    const r = resources[i];
    if (!isMap(r)) continue;
    const base: DocPath = ['spec', 'resources', i];
    const rawId = r['id'];
    const id = typeof rawId === 'string' ? rawId : `#${i}`;
    if (typeof rawId === 'string') {
      const problem = resourceIdProblem(rawId);
      if (problem)
        report.at(`${NAMING_CONVENTION_VIOLATION}: ${problem}`, [...base, 'id'], 'value', 'rgd/resource-id');
      else if (seen.has(rawId)) {
        report.at(
          `${NAMING_CONVENTION_VIOLATION}: ${duplicateResourceIdProblem(rawId)}`,
          [...base, 'id'],
          'value',
          'rgd/duplicate-id',
        );
      }
      seen.add(rawId);
    }

    const forEach = Array.isArray(r['forEach']) ? r['forEach'] : [];
    if (forEach.length > 0) validateForEach(id, forEach, ids, maxDims, [...base, 'forEach'], report);

    const template = r['template'];
    const externalRef = r['externalRef'];
    const combination = validateCombinableResourceFields(
      id,
      present(template),
      present(externalRef),
      forEach.length,
    );
    if (combination) {
      const at: DocPath = present(externalRef) ? [...base, 'externalRef'] : base;
      report.at(`invalid combination of resource fields: ${combination}`, at, 'key', 'rgd/resource-fields');
    }
    if (isMap(template)) validateTemplate(id, template, [...base, 'template'], report);
    if (isMap(externalRef)) validateExternalRef(id, externalRef, [...base, 'externalRef'], report);

    for (let f = 0; f < CONDITION_FIELDS.length; f++) {
      const field = CONDITION_FIELDS[f] as (typeof CONDITION_FIELDS)[number];
      const entries = r[field];
      if (!Array.isArray(entries)) continue;
      for (let j = 0; j < entries.length; j++) {
        const entry = entries[j];
        if (typeof entry !== 'string') continue;
        const problem = standaloneProblem(entry);
        if (problem) {
          report.expression(
            `resource "${id}": failed to parse ${field} expressions: `,
            problem,
            [...base, field, j],
            `rgd/${field}`,
          );
        }
      }
    }
  }
}

const CONDITION_FIELDS = ['readyWhen', 'includeWhen'] as const;

/** Why a readyWhen/includeWhen/forEach entry is not exactly one `${...}`, with kro's wording. */
function standaloneProblem(entry: string): ExpressionProblem | undefined {
  const r = unwrapExpression(entry);
  if (r.ok) return undefined;
  if (r.error.code === 'nested-expression') return { message: r.error.message, offset: r.error.offset };
  // A YAML `|` block keeps its final newline, which makes the entry not standalone.
  const hint =
    entry.endsWith('\n') && unwrapExpression(entry.trimEnd()).ok
      ? ' (the value ends with a newline: use a `|-` block scalar or a plain string)'
      : // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal kro syntax, shown to the user
        ' (each entry must be exactly one ${...})';
  return { message: r.error.message + hint };
}

function validateForEach(
  id: string,
  forEach: readonly JsonValue[],
  ids: ReadonlySet<string>,
  maxDims: number,
  path: DocPath,
  report: Reporter,
): void {
  const tooMany = forEachDimensionCountProblem(id, forEach.length, maxDims);
  if (tooMany) report.at(tooMany, path, 'key', 'rgd/foreach-dimensions');
  const seen = new Set<string>();
  forEach.forEach((dimension, i) => {
    if (!isMap(dimension)) return;
    for (const [name, expression] of Object.entries(dimension)) {
      const problem = forEachIteratorProblem(id, name, ids, seen);
      if (problem) report.at(problem, [...path, i, name], 'key', 'rgd/foreach-iterator');
      seen.add(name);
      if (typeof expression === 'string') {
        const notStandalone = standaloneProblem(expression);
        if (notStandalone) {
          report.expression(
            `resource "${id}": invalid forEach expression for dimension "${name}": `,
            notStandalone,
            [...path, i, name],
            'rgd/foreach-expression',
          );
        }
      }
    }
  });
}

function validateTemplate(id: string, template: JsonMap, path: DocPath, report: Reporter): void {
  const structure = validateKubernetesObjectStructure(template);
  if (structure) {
    const field = structure.split(' ')[0]!;
    const missing = structure.endsWith('not found');
    report.at(
      `resource ${id} is not a valid Kubernetes object: ${structure}`,
      missing ? path : [...path, field],
      missing ? 'key' : 'value',
      'rgd/template-structure',
    );
  }
  const apiVersion = template['apiVersion'];
  const kind = template['kind'];
  validateGvk(id, apiVersion, kind, true, path, report);
  const metadata = template['metadata'];
  if (isMap(metadata)) {
    // Indexed: cold code per template (see validateResources).
    for (let f = 0; f < METADATA_MAPS.length; f++) {
      const field = METADATA_MAPS[f] as (typeof METADATA_MAPS)[number];
      const entries = metadata[field];
      if (!isMap(entries)) continue;
      const keys = Object.keys(entries);
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k] as string;
        const keyProblem = key.includes('${') ? undefined : qualifiedNameProblem(key);
        if (keyProblem) {
          report.at(
            `resource ${id}: metadata.${field} key ${JSON.stringify(key)} is invalid (the API server refuses it): ${keyProblem}`,
            [...path, 'metadata', field, key],
            'key',
            `rgd/${field === 'labels' ? 'label' : 'annotation'}-key`,
          );
          continue;
        }
        const prefix = kroOwnedPrefix(key);
        if (!prefix) continue;
        const message =
          field === 'labels' ? kroOwnedLabelProblem(id, prefix) : kroOwnedAnnotationProblem(id, prefix);
        report.at(
          message,
          [...path, 'metadata', field, key],
          'key',
          `rgd/kro-owned-${field === 'labels' ? 'label' : 'annotation'}`,
        );
      }
    }
  }
}

const METADATA_MAPS = ['labels', 'annotations'] as const;

/**
 * kro's GVK extraction from a template or an external reference (`path`); only a template's
 * apiVersion is refused for holding an expression.
 */
function validateGvk(
  id: string,
  apiVersion: unknown,
  kind: unknown,
  template: boolean,
  path: DocPath,
  report: Reporter,
): void {
  if (typeof apiVersion === 'string') {
    const problem =
      template && apiVersion.includes('${')
        ? 'apiVersion must be a literal string: kro resolves the kind before it evaluates expressions'
        : apiVersion === ''
          ? 'apiVersion must not be empty'
          : groupVersionProblem(apiVersion);
    if (problem) gvkProblem(id, problem, [...path, 'apiVersion'], report);
  }
  if (typeof kind === 'string') {
    const problem = templateKindProblem(kind);
    if (problem) gvkProblem(id, problem, [...path, 'kind'], report);
  }
}

function gvkProblem(id: string, problem: string, path: DocPath, report: Reporter): void {
  report.at(`failed to extract GVK from resource ${id}: ${problem}`, path, 'value', 'rgd/template-gvk');
}

function validateExternalRef(id: string, ref: JsonMap, path: DocPath, report: Reporter): void {
  const apiVersion = ref['apiVersion'];
  const kind = ref['kind'];
  validateGvk(id, apiVersion, kind, false, path, report);
  const metadata = ref['metadata'];
  if (!isMap(metadata)) return;
  const hasName = present(metadata['name']);
  const hasSelector = present(metadata['selector']);
  if (hasName === hasSelector) {
    report.at(
      `resource "${id}": externalRef.metadata: exactly one of name or selector must be provided`,
      [...path, 'metadata'],
      'key',
      'rgd/external-ref',
    );
  }
}

/**
 * kro's namespace rules for one resource (validateTemplateConstraints), once its kind's scope is
 * known: the graph builder calls this with the scope its kind resolver found.
 */
export function scopeDiagnostics(rgd: Rgd, resource: RgdResource, scope: ResourceScope): Diagnostic[] {
  const out: Diagnostic[] = [];
  const base: DocPath = ['spec', 'resources', resource.index];
  const ext = resource.externalRef;
  const object = resource.template ?? (ext as unknown as JsonMap | null);
  const metadata = object?.['metadata'];
  if (!isMap(metadata)) return out;
  const path: DocPath = [...base, resource.template ? 'template' : 'externalRef', 'metadata'];
  // kro: an external reference with a selector lists across namespaces.
  const isExternalCollection = !resource.template && present(metadata['selector']);
  const instanceScope: ResourceScope = rgd.schema.scope === 'Cluster' ? 'Cluster' : 'Namespaced';
  const report = new Reporter(rgd.loc, out);
  const namespace = metadata['namespace'];
  if (scope === 'Cluster' && namespace !== undefined) {
    report.at(clusterScopedWithNamespaceProblem(resource.id), [...path, 'namespace'], 'key', 'rgd/namespace');
  }
  if (scope === 'Namespaced' && instanceScope === 'Cluster' && !isExternalCollection) {
    if (typeof namespace !== 'string' || namespace.trim() === '') {
      report.at(
        namespaceRequiredProblem(resource.id),
        namespace === undefined ? path : [...path, 'namespace'],
        'key',
        'rgd/namespace',
      );
    }
  }
  return out;
}
